package emulator

import (
	"encoding/json"
	"slices"
	"strconv"
)

// jsonIntStrings renders [0, 12] as the JSON-array string "[\"0\",\"12\"]",
// the shape of TimePoints/RepeatWeekdays in DescribeAutoSnapshotPolicyEx.
func jsonIntStrings(ns []int) string {
	ss := make([]string, len(ns))
	for i, n := range ns {
		ss[i] = strconv.Itoa(n)
	}
	b, _ := json.Marshal(ss)
	return string(b)
}

// DescribeAutoSnapshotPolicyEx: AutoSnapshotPolicies.AutoSnapshotPolicy[].
func describeAutoSnapshotPolicyEx(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	p, err := r.pager(pagingPolicies)
	if err != nil {
		return nil, err
	}
	tags, err := r.tagFilters()
	if err != nil {
		return nil, err
	}
	id := r.str("AutoSnapshotPolicyId")
	if id == "" {
		id = r.str("autoSnapshotPolicyId")
	}
	name := r.str("AutoSnapshotPolicyName")
	var list []*autoSnapshotPolicy
	for _, sp := range st.policies {
		if sp.RegionID == rg.ID && (id == "" || sp.ID == id) && (name == "" || sp.Name == name) && matchTags(nil, tags) {
			list = append(list, sp)
		}
	}
	slices.SortFunc(list, func(a, b *autoSnapshotPolicy) int { return newestFirst(a.CreationTime, b.CreationTime, a.ID, b.ID) })
	diskNums := map[string]int{}
	for _, d := range st.disks {
		if d.AutoSnapshotPolicyID != "" {
			diskNums[d.AutoSnapshotPolicyID]++
		}
	}
	page, _ := pageOf(list, p)
	out := make([]map[string]any, 0, len(page))
	for _, sp := range page {
		status := sp.Status
		if status == "" {
			status = "Normal"
		}
		out = append(out, map[string]any{
			"AutoSnapshotPolicyId":         sp.ID,
			"AutoSnapshotPolicyName":       sp.Name,
			"RegionId":                     sp.RegionID,
			"CreationTime":                 fmtSecond(sp.CreationTime),
			"Status":                       status,
			"TimePoints":                   jsonIntStrings(sp.TimePoints),
			"RepeatWeekdays":               jsonIntStrings(sp.RepeatWeekdays),
			"RetentionDays":                sp.RetentionDays,
			"DiskNums":                     diskNums[sp.ID],
			"VolumeNums":                   0,
			"EnableCrossRegionCopy":        false,
			"TargetCopyRegions":            "[]",
			"CopiedSnapshotsRetentionDays": -1,
			"Type":                         "Custom",
			"ResourceGroupId":              defaultResourceGroupID,
			"Tags":                         tagsJSON(nil),
			"CopyEncryptionConfiguration":  map[string]any{"Encrypted": false, "KMSKeyId": ""},
		})
	}
	return map[string]any{
		"TotalCount": len(list), "PageNumber": p.PageNumber, "PageSize": p.PageSize,
		"AutoSnapshotPolicies": map[string]any{"AutoSnapshotPolicy": out},
	}, nil
}
