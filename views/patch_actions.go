package views

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// Patching from the instances view: `:patch scan` and `:patch install` on
// the marked instances (Y asks which) through OOS ACS-ECS-BulkyApplyPatch-
// Baseline. The form asks for the concurrency, for an install whether to
// reboot when a patch needs it (default no), and offers a snapshot of
// every system disk first (default yes for an install). The execution's
// progress goes to the activity list; its per-instance result opens in a
// pane at the end.

func patchAction() Action[cloud.Instance] {
	return Action[cloud.Instance]{Name: "patch", Args: "scan|install", Help: "scan for or install missing patches (OOS)", Keys: []string{"Y"}, Run: patchInstances}
}

func patchInstances(l *List[cloud.Instance], ctx Context, args []string) tea.Cmd {
	list := l.MarkedItems()
	if len(list) == 0 {
		return nil
	}
	switch {
	case hasWord(args, cloud.PatchScan):
		l.OpenModal(patchForm(ctx, list, cloud.PatchScan))
		return nil
	case hasWord(args, cloud.PatchInstall):
		l.OpenModal(patchForm(ctx, list, cloud.PatchInstall))
		return nil
	case len(args) > 0:
		return refuse("patch", &cloud.ValidationError{Field: "action", Rule: fmt.Sprintf("%q: want :patch scan or :patch install", strings.Join(args, " "))})
	}
	// No action named: straight to the confirmation with the defaults (a
	// scan, which changes nothing); the dialog switches to an install.
	return patchFlow(ctx, list, cloud.PatchRun{Action: cloud.PatchScan, InstanceIDs: instanceIDs(list), Concurrency: cloud.DefaultPatchConcurrency}, false)
}

// patchForm asks for a scan's or an install's options.
func patchForm(ctx Context, list []cloud.Instance, action string) *opForm {
	install := action == cloud.PatchInstall
	snapDefault := "no"
	var fields []form.Field
	if install {
		snapDefault = "yes"
		fields = append(fields, form.Field{Key: "reboot", Label: "Reboot if needed", Kind: form.Choice, Options: []string{"no", "yes"},
			Descriptions: []string{"patches that need a restart wait for the next one", "restart the instances whose patches need it"}})
	}
	fields = append(fields,
		form.Field{Key: "concurrency", Label: "Concurrency", Kind: form.Number, Value: strconv.Itoa(cloud.DefaultPatchConcurrency),
			Help: fmt.Sprintf("instances at once, 1-%d", cloud.MaxPatchConcurrency), Validate: quantity("concurrency", cloud.UnitCount, 1, cloud.MaxPatchConcurrency)},
		form.Field{Key: "snapshot", Label: "Snapshot first", Kind: form.Choice, Options: []string{"yes", "no"}, Value: snapDefault,
			Descriptions: []string{"a snapshot of every system disk before anything changes", "no snapshot"}},
	)
	f := newOpForm(ctx, strings.ToUpper(action[:1])+action[1:]+" patches of "+instancesNoun(list), fields, func(v map[string]string) (tea.Cmd, error) {
		n, err := cloud.ParseQuantity("concurrency", v["concurrency"], cloud.UnitCount, 1, cloud.MaxPatchConcurrency)
		if err != nil {
			return nil, err
		}
		run := cloud.PatchRun{Action: action, InstanceIDs: instanceIDs(list), Reboot: v["reboot"] == "yes", Concurrency: n}
		if err := run.Validate(); err != nil {
			return nil, err
		}
		return patchFlow(ctx, list, run, v["snapshot"] == "yes"), nil
	})
	f.fields = map[string]string{"concurrency": "concurrency", "reboot": "reboot"}
	return f
}

// patchFlow lists the instances' system disks (for the snapshots before
// an install), then asks for the confirmation, whose settings (scan or
// install; reboot; snapshot first) change in the dialog.
func patchFlow(ctx Context, list []cloud.Instance, run cloud.PatchRun, snapshot bool) tea.Cmd {
	action := run.Action + " patches of " + instancesNoun(list)
	regions, ids := byRegion(list)
	return async(ctx, func(c context.Context) tea.Msg {
		sys := map[string][]cloud.Disk{}
		for _, r := range regions {
			disks, err := ctx.Client.Disks(c, r, cloud.DiskFilter{})
			if err != nil {
				return Report{Action: action, Err: fmt.Errorf("listing the system disks: %w", err)}
			}
			for _, d := range disks {
				if d.Type == cloud.DiskSystem && containsID(ids[r], d.InstanceID) {
					sys[r] = append(sys[r], d)
				}
			}
		}
		f, err := patchRunFlow(ctx, list, sys, patchOptions(run, snapshot), run.Concurrency)
		if err != nil {
			return Report{Action: action, Err: err}
		}
		return confirmMsg(ctx, f)
	})
}

// patchOptions are a patch run's settings as the dialog shows them: the
// action, and for an install the reboot and the snapshots first.
func patchOptions(run cloud.PatchRun, snapshot bool) []Option {
	act := Option{Label: "action", Choices: []string{cloud.PatchScan, cloud.PatchInstall},
		Help: []string{"find the missing patches (changes nothing)", "install the missing patches"}}
	if run.Action != cloud.PatchInstall {
		return []Option{act}
	}
	act.Selected = 1
	reboot := Option{Label: "reboot", Choices: []string{"no", "yes"},
		Help: []string{"patches that need a restart wait for the next one", "restart the instances whose patches need it"}}
	if run.Reboot {
		reboot.Selected = 1
	}
	snap := Option{Label: "snapshot first", Choices: []string{"yes", "no"},
		Help: []string{"a snapshot of every system disk before anything changes", "no snapshot"}}
	if !snapshot {
		snap.Selected = 1
	}
	return []Option{act, reboot, snap}
}

// patchRunFlow is the patch flow for the settings chosen; sys are the
// system disks of the instances, by region.
func patchRunFlow(ctx Context, list []cloud.Instance, sys map[string][]cloud.Disk, opts []Option, concurrency int) (Flow, error) {
	run := cloud.PatchRun{Action: opts[0].Value(), InstanceIDs: instanceIDs(list), Concurrency: concurrency}
	snapshot := false
	if run.Action == cloud.PatchInstall {
		if len(opts) < 3 { // switched to install in the dialog: its defaults
			opts = patchOptions(cloud.PatchRun{Action: cloud.PatchInstall}, true)
		}
		run.Reboot, snapshot = opts[1].Value() == "yes", opts[2].Value() == "yes"
	} else {
		opts = opts[:1]
	}
	if err := run.Validate(); err != nil {
		return Flow{}, err
	}
	action := run.Action + " patches of " + instancesNoun(list)
	regions, ids := byRegion(list)
	col := &patchCollector{}
	var steps []Step
	var snapLines []string
	if snapshot {
		stamp := ctx.now().UTC().Format("20060102-1504") + "Z" // UTC, as the Z says
		for _, r := range regions {
			for i, d := range sys[r] {
				p := ctx.Client.PlanCreateSnapshot(r, d.ID, "pre-patch-"+stamp, "before patch "+run.Action+" of "+d.InstanceID, 0)
				steps = append(steps, Step{Label: "snapshot " + d.ID + " (" + d.InstanceID + ")", Plan: p,
					Poll: col.snapshotPoll(r, i == len(sys[r])-1)})
				snapLines = append(snapLines, fmt.Sprintf("  snapshot %s, system disk of %s", d.ID, d.InstanceID))
			}
		}
	}
	for _, r := range regions {
		rr := run
		rr.InstanceIDs = ids[r]
		p, err := ctx.Client.PlanPatch(r, rr)
		if err != nil {
			return Flow{}, err
		}
		step := Step{Label: run.Action + " " + strings.Join(ids[r], ", "), Plan: p, Poll: col.executionPoll(r)}
		if run.Reboot { // a reboot that fails may leave them Stopped: the runner starts them again
			step.Restarts = ids[r]
		}
		steps = append(steps, step)
	}
	lines := []string{}
	for _, in := range list {
		lines = append(lines, instanceLine(in))
	}
	lines = append(lines, "", fmt.Sprintf("OOS %s, %s, %d at once", cloud.PatchTemplate, run.Action, max(run.Concurrency, 1)))
	if run.Action == cloud.PatchInstall {
		if run.Reboot {
			lines = append(lines, "Instances whose patches need it are REBOOTED.")
		} else {
			lines = append(lines, "No reboot: patches that need one wait for the next restart.")
		}
	}
	if len(snapLines) > 0 {
		lines = append(lines, "", "First:")
		lines = append(lines, snapLines...)
	} else if snapshot {
		lines = append(lines, "", "No system disk found to snapshot.")
	}
	return Flow{
		Action: action, Title: fmt.Sprintf("%s patches of %s?", strings.ToUpper(run.Action[:1])+run.Action[1:], instancesNoun(list)),
		Lines: lines, Steps: steps, Reload: []string{"instances", "snapshots"},
		Verify:  col.verify,
		Options: opts,
		Rebuild: func(o []Option) (Flow, error) { return patchRunFlow(ctx, list, sys, o, concurrency) },
		Done: func([]cloud.Result) tea.Msg {
			return ShowModal{View: "instances", Modal: newTextPane(action+": result per instance", col.table())}
		},
	}, nil
}

func containsID(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// patchCollector gathers what a patch flow's polls saw: the snapshots
// made (waited for together) and the executions' final states.
type patchCollector struct {
	mu    sync.Mutex
	snaps map[string][]string // region -> snapshot ids
	execs []cloud.Execution
}

// snapshotPoll records the snapshot a step made; on the last snapshot
// step of a region it waits until all of them are accomplished.
func (p *patchCollector) snapshotPoll(region string, last bool) func(context.Context, *cloud.Client, cloud.Result) (bool, string, error) {
	return func(ctx context.Context, c *cloud.Client, res cloud.Result) (bool, string, error) {
		p.mu.Lock()
		if p.snaps == nil {
			p.snaps = map[string][]string{}
		}
		for _, id := range res.IDs {
			if !containsID(p.snaps[region], id) {
				p.snaps[region] = append(p.snaps[region], id)
			}
		}
		ids := append([]string(nil), p.snaps[region]...)
		p.mu.Unlock()
		if !last {
			return true, "started " + strings.Join(res.IDs, ", "), nil
		}
		list, err := c.Snapshots(ctx, region, cloud.SnapshotFilter{IDs: ids})
		if err != nil {
			return false, "", err
		}
		done := 0
		for _, s := range list {
			switch s.Status {
			case cloud.SnapshotAccomplished:
				done++
			case cloud.SnapshotFailed:
				return false, "", fmt.Errorf("snapshot %s failed: nothing was patched", s.ID)
			}
		}
		return done == len(ids), fmt.Sprintf("%d/%d snapshots accomplished", done, len(ids)), nil
	}
}

// executionPoll follows the execution the step started until it ends
// (verify judges it).
func (p *patchCollector) executionPoll(region string) func(context.Context, *cloud.Client, cloud.Result) (bool, string, error) {
	return func(ctx context.Context, c *cloud.Client, res cloud.Result) (bool, string, error) {
		if len(res.IDs) == 0 {
			return false, "", fmt.Errorf("the service started no execution")
		}
		e, err := c.Execution(ctx, region, res.IDs[0])
		if err != nil {
			return false, "", err
		}
		if !e.Done() {
			return false, e.ID + " " + e.Progress(), nil
		}
		p.mu.Lock()
		p.execs = append(p.execs, e)
		p.mu.Unlock()
		return true, e.ID + " " + e.Progress(), nil
	}
}

// verify fails the flow when an execution did not succeed, naming each
// instance that failed (the result pane still opens).
func (p *patchCollector) verify([]cloud.Result) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var bad []string
	for _, e := range p.execs {
		if e.OK() {
			continue
		}
		for _, in := range e.Instances {
			if in.Status != cloud.ExecutionSuccess {
				bad = append(bad, in.InstanceID+" "+in.Status+": "+in.Message)
			}
		}
		if e.StatusMessage != "" {
			bad = append(bad, e.ID+": "+e.StatusMessage)
		}
		if len(bad) == 0 {
			bad = append(bad, e.ID+" "+e.Status)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return fmt.Errorf("patching failed: %s", strings.Join(bad, "; "))
}

// table is the per-instance result of the executions.
func (p *patchCollector) table() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var lines []string
	for _, e := range p.execs {
		lines = append(lines, fmt.Sprintf("execution %s: %s", e.ID, e.Progress()), "",
			fmt.Sprintf("%-22s %-10s %s", "INSTANCE", "RESULT", "MESSAGE"))
		for _, in := range e.Instances {
			lines = append(lines, fmt.Sprintf("%-22s %-10s %s", in.InstanceID, in.Status, in.Message))
		}
		lines = append(lines, "")
	}
	return lines
}
