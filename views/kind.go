package views

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/table"
)

// Kind describes one resource kind; List turns it into a View. Adding a
// resource to the dashboard is writing a Kind.
type Kind[T any] struct {
	Name    string
	Columns []table.Column
	// Load fetches the items; scope narrows them to one parent ("" = all).
	Load func(ctx context.Context, c *cloud.Client, region, scope string) ([]T, error)
	// Row renders one item; now is for ages.
	Row func(item T, now time.Time) table.Row
	// ID identifies an item (the row ID).
	ID func(item T) string
	// Region is the item's region: with every region on screen the list
	// shows it as a REGION column and the detail names it. Nil for kinds
	// that show it themselves or have none.
	Region func(item T) string
	// Detail builds the detail pane (it may call the API); nil = no detail.
	Detail func(ctx context.Context, c *cloud.Client, item T) (Detail, error)
	// OnEnter replaces the detail pane: enter sends this message instead.
	OnEnter func(item T) tea.Msg
	// Subjects are the instances whose live metrics the view shows: the
	// shell keeps the sampler fed with them while the view is on screen.
	Subjects func(items []T) []cloud.Instance
	// ScopeHint names what the view can be narrowed to in the palette
	// (e.g. "i-…|d-…"); "" = the view cannot be narrowed.
	ScopeHint string
	// Hidden views are reached by a command of the shell (the region
	// picker), not by their own name.
	Hidden bool
	// DefaultSort is the column title sorted by first ("" = loader order).
	DefaultSort string
	DefaultDesc bool
	// Title, when set, names the view in the header instead of Name (e.g.
	// "images (self)" for a view with a switchable owner).
	Title func() string
	// Actions are what the view does to its items: each is a key in the
	// view, a command in the palette and a line in the help, from this one
	// table, so the three never drift apart.
	Actions []Action[T]
}

// Action is one thing a view does.
type Action[T any] struct {
	Name string   // palette command, e.g. "enable"
	Args string   // palette argument usage, e.g. "[OWNER]"; "" = none
	Help string   // what it does, one line
	Keys []string // keys in the view; the first is shown in the help
	// Run starts the action on the view's marked items (or the selected
	// one) with the palette's arguments (nil from a key).
	Run func(l *List[T], ctx Context, args []string) tea.Cmd
}

func (a Action[T]) binding() key.Binding {
	return key.NewBinding(key.WithKeys(a.Keys...), key.WithHelp(a.Keys[0], a.Help))
}
