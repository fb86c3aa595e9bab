package views

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// The backup actions (snapshots, policies, images, launches) share one
// shape: a palette command with every required value inline goes straight
// to the confirmation; otherwise a form asks for the rest, pre-filled.
// Either way the action is "prepared" off the UI goroutine (the disk, the
// snapshot or the image looked up, the inputs checked against them) into a
// Flow, whose Cmd is the confirmation.

// backupPrepare turns the form's values (nil for an inline command) into
// the message that follows: a Confirm, usually, from Flow.Cmd.
type backupPrepare func(c context.Context, values map[string]string) (tea.Msg, error)

// backupForm is a form over a list whose submit prepares the action: while
// it is prepared the form waits; a refusal (a local rule, a lookup that
// failed) shows in the form, which stays open; on success the form closes
// and the confirmation opens.
type backupForm struct {
	form    form.Model
	view    string // the view it is open over (routing)
	id      int64
	busy    bool
	prepare backupPrepare
}

// backupFormReady answers a backupForm's prepare.
type backupFormReady struct {
	view string
	id   int64
	msg  tea.Msg
	err  error
}

// RouteTo implements Routed.
func (m backupFormReady) RouteTo() string { return m.view }

// backupFormFill fills a form once something it offers has loaded (the
// zones of the region, a launch's defaults).
type backupFormFill struct {
	view  string
	id    int64
	apply func(*form.Model)
	err   error
}

// RouteTo implements Routed.
func (m backupFormFill) RouteTo() string { return m.view }

// openBackupForm opens a form over l; fill, when not nil, runs off the UI
// goroutine and its answer is applied to the form.
func openBackupForm[T any](l *List[T], ctx Context, title string, fields []form.Field, prepare backupPrepare,
	fill func(c context.Context) (func(*form.Model), error)) tea.Cmd {
	f := &backupForm{
		form: form.New(ctx.Theme, title, fields), view: l.kind.Name,
		id: newModalID(), prepare: prepare,
	}
	l.OpenModal(f)
	if fill == nil {
		return nil
	}
	view, id, timeout := f.view, f.id, ctx.timeout()
	return func() tea.Msg {
		c, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		apply, err := fill(c)
		return backupFormFill{view: view, id: id, apply: apply, err: err}
	}
}

// Update implements Modal.
func (f *backupForm) Update(ctx Context, msg tea.Msg) (Modal, tea.Cmd) {
	switch msg := msg.(type) {
	case backupFormFill:
		if msg.id != f.id {
			return f, nil
		}
		if msg.err != nil {
			f.form.SetError(msg.err)
			return f, nil
		}
		if msg.apply != nil {
			msg.apply(&f.form)
		}
		return f, nil
	case backupFormReady:
		if msg.id != f.id || !f.busy {
			return f, nil
		}
		f.busy = false
		if msg.err != nil {
			f.form.SetError(msg.err) // fix and submit again
			return f, nil
		}
		next := msg.msg
		return nil, func() tea.Msg { return next }
	case tea.KeyPressMsg:
		if f.busy {
			return f, nil
		}
	}
	var cmd tea.Cmd
	f.form, cmd = f.form.Update(msg)
	switch {
	case f.form.Cancelled():
		return nil, nil
	case f.form.Submitted() && !f.busy:
		f.busy = true
		values := f.form.Values()
		prepare, view, id, timeout := f.prepare, f.view, f.id, ctx.timeout()
		return f, tea.Batch(cmd, func() tea.Msg {
			c, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			m, err := prepare(c, values)
			return backupFormReady{view: view, id: id, msg: m, err: err}
		})
	}
	return f, cmd
}

// View implements Modal.
func (f *backupForm) View(_ Context, width, height int) string { return f.form.View(width, height) }

// bkPrepared runs prepare off the UI goroutine with no form: an inline
// palette command. A refusal is reported under action.
func bkPrepared(ctx Context, action string, prepare backupPrepare) tea.Cmd {
	timeout := ctx.timeout()
	return func() tea.Msg {
		c, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		m, err := prepare(c, nil)
		if err != nil {
			return Report{Action: action, Err: err}
		}
		return m
	}
}

// bkConfirm is the confirmation of a flow (or the read-only refusal).
func bkConfirm(ctx Context, f Flow) tea.Msg { return f.Cmd(ctx)() }

// bkValue reads a trimmed value; values is nil for an inline command.
func bkValue(values map[string]string, key, def string) string {
	if values == nil {
		return def
	}
	return strings.TrimSpace(values[key])
}

// bkAtoi parses a number in unit, min-max, of a form field or a
// command's argument (cloud.ParseQuantity, naming the field); "" is def.
func bkAtoi(label, v, unit string, min, max, def int) (int, error) {
	if strings.TrimSpace(v) == "" {
		return def, nil
	}
	return cloud.ParseQuantity(label, v, unit, min, max)
}

// bkSplit splits "a, b c" into its items.
func bkSplit(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
}

// bkYesNo are a yes/no Choice's options.
var bkYesNo = []string{"yes", "no"}

// bkRetention parses a retention in days: a number, or "forever" (0).
func bkRetention(v string) (int, error) {
	v = strings.TrimSpace(strings.ToLower(v))
	switch v {
	case "", "0", "forever", "keep", "until-deleted":
		return 0, nil
	}
	n, err := cloud.ParseQuantity("retention", v, cloud.UnitDays, 1, cloud.MaxRetentionDays)
	if err != nil {
		return 0, fmt.Errorf("%w, or forever", err)
	}
	if err := cloud.ValidateRetentionDays(n); err != nil {
		return 0, err
	}
	return n, nil
}

// bkValidRetention checks a retention field as typed.
func bkValidRetention(v string) error { _, err := bkRetention(v); return err }

// bkValidSnapshotName checks a snapshot name field locally.
func bkValidSnapshotName(v string) error { return cloud.ValidateSnapshotName(strings.TrimSpace(v)) }

// bkIDPrefix checks that every id of a field has the prefix.
func bkIDPrefix(what, prefix string) func(string) error {
	return func(v string) error {
		for _, id := range bkSplit(v) {
			if !strings.HasPrefix(id, prefix) {
				return fmt.Errorf("%q is not %s id (%s…)", id, what, prefix)
			}
		}
		return nil
	}
}

// errBkNoSelection is the refusal of an action with nothing to act on.
var errBkNoSelection = errors.New("nothing selected: move the cursor to a row (or mark rows with space)")
