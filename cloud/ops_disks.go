package cloud

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// Block storage operations (issue 6, API notes §3.3, §4.2).

// maxDiskGiB is the largest disk any category takes; a plan refuses more
// before any call (ValidateResize knows the disk's own limit).
const maxDiskGiB = 65536

// PlanResizeDisk plans ResizeDisk to newSize GiB: online (the instance
// Running; the guest sees the new size at once) or offline (the guest sees
// it after a restart through the API: RebootInstances). Check the size
// first with ValidateResize (larger than the current, within the
// category's range); the plan itself only refuses sizes no disk can have.
// Neither kind grows the partition or the filesystem: see
// GrowFilesystemScript. ClientToken (retries are safe); the API has no
// DryRun. Result.IDs holds the order id of a subscription disk.
func (c *Client) PlanResizeDisk(regionID, diskID string, newSize int, online bool) (*Plan, error) {
	region, err := c.oneRegion("ResizeDisk", regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("disk", diskID); err != nil {
		return nil, err
	}
	if newSize < 1 || newSize > maxDiskGiB {
		return nil, &ValidationError{Field: "new size", Rule: fmt.Sprintf("%d GiB is outside 1-%d GiB", newSize, maxDiskGiB)}
	}
	typ := "offline"
	if online {
		typ = "online"
	}
	op := Operation{
		Product: "ecs", Action: "ResizeDisk", Region: region, Resources: []string{diskID},
		Params: map[string]string{"RegionId": region, "DiskId": diskID, "NewSize": strconv.Itoa(newSize), "Type": typ},
		Create: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, token string) (Result, error) {
		req := ecs.CreateResizeDiskRequest()
		req.RegionId = region
		req.DiskId = diskID
		req.NewSize = requests.NewInteger(newSize)
		req.Type = typ
		req.ClientToken = token
		r, err := api.ecs.ResizeDisk(req)
		res := Result{RequestID: r.RequestId}
		if err == nil && r.OrderId != "" {
			res.IDs = []string{r.OrderId}
		}
		return res, err
	}).withReadBack(diskIs(region, diskID, func(d Disk) sighting {
		return sighting{applied: d.SizeGiB >= newSize, seen: fmt.Sprintf("%d GiB", d.SizeGiB)}
	})), nil
}

// GuestDevice is the block device a Linux guest (virtio) sees for the
// disk: /dev/vda for the system disk, /dev/vdb for the API's /dev/xvdb,
// and so on; "" for a disk that is not attached.
func GuestDevice(d Disk) string {
	if d.Type == DiskSystem {
		return "/dev/vda"
	}
	dev := d.Device
	if d.InstanceID == "" || !strings.HasPrefix(dev, "/dev/") {
		return ""
	}
	for _, prefix := range []string{"/dev/xvd", "/dev/vd", "/dev/sd"} {
		if rest, ok := strings.CutPrefix(dev, prefix); ok && rest != "" {
			return "/dev/vd" + rest
		}
	}
	return ""
}

// GrowFilesystemScript is the shell script (RunShellScript) that grows a
// Linux guest's partition 1 of the disk to the disk's new size and then its
// filesystem: growpart, then resize2fs for ext2/3/4 or xfs_growfs for xfs
// (on "/" for the system disk, else on the partition). growpart's exit
// status 1 (NOCHANGE: the partition already fills the disk) is not a
// failure. "" when the disk is not attached, or fs is neither ext* nor xfs
// (e.g. ntfs: Windows grows volumes in Disk Management).
//
// It assumes the layout of Alibaba Cloud's Linux images: one partition per
// disk, the guest naming virtio disks /dev/vdX (NVMe instances, which name
// them /dev/nvmeXn1, are not covered).
func GrowFilesystemScript(d Disk, fs string) string {
	dev := GuestDevice(d)
	if dev == "" {
		return ""
	}
	part := dev + "1"
	var grow string
	switch fs = strings.ToLower(fs); {
	case fs == "xfs":
		target := part
		if d.Type == DiskSystem {
			target = "/"
		}
		grow = "xfs_growfs " + target
	case fs == "ext2", fs == "ext3", fs == "ext4":
		grow = "resize2fs " + part
	default:
		return ""
	}
	return "set -e\n" +
		"# growpart exits 1 when the partition already fills the disk (NOCHANGE)\n" +
		"growpart " + dev + " 1 || [ $? -eq 1 ]\n" +
		grow + "\n"
}

// PlanCreateDisks plans spec.Count pay-as-you-go data disks (CreateDisk,
// one call each, one after another), left Available in spec.ZoneID; attach
// them with PlanAttachDisk. Each call carries its own ClientToken, made
// with the plan, so retries and a re-Execute of the same plan never create
// more than Count disks. With Count > 1 and a name, the disks are named
// name-1, name-2, ... Result.IDs holds the new disk ids; WaitDisk waits for
// Available. CreateDisk has no DryRun.
func (c *Client) PlanCreateDisks(regionID string, spec NewDiskSpec) (*Plan, error) {
	region, err := c.oneRegion("CreateDisk", regionID)
	if err != nil {
		return nil, err
	}
	if err := ValidateNewDisk(spec); err != nil {
		return nil, err
	}
	n := spec.count()
	params := func(name string) map[string]string {
		p := map[string]string{"RegionId": region, "ZoneId": spec.ZoneID, "DiskCategory": spec.Category}
		if spec.PerformanceLevel != "" {
			p["PerformanceLevel"] = spec.PerformanceLevel
		}
		if spec.SizeGiB > 0 {
			p["Size"] = strconv.Itoa(spec.SizeGiB)
		}
		if spec.SnapshotID != "" {
			p["SnapshotId"] = spec.SnapshotID
		}
		if name != "" {
			p["DiskName"] = name
		}
		return p
	}
	whole := Operation{Product: "ecs", Action: "CreateDisk", Region: region, Params: params(spec.Name), Create: true}
	if spec.SnapshotID != "" {
		whole.Resources = []string{spec.SnapshotID}
	}
	parts := make([]*Plan, 0, n)
	for i := range n {
		name := spec.Name
		if name != "" && n > 1 {
			name = fmt.Sprintf("%s-%d", spec.Name, i+1)
		}
		op := whole
		op.Params = params(name)
		parts = append(parts, newPlan(op, func(api *sdkClients, _ bool, token string) (Result, error) {
			req := ecs.CreateCreateDiskRequest()
			req.RegionId = region
			req.ZoneId = spec.ZoneID
			req.DiskCategory = spec.Category
			req.PerformanceLevel = spec.PerformanceLevel
			if spec.SizeGiB > 0 {
				req.Size = requests.NewInteger(spec.SizeGiB)
			}
			req.SnapshotId = spec.SnapshotID
			req.DiskName = name
			req.ClientToken = token
			r, err := api.ecs.CreateDisk(req)
			res := Result{RequestID: r.RequestId}
			if err == nil && r.DiskId != "" {
				res.IDs = []string{r.DiskId}
			}
			return res, err
		}))
	}
	return newBatchPlan(whole, parts), nil
}

// PlanAttachDisk plans AttachDisk of an Available data disk to an
// instance of the same zone, Running or Stopped (disk Attaching ->
// In_use; WaitDisk). deleteWithInstance releases the disk with the
// instance. Not retried: a repeat after a lost answer would fail
// (InvalidDisk.InUse) although it had worked. No DryRun, no ClientToken in
// the API.
func (c *Client) PlanAttachDisk(regionID, diskID, instanceID string, deleteWithInstance bool) (*Plan, error) {
	region, err := c.oneRegion("AttachDisk", regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("disk", diskID); err != nil {
		return nil, err
	}
	if err := requireID("instance", instanceID); err != nil {
		return nil, err
	}
	params := map[string]string{"RegionId": region, "DiskId": diskID, "InstanceId": instanceID}
	if deleteWithInstance {
		params["DeleteWithInstance"] = "true"
	}
	op := Operation{Product: "ecs", Action: "AttachDisk", Region: region, Resources: []string{diskID, instanceID}, Params: params}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		req := ecs.CreateAttachDiskRequest()
		req.RegionId = region
		req.DiskId = diskID
		req.InstanceId = instanceID
		if deleteWithInstance {
			req.DeleteWithInstance = boolParam(true)
		}
		r, err := api.ecs.AttachDisk(req)
		return Result{RequestID: r.RequestId}, err
	}).withReadBack(diskIs(region, diskID, func(d Disk) sighting {
		on := d.InstanceID == instanceID && (d.Status == DiskAttaching || d.Status == DiskInUse)
		return sighting{applied: on, seen: diskSeen(d)}
	})), nil
}

// PlanDetachDisk plans DetachDisk of a data disk from its instance (disk
// Detaching -> Available; WaitDisk). Destructive: the guest loses the
// device at once (unmount it first). Not retried.
func (c *Client) PlanDetachDisk(regionID, diskID, instanceID string) (*Plan, error) {
	region, err := c.oneRegion("DetachDisk", regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("disk", diskID); err != nil {
		return nil, err
	}
	if err := requireID("instance", instanceID); err != nil {
		return nil, err
	}
	op := Operation{
		Product: "ecs", Action: "DetachDisk", Region: region, Resources: []string{diskID, instanceID},
		Params: map[string]string{"RegionId": region, "DiskId": diskID, "InstanceId": instanceID}, Destructive: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		req := ecs.CreateDetachDiskRequest()
		req.RegionId = region
		req.DiskId = diskID
		req.InstanceId = instanceID
		r, err := api.ecs.DetachDisk(req)
		return Result{RequestID: r.RequestId}, err
	}).withReadBack(diskIs(region, diskID, func(d Disk) sighting {
		off := d.InstanceID != instanceID || d.Status == DiskDetaching || d.Status == DiskAvailable
		return sighting{applied: off, seen: diskSeen(d)}
	})), nil
}

// PlanModifyDiskSpec plans ModifyDiskSpec: a new category and/or ESSD
// performance level ("" keeps it; at least one is needed). Check it first
// with ValidateDiskSpec. The change is immediate; the disk stays In_use or
// Available. DryRun precheck; not retried (the API has no ClientToken).
func (c *Client) PlanModifyDiskSpec(regionID, diskID, category, pl string) (*Plan, error) {
	region, err := c.oneRegion("ModifyDiskSpec", regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("disk", diskID); err != nil {
		return nil, err
	}
	if category == "" && pl == "" {
		return nil, &ValidationError{Field: "disk spec", Rule: "give a category or a performance level"}
	}
	params := map[string]string{"RegionId": region, "DiskId": diskID}
	if category != "" {
		params["DiskCategory"] = category
	}
	if pl != "" {
		params["PerformanceLevel"] = pl
	}
	op := Operation{Product: "ecs", Action: "ModifyDiskSpec", Region: region, Resources: []string{diskID}, Params: params, DryRun: true}
	return newPlan(op, func(api *sdkClients, dryRun bool, _ string) (Result, error) {
		req := ecs.CreateModifyDiskSpecRequest()
		req.RegionId = region
		req.DiskId = diskID
		req.DiskCategory = category
		req.PerformanceLevel = pl
		req.DryRun = boolParam(dryRun)
		r, err := api.ecs.ModifyDiskSpec(req)
		return Result{RequestID: r.RequestId}, err
	}).withReadBack(diskIs(region, diskID, func(d Disk) sighting {
		done := (category == "" || d.Category == category) && (pl == "" || d.PerformanceLevel == pl)
		return sighting{applied: done, seen: strings.TrimSpace(d.Category + " " + d.PerformanceLevel)}
	})), nil
}

// PlanReInitDisk plans ReInitDisk: the disk returns to its initial state
// (a system disk to its image, a data disk to empty or its source
// snapshot); EVERY change on it is lost. The disk must be In_use and its
// instance Stopped (ValidateReInitDisk); ReIniting -> In_use (WaitDisk).
// Destructive; not retried; no DryRun.
func (c *Client) PlanReInitDisk(regionID, diskID string) (*Plan, error) {
	region, err := c.oneRegion("ReInitDisk", regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("disk", diskID); err != nil {
		return nil, err
	}
	op := Operation{
		Product: "ecs", Action: "ReInitDisk", Region: region, Resources: []string{diskID},
		Params: map[string]string{"RegionId": region, "DiskId": diskID}, Destructive: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		req := ecs.CreateReInitDiskRequest()
		req.RegionId = region
		req.DiskId = diskID
		r, err := api.ecs.ReInitDisk(req)
		return Result{RequestID: r.RequestId}, err
	}).withReadBack(diskIs(region, diskID, func(d Disk) sighting {
		// ReIniting shows it applied; In_use cannot tell (it may be over).
		return sighting{applied: d.Status == DiskReIniting, unsure: d.Status != DiskReIniting, seen: diskSeen(d)}
	})), nil
}

// PlanReplaceSystemDisk plans ReplaceSystemDisk: a new system disk from
// imageID (sizeGiB 0 = the API's default, max(40, image size)); the old
// system disk and all its data are released. The instance must be Stopped
// (ValidateReplaceSystemDisk). Result.IDs holds the new disk's id
// (Creating -> In_use: WaitDisk). The instance keeps its key pair; no
// password is set. Destructive; ClientToken (retries are safe); no DryRun.
func (c *Client) PlanReplaceSystemDisk(regionID, instanceID, imageID string, sizeGiB int) (*Plan, error) {
	region, err := c.oneRegion("ReplaceSystemDisk", regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("instance", instanceID); err != nil {
		return nil, err
	}
	if err := requireID("image", imageID); err != nil {
		return nil, err
	}
	if sizeGiB < 0 || sizeGiB > 2048 {
		return nil, &ValidationError{Field: "system disk size", Rule: fmt.Sprintf("%d GiB is outside 1-2048 GiB (0 for the default)", sizeGiB)}
	}
	params := map[string]string{"RegionId": region, "InstanceId": instanceID, "ImageId": imageID}
	if sizeGiB > 0 {
		params["SystemDisk.Size"] = strconv.Itoa(sizeGiB)
	}
	op := Operation{
		Product: "ecs", Action: "ReplaceSystemDisk", Region: region, Resources: []string{instanceID, imageID},
		Params: params, Create: true, Destructive: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, token string) (Result, error) {
		req := ecs.CreateReplaceSystemDiskRequest()
		req.RegionId = region
		req.InstanceId = instanceID
		req.ImageId = imageID
		if sizeGiB > 0 {
			req.SystemDiskSize = requests.NewInteger(sizeGiB)
		}
		req.ClientToken = token
		r, err := api.ecs.ReplaceSystemDisk(req)
		res := Result{RequestID: r.RequestId}
		if err == nil && r.DiskId != "" {
			res.IDs = []string{r.DiskId}
		}
		return res, err
	}).withReadBack(systemDiskFrom(region, instanceID, imageID)), nil
}

// systemDiskFrom judges a system disk replacement after a lost answer:
// applied when the instance's system disk is a new one being created;
// from another image, not applied; from the same image and settled, the
// state cannot tell (it may be the old disk or a new one already done).
func systemDiskFrom(region, instanceID, imageID string) readBack {
	return func(ctx context.Context, c *Client, _ time.Time) (map[string]sighting, error) {
		list, err := c.Disks(ctx, region, DiskFilter{InstanceID: instanceID})
		if err != nil {
			return nil, err
		}
		for _, d := range list {
			if d.Type != DiskSystem {
				continue
			}
			s := sighting{seen: "system disk " + d.ID + " " + string(d.Status) + " from " + d.ImageID}
			switch {
			case d.Status == DiskCreating:
				s.applied = true
			case d.ImageID != imageID:
			default:
				s.unsure = true
			}
			return map[string]sighting{instanceID: s}, nil
		}
		return map[string]sighting{instanceID: {applied: true, seen: "no system disk (being replaced)"}}, nil
	}
}

// diskSeen is a disk's state as a read-back reports it.
func diskSeen(d Disk) string {
	if d.InstanceID == "" {
		return string(d.Status)
	}
	return string(d.Status) + " on " + d.InstanceID
}

// WaitDisk waits (Wait) until the disk reports want and returns it;
// progress, if not nil, gets its status each time it changes. A disk that
// no longer exists is an error.
func (c *Client) WaitDisk(ctx context.Context, regionID, diskID string, want DiskState, progress func(string)) (Disk, error) {
	region, err := c.oneRegion("WaitDisk", regionID)
	if err != nil {
		return Disk{}, err
	}
	if err := requireID("disk", diskID); err != nil {
		return Disk{}, err
	}
	var d Disk
	err = c.Wait(ctx, func(ctx context.Context) (bool, string, error) {
		list, err := c.Disks(ctx, region, DiskFilter{DiskIDs: []string{diskID}})
		if err != nil {
			return false, "", err
		}
		if len(list) == 0 {
			return false, "", fmt.Errorf("disk %s: not found in %s", diskID, region)
		}
		d = list[0]
		return d.Status == want, string(d.Status), nil
	}, progress)
	return d, err
}
