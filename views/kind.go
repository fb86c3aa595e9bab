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
	// Extra are the kind's own keys, handled by Handle. Handle may return
	// l.Load(ctx) to reload after changing the kind's own state.
	Extra  []key.Binding
	Handle func(l *List[T], ctx Context, k tea.KeyPressMsg) (tea.Cmd, bool)
}
