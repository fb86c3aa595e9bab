package views

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/table"
)

// List is the generic resource view: a table of one Kind, its loader and
// its detail pane. It owns its items, cursor, filter and sort.
type List[T any] struct {
	kind  Kind[T]
	table table.Model
	items map[string]T
	order []string // item ids in loader order, for Redraw

	modal   Modal   // a form open over the list; it takes every key
	pending []Modal // ShowModal results waiting for the open modal to close

	seq         int // the request whose answer is current
	cancel      context.CancelFunc
	busy        bool
	loadedOnce  bool
	lastRefresh time.Time
	err         error
	scope       string

	detail       *Detail
	detailID     string // the item the detail is of; it is rebuilt when the item is refreshed
	detailSeq    int
	detailBusy   bool
	detailCancel context.CancelFunc

	// selectCreated are ids an action created: the next load puts the
	// cursor on the first of them it lists.
	selectCreated []string

	// The REGION column, shown with every region on screen (list_region.go).
	regionOn    bool
	regionWide  bool // the order columns give way in is for 80 columns or more
	regionAt    int
	regionWidth int
}

// NewList builds a List view of a kind.
func NewList[T any](ctx Context, kind Kind[T]) *List[T] {
	l := &List[T]{kind: kind, table: table.New(ctx.Theme, kind.Columns), items: map[string]T{}}
	if kind.DefaultSort != "" {
		l.table.SortBy(kind.DefaultSort, kind.DefaultDesc)
	}
	return l
}

// Name implements View.
func (l *List[T]) Name() string { return l.kind.Name }

// Load implements View: it cancels a load in flight and starts a new one.
func (l *List[T]) Load(ctx Context) tea.Cmd {
	if l.cancel != nil {
		l.cancel()
	}
	l.seq++
	seq, name, scope := l.seq, l.kind.Name, l.scope
	rctx, cancel := context.WithTimeout(context.Background(), ctx.timeout())
	if ctx.AutoRefresh {
		rctx = context.WithValue(rctx, autoRefreshKey{}, true)
	}
	l.cancel = cancel
	l.busy = true
	load, client, region := l.kind.Load, ctx.Client, ctx.Region
	return func() tea.Msg {
		defer cancel()
		items, err := load(rctx, client, region, scope)
		return loaded{view: name, seq: seq, items: items, err: err}
	}
}

// Leave implements View.
func (l *List[T]) Leave() {
	if l.cancel != nil {
		l.cancel()
	}
	if l.detailCancel != nil {
		l.detailCancel()
	}
	l.busy, l.detailBusy = false, false
}

// Update implements View.
func (l *List[T]) Update(ctx Context, msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case loaded:
		if msg.seq != l.seq {
			return l, nil // an answer to a request that was superseded
		}
		l.busy = false
		if msg.err != nil {
			l.err = msg.err
			return l, nil
		}
		l.err = nil
		l.setItems(ctx, msg.items.([]T))
		l.selectFirstCreated()
		return l, l.refreshDetail(ctx)
	case Changed:
		return l, l.applyChanged(ctx, msg)
	case detailLoaded:
		if msg.seq != l.detailSeq || l.detail == nil {
			return l, nil
		}
		l.detailBusy = false
		if msg.err != nil {
			l.err = msg.err
			return l, nil
		}
		d := l.namingRegion(ctx, msg.detail)
		d.cursor, d.offset = l.detail.cursor, l.detail.offset
		l.detail = &d
	case ShowModal:
		if l.modal != nil {
			l.pending = append(l.pending, msg.Modal)
			return l, nil
		}
		l.modal = msg.Modal
	case tea.KeyPressMsg:
		if l.modal != nil {
			return l, l.updateModal(ctx, msg)
		}
		return l, l.handleKey(ctx, msg)
	default:
		if l.modal != nil { // e.g. a form's cursor blink or async option load
			return l, l.updateModal(ctx, msg)
		}
	}
	return l, nil
}

// updateModal passes msg to the open modal; when it closes, the next
// pending one (a result that arrived meanwhile) opens.
func (l *List[T]) updateModal(ctx Context, msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	l.modal, cmd = l.modal.Update(ctx, msg)
	if l.modal == nil && len(l.pending) > 0 {
		l.modal, l.pending = l.pending[0], l.pending[1:]
	}
	return cmd
}

func (l *List[T]) setItems(ctx Context, items []T) {
	now := ctx.now()
	rows := make([]table.Row, 0, len(items))
	l.items = make(map[string]T, len(items))
	l.order = l.order[:0]
	l.syncRegionColumn(ctx, items)
	for _, it := range items {
		id := l.kind.ID(it)
		l.items[id] = it
		l.order = append(l.order, id)
		rows = append(rows, l.row(it, id, now))
	}
	l.table.SetRows(rows)
	l.lastRefresh = now
	l.loadedOnce = true
}

func (l *List[T]) handleKey(ctx Context, k tea.KeyPressMsg) tea.Cmd {
	if l.detail != nil {
		return l.detailKey(ctx, k)
	}
	nav := DefaultNav()
	switch {
	case key.Matches(k, nav.Up):
		l.table.Move(-1)
	case key.Matches(k, nav.Down):
		l.table.Move(1)
	case key.Matches(k, nav.PageUp):
		l.table.Page(-1)
	case key.Matches(k, nav.PageDown):
		l.table.Page(1)
	case key.Matches(k, nav.Top):
		l.table.Top()
	case key.Matches(k, nav.Bottom):
		l.table.Bottom()
	case key.Matches(k, nav.Mark):
		l.table.ToggleMark()
	case key.Matches(k, nav.Open):
		return l.open(ctx)
	default:
		for _, a := range l.kind.Actions {
			if key.Matches(k, a.binding()) {
				return a.Run(l, ctx, nil)
			}
		}
		return noActionNotice(k)
	}
	return nil
}

// detailKey handles a key in the detail pane: the view's actions act on
// the resource the pane shows (as in the list, where the cursor is on it);
// the rest moves in the pane.
func (l *List[T]) detailKey(ctx Context, k tea.KeyPressMsg) tea.Cmd {
	for _, a := range l.kind.Actions {
		if !key.Matches(k, a.binding()) {
			continue
		}
		if n := len(l.table.Marked()); n > 0 {
			text := fmt.Sprintf("%s: %d rows are marked; esc to the list to act on them (ctrl+\\ clears the marks)", k.String(), n)
			return func() tea.Msg { return Notice{Text: text, Err: true} }
		}
		if _, ok := l.items[l.detailID]; !ok || !l.table.Select(l.detailID) {
			text := l.detailID + " is no longer listed: nothing to act on"
			return func() tea.Msg { return Notice{Text: text, Err: true} }
		}
		return a.Run(l, ctx, nil)
	}
	if cmd := l.detail.handleKey(k); cmd != nil {
		return cmd
	}
	for _, b := range DefaultNav().Bindings() {
		if key.Matches(k, b) {
			return nil
		}
	}
	return noActionNotice(k)
}

// Commands implements View.
func (l *List[T]) Commands() []Command {
	out := make([]Command, 0, len(l.kind.Actions))
	for _, a := range l.kind.Actions {
		out = append(out, Command{Name: a.Name, Args: a.Args, Help: a.Help})
	}
	return out
}

// RunCommand implements View.
func (l *List[T]) RunCommand(ctx Context, name string, args []string) (tea.Cmd, bool) {
	for _, a := range l.kind.Actions {
		if a.Name == name {
			return a.Run(l, ctx, args), true
		}
	}
	return nil, false
}

// Selected returns the item under the cursor.
func (l *List[T]) Selected() (T, bool) {
	r, ok := l.table.Selected()
	if !ok {
		var zero T
		return zero, false
	}
	it, ok := l.items[r.ID]
	return it, ok
}

// MarkedItems returns the marked items the filter shows, or the selected
// one when none is: what a bulk action acts on. Marked rows the filter
// hides are never included (the shell names them in the confirmation).
// The marks stay until the action is confirmed.
func (l *List[T]) MarkedItems() []T {
	var out []T
	for _, id := range l.table.Marked() {
		if it, ok := l.items[id]; ok {
			out = append(out, it)
		}
	}
	if len(out) == 0 {
		if it, ok := l.Selected(); ok {
			out = append(out, it)
		}
	}
	return out
}

// uniqueNames is what a typed confirmation of one item accepts besides its
// id: its name, when no other item the view holds has it. A name shared by
// two is never enough to say which one is meant.
func (l *List[T]) uniqueNames(items []T, name func(T) string) []string {
	if len(items) != 1 {
		return nil
	}
	n := name(items[0])
	if n == "" || n == l.kind.ID(items[0]) {
		return nil
	}
	count := 0
	for _, it := range l.items {
		if name(it) == n {
			count++
		}
	}
	if count != 1 {
		return nil
	}
	return []string{n}
}

func (l *List[T]) open(ctx Context) tea.Cmd {
	item, ok := l.Selected()
	if !ok {
		return nil
	}
	if l.kind.OnEnter != nil {
		msg := l.kind.OnEnter(item)
		return func() tea.Msg { return msg }
	}
	if l.kind.Detail == nil {
		return nil
	}
	l.detail = &Detail{Title: l.kind.ID(item)}
	l.detailID = l.kind.ID(item)
	return l.buildDetail(ctx, item)
}

// buildDetail (re)builds the detail pane of item off the UI goroutine; the
// pane on screen stays until the new one arrives (detailLoaded).
func (l *List[T]) buildDetail(ctx Context, item T) tea.Cmd {
	if l.detailCancel != nil {
		l.detailCancel()
	}
	l.detailSeq++
	seq, name := l.detailSeq, l.kind.Name
	l.detailBusy = true
	rctx, cancel := context.WithTimeout(context.Background(), ctx.timeout())
	l.detailCancel = cancel
	build, client := l.kind.Detail, ctx.Client
	return func() tea.Msg {
		defer cancel()
		d, err := build(rctx, client, item)
		return detailLoaded{view: name, seq: seq, detail: d, err: err}
	}
}

// View implements View.
func (l *List[T]) View(ctx Context, width, height int) string {
	if l.modal != nil {
		return l.modal.View(ctx, width, height)
	}
	if l.detail != nil {
		return l.detail.View(ctx.Theme, width, height, l.detailBusy)
	}
	if !l.loadedOnce {
		if l.err != nil {
			return ctx.Theme.Danger.Width(width).Render("Could not load " + l.kind.Name + ". " + loadErrorHint(l.err, ctx.Region))
		}
		return ctx.Theme.Muted.Render("Loading " + l.kind.Name + "…")
	}
	l.fitRegionColumn(width)
	l.table.SetSize(width, height)
	if l.table.Len() == 0 {
		msg := "No " + l.kind.Name + " in this region."
		if ctx.Region == cloud.AllRegions {
			msg = "No " + l.kind.Name + " in any region."
		}
		if l.table.Filter() != "" {
			msg = fmt.Sprintf("No %s match %q (esc clears the filter).", l.kind.Name, l.table.Filter())
		}
		return l.table.View() + "\n" + ctx.Theme.Muted.Render(msg)
	}
	return l.table.View()
}

// Status implements View.
func (l *List[T]) Status() Status {
	title := l.kind.Name
	if l.kind.Title != nil {
		title = l.kind.Title()
	}
	if l.detail != nil {
		title += " › " + l.detail.Title
	}
	return Status{
		Title: title, Shown: l.table.Len(), Total: l.table.Total(),
		Filter: l.table.Filter(), Sort: l.table.SortLabel(), Scope: l.scope,
		Busy: l.busy || l.detailBusy, LastRefresh: l.lastRefresh, Err: l.err,
		Marked: len(l.table.Marked()), MarkedHidden: len(l.table.MarkedHidden()),
	}
}

// SetFilter implements View.
func (l *List[T]) SetFilter(text string) { l.table.SetFilter(strings.TrimSpace(text)) }

// CycleSort implements View.
func (l *List[T]) CycleSort() { l.table.CycleSort() }

// ReverseSort implements View.
func (l *List[T]) ReverseSort() { l.table.ReverseSort() }

// SetScope implements View.
func (l *List[T]) SetScope(id string) {
	if id != l.scope {
		l.scope = id
		l.ResetData()
	}
}

// Marks implements View.
func (l *List[T]) Marks() (shown, hidden []string) {
	return l.table.Marked(), l.table.MarkedHidden()
}

// ClearMarks implements View.
func (l *List[T]) ClearMarks() { l.table.ClearMarks() }

// Capturing implements View.
func (l *List[T]) Capturing() bool { return l.modal != nil }

// OpenModal puts a form or picker over the list until it closes itself.
func (l *List[T]) OpenModal(m Modal) { l.modal = m }

// Redraw implements View.
func (l *List[T]) Redraw(ctx Context) {
	if !l.loadedOnce {
		return
	}
	items := make([]T, 0, len(l.items))
	for _, r := range l.order {
		items = append(items, l.items[r])
	}
	l.setItems(ctx, items)
}

// Subjects returns the instances whose metrics the view shows (none for
// most views).
func (l *List[T]) Subjects() []cloud.Instance {
	if l.kind.Subjects == nil || !l.loadedOnce {
		return nil
	}
	items := make([]T, 0, len(l.order))
	for _, id := range l.order {
		items = append(items, l.items[id])
	}
	return l.kind.Subjects(items)
}

// ScopeHint implements View.
func (l *List[T]) ScopeHint() string { return l.kind.ScopeHint }

// Hidden implements View.
func (l *List[T]) Hidden() bool { return l.kind.Hidden }

// ResetData implements View.
func (l *List[T]) ResetData() {
	l.Leave()
	l.items = map[string]T{}
	l.table.SetRows(nil)
	l.loadedOnce = false
	l.detail = nil
	l.selectCreated = nil // ids of another region or account
	l.err = nil
}

// InDetail implements View.
func (l *List[T]) InDetail() bool { return l.detail != nil }

// Back implements View.
func (l *List[T]) Back() {
	if l.detailCancel != nil {
		l.detailCancel()
	}
	l.detail, l.detailBusy = nil, false
}

// Keys implements View.
func (l *List[T]) Keys() []key.Binding {
	keys := []key.Binding{DefaultNav().Open}
	if l.kind.Detail == nil && l.kind.OnEnter == nil {
		keys = nil
	}
	for _, a := range l.kind.Actions {
		keys = append(keys, a.binding())
	}
	return keys
}

func (c Context) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

func (c Context) timeout() time.Duration {
	if c.Timeout <= 0 {
		return 60 * time.Second
	}
	return c.Timeout
}

// ShowModal asks a view to open a modal over its list: the result of an
// action that finished (a command's output, a batch's per-instance table).
// It waits behind a modal already open.
type ShowModal struct {
	View  string
	Modal Modal
}

// RouteTo implements Routed.
func (m ShowModal) RouteTo() string { return m.View }

// autoRefreshKey marks the context of a load the refresh timer started.
type autoRefreshKey struct{}

// isAutoRefresh reports whether a loader runs for the refresh timer, so it
// may reuse what changes slowly.
func isAutoRefresh(ctx context.Context) bool {
	v, _ := ctx.Value(autoRefreshKey{}).(bool)
	return v
}
