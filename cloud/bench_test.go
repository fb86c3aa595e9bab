package cloud_test

import (
	"context"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// BenchmarkListInstances measures what listing a big fleet costs: API calls
// and wall time in units of the emulator's per-call latency ("round trips").
// Paging fetches page 1, then the other pages concurrently, so 1,000
// instances in one region cost 10 calls but about 2 round trips.
func BenchmarkListInstances(b *testing.B) {
	const latency = 50 * time.Millisecond
	for _, bc := range []struct {
		name      string
		instances int
		region    string
	}{
		{"1000-one-region", 1000, ""},
		{"1000-all-regions", 1000, cloud.AllRegions},
		{"5000-all-regions", 5000, cloud.AllRegions},
	} {
		b.Run(bc.name, func(b *testing.B) {
			srv, c := env(b, emulator.Options{Seed: 1, Instances: bc.instances, Latency: latency})
			region := bc.region
			if region == "" {
				region = biggestRegion(b, c)
			}
			before := srv.Stats().Calls["DescribeInstances"] + srv.Stats().Calls["DescribeRegions"]
			start := time.Now()
			n := 0
			for b.Loop() {
				list, err := c.Instances(context.Background(), region)
				if err != nil {
					b.Fatal(err)
				}
				n = len(list)
			}
			elapsed := time.Since(start)
			after := srv.Stats().Calls["DescribeInstances"] + srv.Stats().Calls["DescribeRegions"]
			b.ReportMetric(float64(after-before)/float64(b.N), "calls/op")
			b.ReportMetric(float64(elapsed)/float64(latency)/float64(b.N), "round-trips/op")
			b.ReportMetric(float64(n), "instances")
		})
	}
}

// biggestRegion returns the region holding most of the fleet.
func biggestRegion(b *testing.B, c *cloud.Client) string {
	all, err := c.Instances(context.Background(), cloud.AllRegions)
	if err != nil {
		b.Fatal(err)
	}
	count := map[string]int{}
	best := ""
	for _, in := range all {
		count[in.RegionID]++
		if count[in.RegionID] > count[best] {
			best = in.RegionID
		}
	}
	return best
}
