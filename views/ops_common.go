package views

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
	"github.com/ecsdash/ecsdash/views/textsafe"
)

// What the instance and disk operations share (issue 6): the form modal
// they open when a command lacks values, the scrollable pane their results
// show in, the polls their flow steps wait with, and the refusal of bad
// input before any call.

// opForm is an operation's form over a list: submit turns the values into
// the command that asks for confirmation, or refuses them (the form stays
// open with the rule broken under the field it names).
type opForm struct {
	id     int64
	form   form.Model
	submit func(v map[string]string) (tea.Cmd, error)
	// fields maps a ValidationError's Field to the form key it is about.
	fields map[string]string
}

// opOptions fills a Choice of an open opForm once its options loaded.
type opOptions struct {
	view    string
	id      int64
	key     string
	options []string
	labels  []string // for a Picker: "name (id)"; nil shows the options
	descs   []string
	err     error
	// apply, when set, runs on the UI goroutine before the options are
	// set (to keep what the options stand for, e.g. the types' details).
	apply func()
}

// RouteTo implements Routed.
func (m opOptions) RouteTo() string { return m.view }

// newOpForm builds an operation form.
func newOpForm(ctx Context, title string, fields []form.Field, submit func(map[string]string) (tea.Cmd, error)) *opForm {
	return &opForm{id: newModalID(), form: form.New(ctx.Theme, title, fields), submit: submit}
}

// Update implements Modal.
func (f *opForm) Update(_ Context, msg tea.Msg) (Modal, tea.Cmd) {
	if o, ok := msg.(opOptions); ok {
		if o.id != f.id {
			return f, nil
		}
		if o.err != nil {
			f.form.SetFieldError(o.key, fmt.Errorf("could not load the choices: %w", o.err))
			return f, nil
		}
		if o.apply != nil {
			o.apply()
		}
		if len(o.options) == 0 {
			f.form.SetFieldError(o.key, errors.New("nothing to choose from"))
			return f, nil
		}
		f.form.SetChoices(o.key, o.options, o.labels, o.descs)
		return f, nil
	}
	var cmd tea.Cmd
	f.form, cmd = f.form.Update(msg)
	switch {
	case f.form.Cancelled():
		return nil, nil
	case f.form.Submitted():
		next, err := f.submit(f.form.Values())
		if err != nil {
			f.refuse(err)
			return f, cmd
		}
		return nil, tea.Batch(cmd, next)
	}
	return f, cmd
}

// refuse shows err under the field it names, or at the form's foot.
func (f *opForm) refuse(err error) {
	var ve *cloud.ValidationError
	if errors.As(err, &ve) {
		if k, ok := f.fields[ve.Field]; ok {
			f.form.SetFieldError(k, err)
			return
		}
	}
	f.form.SetError(err)
}

// View implements Modal.
func (f *opForm) View(_ Context, width, height int) string { return f.form.View(width, height) }

// loadOptions runs load off the UI goroutine and answers the form's Choice.
func loadOptions(ctx Context, view string, id int64, key string, load func(context.Context) (opts, descs []string, apply func(), err error)) tea.Cmd {
	timeout := ctx.timeout()
	return func() tea.Msg {
		c, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		opts, descs, apply, err := load(c)
		return opOptions{view: view, id: id, key: key, options: opts, descs: descs, apply: apply, err: err}
	}
}

// textPane is a scrollable read-only pane over a list: a command's output
// per instance, a batch's per-instance results.
type textPane struct {
	title string
	lines []string
	off   int
	rows  int // lines shown at the last View, for paging
}

// paneKeys are the pane's bindings (the hint line names them).
var paneKeys = struct{ Up, Down, PageUp, PageDown, Top, Bottom, Close key.Binding }{
	Up:       key.NewBinding(key.WithKeys("up", "k")),
	Down:     key.NewBinding(key.WithKeys("down", "j")),
	PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b", "b")),
	PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f", "f", "space")),
	Top:      key.NewBinding(key.WithKeys("home", "g")),
	Bottom:   key.NewBinding(key.WithKeys("end", "G")),
	Close:    key.NewBinding(key.WithKeys("esc", "q", "enter")),
}

func newTextPane(title string, lines []string) *textPane {
	var out []string
	for _, l := range lines {
		// A command's output is the guest's: its escapes and controls are
		// shown, never obeyed (textsafe keeps the newlines).
		out = append(out, strings.Split(strings.TrimRight(textsafe.Text(l), "\n"), "\n")...)
	}
	return &textPane{title: textsafe.Line(title), lines: out, rows: 20}
}

// Update implements Modal.
func (p *textPane) Update(_ Context, msg tea.Msg) (Modal, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	switch {
	case key.Matches(k, paneKeys.Close):
		return nil, nil
	case key.Matches(k, paneKeys.Up):
		p.off--
	case key.Matches(k, paneKeys.Down):
		p.off++
	case key.Matches(k, paneKeys.PageUp):
		p.off -= p.rows
	case key.Matches(k, paneKeys.PageDown):
		p.off += p.rows
	case key.Matches(k, paneKeys.Top):
		p.off = 0
	case key.Matches(k, paneKeys.Bottom):
		p.off = len(p.lines)
	}
	p.clamp()
	return p, nil
}

func (p *textPane) clamp() { p.off = max(0, min(p.off, len(p.lines)-p.rows)) }

// View implements Modal.
func (p *textPane) View(ctx Context, width, height int) string {
	th := ctx.Theme
	p.rows = max(1, height-2)
	p.clamp()
	out := []string{ansi.Truncate(th.Accent.Render(p.title), width, "…")}
	end := min(len(p.lines), p.off+p.rows)
	for _, l := range p.lines[p.off:end] {
		out = append(out, ansi.Truncate(l, width, "…"))
	}
	for len(out) < height-1 {
		out = append(out, "")
	}
	where := "all"
	if len(p.lines) > p.rows {
		where = fmt.Sprintf("%d-%d of %d", p.off+1, end, len(p.lines))
	}
	out = append(out, th.Muted.Render(ansi.Truncate("↑/↓ scroll · pgup/pgdn page · g/G top/bottom · esc closes · lines "+where, width, "…")))
	return strings.Join(out, "\n")
}

// refuse reports a refusal of bad input (a ValidationError names the rule)
// made before any call.
func refuse(action string, err error) tea.Cmd { return reportErr(action, err) }

// confirmMsg turns a flow into its confirmation message, for a command
// that first had to read something (the instance of a disk).
func confirmMsg(ctx Context, f Flow) tea.Msg { return f.Cmd(ctx)() }

// pollInstances waits until the instances a batch call acted on (its
// items that succeeded) report want. When none succeeded it fails with
// every item's reason. It reads the whole instances (one DescribeInstances,
// as a status read would cost) and hands them back, so the lists update
// those rows from it instead of reloading.
func pollInstances(region string, want cloud.InstanceState) func(context.Context, *cloud.Client, cloud.Result) (bool, string, error) {
	return func(ctx context.Context, c *cloud.Client, res cloud.Result) (bool, string, error) {
		var ids []string
		for _, it := range res.Items {
			if it.OK() {
				ids = append(ids, it.ID)
			}
		}
		if len(ids) == 0 {
			return false, "", itemsError(res.Items)
		}
		list, err := c.LaunchedInstances(ctx, region, ids)
		if err != nil {
			return false, "", err
		}
		handBack(ctx, list)
		got := make(map[string]cloud.InstanceState, len(list))
		for _, in := range list {
			got[in.ID] = in.Status
		}
		n := 0
		for _, id := range ids {
			if got[id] == want {
				n++
			}
		}
		return n == len(ids), fmt.Sprintf("%d/%d %s", n, len(ids), want), nil
	}
}

// itemsError summarises the failed items of a batch ("2 of 3 failed:
// i-a IncorrectInstanceStatus (...); ...").
func itemsError(items []cloud.ItemResult) error {
	var failed []string
	for _, it := range items {
		if !it.OK() {
			failed = append(failed, fmt.Sprintf("%s %s (%s)", it.ID, it.Code, it.Message))
		}
	}
	if len(failed) == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d failed: %s", len(failed), len(items), strings.Join(failed, "; "))
}

// pollInstanceType waits until the instance reports the type.
func pollInstanceType(region, id, typ string) func(context.Context, *cloud.Client, cloud.Result) (bool, string, error) {
	return func(ctx context.Context, c *cloud.Client, _ cloud.Result) (bool, string, error) {
		list, err := c.LaunchedInstances(ctx, region, []string{id})
		if err != nil {
			return false, "", err
		}
		handBack(ctx, list)
		for _, in := range list {
			if in.ID == id {
				return in.Type == typ, in.Type, nil
			}
		}
		return false, "", fmt.Errorf("instance %s: not found in %s", id, region)
	}
}

// pollDisk waits until the disk (diskID, or the first id the call made
// when diskID is "") satisfies done; the progress text is its status.
func pollDisk(region, diskID string, done func(cloud.Disk) bool) func(context.Context, *cloud.Client, cloud.Result) (bool, string, error) {
	return func(ctx context.Context, c *cloud.Client, res cloud.Result) (bool, string, error) {
		ids := []string{diskID}
		if diskID == "" {
			ids = res.IDs
		}
		if len(ids) == 0 {
			return true, "done", nil
		}
		list, err := c.Disks(ctx, region, cloud.DiskFilter{DiskIDs: ids})
		if err != nil {
			return false, "", err
		}
		handBack(ctx, list)
		n := 0
		status := ""
		for _, d := range list {
			status = string(d.Status)
			if done(d) {
				n++
			}
		}
		if len(list) < len(ids) {
			return false, "", fmt.Errorf("disk %s: not found in %s", strings.Join(ids, ", "), region)
		}
		if len(ids) > 1 {
			status = fmt.Sprintf("%d/%d ready", n, len(ids))
		}
		return n == len(ids), status, nil
	}
}

func diskStatus(want cloud.DiskState) func(cloud.Disk) bool {
	return func(d cloud.Disk) bool { return d.Status == want }
}

// instanceIDs are the items' ids.
func instanceIDs(list []cloud.Instance) []string {
	ids := make([]string, len(list))
	for i, in := range list {
		ids[i] = in.ID
	}
	return ids
}

// byRegion groups instances by region, in the order regions first appear
// (a view of "all" regions can mark instances of several).
func byRegion(list []cloud.Instance) (regions []string, ids map[string][]string) {
	ids = map[string][]string{}
	for _, in := range list {
		if _, ok := ids[in.RegionID]; !ok {
			regions = append(regions, in.RegionID)
		}
		ids[in.RegionID] = append(ids[in.RegionID], in.ID)
	}
	return regions, ids
}

// instanceLine is one instance in a confirmation.
func instanceLine(in cloud.Instance) string {
	return fmt.Sprintf("%-22s %-16s %-8s %s", in.ID, orDash(in.Name), in.Status, in.ChargeType)
}

// instancesNoun names the instances of an action: "i-abc (web-1)" or "3
// instances".
func instancesNoun(list []cloud.Instance) string {
	if len(list) == 1 {
		if list[0].Name != "" {
			return fmt.Sprintf("%s (%s)", list[0].ID, list[0].Name)
		}
		return list[0].ID
	}
	return fmt.Sprintf("%d instances", len(list))
}

// regionOf is the item's region, or the view's when the item has none.
func regionOf(ctx Context, region string) string {
	if region != "" {
		return region
	}
	return ctx.Region
}

// onlyArgs splits palette args into words, lower-cased for keywords.
func hasWord(args []string, words ...string) bool {
	return slices.ContainsFunc(args, func(a string) bool {
		return slices.ContainsFunc(words, func(w string) bool { return strings.EqualFold(a, w) })
	})
}

// instance fetches one instance (the disk's, for an operation that needs
// its state).
func fetchInstance(ctx context.Context, c *cloud.Client, region, id string) (cloud.Instance, error) {
	list, err := c.LaunchedInstances(ctx, region, []string{id})
	if err != nil {
		return cloud.Instance{}, err
	}
	for _, in := range list {
		if in.ID == id {
			return in, nil
		}
	}
	return cloud.Instance{}, fmt.Errorf("instance %s: not found in %s", id, region)
}

// async runs build off the UI goroutine with the view's timeout; build
// returns the next message (a Confirm, a Report refusing).
func async(ctx Context, build func(c context.Context) tea.Msg) tea.Cmd {
	timeout := ctx.timeout()
	return func() tea.Msg {
		c, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return build(c)
	}
}
