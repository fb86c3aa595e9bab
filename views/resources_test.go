package views

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/cloud"
)

// Every resource view fits 80 and 120 columns (narrow screens drop columns
// rather than wrap) and keeps the column the shell's filter matches ids on.
func TestResourceViewsFitTheScreen(t *testing.T) {
	ctx := newTestContext(t)
	for _, name := range []string{"disks", "images", "snapshots", "policies", "sg", "keypairs"} {
		v := load(t, ctx, findView(t, ctx, name))
		if v.Status().Total == 0 {
			t.Errorf("%s: no rows in the seeded fleet", name)
		}
		for _, w := range []int{80, 120} {
			s := screen(ctx, v, w, 24)
			lines := strings.Split(s, "\n")
			if len(lines) > 24 {
				t.Errorf("%s at %d: %d lines", name, w, len(lines))
			}
			for _, l := range lines {
				if ansi.StringWidth(l) > w {
					t.Errorf("%s at %d: line of %d cells: %q", name, w, ansi.StringWidth(l), l)
				}
			}
			idCol := "ID"
			if name == "keypairs" {
				idCol = "NAME"
			}
			if !strings.Contains(lines[0], idCol) {
				t.Errorf("%s at %d: no %s column: %q", name, w, idCol, lines[0])
			}
		}
	}
}

// Every resource view lists every region at once, and finds more there
// than in one region.
func TestResourceViewsAllRegions(t *testing.T) {
	ctx := newTestContext(t)
	all := ctx
	all.Region = cloud.AllRegions
	for _, name := range []string{"disks", "images", "snapshots", "policies", "sg", "keypairs"} {
		one := load(t, ctx, findView(t, ctx, name)).Status().Total
		every := load(t, all, findView(t, all, name)).Status().Total
		if every <= one {
			t.Errorf("%s: %d in every region, %d in cn-hangzhou", name, every, one)
		}
	}
}
