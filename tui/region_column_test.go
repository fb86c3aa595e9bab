package tui

import (
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
)

// TestEveryListNamesRegionsWithAllRegions: with every region on screen,
// each list of regional resources has a REGION column at 80x24 and at
// 60x15 the instances still show their status; a detail pane names its
// region.
func TestEveryListNamesRegionsWithAllRegions(t *testing.T) {
	tm := start(t, newTestShell(t), 80, 24)
	tm.Type(":region all")
	tm.Send(press("enter"))
	waitUntil(t, tm, "every region loaded", func(m *Model) bool { return m.opts.Region == cloud.AllRegions && loaded("instances")(m) })
	regionCell := regexp.MustCompile(` (cn|ap|us|eu)-[a-z]+(-[0-9])? `)
	for _, name := range []string{"instances", "disks", "images", "snapshots", "policies", "sg", "keypairs", "snapshot-groups", "metrics"} {
		tm.Type(":" + name)
		tm.Send(press("enter"))
		var out string
		waitUntil(t, tm, name+" loaded", func(m *Model) bool {
			out = screen(m)
			return loaded(name)(m)
		})
		assertFits(t, out, 80, 24)
		lines := strings.Split(out, "\n")
		if len(lines) < 3 || !strings.Contains(lines[1], "REGION") {
			t.Errorf("%s has no REGION column at 80 columns:\n%s", name, out)
			continue
		}
		if name != "snapshot-groups" && !regionCell.MatchString(lines[2]) { // the seeded fleet has no groups
			t.Errorf("%s: the first row names no region: %q", name, lines[2])
		}
	}

	tm.Type(":snapshots")
	tm.Send(press("enter"))
	waitUntil(t, tm, "snapshots loaded", loaded("snapshots"))
	tm.Send(press("enter"))
	waitUntil(t, tm, "the snapshot's detail", func(m *Model) bool {
		return detailLoaded(m) && regexp.MustCompile(`(?m)^ Region\s+(cn|ap|us|eu)-`).MatchString(screen(m))
	})
	tm.Send(press("esc"))

	tm.Type(":instances")
	tm.Send(press("enter"))
	waitUntil(t, tm, "instances loaded", loaded("instances"))
	tm.Send(tea.WindowSizeMsg{Width: 60, Height: 15})
	m := finish(t, tm)
	out := screen(m)
	assertFits(t, out, 60, 15)
	header := strings.Split(out, "\n")[1]
	if !strings.Contains(header, "REGION") || !strings.Contains(header, "STATUS") {
		t.Errorf("at 60x15 the instances lack REGION or STATUS:\n%s", out)
	}
}
