package views

import (
	"strings"
	"testing"
)

func TestSnapshotGroupsViewListsMembers(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	essd := runningAllESSD(t, e)
	snaps := findView(t, ctx, "snapshots")
	snaps.SetScope(essd.ID)
	snaps = load(t, ctx, snaps)
	tr := command(t, ctx, snaps, "snapshot-group", "nightly-set")
	noErrors(t, tr)

	v := load(t, ctx, findView(t, ctx, "snapshot-groups"))
	if v.Status().Total != 1 {
		t.Fatalf("%d groups listed, want 1", v.Status().Total)
	}
	s := screen(ctx, v, 120, 20)
	mustContain(t, s, "nightly-set", essd.ID, "accomplished")
	v, msg := press(t, ctx, v, enterKey) // the detail loads
	v, _ = v.Update(ctx, msg)
	d := screen(ctx, v, 120, 30)
	if !strings.Contains(d, "Member snapshots") || strings.Count(d, "s-") < 1 {
		t.Fatalf("group detail:\n%s", d)
	}
}
