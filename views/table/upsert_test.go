package table

import (
	"slices"
	"testing"
)

// TestUpsertReplacesAndAppendsKeepingCursorSortAndMarks: updated rows
// change in place and re-sort; new ones join; the cursor and marks stay.
func TestUpsertReplacesAndAppendsKeepingCursorSortAndMarks(t *testing.T) {
	m := newTable(row("a", "alpha", "3"), row("b", "beta", "1"), row("c", "gamma", "2"))
	m.SortBy("SIZE", false)
	m.Select("c")
	m.ToggleMark() // marks c, moves to a
	m.Select("c")
	m.SetFilter("")
	m.Upsert([]Row{row("b", "beta", "9"), row("d", "delta", "0")})
	if got, want := ids(m), []string{"d", "c", "a", "b"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v (by SIZE)", got, want)
	}
	if r, _ := m.Selected(); r.ID != "c" {
		t.Errorf("cursor on %s, want c", r.ID)
	}
	if got := m.Marked(); !slices.Equal(got, []string{"c"}) {
		t.Errorf("marks %v", got)
	}
	m.SetFilter("delta")
	if got := ids(m); !slices.Equal(got, []string{"d"}) {
		t.Errorf("the filter does not see the new row: %v", got)
	}
}

// TestSetColumnsKeepsTheSortByTitle: a column inserted before the sorted
// one keeps the sort on it.
func TestSetColumnsKeepsTheSortByTitle(t *testing.T) {
	m := newTable()
	m.SortBy("SIZE", true)
	cols := slices.Insert(slices.Clone(testCols), 1, Column{Title: "REGION", Width: 6})
	m.SetColumns(cols)
	m.SetRows([]Row{{ID: "a", Cells: []string{"a", "r1", "x", "1"}}, {ID: "b", Cells: []string{"b", "r2", "y", "2"}}})
	if got := m.SortLabel(); got != "SIZE ↓" {
		t.Errorf("sort %q after the new column, want SIZE ↓", got)
	}
	if got := ids(m); !slices.Equal(got, []string{"b", "a"}) {
		t.Errorf("order %v", got)
	}
}
