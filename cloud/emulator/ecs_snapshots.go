package emulator

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// snapshotJSON is one element of DescribeSnapshots' Snapshots.Snapshot[].
type snapshotJSON struct {
	SnapshotId                 string  `json:"SnapshotId"`
	SnapshotName               string  `json:"SnapshotName"`
	Description                string  `json:"Description"`
	Status                     string  `json:"Status"`
	Progress                   string  `json:"Progress"`
	SourceDiskId               string  `json:"SourceDiskId"`
	SourceDiskSize             string  `json:"SourceDiskSize"`
	SourceDiskType             string  `json:"SourceDiskType"`
	SourceStorageType          string  `json:"SourceStorageType"`
	Usage                      string  `json:"Usage"`
	Category                   string  `json:"Category"`
	InstantAccess              bool    `json:"InstantAccess"`
	InstantAccessRetentionDays int     `json:"InstantAccessRetentionDays"`
	RetentionDays              int     `json:"RetentionDays"`
	CreationTime               string  `json:"CreationTime"`
	LastModifiedTime           string  `json:"LastModifiedTime"`
	Encrypted                  bool    `json:"Encrypted"`
	KMSKeyId                   string  `json:"KMSKeyId"`
	ProductCode                string  `json:"ProductCode"`
	SnapshotSN                 string  `json:"SnapshotSN"`
	SnapshotType               string  `json:"SnapshotType"`
	Available                  bool    `json:"Available"`
	RemainTime                 int     `json:"RemainTime"`
	SourceRegionId             string  `json:"SourceRegionId"`
	SourceSnapshotId           string  `json:"SourceSnapshotId"`
	RegionId                   string  `json:"RegionId"`
	ResourceGroupId            string  `json:"ResourceGroupId"`
	Tags                       ecsTags `json:"Tags"`
}

// snapshotUsage works out each snapshot's Usage from the images and disks
// made from it (image, disk, image_disk, none).
func (st *store) snapshotUsage() map[string]string {
	byImage, byDisk := map[string]bool{}, map[string]bool{}
	for _, img := range st.images {
		for _, id := range img.SnapshotIDs {
			byImage[id] = true
		}
	}
	for _, d := range st.disks {
		if d.SourceSnapshotID != "" {
			byDisk[d.SourceSnapshotID] = true
		}
	}
	out := map[string]string{}
	for id := range st.snapshots {
		switch {
		case byImage[id] && byDisk[id]:
			out[id] = "image_disk"
		case byImage[id]:
			out[id] = "image"
		case byDisk[id]:
			out[id] = "disk"
		default:
			out[id] = "none"
		}
	}
	return out
}

func snapshotView(st *store, s *snapshot, usage string) snapshotJSON {
	h := derived(s.ID)
	v := snapshotJSON{
		SnapshotId: s.ID, SnapshotName: s.Name, Description: s.Description, Status: s.Status,
		Progress: strconv.Itoa(s.Progress) + "%", SourceDiskId: s.SourceDiskID,
		SourceDiskSize: strconv.Itoa(s.SourceDiskSizeGiB), SourceDiskType: s.SourceDiskType,
		SourceStorageType: "disk", Usage: usage, Category: s.Category, InstantAccess: s.InstantAccess,
		RetentionDays: s.RetentionDays, CreationTime: fmtSecond(s.CreationTime),
		LastModifiedTime: fmtSecond(s.CreationTime),
		SnapshotSN:       fmt.Sprintf("%d-%d-%d", 60000+int(h[0])*17, 110000000+int(h[1])<<16|int(h[2])<<8|int(h[3]), 60000+int(h[4])*13),
		SnapshotType:     s.Type, Available: s.Status == "accomplished", RegionId: s.RegionID,
		ResourceGroupId: defaultResourceGroupID, Tags: tagsJSON(nil),
		SourceRegionId: s.SourceRegionID, SourceSnapshotId: s.SourceSnapshotID,
	}
	if usage == "" {
		v.Usage = "none"
	}
	if v.Category == "" {
		v.Category = "standard"
	}
	if s.InstantAccess {
		v.InstantAccessRetentionDays = 1
	}
	if s.Status == "progressing" {
		v.RemainTime = max(1, (100-s.Progress)*3/10)
	}
	if d := st.disks[s.SourceDiskID]; d != nil && d.Encrypted {
		v.Encrypted = true
	}
	return v
}

// DescribeSnapshots: filters AND-combined, both paging styles.
func describeSnapshots(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	ids, idsSent, err := r.jsonList("SnapshotIds", 100)
	if err != nil {
		return nil, err
	}
	idFilter := idSet(ids, idsSent)
	status, err := r.enumParam("Status", []string{"progressing", "accomplished", "failed", "all"}, "", 0)
	if err != nil {
		return nil, err
	}
	typ, err := r.enumParam("SnapshotType", []string{"auto", "user", "all"}, "", 0)
	if err != nil {
		return nil, err
	}
	srcType := strings.ToLower(r.str("SourceDiskType"))
	if srcType != "" && srcType != "system" && srcType != "data" {
		return nil, errInvalidParam("SourceDiskType", "must be System or Data")
	}
	usage, err := r.enumParam("Usage", []string{"image", "disk", "image_disk", "none"}, "", 0)
	if err != nil {
		return nil, err
	}
	tags, err := r.tagFilters()
	if err != nil {
		return nil, err
	}
	p, err := r.pager(pagingSnapshots)
	if err != nil {
		return nil, err
	}
	if r.dryRun() {
		return nil, errDryRun()
	}
	usages := st.snapshotUsage()
	instanceID, diskID, name := r.str("InstanceId"), r.str("DiskId"), r.str("SnapshotName")
	var list []*snapshot
	for _, s := range st.snapshots {
		switch {
		case s.RegionID != rg.ID,
			idFilter != nil && !idFilter[s.ID],
			status != "" && status != "all" && s.Status != status,
			typ != "" && typ != "all" && s.Type != typ,
			srcType != "" && !strings.EqualFold(s.SourceDiskType, srcType),
			usage != "" && usages[s.ID] != usage,
			diskID != "" && s.SourceDiskID != diskID,
			name != "" && !wildcardMatch(name, s.Name),
			r.has("Category") && s.Category != r.str("Category"),
			!matchTags(nil, tags):
			continue
		}
		if instanceID != "" {
			d := st.disks[s.SourceDiskID]
			if d == nil || d.InstanceID != instanceID {
				continue
			}
		}
		list = append(list, s)
	}
	slices.SortFunc(list, func(a, b *snapshot) int { return newestFirst(a.CreationTime, b.CreationTime, a.ID, b.ID) })
	page, next := pageOf(list, p)
	out := make([]snapshotJSON, 0, len(page))
	for _, s := range page {
		out = append(out, snapshotView(st, s, usages[s.ID]))
	}
	return map[string]any{
		"TotalCount": len(list), "PageNumber": p.PageNumber, "PageSize": p.PageSize, "NextToken": next,
		"Snapshots": map[string]any{"Snapshot": out},
	}, nil
}
