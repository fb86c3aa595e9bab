package views

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// Run a command (X, `:run [COMMAND…]`): Cloud Assistant RunCommand on the
// marked instances (or the selected one), shell for Linux and PowerShell
// for Windows; the flow waits until every run finished and the output
// opens in a scrollable pane, per instance, with status and exit code.

func runCommand(l *List[cloud.Instance], ctx Context, args []string) tea.Cmd {
	list := l.MarkedItems()
	if len(list) == 0 {
		return nil
	}
	action := "run a command on " + instancesNoun(list)
	typ, err := commandTypeFor(list)
	if err != nil {
		return refuse(action, err)
	}
	if len(args) > 0 {
		return commandFlow(ctx, list, typ, strings.Join(args, " "), 0, "instances")
	}
	f := newOpForm(ctx, "Run a command on "+instancesNoun(list), []form.Field{
		{Key: "script", Label: "Command", Kind: form.Text, Placeholder: "uptime; df -h",
			Help: "one line; separate commands with ; or &&"},
		{Key: "type", Label: "Type", Kind: form.Choice, Value: typ,
			Options:      []string{cloud.CommandShell, cloud.CommandPowerShell},
			Descriptions: []string{"Linux shell", "Windows PowerShell"}},
		{Key: "timeout", Label: "Timeout (s)", Kind: form.Number, Optional: true, Placeholder: "60",
			Help: "10-86400 seconds; empty: the API's 60", Validate: quantity("timeout", cloud.UnitSeconds, 10, 86400)},
	}, func(v map[string]string) (tea.Cmd, error) {
		secs, _ := cloud.ParseQuantity("timeout", v["timeout"], cloud.UnitSeconds, 10, 86400) // validated; empty is 0: the API's default
		timeout := time.Duration(secs) * time.Second
		if err := cloud.ValidateCommand(v["type"], v["script"], timeout); err != nil {
			return nil, err
		}
		return commandFlow(ctx, list, v["type"], v["script"], timeout, "instances"), nil
	})
	f.fields = map[string]string{"command": "script", "command type": "type", "timeout": "timeout"}
	l.OpenModal(f)
	return nil
}

// commandTypeFor is the command type for the instances' OS; instances of
// both kinds cannot take one command.
func commandTypeFor(list []cloud.Instance) (string, error) {
	win, lin := 0, 0
	for _, in := range list {
		if strings.EqualFold(in.OSType, "windows") {
			win++
		} else {
			lin++
		}
	}
	if win > 0 && lin > 0 {
		return "", &cloud.ValidationError{Field: "instances", Rule: fmt.Sprintf("%d Linux and %d Windows instances marked: one command runs on one kind", lin, win)}
	}
	if win > 0 {
		return cloud.CommandPowerShell, nil
	}
	return cloud.CommandShell, nil
}

// commandFlow runs script on the instances and shows the output in a pane
// over the view named view.
func commandFlow(ctx Context, list []cloud.Instance, typ, script string, timeout time.Duration, view string) tea.Cmd {
	action := "run a command on " + instancesNoun(list)
	if err := cloud.ValidateCommand(typ, script, timeout); err != nil {
		return refuse(action, err)
	}
	regions, ids := byRegion(list)
	out := &invocationOutput{}
	var steps []Step
	for _, r := range regions {
		p, err := ctx.Client.PlanRunCommand(r, ids[r], typ, script, timeout)
		if err != nil {
			return refuse(action, err)
		}
		steps = append(steps, Step{Label: "run on " + strings.Join(ids[r], ", "), Plan: p, Poll: out.poll(r)})
	}
	lines := []string{"type: " + typ, "timeout: " + map[bool]string{true: "60s (the API's default)", false: timeout.String()}[timeout == 0], "", "script:"}
	for _, s := range strings.Split(script, "\n") {
		lines = append(lines, "  "+s)
	}
	lines = append(lines, "", "on:")
	for _, in := range list {
		line := "  " + instanceLine(in)
		if in.Status != cloud.StateRunning {
			line += "  (not Running: its run will be Aborted)"
		}
		lines = append(lines, line)
	}
	f := Flow{
		Action: action,
		Title:  fmt.Sprintf("Run this command on %s?", instancesNoun(list)),
		Lines:  lines,
		Steps:  steps,
		Done: func([]cloud.Result) tea.Msg {
			return ShowModal{View: view, Modal: newTextPane("Output: "+oneLineOf(script), invocationLines(out.results()))}
		},
	}
	return f.Cmd(ctx)
}

// invocationOutput gathers the results of a flow's invocations as its
// polls read them.
type invocationOutput struct {
	mu   sync.Mutex
	runs map[string][]cloud.InvocationResult // by invoke id
}

func (o *invocationOutput) poll(region string) func(context.Context, *cloud.Client, cloud.Result) (bool, string, error) {
	return func(ctx context.Context, c *cloud.Client, res cloud.Result) (bool, string, error) {
		done, n, total := true, 0, 0
		for _, id := range res.IDs {
			list, fin, err := c.InvocationResults(ctx, region, id)
			if err != nil {
				return false, "", err
			}
			o.mu.Lock()
			if o.runs == nil {
				o.runs = map[string][]cloud.InvocationResult{}
			}
			o.runs[id] = list
			o.mu.Unlock()
			done = done && fin
			for _, r := range list {
				total++
				if r.Done() {
					n++
				}
			}
		}
		return done, fmt.Sprintf("%d/%d finished", n, total), nil
	}
}

func (o *invocationOutput) results() []cloud.InvocationResult {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []cloud.InvocationResult
	for _, list := range o.runs {
		out = append(out, list...)
	}
	return out
}

// invocationLines renders every instance's run: a header with status and
// exit code, then its output.
func invocationLines(results []cloud.InvocationResult) []string {
	ok := 0
	for _, r := range results {
		if r.OK() {
			ok++
		}
	}
	lines := []string{fmt.Sprintf("%d of %d succeeded", ok, len(results))}
	for _, r := range results {
		lines = append(lines, "", fmt.Sprintf("── %s  %s  exit %d", r.InstanceID, r.Status, r.ExitCode))
		if r.Error != "" {
			lines = append(lines, "error: "+r.Error)
		}
		if strings.TrimSpace(r.Output) == "" {
			lines = append(lines, "(no output)")
		} else {
			lines = append(lines, strings.Split(strings.TrimRight(strings.ReplaceAll(r.Output, "\r\n", "\n"), "\n"), "\n")...)
		}
		if r.Dropped > 0 {
			lines = append(lines, fmt.Sprintf("(%d more bytes dropped by the service)", r.Dropped))
		}
	}
	return lines
}

// oneLineOf is the first line of a script, shortened for a title.
func oneLineOf(s string) string {
	line, _, more := strings.Cut(strings.TrimSpace(s), "\n")
	if len(line) > 40 {
		line, more = line[:40], true
	}
	if more {
		line += "…"
	}
	return line
}
