package views

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// Create forms whose choices depend on another field: the zones and
// snapshots of a new disk depend on its region, its categories on its
// zone. And the Region field itself, which a create form asks for when
// the view spans every region (cloud.AllRegions) instead of failing
// after submit; it defaults to the selected row's region.

// regionKey is the form key of a create form's Region field.
const regionKey = "region"

// spansRegions reports a view of every region: a create must ask where.
func spansRegions(ctx Context) bool { return ctx.Region == cloud.AllRegions }

// regionField is the Region picker, first in a create form of a view that
// spans every region; def (the selected row's region) is chosen once the
// regions load.
func regionField(def string) form.Field {
	return form.Field{Key: regionKey, Label: "Region", Kind: form.Picker, Value: def,
		Help: "where to create it: the view shows every region"}
}

// withRegion puts the Region field first when the view spans every region.
func withRegion(ctx Context, def string, fields []form.Field) []form.Field {
	if !spansRegions(ctx) {
		return fields
	}
	return append([]form.Field{regionField(def)}, fields...)
}

// createRegion is where a create form makes its resource: its Region
// field in a view of every region, else the view's region.
func createRegion(ctx Context, v map[string]string) string {
	if spansRegions(ctx) {
		return v[regionKey]
	}
	return ctx.Region
}

// regionSuffix is " in REGION" for a form title, or "" when the form asks.
func regionSuffix(ctx Context) string {
	if spansRegions(ctx) {
		return ""
	}
	return " in " + ctx.Region
}

// loadRegions fills the Region picker of an opForm (nil when the form has
// none).
func loadRegions(ctx Context, view string, id int64) tea.Cmd {
	if !spansRegions(ctx) {
		return nil
	}
	client := ctx.Client
	return loadPicks(ctx, view, id, regionKey, func(c context.Context) ([]pickOption, func(), error) {
		regions, err := client.Regions(c)
		if err != nil {
			return nil, nil, err
		}
		ps := make([]pickOption, len(regions))
		for i, r := range regions {
			ps[i] = pickOption{ID: r.ID, Desc: r.Name}
		}
		return ps, nil, nil
	})
}

// regionFill fills the Region picker of a backup form (nil when the form
// has none).
func regionFill(ctx Context) func(context.Context) (func(*form.Model), error) {
	if !spansRegions(ctx) {
		return nil
	}
	client := ctx.Client
	return func(c context.Context) (func(*form.Model), error) {
		regions, err := client.Regions(c)
		if err != nil {
			return nil, err
		}
		ps := make([]pickOption, len(regions))
		for i, r := range regions {
			ps[i] = pickOption{ID: r.ID, Desc: r.Name}
		}
		return func(m *form.Model) { setPicks(m, regionKey, ps) }, nil
	}
}

// dependsOn reacts to a change of one field's value: it may refill other
// fields at once (m) and return a command that loads more (see
// dependentForm.load).
type dependsOn func(m *form.Model, value string) tea.Cmd

// dependentForm is an opForm with fields that follow others: when a
// watched field's value changes (typed, chosen or loaded), its dependsOn
// runs. Options loaded for a value that is no longer the field's are
// dropped.
type dependentForm struct {
	*opForm
	view  string
	watch map[string]dependsOn
	seen  map[string]string
}

// dependentOptions are options loaded for the value the watched field had.
type dependentOptions struct {
	opOptions
	watched, value string
	emptyOK        bool // no options is an answer (an optional field), not an error
}

// newDependentForm wraps f; its start runs every dependsOn for the
// initial values.
func newDependentForm(f *opForm, view string, watch map[string]dependsOn) *dependentForm {
	return &dependentForm{opForm: f, view: view, watch: watch, seen: map[string]string{}}
}

// start runs the dependsOn of every watched field for its initial value.
func (d *dependentForm) start() tea.Cmd { return d.changed() }

// load runs fill off the UI goroutine for the field fillKey, on behalf of
// the value the field key has; the answer is dropped if that value has
// changed since (key "": it stands whatever the form holds). emptyOK: no
// options is an answer (an optional picker), not "nothing to choose from".
func (d *dependentForm) load(ctx Context, key, value, fillKey string, emptyOK bool, fill func(context.Context) ([]pickOption, func(), error)) tea.Cmd {
	inner := loadPicks(ctx, d.view, d.id, fillKey, fill)
	return func() tea.Msg {
		return dependentOptions{opOptions: inner().(opOptions), watched: key, value: value, emptyOK: emptyOK}
	}
}

// Update implements Modal.
func (d *dependentForm) Update(ctx Context, msg tea.Msg) (Modal, tea.Cmd) {
	if o, ok := msg.(dependentOptions); ok {
		if o.id != d.id || o.watched != "" && d.form.Value(o.watched) != o.value {
			return d, nil // for another form, or a value since changed
		}
		if o.err == nil && len(o.options) == 0 && o.emptyOK {
			d.form.SetChoices(o.key, nil, nil, nil)
			return d, d.changed()
		}
		msg = o.opOptions
	}
	next, cmd := d.opForm.Update(ctx, msg)
	if next == nil {
		return nil, cmd
	}
	return d, tea.Batch(cmd, d.changed())
}

// changed runs the dependsOn of every watched field whose value changed,
// until none does (one field's dependsOn may change another's value).
func (d *dependentForm) changed() tea.Cmd {
	var cmds []tea.Cmd
	for range len(d.watch) + 1 {
		again := false
		for key, dep := range d.watch {
			v := d.form.Value(key)
			if old, ok := d.seen[key]; ok && old == v {
				continue
			}
			d.seen[key] = v
			cmds = append(cmds, dep(&d.form, v))
			again = true
		}
		if !again {
			break
		}
	}
	return tea.Batch(cmds...)
}
