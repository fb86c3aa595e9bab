package chart

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/theme"
)

// ZoneName is written once at the start of the label row; labels it would
// overlap are left out, the others stay where they were.
func TestLineChartNamesTheZone(t *testing.T) {
	opts := cpuChart(theme.New(true), 40, 10)
	opts.Location = time.FixedZone("IST", 5*3600+1800)
	plain := lines(LineChart(opts))
	opts.ZoneName = "IST"
	named := lines(LineChart(opts))
	row, before := named[len(named)-1], plain[len(plain)-1]
	if !strings.HasPrefix(row, "IST ") || len(row) != len(before) {
		t.Fatalf("label row %q (without the zone %q)", row, before)
	}
	for _, l := range strings.Fields(row)[1:] {
		if !strings.Contains(before, l) {
			t.Errorf("label %q is not one of the chart's own (%q)", l, before)
		}
	}
	// The rest of the chart is untouched.
	if strings.Join(named[:len(named)-1], "\n") != strings.Join(plain[:len(plain)-1], "\n") {
		t.Error("naming the zone changed the plot")
	}
	// A name too long for the row is not written (rather than squeezing
	// out the labels); nor is one that is not plain ASCII.
	for _, bad := range []string{strings.Repeat("Z", 30), "ÜTC"} {
		opts.ZoneName = bad
		got := lines(LineChart(opts))
		if got[len(got)-1] != before {
			t.Errorf("zone %q: label row %q", bad, got[len(got)-1])
		}
	}
}
