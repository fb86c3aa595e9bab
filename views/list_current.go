package views

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/table"
)

// What keeps a list current between its own loads: an open detail pane is
// rebuilt whenever its item is refreshed, an action's progress updates the
// rows it touched from what its poll read, and the rows an action created
// take the cursor.

// refreshDetail rebuilds an open detail pane from the item just loaded
// (same id), keeping its cursor, or says that the item is gone.
func (l *List[T]) refreshDetail(ctx Context) tea.Cmd {
	if l.detail == nil {
		return nil
	}
	item, ok := l.items[l.detailID]
	if !ok {
		l.detail.Notice = l.detailID + " is no longer listed: it was deleted or released. What follows is how it last was; esc returns to the list."
		return nil
	}
	l.detail.Notice = ""
	return l.buildDetail(ctx, item)
}

// applyChanged takes an action's Changed: the ids to select at the next
// load, and the items its poll read, merged into the rows.
func (l *List[T]) applyChanged(ctx Context, c Changed) tea.Cmd {
	if len(c.Created) > 0 {
		l.selectCreated = slices.Clone(c.Created)
	}
	items, ok := c.Read.([]T)
	if !ok || !l.loadedOnce {
		return nil // another kind's items, or nothing on screen to update
	}
	return l.Merge(ctx, items)
}

// Merge updates the rows of the items the list holds (same id) and adds
// those it lacks when they belong on it (the list is not narrowed to a
// parent, the item is in the region on screen), re-rendering only those
// rows; cursor, filter, sort and marks stay. A detail open on one of them
// is rebuilt.
func (l *List[T]) Merge(ctx Context, items []T) tea.Cmd {
	now := ctx.now()
	if l.regionOn {
		l.syncRegionColumn(ctx, items) // a longer region id widens it
	}
	rows := make([]table.Row, 0, len(items))
	detail := false
	for _, it := range items {
		id := l.kind.ID(it)
		if _, held := l.items[id]; !held {
			if !l.belongs(ctx, it) {
				continue
			}
			l.order = append(l.order, id)
		}
		l.items[id] = it
		rows = append(rows, l.row(it, id, now))
		detail = detail || (l.detail != nil && id == l.detailID)
	}
	l.table.Upsert(rows)
	if detail {
		l.detail.Notice = ""
		return l.buildDetail(ctx, l.items[l.detailID])
	}
	return nil
}

// belongs reports whether an item the list does not hold would be listed
// by its next load: an unscoped list, in the region on screen.
func (l *List[T]) belongs(ctx Context, it T) bool {
	if l.scope != "" {
		return false
	}
	if l.kind.Region == nil || ctx.Region == cloud.AllRegions || ctx.Region == "" {
		return true
	}
	return l.kind.Region(it) == ctx.Region
}

// selectFirstCreated puts the cursor on the first row an action created
// that the list shows, once; the ids are dropped either way.
func (l *List[T]) selectFirstCreated() {
	ids := l.selectCreated
	l.selectCreated = nil
	for _, id := range ids {
		if l.table.Select(id) {
			return
		}
	}
}
