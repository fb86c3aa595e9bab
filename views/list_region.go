package views

import (
	"slices"
	"strings"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/table"
)

// With every region on screen (region all) each list whose kind knows an
// item's region shows it in a REGION column, and its detail pane names it.
// The column is the generic list's, so no view adds it itself.

// regionTitle is the column's title.
const regionTitle = "REGION"

// showsRegion reports whether the list shows the REGION column in ctx.
func (l *List[T]) showsRegion(ctx Context) bool {
	return l.kind.Region != nil && ctx.Region == cloud.AllRegions
}

// syncRegionColumn adds or removes the REGION column for ctx, as wide as
// the longest region id among items.
func (l *List[T]) syncRegionColumn(ctx Context, items []T) {
	on, width := l.showsRegion(ctx), len(regionTitle)
	if on {
		for _, it := range items {
			width = max(width, len(l.kind.Region(it)))
		}
	}
	if on == l.regionOn && (!on || width <= l.regionWidth) {
		return
	}
	l.regionOn, l.regionWidth = on, width
	l.setRegionColumns()
}

// fitRegionColumn picks the order columns give way in for the screen's
// width: from 80 columns REGION goes last but for the ID; narrower, it
// goes after the columns that give way anyway but before those that never
// do (an instance's STATUS), so a 60-column screen still shows them.
func (l *List[T]) fitRegionColumn(width int) {
	if wide := width >= 80; l.regionOn && wide != l.regionWide {
		l.regionWide = wide
		l.setRegionColumns()
	}
}

func (l *List[T]) setRegionColumns() {
	cols := l.kind.Columns
	if l.regionOn {
		l.regionAt = regionIndex(cols)
		cols = withRegionColumn(cols, l.regionAt, l.regionWidth, l.regionWide)
	}
	l.table.SetColumns(cols)
}

// row is the item's table row, with its region cell when the column shows.
func (l *List[T]) row(it T, id string, now time.Time) table.Row {
	row := l.kind.Row(it, now)
	row.ID = id
	if l.regionOn {
		row.Cells = slices.Insert(slices.Clone(row.Cells), min(l.regionAt, len(row.Cells)), l.kind.Region(it))
		if len(row.SortKeys) > 0 {
			keys := padKeys(slices.Clone(row.SortKeys), len(row.Cells)-1)
			row.SortKeys = slices.Insert(keys, min(l.regionAt, len(keys)), "")
		}
	}
	return row
}

// regionIndex is where the REGION column goes: after NAME, else after ID,
// else second.
func regionIndex(cols []table.Column) int {
	for _, title := range []string{"NAME", "ID"} {
		if i := slices.IndexFunc(cols, func(c table.Column) bool { return c.Title == title }); i >= 0 {
			return i + 1
		}
	}
	return min(1, len(cols))
}

// withRegionColumn inserts the REGION column at `at`. On a wide screen it
// reorders what gives way so that REGION goes last but for the ID: first
// the columns that already gave way (in their order), then the others but
// the first, rightmost first, then REGION, then the ID. Otherwise REGION
// gives way after every column that already did.
func withRegionColumn(cols []table.Column, at, width int, wide bool) []table.Column {
	if !wide {
		out := slices.Clone(cols)
		for i := range out {
			if out[i].Drop > 0 {
				out[i].Drop++
			}
		}
		return slices.Insert(out, at, table.Column{Title: regionTitle, Width: width, Drop: 1})
	}
	out := make([]table.Column, 0, len(cols)+1)
	kept := 0 // columns that never gave way, but the first and the ID
	for i, c := range cols {
		if c.Drop == 0 && i > 0 && c.Title != "ID" {
			kept++
		}
	}
	next := 3 // the kept columns' ranks: 3, 4, ... left to right
	for i, c := range cols {
		switch {
		case c.Title == "ID":
			if c.Drop > 0 {
				c.Drop = 1
			}
		case c.Drop > 0:
			c.Drop += 2 + kept
		case i > 0:
			c.Drop = next
			next++
		}
		out = append(out, c)
	}
	region := table.Column{Title: regionTitle, Width: width, Drop: 2}
	return slices.Insert(out, at, region)
}

// namingRegion adds a Region field to a detail pane that does not name its
// region, when every region is on screen.
func (l *List[T]) namingRegion(ctx Context, d Detail) Detail {
	item, ok := l.items[l.detailID]
	if !l.showsRegion(ctx) || !ok {
		return d
	}
	for _, f := range d.Fields {
		if strings.Contains(strings.ToLower(f.Label), "region") {
			return d
		}
	}
	d.Fields = append([]Field{{Label: "Region", Value: l.kind.Region(item)}}, d.Fields...)
	return d
}
