package views

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// The login password of instances (:password, P): typed twice in masked
// fields, checked against the service's rules before any call, then set
// with ModifyInstanceAttribute and made effective by a reboot (Running) or
// a start (Stopped) in the same tracked operation. The password lives only
// in the form and in the plan that sends it: the plan's CLI, the audit
// log, the activity list and every error show it redacted.

// Restart choices of the password and key pair forms.
const (
	restartNow   = "now"
	restartLater = "later"
)

func passwordAction() Action[cloud.Instance] {
	return Action[cloud.Instance]{Name: "password", Help: "reset the login password", Keys: []string{"P"}, Run: resetPassword}
}

// resetPassword opens the password form on the marked instances (or the
// selected one). The palette takes no argument: a password typed on the
// command line would be shown there.
func resetPassword(l *List[cloud.Instance], ctx Context, _ []string) tea.Cmd {
	list := l.MarkedItems()
	if len(list) == 0 {
		return nil
	}
	windows := slices.ContainsFunc(list, func(in cloud.Instance) bool { return in.OSType == "windows" })
	help := "8-30 characters, three of: upper, lower, digits, specials " + cloud.PasswordSpecials
	if windows {
		help += "; may not begin with / (Windows)"
	}
	f := newOpForm(ctx, "New login password of "+instancesNoun(list), []form.Field{
		{Key: "password", Label: "Password", Kind: form.Secret, Help: help,
			Validate: func(v string) error { return cloud.ValidateInstancePasswordFor(v, windows) }},
		{Key: "again", Label: "Again", Kind: form.Secret, Help: "type it once more"},
		{Key: "restart", Label: "Restart", Kind: form.Choice, Options: []string{restartNow, restartLater},
			Descriptions: []string{"reboot the running, start the stopped: the password takes effect", "the password takes effect at the next restart"}},
	}, func(v map[string]string) (tea.Cmd, error) {
		pw := v["password"]
		if err := cloud.ValidateInstancePasswordFor(pw, windows); err != nil {
			return nil, err
		}
		if v["again"] != pw {
			return nil, &cloud.ValidationError{Field: "password again", Rule: "the two passwords differ"}
		}
		return passwordFlow(ctx, list, pw, v["restart"] == restartNow)
	})
	f.fields = map[string]string{"password": "password", "password again": "again", "instances": "restart"}
	l.OpenModal(f)
	return nil
}

// passwordFlow sets the password of the instances, one step per region,
// then (restart) reboots or starts them in the same operation. Plans that
// refuse (an instance Starting, a rule broken) are returned as the error
// the form shows.
func passwordFlow(ctx Context, list []cloud.Instance, password string, restart bool) (tea.Cmd, error) {
	action := "reset password of " + instancesNoun(list)
	regions, _ := byRegion(list)
	var steps, after []Step
	for _, r := range regions {
		targets := inRegion(list, r)
		p, err := ctx.Client.PlanResetPassword(r, targets, password)
		if err != nil {
			return nil, err
		}
		steps = append(steps, Step{Label: "set password of " + strings.Join(instanceIDs(targets), ", "), Plan: p})
		if restart {
			s, err := applyLoginStep(ctx, r, targets)
			if err != nil {
				return nil, err
			}
			after = append(after, s)
		}
	}
	lines := []string{"The new password (not shown) is set on:", ""}
	for _, in := range list {
		lines = append(lines, instanceLine(in))
	}
	lines = append(lines, "")
	if restart {
		lines = append(lines, restartLine(list))
	} else {
		lines = append(lines, "It takes effect at the next restart of each instance.")
	}
	f := Flow{
		Action: action, Title: fmt.Sprintf("Reset the login password of %s?", instancesNoun(list)),
		Lines: lines, Steps: append(steps, after...), Reload: []string{"instances"},
		Verify: verifyItems,
		Done:   batchResultPane("instances", action),
	}
	return f.Cmd(ctx), nil
}

// applyLoginStep reboots the running and starts the stopped instances so
// a new password or key pair takes effect, waiting until all run.
func applyLoginStep(ctx Context, region string, targets []cloud.Instance) (Step, error) {
	p, err := ctx.Client.PlanApplyLogin(region, targets)
	if err != nil {
		return Step{}, err
	}
	var running []string // a failed reboot may leave these Stopped: the runner starts them again
	for _, in := range targets {
		if in.Status == cloud.StateRunning {
			running = append(running, in.ID)
		}
	}
	return Step{Label: "restart " + strings.Join(instanceIDs(targets), ", "), Plan: p, Poll: pollInstances(region, cloud.StateRunning), Restarts: running}, nil
}

// restartLine says what the restart will do to each instance.
func restartLine(list []cloud.Instance) string {
	var reboot, start []string
	for _, in := range list {
		if in.Status == cloud.StateStopped {
			start = append(start, in.ID)
		} else {
			reboot = append(reboot, in.ID)
		}
	}
	var parts []string
	if len(reboot) > 0 {
		parts = append(parts, "reboot "+strings.Join(reboot, ", "))
	}
	if len(start) > 0 {
		parts = append(parts, "start "+strings.Join(start, ", "))
	}
	return "Then, so that it takes effect: " + strings.Join(parts, "; ") + "."
}

// inRegion returns the instances of list in region.
func inRegion(list []cloud.Instance, region string) []cloud.Instance {
	var out []cloud.Instance
	for _, in := range list {
		if in.RegionID == region {
			out = append(out, in)
		}
	}
	return out
}

// verifyItems fails a flow whose batch calls failed for some instances.
func verifyItems(results []cloud.Result) error {
	var items []cloud.ItemResult
	for _, r := range results {
		items = append(items, r.Items...)
	}
	return itemsError(items)
}

// batchResultPane shows the per-instance outcome table at the end of a
// flow when there were several or any failed (nil otherwise: the report
// says it).
func batchResultPane(view, action string) func([]cloud.Result) tea.Msg {
	return func(results []cloud.Result) tea.Msg {
		var items []cloud.ItemResult
		for _, r := range results {
			items = append(items, r.Items...)
		}
		if len(items) < 2 && itemsError(items) == nil {
			return nil
		}
		return ShowModal{View: view, Modal: newTextPane(action+": result per instance", itemTable(items))}
	}
}
