package views

import (
	"strings"
	"testing"
)

// TestActionKeysWorkInTheDetailPane: an action key in a detail pane acts
// on the resource the pane shows; a key with no meaning says so.
func TestActionKeysWorkInTheDetailPane(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	ins, _ := e.fleet(t)
	run := pick(ins, 2, running)
	v := load(t, ctx, findView(t, ctx, "instances"))
	v = openDetail(t, ctx, v, run[0].ID)

	_, cmd := v.Update(ctx, runeKey('B'))
	if cmd == nil {
		t.Fatal("B in the detail pane did nothing")
	}
	c, ok := cmd().(Confirm)
	if !ok || !strings.Contains(strings.Join(c.Lines, " "), run[0].ID) || !strings.Contains(c.Title, run[0].ID) {
		t.Fatalf("B in the detail of %s: %+v", run[0].ID, c)
	}

	_, cmd = v.Update(ctx, runeKey('z'))
	if n, ok := cmd().(Notice); cmd == nil || !ok || !strings.Contains(n.Text, "no action") {
		t.Fatalf("z in the detail pane: %v", cmd)
	}

}
