package views

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
)

// An operation that stops a machine owns bringing it back. When a step
// fails after one that stopped instances (a type change's modify, a roll
// back's reset, a re-initialise), the runner does not simply end: restore
// reads the instances, waits for those still on their way, starts again
// (through the one mutation path, as steps the activity list shows) those
// the operation should not leave Stopped, waits until they run, and ends
// with a report that says the state each is in, what was done and what
// failed. What it cannot start again is named in Report.LeftStopped.

// restoreSettle bounds the wait for instances still Stopping (or
// Starting) before restore decides what to do with them.
const restoreSettle = 5 * time.Minute

// flowRun is what a run of a flow has done so far: how many steps were
// sent, where and how it failed, and the instances as its polls first
// read them (their type before a change).
type flowRun struct {
	attempted int   // steps whose call was sent
	failStep  int   // the step that failed; len(Steps) = Verify judged the results
	failCall  bool  // the step's own call failed: its change was not made
	cause     error // the failure without the step's label; nil = a poll's deadline
	first     map[string]cloud.Instance

	leftStopped []string // for the report: what restore could not start again
	restoreCLI  []string // for the report: the calls restore made
	unconfirmed bool     // a step's outcome could not be read before its deadline

	auth cloud.Authorization // taken when the user confirmed (flow.go runner)
}

func (r *flowRun) failed(step int, call bool, err error) {
	r.failStep, r.failCall, r.cause = step, call, err
}

// saw keeps the first reading of each instance a poll handed back.
func (r *flowRun) saw(items any) {
	list, ok := items.([]cloud.Instance)
	if !ok {
		return
	}
	if r.first == nil {
		r.first = map[string]cloud.Instance{}
	}
	for _, in := range list {
		if _, seen := r.first[in.ID]; !seen {
			r.first[in.ID] = in
		}
	}
}

// downed is an instance a step of the flow took down.
type downed struct {
	region, id string
	step       int
	// back: the flow itself brings it back to Running (a start step after
	// the stop, or the step is a restart).
	back bool
}

// downed lists the instances the first attempted steps stopped or
// restarted, once each (the first step that did).
func (f Flow) downed(attempted int) []downed {
	var out []downed
	for i := 0; i < attempted && i < len(f.Steps); i++ {
		s := f.Steps[i]
		ids, back := s.Restarts, true
		if len(ids) == 0 && hasAction(s.Plan, "StopInstance", "StopInstances") {
			ids, back = s.Plan.Op.Resources, f.startsAfter(i)
		}
		for _, id := range ids {
			if !slices.ContainsFunc(out, func(d downed) bool { return d.id == id }) {
				out = append(out, downed{region: s.Plan.Op.Region, id: id, step: i, back: back})
			}
		}
	}
	return out
}

// startsAfter reports whether a step after i starts instances again: the
// user wants them Running at the end.
func (f Flow) startsAfter(i int) bool {
	for _, s := range f.Steps[i+1:] {
		if hasAction(s.Plan, "StartInstance", "StartInstances") {
			return true
		}
	}
	return false
}

// hasAction reports whether the plan calls one of the actions (a chained
// plan's Op.Action joins its actions with "+").
func hasAction(p *cloud.Plan, actions ...string) bool {
	if p == nil {
		return false
	}
	for _, a := range strings.Split(p.Op.Action, "+") {
		if slices.Contains(actions, a) {
			return true
		}
	}
	return false
}

// restoring is one restore after a failed step.
type restoring struct {
	flow     Flow
	ctx      Context
	task     string
	run      *flowRun
	err      error
	end      func(error) tea.Msg
	items    []downed
	want     map[string]bool // to be started again if found Stopped
	now      map[string]cloud.Instance
	readErr  error
	started  map[string]bool
	startErr map[string]error
	deadline time.Time
}

// restore begins the restore after err, when a step failed after one that
// stopped instances, or one the flow meant to run again failed; nil when
// the flow took nothing down that concerns the failure (nothing to do).
func (f Flow) restore(ctx Context, task string, run *flowRun, err error, end func(error) tea.Msg) tea.Msg {
	r := &restoring{flow: f, ctx: ctx, task: task, run: run, err: err, end: end,
		want: map[string]bool{}, started: map[string]bool{}, startErr: map[string]error{}}
	changeNotMade := run.failCall && run.failStep < len(f.Steps)
	for _, d := range f.downed(run.attempted) {
		if run.failStep <= d.step && !d.back {
			continue // the stop itself failed, and the user wanted it stopped
		}
		r.items = append(r.items, d)
		if !f.LeaveStopped && (d.back || (changeNotMade && run.failStep > d.step)) {
			r.want[d.id] = true
		}
	}
	if len(r.items) == 0 {
		return nil
	}
	r.deadline = time.Now().Add(restoreSettle)
	return r.progress("reading "+r.ids(), r.settle(0))
}

func (r *restoring) ids() string {
	ids := make([]string, len(r.items))
	for i, d := range r.items {
		ids[i] = d.id
	}
	return strings.Join(ids, ", ")
}

func (r *restoring) progress(text string, next tea.Cmd) Progress {
	var read any
	if len(r.now) > 0 {
		list := make([]cloud.Instance, 0, len(r.now))
		for _, d := range r.items {
			if in, ok := r.now[d.id]; ok {
				list = append(list, in)
			}
		}
		read = list
	}
	f := r.flow
	return Progress{Task: r.task, Action: f.Action, Reload: f.Reload, Text: "after the failure: " + text, Read: read, Next: next}
}

// read reads every instance restore follows (a region at a time).
func (r *restoring) read() {
	rctx, cancel := context.WithTimeout(context.Background(), r.ctx.timeout())
	defer cancel()
	rctx = cloud.WithoutThrottleRetry(rctx)
	byRegion := map[string][]string{}
	var regions []string
	for _, d := range r.items {
		if _, ok := byRegion[d.region]; !ok {
			regions = append(regions, d.region)
		}
		byRegion[d.region] = append(byRegion[d.region], d.id)
	}
	r.readErr = nil
	for _, region := range regions {
		list, err := r.ctx.Client.LaunchedInstances(rctx, region, byRegion[region])
		if err != nil {
			r.readErr = err
			continue
		}
		if r.now == nil {
			r.now = map[string]cloud.Instance{}
		}
		for _, in := range list {
			r.now[in.ID] = in
		}
	}
}

func transient(s cloud.InstanceState) bool {
	return s == cloud.StateStopping || s == cloud.StateStarting || s == cloud.StatePending
}

// settle waits until every instance is read and none is on its way
// (Stopping, Starting), up to restoreSettle, then starts what it should.
func (r *restoring) settle(wait time.Duration) tea.Cmd {
	return tea.Tick(wait, func(time.Time) tea.Msg {
		r.read()
		var waiting []string
		for _, d := range r.items {
			in, ok := r.now[d.id]
			switch {
			case !ok:
				waiting = append(waiting, d.id+" (not read)")
			case transient(in.Status):
				waiting = append(waiting, d.id+" "+string(in.Status))
			}
		}
		if len(waiting) == 0 || time.Now().After(r.deadline) {
			return r.startAgain()
		}
		text := "waiting for " + strings.Join(waiting, ", ")
		if r.readErr != nil {
			text += fmt.Sprintf(" (could not read: %s)", errCode(r.readErr))
		}
		return r.progress(text, r.settle(backoff(wait)))
	})
}

// backoff is the next wait of a poll: 1 s, doubling to 8 s.
func backoff(wait time.Duration) time.Duration {
	if wait < pollEvery {
		return pollEvery
	}
	return min(wait*2, 8*time.Second)
}

// startAgain starts, through the one mutation path, the instances found
// Stopped that the operation should not leave so.
func (r *restoring) startAgain() tea.Msg {
	byRegion := map[string][]string{}
	var regions []string
	for _, d := range r.items {
		if in, ok := r.now[d.id]; ok && r.want[d.id] && in.Status == cloud.StateStopped {
			if _, ok := byRegion[d.region]; !ok {
				regions = append(regions, d.region)
			}
			byRegion[d.region] = append(byRegion[d.region], d.id)
		}
	}
	if len(regions) == 0 {
		return r.finish()
	}
	var texts []string
	for _, region := range regions {
		ids := byRegion[region]
		err := r.start(region, ids)
		for _, id := range ids {
			if err != nil {
				r.startErr[id] = err
			} else if r.startErr[id] == nil {
				r.started[id] = true
			}
		}
		state := "submitted"
		if err != nil {
			state = "failed: " + oneLineErr(err)
		}
		texts = append(texts, "start "+strings.Join(ids, ", ")+": "+state)
	}
	r.deadline = time.Now().Add(stepDeadline)
	return r.progress(strings.Join(texts, "; "), r.waitRunning(pollEvery))
}

// start sends one StartInstances for ids; a batch item that failed is
// that instance's error.
func (r *restoring) start(region string, ids []string) error {
	client := r.ctx.Client
	p, err := client.PlanStartInstances(region, ids)
	if err != nil {
		return err
	}
	r.run.restoreCLI = append(r.run.restoreCLI, strings.Split(p.CLI(), "\n")...)
	rctx, cancel := context.WithTimeout(context.Background(), r.ctx.timeout())
	defer cancel()
	res, err := client.Execute(cloud.WithAuthorization(rctx, r.run.auth), p)
	if err != nil {
		return err
	}
	for _, it := range res.Items {
		if !it.OK() {
			r.startErr[it.ID] = fmt.Errorf("%s: %s (RequestId %s)", it.Code, it.Message, res.RequestID)
		}
	}
	return nil
}

// waitRunning follows the instances restore started until they run.
func (r *restoring) waitRunning(wait time.Duration) tea.Cmd {
	return tea.Tick(wait, func(time.Time) tea.Msg {
		r.read()
		n, total := 0, 0
		for id := range r.started {
			total++
			if in, ok := r.now[id]; ok && in.Status == cloud.StateRunning {
				n++
			}
		}
		if n == total || time.Now().After(r.deadline) {
			return r.finish()
		}
		text := fmt.Sprintf("start: %d/%d Running", n, total)
		if r.readErr != nil {
			text = fmt.Sprintf("start: could not read (%s), asking again", errCode(r.readErr))
		}
		return r.progress(text, r.waitRunning(backoff(wait)))
	})
}

// finish ends the flow with the report of what restore found and did.
func (r *restoring) finish() tea.Msg {
	f := r.flow
	var states []string
	for _, d := range r.items {
		in, ok := r.now[d.id]
		switch {
		case !ok:
			reason := "it could not be read"
			if r.readErr != nil {
				reason += " (" + oneLineErr(r.readErr) + ")"
			}
			states = append(states, d.id+" may have been left Stopped by this operation: "+reason+"; check it and start it")
			if r.want[d.id] {
				r.run.leftStopped = append(r.run.leftStopped, d.id)
			}
		case in.Status == cloud.StateRunning && r.started[d.id]:
			states = append(states, d.id+" is Running again"+r.typeNote(in)+" (started after the failure)")
		case in.Status == cloud.StateRunning, in.Status == cloud.StateStarting, in.Status == cloud.StatePending:
			states = append(states, d.id+" is "+string(in.Status)+r.typeNote(in))
		case r.want[d.id]:
			reason := "it is still " + string(in.Status)
			switch {
			case r.startErr[d.id] != nil:
				reason = "starting it again failed (" + codeAndRequest(r.startErr[d.id]) + ")"
			case r.started[d.id]:
				reason = "it did not reach Running after its start"
			}
			states = append(states, d.id+" was left "+string(in.Status)+" by this operation"+r.typeNote(in)+": "+reason+"; start it")
			r.run.leftStopped = append(r.run.leftStopped, d.id)
		case f.LeaveStopped:
			states = append(states, d.id+" stays "+string(in.Status)+", as asked"+r.typeNote(in))
		default:
			states = append(states, d.id+" is "+string(in.Status)+", as this operation leaves it"+r.typeNote(in))
		}
	}
	last := min(r.run.failStep, len(f.Steps))
	var done []string
	for _, s := range f.Steps[:last] {
		done = append(done, s.Label)
	}
	return r.end(&OutcomeError{States: states, Done: done, Err: r.err})
}

// typeNote names the instance's type after a flow that changes types:
// the old one when the change did not happen.
func (r *restoring) typeNote(in cloud.Instance) string {
	changes := false
	for _, s := range r.flow.Steps {
		changes = changes || hasAction(s.Plan, "ModifyInstanceSpec", "ModifyPrepayInstanceSpec")
	}
	if !changes || in.Type == "" {
		return ""
	}
	before, ok := r.run.first[in.ID]
	switch {
	case !ok || before.Type == "":
		return " (type " + in.Type + ")"
	case before.Type == in.Type:
		return " on its old type " + in.Type
	}
	return " on its new type " + in.Type + " (was " + before.Type + ")"
}

// OutcomeError is a failed flow's error once restore has read what it
// left: the state of each instance it took down, the steps that were
// done, and the failure. It wraps the failure, so the API's Code and
// RequestId stay readable (errors.As); the shell shows each part.
type OutcomeError struct {
	States []string // "i-… is Running again on its old type …"
	Done   []string // the labels of the steps done before the failure
	Err    error    // "step: Code: Message (RequestId …)"
}

// Error says it all on one line: states first, then what was done and
// what failed.
func (e *OutcomeError) Error() string {
	parts := slices.Clone(e.States)
	if len(e.Done) > 0 {
		parts = append(parts, "done: "+strings.Join(e.Done, ", "))
	}
	return strings.Join(append(parts, "failed: "+oneLineErr(e.Err)), "; ")
}

func (e *OutcomeError) Unwrap() error { return e.Err }

// unread reports whether a poll's error is a read that did not arrive
// (throttled, timed out, 5xx, no connection) rather than an answer.
func unread(err error) bool {
	return cloud.Retryable(err) || errors.Is(err, context.DeadlineExceeded)
}

// codeAndRequest is err's Code and RequestId, short enough for a
// sentence ("OperationDenied.NoStock, RequestId 7F…"); its message
// otherwise.
func codeAndRequest(err error) string {
	var api *cloud.APIError
	if errors.As(err, &api) && api.Code != "" {
		if api.RequestID != "" {
			return api.Code + ", RequestId " + api.RequestID
		}
		return api.Code
	}
	return oneLineErr(err)
}

// errCode is the API code of err, or a word for a failure without one.
func errCode(err error) string {
	var api *cloud.APIError
	if errors.As(err, &api) && api.Code != "" {
		return api.Code
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	return "no answer"
}
