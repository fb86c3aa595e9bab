package views

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
)

// Step is one mutation of a flow, and how to know it has finished.
type Step struct {
	Label string      // "stop i-abc", shown in the activity list
	Plan  *cloud.Plan // executed through the one mutation path
	// Poll, when set, is asked after the call until it says done (e.g. the
	// instance reached Stopped); text is the progress shown meanwhile.
	Poll func(ctx context.Context, c *cloud.Client, res cloud.Result) (done bool, text string, err error)
	// Restarts are the instances this step takes down on its way to
	// Running (a reboot, a patch run allowed to reboot): if the flow
	// fails from this step on, those found Stopped are started again. A
	// StopInstance(s) step needs nothing here: its plan says so.
	Restarts []string
	// Deadline bounds how long the polls wait for the step to finish
	// (0 = stepDeadline, 10 minutes).
	Deadline time.Duration
}

// Flow is an action as the user confirms it: one or more steps run in
// order as one tracked operation (stop -> change type -> start), each
// through cloud's mutation path (read-only guard, ClientToken, retries,
// audit). Build it in a view's action and return flow.Cmd(ctx).
type Flow struct {
	Action string // what the activity list and the report call it
	Title  string // the confirmation's question
	Lines  []string
	Steps  []Step
	Typed  string // the word to type for a destructive flow ("" = derived)
	// Accept are other words that confirm a typed flow: the resource's
	// name where it is unique in the action's scope (see uniqueName).
	Accept   []string
	Undoable string // what cannot be undone, said plainly
	// Options are settings with defaults the user changes in the dialog
	// (a stop's mode); Rebuild makes the flow for other choices.
	Options []Option
	Rebuild func(options []Option) (Flow, error)
	Reload  []string
	// Verify, when set, judges results the API accepted: a batch that
	// succeeded for some instances and failed for others reports the
	// failures as the action's error.
	Verify func(results []cloud.Result) error
	// Then, when set, is the rest of what the user confirmed with this
	// flow (create then attach; read the filesystem then grow it): when
	// this one succeeds it returns the next flow, run at once without
	// asking again and under the same arm authorisation, or a message
	// (an error Report) when there is nothing to run.
	Then func(results []cloud.Result) (next Flow, msg tea.Msg)
	// inherit is the authorisation of the flow this one is the Then of.
	inherit *cloud.Authorization
	// Done, when set, turns the final result into a follow-up message
	// (e.g. offer to grow the filesystem after a resize); nil = a Report.
	Done func(results []cloud.Result) tea.Msg
	// LeaveStopped: the user asked for the instances to stay stopped, so
	// a failure after the stop does not start them again (the report
	// still says the state they are in).
	LeaveStopped bool
}

// pollEvery is the first wait between progress polls; it doubles to 8 s.
const pollEvery = time.Second

// stepDeadline is how long a step's polls wait for it to finish, unless
// the step says otherwise.
const stepDeadline = 10 * time.Minute

func (s Step) deadline() time.Duration {
	if s.Deadline > 0 {
		return s.Deadline
	}
	return stepDeadline
}

// minutes says a deadline the way the messages do: "10 minutes", "3s".
func minutes(d time.Duration) string {
	if d%time.Minute == 0 {
		if d == time.Minute {
			return "1 minute"
		}
		return fmt.Sprintf("%d minutes", int(d/time.Minute))
	}
	return d.String()
}

// Cmd asks for confirmation (with the DryRun verdict of every step that
// has one, and the equivalent CLI of all of them) and runs the steps on yes. In a
// read-only session it says so at once instead.
func (f Flow) Cmd(ctx Context) tea.Cmd {
	if !ctx.Client.CanWrite() {
		return reportErr(f.Action, ctx.Client.Refuse(context.Background(), f.Steps[0].Plan)) // audited
	}
	req := f.Confirm(ctx)
	return func() tea.Msg { return req }
}

// Confirm is the confirmation the flow asks for; building it sends
// nothing (the precheck runs when the shell shows it).
func (f Flow) Confirm(ctx Context) Confirm {
	destructive := false
	var cli []string
	for _, s := range f.Steps {
		destructive = destructive || s.Plan.Op.Destructive
		cli = append(cli, strings.Split(s.Plan.CLI(), "\n")...)
	}
	typed, accept := f.Typed, f.Accept
	if destructive && typed == "" {
		typed = typedWord(f.Steps[0].Plan.Op.Resources, "resources")
	}
	if !destructive {
		typed, accept = "", nil
	}
	precheck := f.precheck(ctx) // every step it can, before anything changes
	task := fmt.Sprintf("%s@%d", f.Action, ctx.now().UnixNano())
	req := Confirm{
		Title: f.Title, Lines: f.Lines, Typed: typed, Accept: accept, Danger: destructive,
		Undoable: f.Undoable, CLI: cli, Precheck: precheck, Run: f.runner(ctx, task),
		Options: f.Options,
	}
	if f.Rebuild != nil {
		rebuild := f.Rebuild
		req.Change = func(options []Option) (Confirm, error) {
			next, err := rebuild(options)
			if err != nil {
				return Confirm{}, err
			}
			return next.Confirm(ctx), nil
		}
	}
	return req
}

// runner executes the steps one command at a time so that every step and
// every poll reports progress to the activity list as it happens. A
// failure after a step that stopped instances does not simply end the
// run: restore (flow_restore.go) reads them, starts again those the
// operation should not leave Stopped, and says in the report what it left.
func (f Flow) runner(ctx Context, task string) tea.Cmd {
	client, timeout := ctx.Client, ctx.timeout()
	var results []cloud.Result
	run := &flowRun{}
	var step func(i int) tea.Cmd
	var poll func(i int, res cloud.Result, wait time.Duration, deadline time.Time) tea.Cmd

	end := func(err error, done bool) tea.Msg {
		report := f.report(task, results, err)
		report.LeftStopped, report.Unconfirmed = run.leftStopped, run.unconfirmed
		report.CLI = append(report.CLI, run.restoreCLI...)
		if done && f.Done != nil {
			if msg := f.Done(results); msg != nil {
				return tea.BatchMsg{func() tea.Msg { return report }, func() tea.Msg { return msg }}
			}
		}
		if done && err == nil && f.Then != nil {
			next, msg := f.Then(results)
			if len(next.Steps) > 0 {
				auth := run.auth
				next.inherit = &auth
				msg = next.runner(ctx, fmt.Sprintf("%s@%d", next.Action, time.Now().UnixNano()))()
			}
			if msg != nil {
				return tea.BatchMsg{func() tea.Msg { return report }, func() tea.Msg { return msg }}
			}
		}
		return report
	}
	finish := func(err error) tea.Msg {
		verified := false // Verify judged it: Done still shows the result pane
		if err == nil && f.Verify != nil {
			if verr := f.Verify(results); verr != nil {
				err, verified = verr, true
				run.failed(len(f.Steps), false, verr)
			}
		}
		if err != nil {
			if msg := f.restore(ctx, task, run, err, func(err error) tea.Msg { return end(err, verified) }); msg != nil {
				return msg
			}
		}
		return end(err, err == nil || verified)
	}
	step = func(i int) tea.Cmd {
		return func() tea.Msg {
			if i == len(f.Steps) {
				return finish(nil)
			}
			s := f.Steps[i]
			rctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			run.attempted = i + 1
			res, err := client.Execute(cloud.WithAuthorization(rctx, run.auth), s.Plan)
			results = append(results, res)
			if err != nil {
				// A lost answer the read-back could not settle may have
				// made the change: not "the change was not made".
				unknown := errors.Is(err, cloud.ErrOutcomeUnknown)
				run.failed(i, !unknown, err)
				run.unconfirmed = run.unconfirmed || unknown
				return finish(fmt.Errorf("%s: %w", s.Label, err))
			}
			if s.Poll == nil {
				return Progress{Task: task, Action: f.Action, Reload: f.Reload, Text: s.Label + ": done", Next: step(i + 1)}
			}
			return Progress{Task: task, Action: f.Action, Reload: f.Reload, Text: s.Label + ": submitted", Next: poll(i, res, pollEvery, time.Now().Add(s.deadline()))}
		}
	}
	poll = func(i int, res cloud.Result, wait time.Duration, deadline time.Time) tea.Cmd {
		return tea.Tick(wait, func(time.Time) tea.Msg {
			s := f.Steps[i]
			rctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			read := &pollRead{}
			// A throttled read comes back at once: this loop backs off
			// itself, up to the step's deadline, rather than the call.
			pctx := cloud.WithoutThrottleRetry(context.WithValue(rctx, pollReadKey{}, read))
			done, text, err := s.Poll(pctx, client, res)
			run.saw(read.items)
			p := Progress{Task: task, Action: f.Action, Reload: f.Reload, Text: s.Label + ": " + text, Read: read.items, Refresh: read.items == nil}
			next := min(wait*2, 8*time.Second)
			switch {
			case err != nil && unread(err) && time.Now().Before(deadline):
				// The read did not arrive: not the step's failure.
				p.Text, p.Refresh = fmt.Sprintf("%s: could not read (%s), asking again in %s", s.Label, errCode(err), next), false
			case err != nil && unread(err):
				run.failed(i, false, err)
				run.unconfirmed = true
				return finish(fmt.Errorf("%s: could not confirm: the last read did not arrive (%w); check :activity and refresh", s.Label, err))
			case err != nil:
				run.failed(i, false, err)
				return finish(fmt.Errorf("%s: %w", s.Label, err))
			case done:
				p.Next = step(i + 1)
				return p
			case time.Now().After(deadline):
				run.failed(i, false, nil)
				return finish(fmt.Errorf("%s: still %s after %s; check :activity and refresh", s.Label, text, minutes(s.deadline())))
			}
			p.Next = poll(i, res, next, deadline)
			return p
		})
	}
	first := step(0)
	return func() tea.Msg {
		// The user confirmed now: the arm check is made once, here, and
		// lets every step (and a restore) through to the operation's end.
		if f.inherit != nil { // the rest of an operation confirmed before
			run.auth = *f.inherit
		} else {
			run.auth = client.Authorize()
		}
		return Progress{Task: task, Action: f.Action, Reload: f.Reload, Text: "starting", Next: first}
	}
}

func (f Flow) report(task string, results []cloud.Result, err error) Report {
	r := Report{Task: task, Action: f.Action, Err: err, Reload: f.Reload}
	for i, res := range results { // results[i] answers Steps[i]
		if i >= len(f.Steps) {
			break
		}
		if f.Steps[i].Plan.Op.Create {
			r.Created = append(r.Created, res.IDs...)
		}
		// What was sent, for :activity (secrets are redacted by CLI).
		r.CLI = append(r.CLI, strings.Split(f.Steps[i].Plan.CLI(), "\n")...)
	}
	if len(results) > 0 {
		r.RequestID = results[len(results)-1].RequestID
	}
	if errors.Is(err, cloud.ErrReadOnly) {
		r.Err = cloud.ErrReadOnly
	}
	return r
}

// pollRead carries what a step's poll read of the resources it waits on
// back to the runner, which hands it to the views (Progress.Read) so they
// update those rows instead of reloading. It travels in the poll's context
// so that every poll keeps the one Poll signature; a poll that reads
// nothing a list shows just never calls handBack.
type pollRead struct{ items any }

type pollReadKey struct{}

// handBack records what a poll read (e.g. []cloud.Instance) for the
// runner; outside a flow's poll it does nothing.
func handBack(ctx context.Context, items any) {
	if r, ok := ctx.Value(pollReadKey{}).(*pollRead); ok {
		r.items = items
	}
}
