package views

import tea "charm.land/bubbletea/v2"

// Routed is a message addressed to one view; the shell delivers it to that
// view whether or not it is on screen, and the view drops it if it answers a
// request that is no longer current.
type Routed interface {
	tea.Msg
	RouteTo() string
}

// loaded is the result of a view's list request.
type loaded struct {
	view  string
	seq   int
	items any
	err   error
}

func (m loaded) RouteTo() string { return m.view }

// detailLoaded is the result of a detail pane's request.
type detailLoaded struct {
	view   string
	seq    int
	detail Detail
	err    error
}

func (m detailLoaded) RouteTo() string { return m.view }

// Navigate asks the shell to switch to a view, optionally narrowed to a
// filter (e.g. enter on a disk in an instance's detail opens the disks view
// filtered to that disk) or a scope (the snapshots of one disk).
type Navigate struct {
	View   string
	Filter string
	Scope  string
	// Region is the scope's region when it may differ from the shell's
	// (a history chart of an instance listed under "all").
	Region string
	// Title names the scope for the header (an instance's name).
	Title string
}

// SwitchRegion asks the shell to change region (the region picker sends it).
type SwitchRegion struct{ Region string }

// Confirm asks the shell to confirm an action before it runs. The shell
// shows Title and Lines and runs Run only on yes; when Typed is set the user
// must type it (or one of Accept) exactly (for what cannot be undone).
// Nothing is sent before the user confirms, except the DryRun precheck.
type Confirm struct {
	Title string
	Lines []string
	// Typed is the resource id the user must type for a destructive
	// action ("3 instances" for several); "" = y confirms. Accept are the
	// other words that confirm too (the resource's name where it is unique
	// in the action's scope).
	Typed  string
	Accept []string
	Danger bool
	// Undoable says what cannot be undone ("the disk's data is lost").
	Undoable string
	// CLI is the equivalent aliyun CLI command(s), for runbooks (c copies).
	CLI []string
	// Precheck, when set, runs at once (a DryRun call) and answers with a
	// Verdict shown in the dialog.
	Precheck tea.Cmd
	Run      tea.Cmd
	// Options are the action's settings, each with a default, changed in
	// the dialog itself (←/→); Change builds the confirmation for a new
	// choice (its own CLI, precheck and Run).
	Options []Option
	Change  func(options []Option) (Confirm, error)
}

// Option is one setting a confirmation lets the user change in place,
// e.g. a stop's mode: normal (the default) or force.
type Option struct {
	Label    string
	Choices  []string
	Help     []string // one line per choice, shown for the selected one
	Selected int
}

// Value is the selected choice.
func (o Option) Value() string {
	if o.Selected < 0 || o.Selected >= len(o.Choices) {
		return ""
	}
	return o.Choices[o.Selected]
}

// Verdict is a DryRun precheck's answer for the open confirmation.
type Verdict struct {
	Text string // e.g. "DryRun: would succeed" or "DryRun refused: IncorrectInstanceStatus: ..."
	OK   bool
	// Refused is the API's no: the call would fail as it stands, so the
	// dialog does not offer y (only an explicit "send anyway"). A
	// precheck that could not run (throttled, timed out) is not a refusal.
	Refused bool
	// Advice says what to do about a refusal.
	Advice string
}

// Progress is a running action's step: the shell shows Text in the activity
// list and runs Next, which returns the next Progress or the final Report.
type Progress struct {
	Task   string // identifies the action across its steps
	Action string // what the activity list calls it
	Text   string
	// Reload names views showing what the action changes. Each step's
	// Read updates their rows in place; Refresh asks the one on screen to
	// reload instead, for a poll that read nothing a list could use.
	Reload []string
	// Read is what the step's poll read of the resources it waits on
	// (e.g. []cloud.Instance), nil when it read nothing a list shows.
	Read any
	// Refresh: the step polled without handing back what it read, so the
	// view on screen reloads to show the progress.
	Refresh bool
	Next    tea.Cmd
}

// Changed tells a view what an action's step read of the resources it
// changes, or which ids the action created: a list updates the rows of
// those it holds (and a detail open on one of them) without reloading, and
// puts its cursor on the first created row at its next load.
type Changed struct {
	Read    any      // e.g. []cloud.Instance, as Progress.Read
	Created []string // as Report.Created
}

// Report tells the shell an action finished: it goes to the activity list
// (:activity) and the status line. Err nil = success.
type Report struct {
	Task   string // the Progress task it ends, if any
	Action string // what was done, e.g. "delete alarm rule cpu-high"
	Err    error
	// RequestID of the call that did it (for support tickets).
	RequestID string
	// CLI is the equivalent aliyun CLI line of each call the action made,
	// secrets redacted (as in Confirm.CLI): the parameters :activity shows
	// in the entry's detail. Optional.
	CLI []string
	// Reload names views whose data the action changed; the shell reloads them.
	Reload []string
	// Created are the ids of what the action created (Result.IDs of its
	// create steps): the reloaded lists put the cursor on the first.
	Created []string
	// LeftStopped are instances the action stopped and could not start
	// again after a later step failed: the shell marks them, in the
	// warning colour, in the activity list and their rows until started.
	LeftStopped []string
	// Unconfirmed: a step was accepted but its outcome could not be read
	// before its deadline (the reads throttled or timed out): the action
	// is neither known done nor known failed.
	Unconfirmed bool
}

// Notice is a short message for the shell's status line: a key that means
// nothing in this view, a hint after an action. Err shows it as a warning.
type Notice struct {
	Text string
	Err  bool
}
