package emulator

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Custom images: CreateImage (from an instance or from snapshots), CopyImage
// and CancelCopyImage, sharing, ExportImage with its task (DescribeTasks,
// DescribeTaskAttribute), ModifyImageAttribute (Deprecated/Available),
// DeleteImage, DescribeImageFromFamily. API notes §3.4, addendum §3.3.

// bkAccountID is the emulated account's id (the owner of "self" images).
const bkAccountID = cmsUserID

// bkMaxImageShares is the documented number of accounts an image is shared with.
const bkMaxImageShares = 50

func bkErrImageNotFound() *APIError {
	return errNotFound("InvalidImageId.NotFound", "ImageId")
}

func bkErrImageStatus(msg string) *APIError {
	return &APIError{Status: 400, Code: "IncorrectImageStatus", Message: msg}
}

// imageFamilyOf is an image's ImageFamily as DescribeImages shows it.
func imageFamilyOf(img *image) string {
	if img.OwnerAlias == "system" {
		return img.Family
	}
	return img.ImageFamily
}

// bkOwnImage finds one of the account's custom images in the region.
func (st *store) bkOwnImage(regionID, id string) (*image, error) {
	img := st.image(regionID, id)
	if img == nil || img.OwnerAlias != "self" {
		return nil, bkErrImageNotFound()
	}
	return img, nil
}

// bkCheckImageName applies the name rules: 2-128 characters, starts with a
// letter, not http(s)://, unique among the region's custom images.
func (st *store) bkCheckImageName(regionID, name, exceptID string) error {
	if !bkValidName(name, 2, 128) {
		return &APIError{Status: 400, Code: "InvalidImageName.Malformed", Message: "The specified ImageName is wrongly formed."}
	}
	for _, img := range st.images {
		if img.RegionID == regionID && img.OwnerAlias == "self" && img.Name == name && img.ID != exceptID {
			return &APIError{Status: 400, Code: "InvalidImageName.Duplicated", Message: "The specified ImageName is already in use."}
		}
	}
	return nil
}

// bkCheckImageFamily: 2-128 characters, starts with a letter, not acs: or
// aliyun (reserved for public images), not http(s)://.
func bkCheckImageFamily(family string) error {
	if family == "" {
		return nil
	}
	if !bkValidName(family, 2, 128) || strings.HasPrefix(family, "acs:") || strings.HasPrefix(family, "aliyun") {
		return &APIError{Status: 400, Code: "InvalidImageFamily.Malformed", Message: "The specified ImageFamily is wrongly formed."}
	}
	return nil
}

// bkImageDisk is one disk device mapping of a new image.
type bkImageDisk struct {
	device string
	snap   *snapshot
}

// CreateImage: the source is, by priority, InstanceId (a new snapshot of each
// of its disks), DiskDeviceMapping.N, or SnapshotId (a system-disk snapshot).
// No DryRun on this API; ClientToken makes a retry answer the same ImageId.
func createImage(r *request) (any, error) {
	return r.server.store.bkIdempotent(r, func() (any, error) { return createImageOnce(r) })
}

func createImageOnce(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	name := r.str("ImageName")
	if name != "" {
		if err := st.bkCheckImageName(rg.ID, name, ""); err != nil {
			return nil, err
		}
	}
	family := r.str("ImageFamily")
	if err := bkCheckImageFamily(family); err != nil {
		return nil, err
	}
	desc := r.str("Description")
	if desc != "" && !bkValidDescription(desc) {
		return nil, &APIError{Status: 400, Code: "InvalidDescription.Malformed", Message: "The specified description is wrongly formed."}
	}
	if _, err := r.enumParam("Architecture", []string{"i386", "x86_64", "arm64"}, "InvalidArchitecture.Malformed", 400); err != nil {
		return nil, err
	}
	if _, err := r.tagFilters(); err != nil {
		return nil, err
	}

	var (
		in       *instance
		disks    []*disk       // from an instance: the disks to snapshot
		mappings []bkImageDisk // from snapshots
	)
	switch {
	case r.has("InstanceId"):
		in = st.instances[r.str("InstanceId")]
		if in == nil || in.RegionID != rg.ID {
			return nil, bkErrInstanceNotFound()
		}
		if slices.Contains(in.LockReasons, "security") {
			return nil, &APIError{Status: 400, Code: "InstanceLockedForSecurity", Message: "The specified operation is denied as your instance is locked for security reasons."}
		}
		if in.Status != "Running" && in.Status != "Stopped" {
			return nil, &APIError{Status: 400, Code: "IncorrectInstanceStatus", Message: "The current status of the resource does not support this operation."}
		}
		for _, d := range st.disks {
			if d.InstanceID == in.ID && d.Status == "In_use" {
				disks = append(disks, d)
			}
		}
		slices.SortFunc(disks, func(a, b *disk) int {
			if a.Type != b.Type {
				return strings.Compare(b.Type, a.Type) // system first
			}
			return strings.Compare(a.Device, b.Device)
		})
		if len(disks) == 0 || disks[0].Type != "system" {
			return nil, &APIError{Status: 403, Code: "IncorrectDiskStatus", Message: "The system disk of the instance is not in use."}
		}
		for _, d := range disks {
			if st.bkDiskSnapshotting(d.ID) {
				return nil, bkErrCreatingSnapshot()
			}
		}
	case r.has("DiskDeviceMapping.1.SnapshotId") || r.has("DiskDeviceMapping.1.Size"):
		for i := 1; i <= 17; i++ {
			p := fmt.Sprintf("DiskDeviceMapping.%d.", i)
			sid := r.str(p + "SnapshotId")
			if sid == "" && !r.has(p+"Size") {
				break
			}
			if sid == "" {
				return nil, errMissing(p + "SnapshotId")
			}
			dev := r.str(p + "Device")
			if dev == "" {
				dev = "/dev/xvd" + string(rune('a'+len(mappings)))
			}
			m, err := st.bkImageSnapshot(rg.ID, sid, dev, len(mappings) == 0)
			if err != nil {
				return nil, err
			}
			if slices.ContainsFunc(mappings, func(o bkImageDisk) bool { return o.device == dev }) {
				return nil, &APIError{Status: 400, Code: "InvalidDevice.Duplicated", Message: "The specified device " + dev + " is used twice."}
			}
			mappings = append(mappings, m)
		}
	case r.has("SnapshotId"):
		m, err := st.bkImageSnapshot(rg.ID, r.str("SnapshotId"), "/dev/xvda", true)
		if err != nil {
			return nil, err
		}
		mappings = append(mappings, m)
	default:
		return nil, errMissing("InstanceId")
	}

	now := st.now()
	img := &image{
		ID: st.mintID("m", rg.ID), Name: name, Description: desc, RegionID: rg.ID,
		OwnerAlias: "self", OwnerID: bkAccountID, Status: "Creating", Progress: 0,
		CreationTime: now.UTC().Truncate(time.Second), Usage: "none",
		ImageFamily: family, ImageVersion: r.str("ImageVersion"),
		OSType: "linux", OSName: "Alibaba Cloud Linux 3.2104 LTS 64 bit", Platform: "Aliyun", Arch: "x86_64",
	}
	var sys *disk
	if in != nil {
		sys = disks[0]
		img.SourceInstanceID = in.ID
		img.OSType, img.OSName = in.OSType, in.OSName
	} else if d := st.disks[mappings[0].snap.SourceDiskID]; d != nil {
		sys = d
		img.SourceSnapshotID = mappings[0].snap.ID
		if owner := st.instances[d.InstanceID]; owner != nil {
			img.OSType, img.OSName = owner.OSType, owner.OSName
		}
	} else {
		img.SourceSnapshotID = mappings[0].snap.ID
	}
	if sys != nil {
		if src := st.image(rg.ID, sys.ImageID); src != nil {
			img.Platform, img.Arch = src.Platform, src.Arch
			if img.OSName == "" {
				img.OSType, img.OSName = src.OSType, src.OSName
			}
			if img.Family == "" {
				img.Family = src.Family
			}
		}
	}
	if r.has("Platform") {
		img.Platform = r.str("Platform")
	}
	if r.has("Architecture") {
		img.Arch = r.str("Architecture")
	}
	if img.Name == "" {
		img.Name = img.ID // the console shows the id of an unnamed image
	}
	// The family of the fleet's own images holds their OS key; keep that
	// convention so images of images stay recognisable.
	if strings.HasPrefix(img.Family, "acs:") {
		img.Family = strings.TrimPrefix(img.Family, "acs:")
	}
	if in != nil {
		for i, d := range disks {
			suffix := "-sys"
			if i > 0 {
				suffix = fmt.Sprintf("-data%d", i)
			}
			s := st.bkNewDiskSnapshot(d, "", "Created for image "+img.Name+suffix)
			img.SnapshotIDs = append(img.SnapshotIDs, s.ID)
		}
		img.SizeGiB = disks[0].SizeGiB
	} else {
		for _, m := range mappings {
			img.SnapshotIDs = append(img.SnapshotIDs, m.snap.ID)
		}
		img.SizeGiB = mappings[0].snap.SourceDiskSizeGiB
	}
	st.images[imageKey(rg.ID, img.ID)] = img
	// Snapshots first (when made from an instance), then the image itself.
	total := st.delay
	if in != nil {
		total += st.bkSnapshotDuration()
	}
	st.bkProgressImage(img, now, total, nil)
	return map[string]any{"ImageId": img.ID}, nil
}

// bkImageSnapshot checks one snapshot of a DiskDeviceMapping / SnapshotId.
func (st *store) bkImageSnapshot(regionID, id, device string, system bool) (bkImageDisk, error) {
	s := st.snapshots[id]
	if s == nil || s.RegionID != regionID {
		return bkImageDisk{}, bkErrSnapshotNotFound()
	}
	if s.Status != "accomplished" {
		return bkImageDisk{}, bkErrSnapshotNotReady()
	}
	if system && !strings.EqualFold(s.SourceDiskType, "system") {
		return bkImageDisk{}, &APIError{Status: 400, Code: "InvalidSnapshotId.NotSystemDiskSnapshot", Message: "The image's system disk must come from a snapshot of a system disk."}
	}
	if !regexp.MustCompile(`^/dev/xvd[a-z]$`).MatchString(device) || (system && device != "/dev/xvda") || (!system && device == "/dev/xvda") {
		return bkImageDisk{}, &APIError{Status: 400, Code: "InvalidDevice.Malformed", Message: "The specified device " + device + " is not valid: /dev/xvda for the system disk, /dev/xvdb-/dev/xvdz for data disks."}
	}
	return bkImageDisk{device: device, snap: s}, nil
}

// bkProgressImage takes img from Creating 0% to Available 100% over dur from
// start, in quarter steps, then runs done. An image deleted or cancelled
// meanwhile stops.
func (st *store) bkProgressImage(img *image, start time.Time, dur time.Duration, done func()) {
	key := imageKey(img.RegionID, img.ID)
	live := func() bool { return st.images[key] == img && img.Status == "Creating" }
	for _, p := range []int{25, 50, 75} {
		st.bkAt(start.Add(dur*time.Duration(p)/100), func() {
			if live() {
				img.Progress = p
			}
		})
	}
	st.bkAt(start.Add(dur), func() {
		if live() {
			img.Status, img.Progress = "Available", 100
			if done != nil {
				done()
			}
		}
	})
}

// bkImageCopying reports whether img is being copied, as a source or as the copy.
func (st *store) bkImageCopying(img *image) bool {
	if img.CopiedFrom != "" && img.Status == "Creating" {
		return true
	}
	from := img.RegionID + "/" + img.ID
	for _, o := range st.images {
		if o.CopiedFrom == from && o.Status == "Creating" {
			return true
		}
	}
	return false
}

// bkImageExporting reports whether an ExportImage task of img is still running.
func (st *store) bkImageExporting(img *image) bool {
	for _, t := range st.taskMap() {
		if t.Action == "ExportImage" && t.RegionID == img.RegionID && t.ResourceID == img.ID && (t.Status == "Waiting" || t.Status == "Processing") {
			return true
		}
	}
	return false
}

// CopyImage copies an Available custom image to DestinationRegionId; the copy
// is Creating there (IsCopied) until it is Available with its own snapshots.
func copyImage(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	id, err := r.required("ImageId")
	if err != nil {
		return nil, err
	}
	destID := r.str("DestinationRegionId")
	if destID == "" {
		return nil, errMissing("DestinationRegionId")
	}
	dest := st.region(destID)
	if dest == nil {
		return nil, &APIError{Status: 400, Code: "DestinationRegion.NotFound", Message: "The specified DestinationRegionId does not exist."}
	}
	src, err := st.bkOwnImage(rg.ID, id)
	if err != nil {
		return nil, err
	}
	if src.Status != "Available" {
		return nil, bkErrImageStatus("The specified image is not Available: only Available custom images can be copied.")
	}
	name := r.str("DestinationImageName")
	if name != "" {
		if err := st.bkCheckImageName(dest.ID, name, ""); err != nil {
			return nil, err
		}
	} else {
		name = src.Name
	}
	desc := r.str("DestinationDescription")
	if desc != "" && !bkValidDescription(desc) {
		return nil, &APIError{Status: 400, Code: "InvalidDescription.Malformed", Message: "The specified description is wrongly formed."}
	} else if desc == "" {
		desc = src.Description
	}
	now := st.now()
	c := *src
	c.ID, c.Name, c.Description, c.RegionID = st.mintID("m", dest.ID), name, desc, dest.ID
	c.Status, c.Progress, c.IsCopied, c.CopiedFrom = "Creating", 0, true, src.RegionID+"/"+src.ID
	c.CreationTime = now.UTC().Truncate(time.Second)
	c.SnapshotIDs, c.SharedWith, c.SharedAt = nil, nil, nil
	c.SourceInstanceID = src.SourceInstanceID
	img := &c
	st.images[imageKey(dest.ID, img.ID)] = img
	// The copy's snapshots appear in the destination when the data is there.
	srcSnaps := slices.Clone(src.SnapshotIDs)
	st.bkProgressImage(img, now, 4*st.delay, func() {
		for _, sid := range srcSnaps {
			from := st.snapshots[sid]
			if from == nil {
				continue
			}
			s := *from
			s.ID, s.RegionID, s.Name = st.mintID("s", dest.ID), dest.ID, ""
			s.Description = fmt.Sprintf("Copied from %s for image %s", sid, img.ID)
			s.CreationTime, s.SourceRegionID, s.SourceSnapshotID, s.GroupID = st.now().UTC().Truncate(time.Second), from.RegionID, from.ID, ""
			s.Type, s.Status, s.Progress, s.RetentionDays = "user", "accomplished", 100, 0
			st.snapshots[s.ID] = &s
			img.SnapshotIDs = append(img.SnapshotIDs, s.ID)
		}
	})
	return map[string]any{"ImageId": img.ID}, nil
}

// CancelCopyImage: RegionId is the destination, ImageId the copy.
func cancelCopyImage(r *request) (any, error) {
	st := r.server.store
	rg, img, err := st.requestedOwnImage(r)
	if err != nil {
		return nil, err
	}
	switch {
	case img.CopiedFrom == "":
		return nil, &APIError{Status: 400, Code: "ImageCreatedNotFromCopy", Message: "The specified image is not the target image of a copy action."}
	case img.Status == "Available" || img.Status == "Deprecated":
		return nil, bkErrImageStatus("The image is copied finished.")
	case img.Status != "Creating":
		return nil, bkErrImageStatus("The Image copy has been failed.")
	}
	delete(st.images, imageKey(rg.ID, img.ID))
	return map[string]any{}, nil
}

// bkAccountIDPattern: Alibaba Cloud account ids are 16 digits.
var bkAccountIDPattern = regexp.MustCompile(`^[0-9]{16}$`)

// ModifyImageSharePermission: AddAccount.N / RemoveAccount.N (the first 10
// of each count, the rest are ignored, as documented); at most 50 accounts.
func modifyImageSharePermission(r *request) (any, error) {
	st := r.server.store
	_, img, err := st.requestedOwnImage(r)
	if err != nil {
		return nil, err
	}
	add, remove := r.repeated("AddAccount"), r.repeated("RemoveAccount")
	if len(add) > 10 {
		add = add[:10]
	}
	if len(remove) > 10 {
		remove = remove[:10]
	}
	if b, _ := r.boolParam("IsPublic", false); b {
		return nil, &APIError{Status: 403, Code: "OperationDenied", Message: "Publishing community images is not supported by this account."}
	}
	for _, a := range append(slices.Clone(add), remove...) {
		if a == bkAccountID {
			return nil, &APIError{Status: 404, Code: "InvalidAccount.Forbbiden", Message: "The image cannot be shared with its owner."}
		}
		if !bkAccountIDPattern.MatchString(a) {
			return nil, &APIError{Status: 404, Code: "InvalidAccount.NotFound", Message: fmt.Sprintf("The specified account %q does not exist.", a)}
		}
	}
	if len(add) > 0 && img.Status != "Available" {
		return nil, bkErrImageStatus("Only Available images can be shared: a Deprecated image must be restored first.")
	}
	shared := slices.Clone(img.SharedWith)
	for _, a := range remove {
		shared = slices.DeleteFunc(shared, func(s string) bool { return s == a })
	}
	var added []string
	for _, a := range add {
		if !slices.Contains(shared, a) {
			shared = append(shared, a)
			added = append(added, a)
		}
	}
	if len(shared) > bkMaxImageShares {
		return nil, &APIError{Status: 403, Code: "QuotaExceed.ShareImageUser", Message: fmt.Sprintf("An image can be shared with at most %d accounts.", bkMaxImageShares)}
	}
	if img.SharedAt == nil {
		img.SharedAt = map[string]time.Time{}
	}
	for _, a := range remove {
		delete(img.SharedAt, a)
	}
	for _, a := range added {
		img.SharedAt[a] = st.now().UTC().Truncate(time.Second)
	}
	img.SharedWith = shared
	return map[string]any{}, nil
}

var pagingImageShares = pageLimits{pageSizeDefault: 10, pageSizeMax: 100}

// DescribeImageSharePermission: Accounts.Account[]{AliyunId,SharedTime}.
func describeImageSharePermission(r *request) (any, error) {
	st := r.server.store
	rg, img, err := st.requestedOwnImage(r)
	if err != nil {
		return nil, err
	}
	p, err := r.pager(pagingImageShares)
	if err != nil {
		return nil, err
	}
	type account struct {
		AliyunId   string `json:"AliyunId"`
		SharedTime string `json:"SharedTime"`
	}
	all := make([]account, 0, len(img.SharedWith))
	for _, a := range img.SharedWith {
		at, ok := img.SharedAt[a]
		if !ok {
			at = img.CreationTime
		}
		all = append(all, account{a, fmtSecond(at)})
	}
	page, _ := pageOf(all, p)
	return map[string]any{
		"RegionId": rg.ID, "ImageId": img.ID, "TotalCount": len(all), "PageNumber": p.PageNumber, "PageSize": p.PageSize,
		"ShareGroups": map[string]any{"ShareGroup": []any{}},
		"Accounts":    map[string]any{"Account": nonNil(page)},
	}, nil
}

// ModifyImageAttribute: ImageName, Description, ImageFamily, BootMode and
// Status (Deprecated, or Available to restore). A shared image must be
// unshared before it is deprecated.
func modifyImageAttribute(r *request) (any, error) {
	st := r.server.store
	rg, img, err := st.requestedOwnImage(r)
	if err != nil {
		return nil, err
	}
	if r.has("ImageName") {
		if err := st.bkCheckImageName(rg.ID, r.str("ImageName"), img.ID); err != nil {
			return nil, err
		}
	}
	if r.has("Description") && !bkValidDescription(r.str("Description")) {
		return nil, &APIError{Status: 400, Code: "InvalidDescription.Malformed", Message: "The specified description is wrongly formed."}
	}
	if err := bkCheckImageFamily(r.str("ImageFamily")); err != nil {
		return nil, err
	}
	if _, err := r.enumParam("BootMode", []string{"BIOS", "UEFI", "UEFI-Preferred"}, "InvalidBootMode.ValueNotSupported", 400); err != nil {
		return nil, err
	}
	status, err := r.enumParam("Status", []string{"Deprecated", "Available"}, "InvalidStatus.ValueNotSupported", 400)
	if err != nil {
		return nil, err
	}
	if status != "" && img.Status != "Available" && img.Status != "Deprecated" {
		return nil, bkErrImageStatus("The status of the image does not support this operation.")
	}
	if status == "Deprecated" && len(img.SharedWith) > 0 {
		return nil, &APIError{Status: 403, Code: "ImageUseShared", Message: "The specified image has been shared to others: unshare it before you deprecate it."}
	}
	if r.has("ImageName") {
		img.Name = r.str("ImageName")
	}
	if r.has("Description") {
		img.Description = r.str("Description")
	}
	if r.has("ImageFamily") {
		img.ImageFamily = r.str("ImageFamily")
	}
	if status != "" {
		img.Status = status
	}
	return map[string]any{}, nil
}

// DeleteImage: an unknown id is ignored (as documented); refused while shared
// (ImageUseShared), being copied or exported, and — unless Force — while
// instances use it (ImageUsingByInstance).
func deleteImage(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	id, err := r.required("ImageId")
	if err != nil {
		return nil, err
	}
	force, err := r.boolParam("Force", false)
	if err != nil {
		return nil, err
	}
	img := st.image(rg.ID, id)
	if img == nil {
		return map[string]any{}, nil
	}
	if img.OwnerAlias != "self" {
		return nil, bkErrImageNotFound()
	}
	if len(img.SharedWith) > 0 {
		return nil, &APIError{Status: 403, Code: "ImageUseShared", Message: "The specified image has been shared to others."}
	}
	if st.bkImageCopying(img) {
		return nil, &APIError{Status: 403, Code: "OperationDenied.ImageCopying", Message: "The Image is coping."}
	}
	if st.bkImageExporting(img) {
		return nil, &APIError{Status: 403, Code: "ImageIsExporting", Message: "The specified Image is bkImageExporting. Please cancel task first."}
	}
	if !force {
		for _, in := range st.instances {
			if in.RegionID == rg.ID && in.ImageID == img.ID {
				return nil, &APIError{Status: 403, Code: "ImageUsingByInstance", Message: "The specified image has been used to create instances."}
			}
		}
	}
	delete(st.images, imageKey(rg.ID, img.ID))
	return map[string]any{}, nil
}

// bkFamilyImage is the newest Available image of a family in a region;
// Deprecated images are skipped.
func (st *store) bkFamilyImage(regionID, family string) *image {
	var best *image
	for _, img := range st.images {
		if img.RegionID != regionID || img.Status != "Available" || imageFamilyOf(img) != family {
			continue
		}
		if best == nil || img.CreationTime.After(best.CreationTime) || (img.CreationTime.Equal(best.CreationTime) && img.ID > best.ID) {
			best = img
		}
	}
	return best
}

// DescribeImageFromFamily: the newest Available image of ImageFamily.
func describeImageFromFamily(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	family, err := r.required("ImageFamily")
	if err != nil {
		return nil, err
	}
	img := st.bkFamilyImage(rg.ID, family)
	if img == nil {
		return map[string]any{"Image": map[string]any{}}, nil
	}
	return map[string]any{"Image": imageView(st, img)}, nil
}

var (
	bkImageFormats = []string{"raw", "vhd", "qcow2", "vmdk", "vdi"}
	ossBucketName  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)
	ossPrefixRule  = regexp.MustCompile(`^[A-Za-z0-9]{1,30}$`)
)

// ExportImage exports an Available custom image to an OSS bucket as a task:
// Waiting, then Processing with TaskProcess rising, then Finished.
func exportImage(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	id, err := r.required("ImageId")
	if err != nil {
		return nil, err
	}
	bucket, err := r.required("OSSBucket")
	if err != nil {
		return nil, err
	}
	if !ossBucketName.MatchString(bucket) {
		return nil, &APIError{Status: 400, Code: "InvalidOSSBucket.NotFound", Message: "The specified OSS bucket does not exist."}
	}
	prefix := r.str("OSSPrefix")
	if prefix != "" && !ossPrefixRule.MatchString(prefix) {
		return nil, &APIError{Status: 400, Code: "InvalidOSSPrefix.Malformed", Message: "The specified OSSPrefix is wrongly formed: 1 to 30 letters or digits."}
	}
	format := strings.ToLower(r.str("ImageFormat"))
	if format == "" {
		format = "raw"
	}
	if !slices.Contains(bkImageFormats, format) {
		return nil, &APIError{Status: 400, Code: "InvalidImageFormat.NotSupported", Message: "The specified ImageFormat is not supported: raw, vhd, qcow2, vmdk or vdi."}
	}
	if role := r.str("RoleName"); role != "" && role != "AliyunECSImageExportDefaultRole" {
		return nil, &APIError{Status: 403, Code: "NoSetRoletoECSServiceAcount", Message: "The specified role is not authorized to ECS."}
	}
	img, err := st.bkOwnImage(rg.ID, id)
	if err != nil {
		return nil, err
	}
	if img.Status != "Available" {
		return nil, bkErrImageStatus("Only Available images can be exported.")
	}
	if st.bkImageExporting(img) {
		return nil, &APIError{Status: 403, Code: "ImageIsExporting", Message: "The specified Image is bkImageExporting."}
	}
	now := st.now()
	t := &ecsTask{
		ID: st.mintID("t", rg.ID), RegionID: rg.ID, Action: "ExportImage", Status: "Waiting",
		ResourceID: img.ID, CreationTime: now.UTC().Truncate(time.Second),
	}
	object := fmt.Sprintf("%s_%s_%s.%s", prefix, img.ID, t.ID, format)
	if prefix == "" {
		object = fmt.Sprintf("%s_%s.%s", img.ID, t.ID, format)
	}
	t.RelatedItems = [][2]string{{"OSSBucket", bucket}, {"OSSObject", object}, {"ImageFormat", format}}
	st.taskMap()[t.ID] = t
	live := func() bool { return st.taskMap()[t.ID] == t && (t.Status == "Waiting" || t.Status == "Processing") }
	step := st.delay
	st.bkAt(now.Add(step), func() {
		if live() {
			t.Status = "Processing"
		}
	})
	for i, p := range []int{20, 45, 70, 90} {
		st.bkAt(now.Add(step*time.Duration(2+i)), func() {
			if live() {
				t.Status, t.Progress = "Processing", p
			}
		})
	}
	st.bkAt(now.Add(step*6), func() {
		if live() {
			t.Status, t.Progress, t.FinishedTime = "Finished", 100, st.now().UTC()
		}
	})
	return map[string]any{"RegionId": rg.ID, "TaskId": t.ID}, nil
}

var (
	bkTaskActions     = []string{"ImportImage", "ExportImage", "RedeployInstance", "ModifyDiskSpec", "ArchiveSnapshot"}
	bkPagingTasks     = pageLimits{pageSizeDefault: 10, pageSizeMax: 100}
	bkTaskTimeFormats = []string{timeSecond, timeMinute, time.RFC3339}
)

func bkParseTaskTime(name, v string) (time.Time, error) {
	for _, f := range bkTaskTimeFormats {
		if t, err := time.Parse(f, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errInvalidParam(name, "must be UTC yyyy-MM-ddTHH:mm:ssZ")
}

func bkTaskProcess(t *ecsTask) string { return strconv.Itoa(t.Progress) + "%" }

// DescribeTasks: TaskIds (comma list), TaskAction, TaskStatus, ResourceIds.N,
// StartTime/EndTime; PageNumber/PageSize.
func describeTasks(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, &APIError{Status: 400, Code: err.(*APIError).Code, Message: err.(*APIError).Message}
	}
	ids := r.commaList("TaskIds")
	if len(ids) > 100 {
		return nil, errInvalidParam("TaskIds", "at most 100 ids")
	}
	action, err := r.enumParam("TaskAction", bkTaskActions, "", 0)
	if err != nil {
		return nil, err
	}
	status := r.str("TaskStatus")
	if !slices.Contains([]string{"Finished", "Processing", "Failed"}, status) {
		status = "" // other values are ignored, as documented
	}
	resources := r.repeated("ResourceIds")
	var start, end time.Time
	if v := r.str("StartTime"); v != "" {
		if start, err = bkParseTaskTime("StartTime", v); err != nil {
			return nil, err
		}
	}
	if v := r.str("EndTime"); v != "" {
		if end, err = bkParseTaskTime("EndTime", v); err != nil {
			return nil, err
		}
	}
	p, err := r.pager(bkPagingTasks)
	if err != nil {
		return nil, err
	}
	var list []*ecsTask
	for _, t := range st.taskMap() {
		switch {
		case t.RegionID != rg.ID,
			len(ids) > 0 && !slices.Contains(ids, t.ID),
			action != "" && t.Action != action,
			status != "" && t.Status != status && !(status == "Processing" && t.Status == "Waiting"),
			len(resources) > 0 && !slices.Contains(resources, t.ResourceID),
			!start.IsZero() && t.CreationTime.Before(start),
			!end.IsZero() && t.CreationTime.After(end):
			continue
		}
		list = append(list, t)
	}
	slices.SortFunc(list, func(a, b *ecsTask) int { return newestFirst(a.CreationTime, b.CreationTime, a.ID, b.ID) })
	page, _ := pageOf(list, p)
	out := make([]map[string]any, 0, len(page))
	for _, t := range page {
		out = append(out, map[string]any{
			"TaskId": t.ID, "TaskAction": t.Action, "TaskStatus": t.Status, "SupportCancel": strconv.FormatBool(t.SupportCancel),
			"CreationTime": fmtMinute(t.CreationTime), "FinishedTime": fmtMinute(t.FinishedTime),
			"ResourceId": t.ResourceID, "Source": "user", "FailedReason": t.FailedReason, "TaskGroupId": "",
			"ResourceIds": map[string]any{"resourceId": []string{t.ResourceID}},
		})
	}
	return map[string]any{
		"RegionId": rg.ID, "TotalCount": len(list), "PageNumber": p.PageNumber, "PageSize": p.PageSize,
		"TaskSet": map[string]any{"Task": out},
	}, nil
}

// DescribeTaskAttribute: one task with its progress and related items.
func describeTaskAttribute(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, &APIError{Status: 400, Code: err.(*APIError).Code, Message: err.(*APIError).Message}
	}
	id, err := r.required("TaskId")
	if err != nil {
		return nil, err
	}
	t := st.taskMap()[id]
	if t == nil || t.RegionID != rg.ID {
		return nil, &APIError{Status: 400, Code: "InvalidTaskId.NotFound", Message: `The specified "TaskId" is not found.`}
	}
	items := make([]map[string]string, 0, len(t.RelatedItems))
	for _, it := range t.RelatedItems {
		items = append(items, map[string]string{"Name": it[0], "Value": it[1]})
	}
	opStatus, success, failed := "Processing", 0, 0
	switch t.Status {
	case "Finished":
		opStatus, success = "Success", 1
	case "Failed":
		opStatus, failed = "Failed", 1
	}
	return map[string]any{
		"RegionId": rg.ID, "TaskId": t.ID, "TaskAction": t.Action, "TaskStatus": t.Status, "TaskProcess": bkTaskProcess(t),
		"SupportCancel": strconv.FormatBool(t.SupportCancel), "CreationTime": fmtMinute(t.CreationTime), "FinishedTime": fmtMinute(t.FinishedTime),
		"TotalCount": 1, "SuccessCount": success, "FailedCount": failed,
		"OperationProgressSet": map[string]any{"OperationProgress": []map[string]any{{
			"OperationStatus": opStatus, "ErrorCode": "", "ErrorMsg": t.FailedReason,
			"RelatedItemSet": map[string]any{"RelatedItem": items},
		}}},
	}, nil
}

// requestedOwnImage resolves the RegionId and ImageId parameters every
// image-management action takes to the region and one of the account's
// own images (the codes of requireRegion, MissingParameter, bkOwnImage).
func (st *store) requestedOwnImage(r *request) (*region, *image, error) {
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, nil, err
	}
	id, err := r.required("ImageId")
	if err != nil {
		return nil, nil, err
	}
	img, err := st.bkOwnImage(rg.ID, id)
	if err != nil {
		return nil, nil, err
	}
	return rg, img, nil
}
