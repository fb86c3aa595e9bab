package emulator

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Block storage operations (notes §3.3, §4.2): CreateDisk, AttachDisk,
// DetachDisk, ResizeDisk, ModifyDiskSpec, ReInitDisk, ReplaceSystemDisk.

var diskCategoryNames = []string{"cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry"}

// dataDiskRange is the size range (GiB) of a data disk (notes §3.3 CreateDisk).
func dataDiskRange(category, pl string) (lo, hi int) {
	switch category {
	case "cloud":
		return 5, 2000
	case "cloud_efficiency", "cloud_ssd":
		return 20, 32768
	case "cloud_essd":
		return essdMin(pl), 65536
	case "cloud_auto":
		return 1, 65536
	case "cloud_essd_entry":
		return 10, 32768
	}
	return 20, 32768
}

// systemDiskRange is the size range (GiB) of a system disk (notes §3.3 ResizeDisk).
func systemDiskRange(category, pl string) (lo, hi int) {
	switch category {
	case "cloud":
		return 20, 500
	case "cloud_essd":
		return essdMin(pl), 2048
	}
	return 20, 2048
}

// essdMin is the smallest ESSD of a performance level.
func essdMin(pl string) int {
	switch pl {
	case "PL0":
		return 1
	case "PL2":
		return 461
	case "PL3":
		return 1261
	}
	return 20
}

func diskRange(d *disk) (lo, hi int) {
	if d.Type == "system" {
		return systemDiskRange(d.Category, d.PerformanceLevel)
	}
	return dataDiskRange(d.Category, d.PerformanceLevel)
}

// regionDisk finds a disk of the request's region.
func (st *store) regionDisk(r *request, id string) (*disk, error) {
	d := st.disks[id]
	if d == nil || (r.regionID() != "" && d.RegionID != r.regionID()) {
		return nil, errNotFound("InvalidDiskId.NotFound", "disk")
	}
	return d, nil
}

func (st *store) requireDisk(r *request) (*disk, error) {
	id, err := r.required("DiskId")
	if err != nil {
		return nil, err
	}
	return st.regionDisk(r, id)
}

// snapshotInProgress reports whether a snapshot of the disk is still being made.
func (st *store) snapshotInProgress(d *disk) bool {
	for _, s := range st.snapshots {
		if s.SourceDiskID == d.ID && s.Status == "progressing" {
			return true
		}
	}
	return false
}

func errDiskCreatingSnapshot() *APIError {
	return &APIError{Status: 403, Code: "DiskCreatingSnapshot", Message: "The operation is denied due to a snapshot of the specified disk is not completed yet."}
}

func errIncorrectDiskStatus() *APIError {
	return &APIError{Status: 403, Code: "IncorrectDiskStatus", Message: "The current disk status does not support this operation."}
}

// guestPartition is the agent's / guest's name of a disk's first partition:
// /dev/vda1 for the system disk, /dev/vdX1 for the data disk at /dev/xvdX
// (the names metrics.go instanceDevices reports).
func guestPartition(d *disk) string {
	if d.Type == "system" {
		return "/dev/vda1"
	}
	if dev := d.Device; len(dev) > 0 {
		if l := dev[len(dev)-1]; l >= 'b' && l <= 'z' {
			return "/dev/vd" + string(l) + "1"
		}
	}
	return ""
}

// freshFS records that a disk's filesystem starts (nearly) empty now, for
// the metric generator.
func (st *store) freshFS(in *instance, d *disk, levelPct float64) {
	if dev := guestPartition(d); dev != "" {
		in.FSEvents = append(in.FSEvents, fsEvent{Device: dev, At: st.now().UTC(), Reset: true, Level: levelPct})
	}
}

// nextDevice is the first free data-disk device of an instance: /dev/xvdb,
// /dev/xvdc, ...; "" when all are taken.
func (st *store) nextDevice(in *instance) string {
	used := map[string]bool{}
	for _, d := range st.disks {
		if d.InstanceID == in.ID {
			used[d.Device] = true
		}
	}
	for c := 'b'; c <= 'z'; c++ {
		if dev := "/dev/xvd" + string(c); !used[dev] {
			return dev
		}
	}
	return ""
}

// validName checks DiskName / Description style names: 2-128 characters,
// starting with a letter, not with http:// or https://.
func validName(s string, maxLen int) bool {
	rs := []rune(s)
	if len(rs) < 2 || len(rs) > maxLen || strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		return false
	}
	return unicode.IsLetter(rs[0])
}

// CreateDisk: ZoneId (or InstanceId for a subscription disk attached to a
// subscription instance), Size and/or SnapshotId, DiskCategory (default
// cloud), PerformanceLevel (ESSD, default PL1), DiskName, Description,
// Encrypted, KMSKeyId, Tag.N, ClientToken. The disk is Creating for one
// transition delay, then Available (or In_use when attached).
func createDisk(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	return st.idempotent(r, func() (any, error) {
		zoneID, instanceID := r.str("ZoneId"), r.str("InstanceId")
		var owner *instance
		switch {
		case instanceID != "" && zoneID != "":
			return nil, &APIError{Status: 400, Code: "InvalidParameter.Conflict", Message: "ZoneId and InstanceId cannot be specified at the same time."}
		case instanceID != "":
			in, err := st.regionInstance(r, instanceID)
			if err != nil {
				return nil, err
			}
			if in.InstanceChargeType != "PrePaid" {
				return nil, &APIError{Status: 403, Code: "ChargeTypeViolation", Message: "The operation is not permitted due to charge type of the instance: InstanceId creates a subscription disk for a subscription instance."}
			}
			owner, zoneID = in, in.ZoneID
		case zoneID == "":
			return nil, errMissing("ZoneId")
		}
		z := st.zoneOf(rg.ID, zoneID)
		if z == nil {
			return nil, errNotFound("InvalidZoneId.NotFound", "zone")
		}
		category := r.str("DiskCategory")
		if category == "" {
			category = "cloud"
		}
		if !slices.Contains(diskCategoryNames, category) {
			return nil, &APIError{Status: 400, Code: "InvalidDiskCategory.ValueNotSupported", Message: fmt.Sprintf("The specified parameter DiskCategory %q is not valid.", category)}
		}
		if !slices.Contains(z.DiskCategories, category) {
			return nil, &APIError{Status: 403, Code: "InvalidDataDiskCategory.NotSupported", Message: fmt.Sprintf("The specified disk category %q is not supported in zone %s.", category, zoneID)}
		}
		pl := ""
		if category == "cloud_essd" {
			pl = r.str("PerformanceLevel")
			if pl == "" {
				pl = "PL1"
			}
			if !slices.Contains([]string{"PL0", "PL1", "PL2", "PL3"}, pl) {
				return nil, &APIError{Status: 400, Code: "InvalidPerformanceLevel.Malformed", Message: "The specified parameter PerformanceLevel is not valid."}
			}
		}
		size, err := r.intParam("Size", 0)
		if err != nil {
			return nil, &APIError{Status: 400, Code: "InvalidSize.ValueNotSupported", Message: "The specified parameter Size is not valid."}
		}
		var snap *snapshot
		if id := r.str("SnapshotId"); id != "" {
			snap = st.snapshots[id]
			if snap == nil || snap.RegionID != rg.ID {
				return nil, errNotFound("InvalidSnapshotId.NotFound", "snapshot")
			}
			if snap.Status != "accomplished" {
				return nil, &APIError{Status: 403, Code: "InvalidSnapshot.NotReady", Message: "The specified snapshot has not completed yet."}
			}
			if size == 0 {
				size = snap.SourceDiskSizeGiB
			}
			if size < snap.SourceDiskSizeGiB {
				return nil, &APIError{Status: 403, Code: "InvalidDiskSize.TooSmall", Message: "Specified disk size is less than the size of snapshot."}
			}
		} else if !r.has("Size") {
			return nil, errMissing("Size")
		}
		if lo, hi := dataDiskRange(category, pl); size < lo || size > hi {
			return nil, &APIError{Status: 400, Code: "InvalidSize.ValueNotSupported", Message: fmt.Sprintf("The specified parameter Size is not valid: %s%s takes %d-%d GiB.", category, plSuffix(pl), lo, hi)}
		}
		name, desc := r.str("DiskName"), r.str("Description")
		if name != "" && !validName(name, 128) {
			return nil, &APIError{Status: 400, Code: "InvalidDiskName.Malformed", Message: "The specified disk name is wrongly formed: 2-128 characters, starting with a letter, not http:// or https://."}
		}
		if desc != "" && (len([]rune(desc)) < 2 || len([]rune(desc)) > 256 || strings.HasPrefix(desc, "http://") || strings.HasPrefix(desc, "https://")) {
			return nil, &APIError{Status: 400, Code: "InvalidDescription.Malformed", Message: "The specified description is wrongly formed."}
		}
		encrypted, err := r.boolParam("Encrypted", false)
		if err != nil {
			return nil, err
		}
		if _, err := r.tagFilters(); err != nil {
			return nil, err
		}
		now := st.now().UTC().Truncate(time.Second)
		d := &disk{
			ID: st.mintID("d", rg.ID), Name: name, Description: desc, RegionID: rg.ID, ZoneID: zoneID,
			Type: "data", Category: category, PerformanceLevel: pl, SizeGiB: size, Status: "Creating",
			Portable: true, DeleteAutoSnapshot: true, Encrypted: encrypted,
			ChargeType: "PostPaid", CreationTime: now, IOPS: diskIOPS(category, pl, size),
			Filesystem: "ext4", PartitionGiB: size,
		}
		if snap != nil {
			d.SourceSnapshotID = snap.ID
			d.PartitionGiB = snap.SourceDiskSizeGiB
			if src := st.disks[snap.SourceDiskID]; src != nil && src.Filesystem != "" {
				d.Filesystem = src.Filesystem
			}
		}
		resp := map[string]any{"DiskId": d.ID, "OrderId": ""}
		if owner != nil {
			d.ChargeType, d.Portable = "PrePaid", false
			d.InstanceID, d.Device = owner.ID, st.nextDevice(owner)
			st.serial++
			resp["OrderId"] = fmt.Sprintf("2%014d", 63571759000+st.serial)
		}
		st.disks[d.ID] = d
		st.after(st.delay, func() {
			if st.disks[d.ID] != d || d.Status != "Creating" {
				return
			}
			if d.InstanceID != "" {
				d.Status, d.AttachedTime = "In_use", st.now().UTC().Truncate(time.Second)
				if in := st.instances[d.InstanceID]; in != nil && snap == nil {
					st.freshFS(in, d, 1)
				}
				return
			}
			d.Status = "Available"
		})
		return resp, nil
	})
}

func plSuffix(pl string) string {
	if pl == "" {
		return ""
	}
	return " " + pl
}

// AttachDisk: ★InstanceId ★DiskId; DeleteWithInstance, Bootable (attach as
// the system disk: instance Stopped, no system disk), Device (deprecated).
// Disk Available and in the instance's zone; instance Running or Stopped.
// Attaching for one transition delay, then In_use.
func attachDisk(r *request) (any, error) {
	st := r.server.store
	in, err := st.requireInstance(r)
	if err != nil {
		return nil, err
	}
	d, err := st.requireDisk(r)
	if err != nil {
		return nil, err
	}
	bootable, err := r.boolParam("Bootable", false)
	if err != nil {
		return nil, err
	}
	deleteWith, err := r.boolParam("DeleteWithInstance", d.DeleteWithInstance)
	if err != nil {
		return nil, err
	}
	if in.securityLocked() {
		return nil, errLockedForSecurity()
	}
	switch d.Status {
	case "Available":
	case "In_use":
		return nil, &APIError{Status: 404, Code: "InvalidDisk.InUse", Message: "The specified disk is in use: it is attached to " + d.InstanceID + "."}
	default:
		return nil, &APIError{Status: 403, Code: "DiskError", Message: "IncorrectDiskStatus."}
	}
	if d.ZoneID != in.ZoneID {
		return nil, &APIError{Status: 403, Code: "ResourcesNotInSameZone", Message: "The specified instance and disk are not in the same zone."}
	}
	if in.Status != "Running" && in.Status != "Stopped" {
		return nil, &APIError{Status: 400, Code: "IncorrectInstanceStatus", Message: "The current status of the resource does not support this operation."}
	}
	device := ""
	if bootable {
		if in.Status != "Stopped" {
			return nil, &APIError{Status: 400, Code: "IncorrectInstanceStatus", Message: "The instance must be stopped to attach a system disk."}
		}
		for _, o := range st.disks {
			if o.InstanceID == in.ID && o.Type == "system" {
				return nil, &APIError{Status: 403, Code: "InvalidDevice.InUse", Message: "The instance already has a system disk."}
			}
		}
		device = "/dev/xvda"
	} else {
		if d.Type == "system" {
			return nil, &APIError{Status: 403, Code: "DiskId.StatusNotSupported", Message: "A system disk is attached with Bootable=true."}
		}
		device = st.nextDevice(in)
		if want := r.str("Device"); want != "" {
			if len(want) != len("/dev/xvdb") || !strings.HasPrefix(want, "/dev/xvd") || want[8] < 'b' || want[8] > 'z' {
				return nil, &APIError{Status: 400, Code: "InvalidDevice.Malformed", Message: "The specified device is not valid: /dev/xvdb to /dev/xvdz."}
			}
			for _, o := range st.disks {
				if o.InstanceID == in.ID && o.Device == want {
					return nil, &APIError{Status: 403, Code: "InvalidDevice.InUse", Message: "The specified device is in use."}
				}
			}
			device = want
		}
		if device == "" || st.dataDiskCount(in) >= 16 {
			return nil, &APIError{Status: 403, Code: "InstanceDiskLimitExceeded", Message: "The amount of the disk on instance in question reach its limits."}
		}
	}
	fresh := d.AttachedTime.IsZero() && d.SourceSnapshotID == ""
	d.Status, d.InstanceID, d.Device, d.DeleteWithInstance = "Attaching", in.ID, device, deleteWith
	st.after(st.delay, func() {
		if st.disks[d.ID] != d || d.Status != "Attaching" {
			return
		}
		d.Status, d.AttachedTime = "In_use", st.now().UTC().Truncate(time.Second)
		if fresh {
			st.freshFS(in, d, 1)
		}
	})
	return map[string]any{}, nil
}

func (st *store) dataDiskCount(in *instance) int {
	n := 0
	for _, d := range st.disks {
		if d.InstanceID == in.ID && d.Type == "data" {
			n++
		}
	}
	return n
}

// DetachDisk: ★InstanceId ★DiskId. Disk In_use on that instance and
// Portable; instance Running or Stopped (Stopped for the system disk).
// Detaching for one transition delay, then Available; DeleteWithInstance
// becomes false.
func detachDisk(r *request) (any, error) {
	st := r.server.store
	in, err := st.requireInstance(r)
	if err != nil {
		return nil, err
	}
	d, err := st.requireDisk(r)
	if err != nil {
		return nil, err
	}
	if _, err := r.boolParam("DeleteWithInstance", false); err != nil {
		return nil, err
	}
	if in.securityLocked() {
		return nil, errLockedForSecurity()
	}
	if d.InstanceID != in.ID {
		if d.InstanceID == "" {
			return nil, &APIError{Status: 403, Code: "InvalidDisk.AlreadyDetached", Message: "The specified disk is not attached to any instance."}
		}
		return nil, &APIError{Status: 403, Code: "DependencyViolation", Message: "The specified disk is not attached to the specified instance."}
	}
	if !d.Portable {
		return nil, &APIError{Status: 403, Code: "InvalidDiskId.OperationNotSupported", Message: "The specified disk is not portable."}
	}
	if d.Status != "In_use" {
		return nil, errIncorrectDiskStatus()
	}
	if in.Status != "Running" && in.Status != "Stopped" || (d.Type == "system" && in.Status != "Stopped") {
		return nil, errIncorrectInstanceStatus()
	}
	d.Status = "Detaching"
	st.after(st.delay, func() {
		if st.disks[d.ID] != d || d.Status != "Detaching" {
			return
		}
		d.Status, d.InstanceID, d.Device, d.DeleteWithInstance = "Available", "", "", false
		d.DetachedTime = st.now().UTC().Truncate(time.Second)
		d.GuestGiB = 0
	})
	return map[string]any{}, nil
}

// ResizeDisk: ★DiskId ★NewSize; Type offline (default) | online; ClientToken.
// NewSize must exceed the current size and stay within the category's
// range (system disks: ≤2048, cloud ≤500). Online needs the instance
// Running; offline an attached disk's instance Running or Stopped. Size is
// updated at once; the guest sees an offline resize of a running instance's
// disk only after its next restart; neither grows the partition or the
// filesystem (that is growpart + resize2fs / xfs_growfs, via Cloud Assistant).
func resizeDisk(r *request) (any, error) {
	st := r.server.store
	return st.idempotent(r, func() (any, error) {
		d, err := st.requireDisk(r)
		if err != nil {
			return nil, err
		}
		if _, err := r.required("NewSize"); err != nil {
			return nil, err
		}
		newSize, err := r.intParam("NewSize", 0)
		if err != nil {
			return nil, err
		}
		typ := r.str("Type")
		if typ == "" {
			typ = "offline"
		}
		if typ != "offline" && typ != "online" {
			return nil, &APIError{Status: 400, Code: "InvalidParam.Type", Message: "The specified type is not supported."}
		}
		switch {
		case newSize < d.SizeGiB:
			return nil, &APIError{Status: 403, Code: "InvalidDiskSize.TooSmall", Message: fmt.Sprintf("Specified new disk size is less than the original disk size (%d GiB).", d.SizeGiB)}
		case newSize == d.SizeGiB:
			return nil, &APIError{Status: 403, Code: "InvalidDiskSize", Message: fmt.Sprintf("Specified new disk size is less than or equal the original disk size (%d GiB).", d.SizeGiB)}
		}
		if _, hi := diskRange(d); newSize > hi {
			return nil, &APIError{Status: 403, Code: "InvalidDiskSize.TooLarge", Message: fmt.Sprintf("Specified new disk size is beyond the permitted range (at most %d GiB for a %s %s disk).", hi, d.Type, d.Category)}
		}
		if d.Status != "In_use" && d.Status != "Available" {
			return nil, errIncorrectDiskStatus()
		}
		if st.snapshotInProgress(d) {
			return nil, errDiskCreatingSnapshot()
		}
		in := st.instances[d.InstanceID]
		if in != nil && in.securityLocked() {
			return nil, errLockedForSecurity()
		}
		if typ == "online" {
			if in == nil {
				return nil, &APIError{Status: 403, Code: "IncorrectDiskStatus", Message: "The current status of the resource does not support resize online: the disk is not attached."}
			}
			if in.Status != "Running" {
				return nil, &APIError{Status: 403, Code: "InvalidInstanceStatus.NotRunning", Message: "The status of instance to which the disk attachs must be running when resizing online."}
			}
		} else if in != nil && in.Status != "Running" && in.Status != "Stopped" {
			return nil, errIncorrectInstanceStatus()
		}
		if typ == "offline" && in != nil && in.Status == "Running" && d.GuestGiB == 0 {
			d.GuestGiB = d.SizeGiB // the guest sees the new size after a restart
		}
		d.SizeGiB = newSize
		d.IOPS = diskIOPS(d.Category, d.PerformanceLevel, newSize)
		orderID := ""
		if d.ChargeType == "PrePaid" {
			st.serial++
			orderID = fmt.Sprintf("2%014d", 20413515388+st.serial)
		}
		return map[string]any{"OrderId": orderID}, nil
	})
}

// categoryChanges lists the categories a disk may change to (ESSD
// performance levels change within cloud_essd).
var categoryChanges = map[string][]string{
	"cloud":            {"cloud_efficiency", "cloud_ssd", "cloud_essd"},
	"cloud_efficiency": {"cloud_ssd", "cloud_essd", "cloud_auto"},
	"cloud_ssd":        {"cloud_essd", "cloud_auto"},
	"cloud_essd":       {"cloud_essd", "cloud_auto"},
	"cloud_auto":       {"cloud_essd"},
	"cloud_essd_entry": {"cloud_essd", "cloud_auto"},
}

// ModifyDiskSpec: ★DiskId; DiskCategory, PerformanceLevel, DryRun. Disk
// In_use or Available (its instance Running or Stopped); the ESSD
// performance level must suit the size; a subscription ESSD can only move
// up. Takes effect at once.
func modifyDiskSpec(r *request) (any, error) {
	st := r.server.store
	d, err := st.requireDisk(r)
	if err != nil {
		return nil, err
	}
	category, pl := r.str("DiskCategory"), r.str("PerformanceLevel")
	if category == "" && pl == "" {
		return nil, errMissing("DiskCategory")
	}
	if category == "" {
		category = d.Category
	}
	if !slices.Contains(diskCategoryNames, category) {
		return nil, &APIError{Status: 400, Code: "InvalidDiskCategory.ValueNotSupported", Message: fmt.Sprintf("The specified parameter DiskCategory %q is not valid.", category)}
	}
	if pl != "" && !slices.Contains([]string{"PL0", "PL1", "PL2", "PL3"}, pl) {
		return nil, &APIError{Status: 400, Code: "InvalidPerformanceLevel.Malformed", Message: "The specified parameter PerformanceLevel is not valid."}
	}
	switch {
	case category != "cloud_essd":
		pl = ""
	case pl == "" && d.Category == "cloud_essd":
		pl = d.PerformanceLevel
	case pl == "":
		pl = "PL1"
	}
	if category == d.Category && pl == d.PerformanceLevel {
		return nil, &APIError{Status: 400, Code: "InvalidParameter", Message: "The specified disk category and performance level are the current ones."}
	}
	if category != d.Category && !slices.Contains(categoryChanges[d.Category], category) {
		return nil, &APIError{Status: 403, Code: "OperationDenied", Message: fmt.Sprintf("The disk category cannot be changed from %s to %s.", d.Category, category)}
	}
	if lo, _ := diskRange(&disk{Type: d.Type, Category: category, PerformanceLevel: pl}); d.SizeGiB < lo {
		return nil, &APIError{Status: 403, Code: "OperationDenied.PerformanceLevelNotMatch", Message: fmt.Sprintf("The performance level %s needs a disk of at least %d GiB; the disk has %d GiB.", pl, lo, d.SizeGiB)}
	}
	if d.ChargeType == "PrePaid" && category == d.Category && pl < d.PerformanceLevel {
		return nil, &APIError{Status: 403, Code: "OperationDenied", Message: "The performance level of a subscription disk can only be upgraded."}
	}
	if d.Status != "In_use" && d.Status != "Available" {
		return nil, errIncorrectDiskStatus()
	}
	if st.snapshotInProgress(d) {
		return nil, errDiskCreatingSnapshot()
	}
	if in := st.instances[d.InstanceID]; in != nil && in.Status != "Running" && in.Status != "Stopped" {
		return nil, errIncorrectInstanceStatus()
	}
	if r.dryRun() {
		return nil, errDryRun()
	}
	d.Category, d.PerformanceLevel = category, pl
	d.IOPS = diskIOPS(category, pl, d.SizeGiB)
	return map[string]any{"TaskId": st.mintID("t", d.RegionID), "OrderId": ""}, nil
}

// osUsedGiB is what a freshly installed OS of the image occupies.
func osUsedGiB(img *image) float64 {
	if img != nil && img.OSType == "windows" {
		return 14.5
	}
	return 2.6
}

// ReInitDisk: ★DiskId; Password, KeyPairName, AutoStartInstance. The disk
// In_use, its instance Stopped: ReIniting for one transition delay, then
// In_use with its data gone (a system disk back to its image, a data disk
// empty), the filesystem filling the disk.
func reInitDisk(r *request) (any, error) {
	st := r.server.store
	d, err := st.requireDisk(r)
	if err != nil {
		return nil, err
	}
	autoStart, err := r.boolParam("AutoStartInstance", false)
	if err != nil {
		return nil, err
	}
	in := st.instances[d.InstanceID]
	if d.Status != "In_use" || in == nil {
		return nil, errIncorrectDiskStatus()
	}
	if in.securityLocked() {
		return nil, errLockedForSecurity()
	}
	if in.Status != "Stopped" {
		return nil, errIncorrectInstanceStatus()
	}
	if st.snapshotInProgress(d) {
		return nil, errDiskCreatingSnapshot()
	}
	var img *image
	if d.Type == "system" {
		if img = st.image(d.RegionID, d.ImageID); img == nil {
			return nil, errNotFound("InvalidImageId.NotFound", "image")
		}
	}
	if kp := r.str("KeyPairName"); kp != "" {
		if st.keyPairs[d.RegionID+"/"+kp] == nil {
			return nil, errNotFound("InvalidKeyPairName.NotFound", "KeyPairName")
		}
		if d.Type == "system" {
			in.KeyPairName = kp
		}
	}
	d.Status = "ReIniting"
	st.after(st.delay, func() {
		if st.disks[d.ID] != d || d.Status != "ReIniting" {
			return
		}
		d.Status = "In_use"
		d.PartitionGiB, d.GrownPartGiB, d.GuestGiB = d.SizeGiB, 0, 0
		level := 1.0
		if img != nil {
			level = 100 * osUsedGiB(img) / float64(d.SizeGiB)
		}
		st.freshFS(in, d, level)
		if autoStart && in.Status == "Stopped" {
			st.startInstance(in)
		}
	})
	return map[string]any{}, nil
}

// ReplaceSystemDisk: ★InstanceId, ImageId, SystemDisk.Size (default
// max{40, image size}; image size..2048, cloud ..500), KeyPairName,
// Password, ClientToken. The instance Stopped: a new system disk (new id,
// same category and billing) is Creating for one transition delay, then
// In_use; the old disk is released at once; the instance reports the new
// image and OS.
func replaceSystemDisk(r *request) (any, error) {
	st := r.server.store
	return st.idempotent(r, func() (any, error) {
		in, err := st.requireInstance(r)
		if err != nil {
			return nil, err
		}
		imageID, err := r.required("ImageId")
		if err != nil {
			return nil, err
		}
		img := st.image(in.RegionID, imageID)
		if img == nil || (img.Status != "Available" && img.Status != "Deprecated") {
			return nil, errNotFound("InvalidImageId.NotFound", "ImageId")
		}
		if img.Arch != "" && img.Arch != "x86_64" {
			return nil, &APIError{Status: 403, Code: "ImageNotSupportInstanceType", Message: fmt.Sprintf("The specified image (%s) does not support the InstanceType %s.", img.Arch, in.InstanceType)}
		}
		var old *disk
		for _, d := range st.disks {
			if d.InstanceID == in.ID && d.Type == "system" {
				old = d
			}
		}
		if old == nil {
			return nil, errIncorrectDiskStatus()
		}
		size, err := r.intParam("SystemDisk.Size", max(40, img.SizeGiB))
		if err != nil {
			return nil, &APIError{Status: 400, Code: "InvalidSystemDiskSize.ValueNotSupported", Message: "The specified parameter SystemDisk.Size is invalid."}
		}
		lo, hi := systemDiskRange(old.Category, old.PerformanceLevel)
		switch {
		case size < img.SizeGiB:
			return nil, &APIError{Status: 404, Code: "InvalidSystemDiskSize.LessThanImageSize", Message: fmt.Sprintf("The specified parameter SystemDisk.Size is less than the image size (%d GiB).", img.SizeGiB)}
		case size < max(lo, 20):
			return nil, &APIError{Status: 404, Code: "InvalidSystemDiskSize.LessThanMinSize", Message: fmt.Sprintf("The specified parameter SystemDisk.Size is less than the min size (%d GiB).", max(lo, 20))}
		case size > hi:
			return nil, &APIError{Status: 404, Code: "InvalidSystemDiskSize.MoreThanMaxSize", Message: fmt.Sprintf("The specified SystemDisk.Size parameter exceeds the maximum size (%d GiB).", hi)}
		}
		kp := r.str("KeyPairName")
		if kp != "" && st.keyPairs[in.RegionID+"/"+kp] == nil {
			return nil, &APIError{Status: 400, Code: "InvalidKeyPairName.NotFound", Message: "The specified KeyPairName does not exist."}
		}
		if pw := r.str("Password"); pw != "" && !passwordOK(pw) {
			return nil, &APIError{Status: 400, Code: "InvalidPassword.Malformed", Message: `The specified parameter "Password" is not valid.`}
		}
		if in.securityLocked() {
			return nil, errLockedForSecurity()
		}
		if in.Status != "Stopped" {
			return nil, errIncorrectInstanceStatus()
		}
		if old.Status != "In_use" {
			return nil, errIncorrectDiskStatus()
		}
		if st.snapshotInProgress(old) {
			return nil, errDiskCreatingSnapshot()
		}
		now := st.now().UTC().Truncate(time.Second)
		nd := &disk{
			ID: st.mintID("d", in.RegionID), RegionID: in.RegionID, ZoneID: in.ZoneID, Type: "system",
			Category: old.Category, PerformanceLevel: old.PerformanceLevel, SizeGiB: size, Status: "Creating",
			InstanceID: in.ID, Device: "/dev/xvda", ImageID: img.ID, Portable: old.Portable,
			DeleteWithInstance: true, DeleteAutoSnapshot: old.DeleteAutoSnapshot, Encrypted: old.Encrypted,
			EnableAutoSnapshot: old.EnableAutoSnapshot, AutoSnapshotPolicyID: old.AutoSnapshotPolicyID,
			ChargeType: old.ChargeType, CreationTime: now, AttachedTime: now,
			IOPS: diskIOPS(old.Category, old.PerformanceLevel, size), Filesystem: imageFilesystem(img), PartitionGiB: size,
		}
		delete(st.disks, old.ID)
		if old.DeleteAutoSnapshot {
			for id, s := range st.snapshots {
				if s.SourceDiskID == old.ID && s.Type == "auto" {
					delete(st.snapshots, id)
				}
			}
		}
		st.disks[nd.ID] = nd
		in.ImageID, in.OSType, in.OSName = img.ID, img.OSType, img.OSName
		switch {
		case img.OSType == "windows":
			in.KeyPairName = ""
		case kp != "":
			in.KeyPairName = kp
		}
		st.freshFS(in, nd, 100*osUsedGiB(img)/float64(size))
		st.after(st.delay, func() {
			if st.disks[nd.ID] == nd && nd.Status == "Creating" {
				nd.Status = "In_use"
			}
		})
		return map[string]any{"DiskId": nd.ID}, nil
	})
}

// imageFilesystem is the root filesystem an image installs.
func imageFilesystem(img *image) string {
	if img.OSType == "windows" {
		return "ntfs"
	}
	key := strings.TrimPrefix(img.Family, "acs:")
	for _, o := range fleetOSes {
		if o.key == key || o.imageID == img.ID {
			return o.fs
		}
	}
	return "ext4"
}

// passwordOK: 8-30 characters, at least three of upper, lower, digit, special.
func passwordOK(pw string) bool {
	if len(pw) < 8 || len(pw) > 30 {
		return false
	}
	const specials = "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/"
	var kinds [4]bool
	for _, c := range pw {
		switch {
		case c >= 'A' && c <= 'Z':
			kinds[0] = true
		case c >= 'a' && c <= 'z':
			kinds[1] = true
		case c >= '0' && c <= '9':
			kinds[2] = true
		case strings.ContainsRune(specials, c):
			kinds[3] = true
		default:
			return false
		}
	}
	n := 0
	for _, k := range kinds {
		if k {
			n++
		}
	}
	return n >= 3
}

// hexID is a short stable hex string (command and invocation ids).
func hexID(st *store, kind string) string {
	st.serial++
	h := hashKey(st.seed, "hex-id", kind, fmt.Sprint(st.serial))
	var b [8]byte
	for i := range b {
		b[i] = byte(h >> (8 * i))
	}
	return hex.EncodeToString(b[:])
}
