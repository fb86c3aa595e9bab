package cloud_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

func TestDiskSpecChangesOfAnESSDOfferNoCloudSSD(t *testing.T) {
	d := cloud.Disk{Type: cloud.DiskData, Category: "cloud_essd", PerformanceLevel: "PL1", SizeGiB: 100}
	ok, absent := cloud.DiskSpecChanges(d)
	var got []string
	for _, s := range ok {
		got = append(got, s.String())
	}
	want := []string{"cloud_essd PL0", "cloud_auto"}
	if !slices.Equal(got, want) {
		t.Errorf("an ESSD PL1 of 100 GiB can become %v, want %v", got, want)
	}
	joined := strings.Join(absent, "; ")
	for _, w := range []string{"cloud_efficiency, cloud_ssd: not from cloud_essd", "cloud_essd PL2, cloud_essd PL3: not for 100 GiB"} {
		if !strings.Contains(joined, w) {
			t.Errorf("absent reasons %q lack %q", joined, w)
		}
	}
	if err := cloud.ValidateDiskSpec(d, "cloud_ssd", ""); err == nil || !strings.Contains(err.Error(), "a cloud_essd disk cannot change to cloud_ssd (it can change to cloud_auto)") {
		t.Errorf("ValidateDiskSpec to cloud_ssd: %v", err)
	}
}

// TestDiskSpecChangesAreWhatTheEmulatorAccepts: for new disks of several
// categories, every spec ModifyDiskSpec's DryRun accepts is offered, and
// nothing it refuses is.
func TestDiskSpecChangesAreWhatTheEmulatorAccepts(t *testing.T) {
	_, c := opsEnv(t)
	ctx := opsCtx(t)
	in := instancesWhere(t, c, 1, runningPostPaid)[0]
	zones, err := c.Zones(ctx, testRegion)
	if err != nil {
		t.Fatal(err)
	}
	var cats []string
	for _, z := range zones {
		if z.ID == in.ZoneID {
			cats = z.DiskCategories
		}
	}
	candidates := []cloud.DiskSpec{{Category: "cloud_efficiency"}, {Category: "cloud_ssd"}, {Category: "cloud_auto"}}
	for _, pl := range cloud.PerformanceLevels() {
		candidates = append(candidates, cloud.DiskSpec{Category: "cloud_essd", PerformanceLevel: pl})
	}
	tried := 0
	for _, from := range []cloud.DiskSpec{{Category: "cloud_essd", PerformanceLevel: "PL1"}, {Category: "cloud_efficiency"}, {Category: "cloud_ssd"}} {
		if !slices.Contains(cats, from.Category) {
			continue
		}
		tried++
		res := mustExecute(t, c, mustPlan(t)(c.PlanCreateDisks(testRegion, cloud.NewDiskSpec{ZoneID: in.ZoneID, Category: from.Category, PerformanceLevel: from.PerformanceLevel, SizeGiB: 500})))
		d, err := c.WaitDisk(ctx, testRegion, res.IDs[0], cloud.DiskAvailable, nil)
		if err != nil {
			t.Fatal(err)
		}
		offered, _ := cloud.DiskSpecChanges(d)
		for _, s := range candidates {
			if s.Category == d.Category && s.PerformanceLevel == d.PerformanceLevel {
				continue
			}
			cat := s.Category
			if cat == d.Category {
				cat = ""
			}
			v := c.Precheck(ctx, mustPlan(t)(c.PlanModifyDiskSpec(testRegion, d.ID, cat, s.PerformanceLevel)))
			if v.OK != slices.Contains(offered, s) {
				t.Errorf("%s -> %s: emulator OK=%v (%s), offered=%v", from, s, v.OK, v.Code, !v.OK)
			}
		}
	}
	if tried == 0 {
		t.Skipf("zone %s offers none of the categories tried: %v", in.ZoneID, cats)
	}
}
