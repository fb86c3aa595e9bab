// Package views holds one view per resource kind (instances, disks, images,
// snapshots, policies, security groups, key pairs, regions) on one generic
// list: a view is mostly its columns, its row function, its loader and its
// detail pane. Views never import the tui package: they talk to it through
// the messages in messages.go.
package views

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/views/monitor"
)

// Context is what the shell hands every view: the client, the region, the
// theme and the clock. It is a value: views never keep a pointer to the
// shell's state.
type Context struct {
	Client  *cloud.Client
	Region  string // a region id or cloud.AllRegions
	Theme   theme.Theme
	Now     func() time.Time
	Timeout time.Duration // per load
	// Metrics holds the live CloudMonitor samples (owned by the shell;
	// views read it on the UI goroutine). Nil when monitoring is off.
	Metrics *monitor.Sampler
	// AuditLog is the path of the audit log (:audit).
	AuditLog string
	// CoverageMaxAge is how old a disk's newest snapshot may be before a
	// disk without an automatic policy is marked unprotected (0 = 7 days).
	CoverageMaxAge time.Duration
	// SSH is how `s` on an instance opens ssh.
	SSH SSHConfig
	// AutoRefresh marks a load the timer started (not the user, not an
	// action): slow-changing extras such as backup coverage may be reused.
	AutoRefresh bool
	// Zone is where times are shown (local by default, UTC with --utc);
	// every time on screen names it. Nil = time.Local.
	Zone *time.Location
	// Stranded are the instances operations of this session left Stopped
	// after a failure (owned by the shell); nil = none marked.
	Stranded *Stranded
}

// Location is the zone times are shown in.
func (c Context) Location() *time.Location {
	if c.Zone == nil {
		return time.Local
	}
	return c.Zone
}

// View is one screen of the dashboard.
type View interface {
	// Name is the view's palette command (instances, disks, ...).
	Name() string
	// Load (re)fetches the view's data; the cursor, filter and sort stay.
	Load(ctx Context) tea.Cmd
	// Leave cancels the view's requests in flight (the user left it).
	Leave()
	// Update handles a key or a result addressed to this view.
	Update(ctx Context, msg tea.Msg) (View, tea.Cmd)
	// View renders the view into width x height cells.
	View(ctx Context, width, height int) string
	// Status tells the shell what to show in the header and status bar.
	Status() Status
	// SetFilter, CycleSort and ReverseSort act on the view's table.
	SetFilter(text string)
	CycleSort()
	ReverseSort()
	// SetScope narrows the list to resources of one parent (a disk or an
	// instance id); "" lists all.
	SetScope(id string)
	// ScopeHint is what SetScope accepts, for the help ("" = nothing).
	ScopeHint() string
	// Hidden views have no palette command of their own.
	Hidden() bool
	// ResetData forgets the rows (the region changed).
	ResetData()
	// InDetail reports whether a detail pane is open (esc closes it).
	InDetail() bool
	// Back closes the detail pane.
	Back()
	// Keys are the view's own bindings, for the help.
	Keys() []key.Binding
	// Commands are the view's palette commands (its actions).
	Commands() []Command
	// RunCommand runs one of them; ok is false when the view has none
	// by that name.
	RunCommand(ctx Context, name string, args []string) (cmd tea.Cmd, ok bool)
	// Capturing reports that the view is taking every key (a form is open):
	// the shell's own keys are off until it stops.
	Capturing() bool
	// Marks are the IDs of the marked rows the filter shows (what a bulk
	// action acts on) and of those it hides (named in the confirmation,
	// never acted on).
	Marks() (shown, hidden []string)
	// ClearMarks unmarks every row (after a confirmed action, or the key).
	ClearMarks()
	// Redraw recomputes the rows from the items the view holds (new metric
	// samples changed cells), keeping cursor, filter and sort.
	Redraw(ctx Context)
}

// Command describes a view's palette command for completion and help.
type Command struct {
	Name, Args, Help string
}

// Modal is a form or picker a view opens over its list: it takes every key
// until it closes itself by returning nil from Update.
type Modal interface {
	Update(ctx Context, msg tea.Msg) (Modal, tea.Cmd)
	View(ctx Context, width, height int) string
}

// Status is a view's summary for the shell's header and status bar.
type Status struct {
	Title   string
	Shown   int
	Total   int
	Filter  string
	Sort    string
	Scope   string
	Busy    bool
	NoCount bool // not a list: the header shows no row count
	// Marked counts the marked rows the filter shows; MarkedHidden those
	// it hides (the header says "3 marked, 1 not shown").
	Marked       int
	MarkedHidden int
	LastRefresh  time.Time
	Err          error
}
