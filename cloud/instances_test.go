package cloud_test

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

func TestInstancesOneRegion(t *testing.T) {
	srv, c := env(t, emulator.Options{Instances: 60})
	ins, err := c.Instances(context.Background(), testRegion)
	if err != nil {
		t.Fatalf("Instances: %v", err)
	}
	if len(ins) == 0 {
		t.Fatal("Instances: none in the default region")
	}
	if got, want := srv.Stats().Calls["DescribeInstances"], ceilDiv(len(ins), 100); got != want {
		t.Errorf("DescribeInstances calls = %d, want %d", got, want)
	}
	states := map[cloud.InstanceState]bool{cloud.StateRunning: true, cloud.StateStopped: true, cloud.StateStarting: true, cloud.StateStopping: true, cloud.StatePending: true}
	for _, in := range ins {
		if !strings.HasPrefix(in.ID, "i-") || in.Name == "" || in.RegionID != testRegion || !strings.HasPrefix(in.ZoneID, testRegion) {
			t.Errorf("bad identity: %+v", in)
		}
		if !states[in.Status] {
			t.Errorf("%s: state %q", in.ID, in.Status)
		}
		if in.Type == "" || !strings.HasPrefix(in.Type, in.TypeFamily) || in.CPU <= 0 || in.MemoryMiB < 512 {
			t.Errorf("%s: bad spec %q/%q %d vCPU %d MiB", in.ID, in.Type, in.TypeFamily, in.CPU, in.MemoryMiB)
		}
		if in.ImageID == "" || (in.OSType != "linux" && in.OSType != "windows") || in.OSName == "" {
			t.Errorf("%s: bad OS %q %q %q", in.ID, in.ImageID, in.OSType, in.OSName)
		}
		if in.PrivateIP == "" || !strings.HasPrefix(in.VpcID, "vpc-") || !strings.HasPrefix(in.VSwitchID, "vsw-") || len(in.SecurityGroupIDs) == 0 {
			t.Errorf("%s: bad network %q %q %q %v", in.ID, in.PrivateIP, in.VpcID, in.VSwitchID, in.SecurityGroupIDs)
		}
		if in.ChargeType != "PostPaid" && in.ChargeType != "PrePaid" {
			t.Errorf("%s: charge type %q", in.ID, in.ChargeType)
		}
		if in.CreatedAt.IsZero() || in.CreatedAt.After(time.Now()) {
			t.Errorf("%s: CreatedAt %v", in.ID, in.CreatedAt)
		}
		if in.ChargeType == "PrePaid" && in.ExpiresAt.Before(in.CreatedAt) {
			t.Errorf("%s: prepaid, expires %v before created %v", in.ID, in.ExpiresAt, in.CreatedAt)
		}
	}
	if !slices.IsSortedFunc(ins, func(a, b cloud.Instance) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) }) {
		t.Error("Instances: not sorted by name")
	}
	if !slices.ContainsFunc(ins, func(in cloud.Instance) bool { return in.PublicIP != "" }) {
		t.Error("Instances: no instance has a public IP")
	}
	if !slices.ContainsFunc(ins, func(in cloud.Instance) bool { return len(in.Tags) > 0 }) {
		t.Error("Instances: no instance has tags")
	}
}

// TestInstancesPaging: 1,200 instances, pages of 100, fetched concurrently.
func TestInstancesPaging(t *testing.T) {
	const n = 1200
	srv, c := env(t, emulator.Options{Instances: n, Latency: 50 * time.Millisecond})
	ctx := context.Background()

	all, err := c.Instances(ctx, cloud.AllRegions)
	if err != nil {
		t.Fatalf("Instances(all): %v", err)
	}
	if len(all) != n {
		t.Fatalf("Instances(all) = %d instances, want %d", len(all), n)
	}
	seen := map[string]bool{}
	perRegion := map[string]int{}
	for _, in := range all {
		if seen[in.ID] {
			t.Fatalf("instance %s listed twice", in.ID)
		}
		seen[in.ID] = true
		perRegion[in.RegionID]++
	}
	if !slices.IsSortedFunc(all, func(a, b cloud.Instance) int {
		return cmp.Or(cmp.Compare(a.RegionID, b.RegionID), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	}) {
		t.Error("Instances(all): not sorted by region, then name")
	}
	regions, err := c.Regions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantCalls := 0
	for _, r := range regions {
		wantCalls += max(1, ceilDiv(perRegion[r.ID], 100))
	}
	st := srv.Stats()
	if got := st.Calls["DescribeInstances"]; got != wantCalls {
		t.Errorf("DescribeInstances calls = %d, want %d (one per page of 100)", got, wantCalls)
	}
	if st.MaxInFlight <= 1 {
		t.Errorf("MaxInFlight = %d: pages were not fetched concurrently", st.MaxInFlight)
	}

	// One region alone: ceil(n/100) calls, and pages overlapped.
	srv2, c2 := env(t, emulator.Options{Instances: n, Latency: 50 * time.Millisecond})
	one, err := c2.Instances(ctx, testRegion)
	if err != nil {
		t.Fatalf("Instances(%s): %v", testRegion, err)
	}
	if len(one) != perRegion[testRegion] || len(one) <= 200 {
		t.Fatalf("Instances(%s) = %d, want %d (> 200 for this test to mean anything)", testRegion, len(one), perRegion[testRegion])
	}
	st2 := srv2.Stats()
	if got, want := st2.Calls["DescribeInstances"], ceilDiv(len(one), 100); got != want {
		t.Errorf("DescribeInstances calls = %d, want %d", got, want)
	}
	if st2.MaxInFlight <= 1 {
		t.Errorf("MaxInFlight = %d: pages were not fetched concurrently", st2.MaxInFlight)
	}
}

func TestInstanceStatuses(t *testing.T) {
	srv, c := env(t, emulator.Options{Instances: 400})
	ctx := context.Background()
	ins, err := c.Instances(ctx, testRegion)
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) < 101 {
		t.Fatalf("only %d instances in %s", len(ins), testRegion)
	}
	ids := make([]string, 0, 101)
	for _, in := range ins[:101] {
		ids = append(ids, in.ID)
	}
	before := srv.Stats().Calls["DescribeInstanceStatus"]
	got, err := c.InstanceStatuses(ctx, testRegion, append(ids, "i-doesnotexist"))
	if err != nil {
		t.Fatalf("InstanceStatuses: %v", err)
	}
	if calls := srv.Stats().Calls["DescribeInstanceStatus"] - before; calls != 3 {
		t.Errorf("102 ids cost %d calls, want 3 (50 per call)", calls)
	}
	if len(got) != len(ids) {
		t.Errorf("got %d statuses, want %d (unknown ids absent)", len(got), len(ids))
	}
	for _, in := range ins[:101] {
		if got[in.ID] != in.Status {
			t.Errorf("%s: status %q, DescribeInstances said %q", in.ID, got[in.ID], in.Status)
		}
	}

	everything, err := c.InstanceStatuses(ctx, testRegion, nil)
	if err != nil {
		t.Fatalf("InstanceStatuses(all ids): %v", err)
	}
	if len(everything) != len(ins) {
		t.Errorf("InstanceStatuses(no ids) = %d, want all %d", len(everything), len(ins))
	}
}
