package views

import (
	"regexp"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

// instancesList is the registered instances view, loaded.
func instancesList(t *testing.T, ctx Context) *List[cloud.Instance] {
	t.Helper()
	return load(t, ctx, findView(t, ctx, "instances")).(*List[cloud.Instance])
}

func itemNamed(t *testing.T, l *List[cloud.Instance], name string) cloud.Instance {
	t.Helper()
	for _, id := range l.order {
		if l.items[id].Name == name {
			return l.items[id]
		}
	}
	t.Fatalf("no instance %s in the list", name)
	return cloud.Instance{}
}

// TestChangedUpdatesOnlyTheRowsItNames: what a poll read replaces those
// rows in place, without a load; items of another kind are ignored.
func TestChangedUpdatesOnlyTheRowsItNames(t *testing.T) {
	ctx := newTestContext(t)
	l := instancesList(t, ctx)
	web := itemNamed(t, l, "web-01")
	other := l.items[l.order[0]]
	if other.ID == web.ID {
		other = l.items[l.order[1]]
	}
	refreshed, total := l.Status().LastRefresh, l.Status().Total
	web.Status = cloud.StateStopping
	if cmd := l.applyChanged(ctx, Changed{Read: []cloud.Instance{web}}); cmd != nil {
		t.Error("a merge without a detail open started a request")
	}
	l.applyChanged(ctx, Changed{Read: []cloud.Disk{{ID: web.ID}}}) // another kind: ignored
	out := screen(ctx, l, 200, 60)
	if !regexp.MustCompile(web.ID + `\s+web-01\s+Stopping`).MatchString(out) {
		t.Errorf("web-01's row does not say Stopping:\n%s", out)
	}
	if !regexp.MustCompile(other.ID + `\s+` + regexp.QuoteMeta(other.Name) + `\s+` + string(other.Status)).MatchString(out) {
		t.Errorf("%s's row changed:\n%s", other.Name, out)
	}
	if st := l.Status(); st.Busy || st.LastRefresh != refreshed || st.Total != total {
		t.Errorf("the merge reloaded or changed the rows: %+v", st)
	}
}

// TestChangedAddsNewItemsOnlyWhereTheyBelong: an instance the list lacks
// is added to the unscoped list of its region, not to another region's.
func TestChangedAddsNewItemsOnlyWhereTheyBelong(t *testing.T) {
	ctx := newTestContext(t)
	l := instancesList(t, ctx)
	total := l.Status().Total
	here := cloud.Instance{ID: "i-new-here", Name: "new", RegionID: ctx.Region, Status: cloud.StatePending}
	there := cloud.Instance{ID: "i-new-there", Name: "far", RegionID: "eu-central-1", Status: cloud.StatePending}
	l.applyChanged(ctx, Changed{Read: []cloud.Instance{here, there}})
	if got := l.Status().Total; got != total+1 {
		t.Fatalf("%d rows after the merge, want %d (only the instance of %s)", got, total+1, ctx.Region)
	}
	if _, ok := l.items["i-new-there"]; ok {
		t.Error("an instance of another region was added")
	}
}

// TestCreatedRowTakesTheCursor: after an action created a disk, the
// disks list's next load puts the cursor on it.
func TestCreatedRowTakesTheCursor(t *testing.T) {
	ctx := newTestContext(t)
	v := load(t, ctx, findView(t, ctx, "disks"))
	l := v.(*List[cloud.Disk])
	first, _ := l.Selected()
	last := l.items[l.order[len(l.order)-1]]
	if last.ID == first.ID {
		t.Fatal("need two disks")
	}
	l.Update(ctx, Changed{Created: []string{"d-not-listed", last.ID}})
	if got, _ := l.Selected(); got.ID != first.ID {
		t.Fatal("the cursor moved before the load")
	}
	load(t, ctx, l)
	if got, _ := l.Selected(); got.ID != last.ID {
		t.Errorf("cursor on %s after the load, want the created %s", got.ID, last.ID)
	}
	l.table.Top()
	load(t, ctx, l)
	if got, _ := l.Selected(); got.ID == last.ID {
		t.Error("a second load moved the cursor again")
	}
}

// TestDetailRebuildsWithItsList: a load rebuilds an open detail from the
// refreshed item, keeping its cursor; a load without the item says it is
// gone.
func TestDetailRebuildsWithItsList(t *testing.T) {
	ctx := newTestContext(t)
	l := instancesList(t, ctx)
	web := itemNamed(t, l, "web-01")
	openDetail(t, ctx, l, web.ID)
	l.detail.cursor = 1

	stopped := web
	stopped.Status = cloud.StateStopped
	others := []cloud.Instance{stopped}
	_, cmd := l.Update(ctx, loaded{view: l.kind.Name, seq: l.seq, items: others})
	if cmd == nil {
		t.Fatal("the load did not rebuild the detail")
	}
	l.Update(ctx, cmd())
	out := screen(ctx, l, 120, 60)
	if !regexp.MustCompile(`(?m)^ Status\s+Stopped`).MatchString(out) {
		t.Errorf("the rebuilt detail does not say Stopped:\n%s", out)
	}
	if l.detail.cursor != 1 {
		t.Errorf("detail cursor %d after the rebuild, want 1", l.detail.cursor)
	}

	l.seq++ // a newer load, without web-01
	_, cmd = l.Update(ctx, loaded{view: l.kind.Name, seq: l.seq, items: []cloud.Instance{}})
	if cmd != nil {
		t.Error("a detail of a gone item was rebuilt")
	}
	mustContain(t, screen(ctx, l, 120, 60), web.ID+" is no longer listed")
}
