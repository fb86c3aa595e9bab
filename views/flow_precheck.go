package views

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
)

// The precheck of a flow covers every step it can before anything is
// changed: each step with a DryRun is asked, in order. A step after a stop
// may be refused only because the stop has not run yet (the modify of a
// type change on a Running instance): that refusal is not the step's, it
// is checked when the step runs. The verdict says per step what was
// checked, and which steps could not be (their API has no DryRun).

// afterStopCodes are the refusals of a call that needs the instance
// Stopped: for a step after a stop they say only that the stop is first.
var afterStopCodes = []string{"IncorrectInstanceStatus", "InvalidInstanceStatus.NotStopped", "InvalidStatus.NotStopped"}

// precheck is the confirmation's precheck: the first step's DryRun as
// it always was for a flow of one step; each step's for a longer one.
// A longer flow whose calls have no DryRun gets a verdict that says so.
func (f Flow) precheck(ctx Context) tea.Cmd {
	client, timeout := ctx.Client, ctx.timeout()
	if len(f.Steps) == 1 {
		first := f.Steps[0].Plan
		if !first.Op.DryRun {
			return nil
		}
		return func() tea.Msg {
			rctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			return verdictOf(client.Precheck(rctx, first))
		}
	}
	var unchecked []string
	for i, s := range f.Steps {
		if !s.Plan.Op.DryRun {
			unchecked = append(unchecked, fmt.Sprintf("%d. %s", i+1, s.Label))
		}
	}
	if len(unchecked) == len(f.Steps) {
		// Nothing to ask; the dialog still says so.
		v := Verdict{Text: "not prechecked: none of these calls has a DryRun (" + strings.Join(unchecked, ", ") + ")"}
		return func() tea.Msg { return v }
	}
	return func() tea.Msg { return f.precheckSteps(client, timeout) }
}

// precheckSteps asks every step's DryRun and sums the answers up.
func (f Flow) precheckSteps(client *cloud.Client, timeout time.Duration) Verdict {
	var parts, unchecked, later []string
	out := Verdict{OK: true}
	stopped := false // a step before this one stops instances
	for i, s := range f.Steps {
		n := fmt.Sprintf("%d. %s", i+1, s.Label)
		if !s.Plan.Op.DryRun {
			unchecked = append(unchecked, n)
			stopped = stopped || hasAction(s.Plan, "StopInstance", "StopInstances")
			continue
		}
		// A throttled DryRun answers at once: the API's own limits (one
		// type change per 5 minutes) are its verdict, not worth 30 s of
		// retries while the dialog waits.
		rctx, cancel := context.WithTimeout(cloud.WithoutThrottleRetry(context.Background()), timeout)
		v := client.Precheck(rctx, s.Plan)
		cancel()
		switch {
		case v.OK || !v.Supported:
			parts = append(parts, n+" ✓")
		case stopped && codeIn(v.Code, afterStopCodes):
			later = append(later, n)
		case transientCode(v.Code) && !rateLimited(v):
			out.OK = false
			parts = append(parts, n+" could not be checked ("+v.Code+")")
		default:
			sv := verdictOf(v)
			out.OK, out.Refused = false, true
			parts = append(parts, n+" ✗ "+strings.TrimPrefix(sv.Text, "precheck refused: "))
			if out.Advice == "" {
				out.Advice = sv.Advice
			}
		}
		stopped = stopped || hasAction(s.Plan, "StopInstance", "StopInstances")
	}
	text := "precheck: " + strings.Join(parts, " · ")
	if len(parts) == 0 {
		text = "precheck: no step could be asked before the stop"
	}
	if len(later) > 0 {
		text += "; checked after the stop (they need it Stopped): " + strings.Join(later, ", ")
	}
	if len(unchecked) > 0 {
		text += "; not prechecked (no DryRun): " + strings.Join(unchecked, ", ")
	}
	out.Text = text
	return out
}

func codeIn(code string, codes []string) bool {
	for _, c := range codes {
		if code == c || strings.HasPrefix(code, c+".") {
			return true
		}
	}
	return false
}

// rateLimited is the API's limit of one type change per instance per 5
// minutes (notes §5: Throttling "…please try again after 5 minutes"): a
// refusal that waiting, not retrying at once, answers.
func rateLimited(v cloud.Verdict) bool {
	return strings.HasPrefix(v.Code, "Throttling") && strings.Contains(v.Message, "after 5 minutes")
}

const rateLimitAdvice = "Its type changed in the last 5 minutes: the API takes one change per instance per 5 minutes; try again then."
