package views

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/views/table"
)

// headerAt renders cols at width and returns the titles shown.
func headerAt(cols []table.Column, width int) []string {
	m := table.New(theme.New(true), cols)
	m.SetSize(width, 5)
	return strings.Fields(ansi.Strip(strings.Split(m.View(), "\n")[0]))
}

// TestRegionGivesWayLastButForTheID: from 80 columns REGION outlasts every
// column but the ID (the disks' INSTANCE, which never gives way alone,
// goes first); narrower it gives way before the columns that never do.
func TestRegionGivesWayLastButForTheID(t *testing.T) {
	disks := DisksKind(Context{Theme: theme.New(true)}).Columns
	at := regionIndex(disks)
	if disks[at-1].Title != "NAME" {
		t.Fatalf("REGION goes after %s, want NAME", disks[at-1].Title)
	}
	wide := headerAt(withRegionColumn(disks, at, 11, true), 80)
	if strings.Join(wide[:3], " ") != "ID NAME REGION" {
		t.Errorf("at 80 columns: %v, want ID NAME REGION first", wide)
	}
	if got := headerAt(withRegionColumn(disks, at, 11, true), 36); strings.Join(got, " ") != "ID REGION" {
		t.Errorf("at 36 columns: %v, want only the ID and REGION", got)
	}
	if got := headerAt(withRegionColumn(disks, at, 11, true), 24); strings.Join(got, " ") != "ID" {
		t.Errorf("at 24 columns: %v, want the ID alone", got)
	}
	narrow := headerAt(withRegionColumn(disks, at, 11, false), 60)
	for _, title := range []string{"ID", "NAME", "SIZE", "STATUS"} {
		if !strings.Contains(strings.Join(narrow, " "), title) {
			t.Errorf("at 60 columns: %v lacks %s", narrow, title)
		}
	}
}
