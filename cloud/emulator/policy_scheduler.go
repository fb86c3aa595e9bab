package emulator

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The automatic snapshot policy scheduler. Each settle (every request, and
// every jump of the emulator clock) looks at the whole hours between the last
// check and now: for every hour that is one of a policy's time points on one
// of its weekdays, both read in the region's UTC+8 as the console shows them,
// each disk the policy is applied to gets an automatic snapshot named
// auto_YYYYMMDD_N. Automatic snapshots older than their retention are then
// released. A jump catches up at most policyCatchUp of slots.

// policyCatchUp bounds how far back one settle fires missed slots.
const policyCatchUp = 7 * 24 * time.Hour

// policyZone is the zone time points and weekdays are given in.
var policyZone = time.FixedZone("UTC+8", 8*3600)

func (st *store) runPolicies(now time.Time) {
	from := st.policyCheckedAt
	if from.IsZero() {
		st.policyCheckedAt = now
		return
	}
	if !now.After(from) {
		return
	}
	if now.Sub(from) > policyCatchUp {
		from = now.Add(-policyCatchUp)
	}
	policies := make([]*autoSnapshotPolicy, 0, len(st.policies))
	for _, p := range st.policies {
		if p.Status == "" || p.Status == "Normal" {
			policies = append(policies, p)
		}
	}
	slices.SortFunc(policies, func(a, b *autoSnapshotPolicy) int { return strings.Compare(a.ID, b.ID) })
	slot := from.Truncate(time.Hour)
	if !slot.After(from) {
		slot = slot.Add(time.Hour)
	}
	for ; !slot.After(now); slot = slot.Add(time.Hour) {
		for _, p := range policies {
			if policyFires(p, slot) {
				st.firePolicy(p, slot)
			}
		}
	}
	st.policyCheckedAt = now
	st.expireAutoSnapshots(now)
}

// policyFires reports whether slot (a whole hour) is one of p's.
func policyFires(p *autoSnapshotPolicy, slot time.Time) bool {
	local := slot.In(policyZone)
	wd := int(local.Weekday())
	if wd == 0 {
		wd = 7 // the API counts 1 = Monday ... 7 = Sunday
	}
	return slices.Contains(p.RepeatWeekdays, wd) && slices.Contains(p.TimePoints, local.Hour())
}

// firePolicy takes an automatic snapshot of every disk p is applied to.
func (st *store) firePolicy(p *autoSnapshotPolicy, slot time.Time) {
	var disks []*disk
	for _, d := range st.disks {
		if d.AutoSnapshotPolicyID == p.ID && d.RegionID == p.RegionID && (d.Status == "In_use" || d.Status == "Available") && !d.CreationTime.After(slot) {
			disks = append(disks, d)
		}
	}
	slices.SortFunc(disks, func(a, b *disk) int { return strings.Compare(a.ID, b.ID) })
	day := slot.In(policyZone).Format("20060102")
	for _, d := range disks {
		prefix := "auto_" + day + "_"
		n := 1
		for _, s := range st.snapshots {
			if s.SourceDiskID == d.ID && strings.HasPrefix(s.Name, prefix) {
				n++
			}
		}
		s := &snapshot{
			ID: st.mintID("s", d.RegionID), Name: fmt.Sprintf("%s%d", prefix, n), RegionID: d.RegionID,
			SourceDiskID: d.ID, SourceDiskType: sourceDiskType(d.Type), SourceDiskSizeGiB: d.SizeGiB,
			Type: "auto", Category: "standard", CreationTime: slot.UTC(), Usage: "none",
			InstantAccess: d.Category == "cloud_essd",
		}
		if p.RetentionDays > 0 {
			s.RetentionDays = p.RetentionDays
		}
		if s.InstantAccess {
			s.Category = "flash"
		}
		st.snapshots[s.ID] = s
		st.bkRunSnapshot(s, slot, st.bkSnapshotDuration(), nil)
	}
}

// expireAutoSnapshots releases the automatic snapshots whose retention has
// run out, except those a custom image still needs.
func (st *store) expireAutoSnapshots(now time.Time) {
	var expired []string
	for id, s := range st.snapshots {
		if s.Type != "auto" || s.RetentionDays <= 0 {
			continue
		}
		if now.Before(s.CreationTime.Add(time.Duration(s.RetentionDays) * 24 * time.Hour)) {
			continue
		}
		if len(st.bkImagesUsingSnapshot(id)) > 0 {
			continue
		}
		expired = append(expired, id)
	}
	for _, id := range expired {
		delete(st.snapshots, id)
	}
}
