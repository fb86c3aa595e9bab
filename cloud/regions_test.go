package cloud_test

import (
	"context"
	"slices"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

func TestRegionsAndZones(t *testing.T) {
	_, c := env(t, emulator.Options{Instances: 40})
	ctx := context.Background()

	regions, err := c.Regions(ctx)
	if err != nil {
		t.Fatalf("Regions: %v", err)
	}
	if len(regions) < 2 {
		t.Fatalf("Regions: got %d, want several", len(regions))
	}
	i := slices.IndexFunc(regions, func(r cloud.Region) bool { return r.ID == testRegion })
	if i < 0 {
		t.Fatalf("Regions: %s missing from %v", testRegion, regions)
	}
	if r := regions[i]; r.Name == "" || r.Endpoint == "" {
		t.Errorf("Regions: %s has no name or endpoint: %+v", testRegion, r)
	}

	zones, err := c.Zones(ctx, testRegion)
	if err != nil {
		t.Fatalf("Zones: %v", err)
	}
	if len(zones) == 0 {
		t.Fatal("Zones: none")
	}
	for _, z := range zones {
		if z.RegionID != testRegion || z.ID == "" || z.Name == "" {
			t.Errorf("Zones: bad zone %+v", z)
		}
		if len(z.DiskCategories) == 0 || len(z.InstanceTypes) == 0 {
			t.Errorf("Zones: %s lists no disk categories or instance types", z.ID)
		}
	}

	// "" is the default region.
	again, err := c.Zones(ctx, "")
	if err != nil || len(again) != len(zones) {
		t.Errorf("Zones(\"\") = %d zones, %v; want the default region's %d", len(again), err, len(zones))
	}
	if _, err := c.Zones(ctx, cloud.AllRegions); err == nil {
		t.Error("Zones(all): no error")
	}
	if c.Region() != testRegion {
		t.Errorf("Region() = %q", c.Region())
	}
}
