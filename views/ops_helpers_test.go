package views

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/views/monitor"
)

// opsEnv is the emulator with short transitions on a real clock (flows
// poll), the views' context on it, and a second client for checking what
// the emulator holds afterwards.
type opsEnv struct {
	ctx   Context
	srv   *emulator.Server
	check *cloud.Client
	url   string
}

func newOpsEnv(t *testing.T) opsEnv {
	t.Helper()
	srv := emulator.New(emulator.Options{Seed: 1, TransitionDelay: 200 * time.Millisecond})
	url, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	client := func() *cloud.Client {
		c, err := cloud.New(cloud.Config{
			Endpoint: url,
			Region:   "cn-hangzhou",
			Credentials: cloud.Credentials{
				AccessKeyID:     emulator.DefaultAccessKeyID,
				AccessKeySecret: emulator.DefaultAccessKeySecret,
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	return opsEnv{
		ctx: Context{Client: client(), Region: "cn-hangzhou", Theme: theme.New(true), Now: time.Now, Timeout: 30 * time.Second},
		srv: srv, check: client(), url: url,
	}
}

// trace is what a chain of commands produced, as the shell would see it.
type trace struct {
	confirms []Confirm
	verdicts []Verdict
	progress []string
	reports  []Report
	modals   []Modal
}

// errs are the reports that failed.
func (tr *trace) errs() []error {
	var out []error
	for _, r := range tr.reports {
		if r.Err != nil {
			out = append(out, r.Err)
		}
	}
	return out
}

// lastModal renders the last modal a ShowModal opened.
func (tr *trace) lastModal(ctx Context) string {
	if len(tr.modals) == 0 {
		return ""
	}
	p, ok := tr.modals[len(tr.modals)-1].(*textPane)
	if !ok {
		return screenOf(ctx, tr.modals[len(tr.modals)-1])
	}
	return strings.Join(p.lines, "\n")
}

func screenOf(ctx Context, m Modal) string { return m.View(ctx, 200, 200) }

// drive runs cmd and everything it leads to, as the shell would with a
// user who answers yes: a Confirm's precheck is asked and its Run run, a
// Progress's Next followed, a Routed message delivered to v (a form's
// options, a result pane), batches split. It stops when nothing is left
// or after a minute.
func drive(t *testing.T, ctx Context, v View, cmd tea.Cmd) *trace {
	t.Helper()
	tr := &trace{}
	queue := []tea.Cmd{cmd}
	deadline := time.Now().Add(time.Minute)
	for len(queue) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the flow did not finish in a minute; progress: %q", tr.progress)
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case Confirm:
			tr.confirms = append(tr.confirms, msg)
			if msg.Precheck != nil {
				if vd, ok := msg.Precheck().(Verdict); ok {
					tr.verdicts = append(tr.verdicts, vd)
				}
			}
			v.ClearMarks() // as the shell does on yes
			queue = append(queue, msg.Run)
		case Progress:
			tr.progress = append(tr.progress, msg.Text)
			queue = append(queue, msg.Next)
		case Report:
			tr.reports = append(tr.reports, msg)
		case monitor.SamplesMsg: // the shell hands these to the sampler
			if ctx.Metrics != nil {
				ctx.Metrics.Apply(msg)
			}
		case ShowModal:
			tr.modals = append(tr.modals, msg.Modal)
			_, next := v.Update(ctx, msg)
			queue = append(queue, next)
		default:
			_, next := v.Update(ctx, msg)
			queue = append(queue, next)
		}
	}
	return tr
}

// keyFlow sends a key to the view and drives what it starts.
func keyFlow(t *testing.T, ctx Context, v View, k tea.KeyPressMsg) *trace {
	t.Helper()
	_, cmd := v.Update(ctx, k)
	return drive(t, ctx, v, cmd)
}

// command runs a palette command of the view and drives what it starts.
func command(t *testing.T, ctx Context, v View, name string, args ...string) *trace {
	t.Helper()
	cmd, ok := v.RunCommand(ctx, name, args)
	if !ok {
		t.Fatalf("%s has no command %q", v.Name(), name)
	}
	return drive(t, ctx, v, cmd)
}

// typeText types s into the view (its open form).
func typeText(t *testing.T, ctx Context, v View, s string) {
	t.Helper()
	for _, r := range s {
		v.Update(ctx, runeKey(r))
	}
}

var (
	spaceKey = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	submitKy = tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	bsKey    = tea.KeyPressMsg{Code: tea.KeyBackspace}
)

// selectRow filters the view to id so the cursor is on it.
func selectRow(t *testing.T, v View, id string) {
	t.Helper()
	v.SetFilter(id)
	if v.Status().Shown != 1 {
		t.Fatalf("%s: %d rows match %q", v.Name(), v.Status().Shown, id)
	}
}

// markRows marks the rows with these ids.
func markRows(t *testing.T, ctx Context, v View, ids ...string) {
	t.Helper()
	for _, id := range ids {
		selectRow(t, v, id)
		v.Update(ctx, spaceKey)
	}
	v.SetFilter("")
}

// instanceNow reads one instance through the checking client.
func (e opsEnv) instanceNow(t *testing.T, id string) cloud.Instance {
	t.Helper()
	in, err := fetchInstance(bg(t), e.check, "cn-hangzhou", id)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// diskNow reads one disk through the checking client.
func (e opsEnv) diskNow(t *testing.T, id string) cloud.Disk {
	t.Helper()
	list, err := e.check.Disks(bg(t), "cn-hangzhou", cloud.DiskFilter{DiskIDs: []string{id}})
	if err != nil || len(list) != 1 {
		t.Fatalf("disk %s: %v (%d found)", id, err, len(list))
	}
	return list[0]
}

// fleet lists the region's instances and disks through the checking client.
func (e opsEnv) fleet(t *testing.T) ([]cloud.Instance, []cloud.Disk) {
	t.Helper()
	ins, err := e.check.Instances(bg(t), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := e.check.Disks(bg(t), "cn-hangzhou", cloud.DiskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return ins, ds
}

// calls is how many times the emulator answered each of the actions.
func (e opsEnv) calls(actions ...string) int {
	st := e.srv.Stats()
	n := 0
	for _, a := range actions {
		n += st.Calls[a]
	}
	return n
}
