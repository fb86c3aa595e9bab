package emulator

import (
	"slices"
	"strconv"
)

// postPaidDiskExpiredTime is what the real API reports as ExpiredTime for a
// pay-as-you-go disk.
const postPaidDiskExpiredTime = "2999-09-08T16:00Z"

var (
	diskStatuses        = []string{"In_use", "Available", "Attaching", "Detaching", "Creating", "ReIniting", "All"}
	diskCategoryFilters = []string{"all", "cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry", "local_ssd_pro", "local_hdd_pro", "ephemeral", "ephemeral_ssd", "elastic_ephemeral_disk_standard", "elastic_ephemeral_disk_premium"}
)

type mountJSON struct {
	InstanceId   string `json:"InstanceId"`
	Device       string `json:"Device"`
	AttachedTime string `json:"AttachedTime"`
}

// diskJSON is one element of DescribeDisks' Disks.Disk[].
type diskJSON struct {
	DiskId                        string  `json:"DiskId"`
	DiskName                      string  `json:"DiskName"`
	Description                   string  `json:"Description"`
	Type                          string  `json:"Type"`
	Category                      string  `json:"Category"`
	PerformanceLevel              string  `json:"PerformanceLevel"`
	Size                          int     `json:"Size"`
	Status                        string  `json:"Status"`
	InstanceId                    string  `json:"InstanceId"`
	Device                        string  `json:"Device"`
	ZoneId                        string  `json:"ZoneId"`
	RegionId                      string  `json:"RegionId"`
	ImageId                       string  `json:"ImageId"`
	SourceSnapshotId              string  `json:"SourceSnapshotId"`
	Portable                      bool    `json:"Portable"`
	DeleteWithInstance            bool    `json:"DeleteWithInstance"`
	DeleteAutoSnapshot            bool    `json:"DeleteAutoSnapshot"`
	EnableAutoSnapshot            bool    `json:"EnableAutoSnapshot"`
	EnableAutomatedSnapshotPolicy bool    `json:"EnableAutomatedSnapshotPolicy"`
	AutoSnapshotPolicyId          string  `json:"AutoSnapshotPolicyId"`
	Encrypted                     bool    `json:"Encrypted"`
	KMSKeyId                      string  `json:"KMSKeyId"`
	DiskChargeType                string  `json:"DiskChargeType"`
	CreationTime                  string  `json:"CreationTime"`
	AttachedTime                  string  `json:"AttachedTime"`
	DetachedTime                  string  `json:"DetachedTime"`
	ExpiredTime                   string  `json:"ExpiredTime"`
	IOPS                          int     `json:"IOPS"`
	IOPSRead                      int     `json:"IOPSRead"`
	IOPSWrite                     int     `json:"IOPSWrite"`
	SerialNumber                  string  `json:"SerialNumber"`
	MultiAttach                   string  `json:"MultiAttach"`
	ProvisionedIops               int64   `json:"ProvisionedIops"`
	BurstingEnabled               bool    `json:"BurstingEnabled"`
	ResourceGroupId               string  `json:"ResourceGroupId"`
	MountInstanceNum              int     `json:"MountInstanceNum"`
	Placement                     any     `json:"Placement"`
	OperationLocks                any     `json:"OperationLocks"`
	MountInstances                any     `json:"MountInstances"`
	Attachments                   any     `json:"Attachments"`
	Tags                          ecsTags `json:"Tags"`
}

func diskView(st *store, d *disk) diskJSON {
	h := derived(d.ID)
	v := diskJSON{
		DiskId: d.ID, DiskName: d.Name, Description: d.Description, Type: d.Type,
		Category: d.Category, PerformanceLevel: d.PerformanceLevel, Size: d.SizeGiB, Status: d.Status,
		InstanceId: d.InstanceID, Device: d.Device, ZoneId: d.ZoneID, RegionId: d.RegionID,
		ImageId: d.ImageID, SourceSnapshotId: d.SourceSnapshotID, Portable: d.Portable,
		DeleteWithInstance: d.DeleteWithInstance, DeleteAutoSnapshot: d.DeleteAutoSnapshot,
		EnableAutoSnapshot: d.EnableAutoSnapshot, EnableAutomatedSnapshotPolicy: d.AutoSnapshotPolicyID != "",
		AutoSnapshotPolicyId: d.AutoSnapshotPolicyID, Encrypted: d.Encrypted,
		DiskChargeType: d.ChargeType, CreationTime: fmtSecond(d.CreationTime),
		AttachedTime: fmtSecond(d.AttachedTime), DetachedTime: fmtSecond(d.DetachedTime),
		ExpiredTime: postPaidDiskExpiredTime, IOPS: d.IOPS, IOPSRead: d.IOPS / 2, IOPSWrite: d.IOPS / 2,
		SerialNumber:    "bp" + strconv.FormatUint(uint64(h[0])<<32|uint64(h[1])<<24|uint64(h[2])<<16|uint64(h[3])<<8|uint64(h[4]), 36),
		MultiAttach:     "Disabled",
		ResourceGroupId: defaultResourceGroupID,
		Placement:       map[string]any{"ZoneIds": d.ZoneID},
		OperationLocks:  map[string]any{"OperationLock": []any{}},
		Tags:            tagsJSON(nil),
	}
	if v.DiskChargeType == "" {
		v.DiskChargeType = "PostPaid"
	}
	if d.Encrypted {
		v.KMSKeyId = "key-hzz" + d.ID[2:min(len(d.ID), 18)]
	}
	if d.ChargeType == "PrePaid" {
		if in := st.instances[d.InstanceID]; in != nil && !in.ExpiredTime.IsZero() {
			v.ExpiredTime = fmtMinute(in.ExpiredTime)
		}
	}
	mounts := []mountJSON{}
	if d.InstanceID != "" {
		mounts = append(mounts, mountJSON{InstanceId: d.InstanceID, Device: d.Device, AttachedTime: fmtSecond(d.AttachedTime)})
		v.MountInstanceNum = 1
	}
	v.MountInstances = map[string]any{"MountInstance": mounts}
	v.Attachments = map[string]any{"Attachment": mounts}
	return v
}

// DescribeDisks: filters AND-combined, both paging styles (MaxResults 10-500).
func describeDisks(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	ids, idsSent, err := r.jsonList("DiskIds", 0)
	if err != nil {
		return nil, &APIError{Status: 400, Code: "InvalidParameter.DiskIds", Message: "The specified parameter DiskIds is not valid."}
	}
	if len(ids) > 100 {
		return nil, &APIError{Status: 403, Code: "InvalidDiskIds.Malformed", Message: "The amount of specified disk Ids exceeds the limit."}
	}
	idFilter := idSet(ids, idsSent)
	diskType, err := r.enumParam("DiskType", []string{"all", "system", "data"}, "InvalidDiskType.ValueNotSupported", 400)
	if err != nil {
		return nil, err
	}
	category, err := r.enumParam("Category", diskCategoryFilters, "InvalidCategory.ValueNotSupported", 400)
	if err != nil {
		return nil, err
	}
	status, err := r.enumParam("Status", diskStatuses, "InvalidStatus.ValueNotSupported", 400)
	if err != nil {
		return nil, err
	}
	if zoneID := r.str("ZoneId"); zoneID != "" && !slices.ContainsFunc(st.zones[rg.ID], func(z *zone) bool { return z.ID == zoneID }) {
		return nil, &APIError{Status: 400, Code: "InvalidZoneId.NotFound", Message: "The specified zone does not exist."}
	}
	boolFilters := map[string]func(*disk) bool{
		"Portable":                      func(d *disk) bool { return d.Portable },
		"DeleteWithInstance":            func(d *disk) bool { return d.DeleteWithInstance },
		"DeleteAutoSnapshot":            func(d *disk) bool { return d.DeleteAutoSnapshot },
		"EnableAutoSnapshot":            func(d *disk) bool { return d.EnableAutoSnapshot },
		"EnableAutomatedSnapshotPolicy": func(d *disk) bool { return d.AutoSnapshotPolicyID != "" },
		"Encrypted":                     func(d *disk) bool { return d.Encrypted },
	}
	wantBool := map[string]bool{}
	for name := range boolFilters {
		if r.has(name) {
			b, err := r.boolParam(name, false)
			if err != nil {
				return nil, err
			}
			wantBool[name] = b
		}
	}
	tags, err := r.tagFilters()
	if err != nil {
		return nil, err
	}
	p, err := r.pager(pagingDisks)
	if err != nil {
		return nil, err
	}
	if r.dryRun() {
		return nil, errDryRun()
	}
	eq := func(param, value string) bool { v := r.str(param); return v == "" || v == value }
	var list []*disk
	for _, d := range st.disks {
		switch {
		case d.RegionID != rg.ID,
			idFilter != nil && !idFilter[d.ID],
			diskType != "" && diskType != "all" && d.Type != diskType,
			category != "" && category != "all" && d.Category != category,
			status != "" && status != "All" && d.Status != status,
			!eq("InstanceId", d.InstanceID), !eq("ZoneId", d.ZoneID),
			!eq("SnapshotId", d.SourceSnapshotID), !eq("AutoSnapshotPolicyId", d.AutoSnapshotPolicyID),
			!eq("DiskName", d.Name), !eq("DiskChargeType", d.ChargeType),
			!eq("ResourceGroupId", defaultResourceGroupID),
			!matchTags(nil, tags):
			continue
		}
		ok := true
		for name, want := range wantBool {
			if boolFilters[name](d) != want {
				ok = false
			}
		}
		if ok {
			list = append(list, d)
		}
	}
	slices.SortFunc(list, func(a, b *disk) int { return newestFirst(a.CreationTime, b.CreationTime, a.ID, b.ID) })
	page, next := pageOf(list, p)
	out := make([]diskJSON, 0, len(page))
	for _, d := range page {
		out = append(out, diskView(st, d))
	}
	return map[string]any{
		"TotalCount": len(list), "PageNumber": p.PageNumber, "PageSize": p.PageSize, "NextToken": next,
		"Disks": map[string]any{"Disk": out},
	}, nil
}
