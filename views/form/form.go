// Package form is the one form component every action uses (create an alarm
// rule, resize a disk, reset a password, add a security-group rule...): a
// title, a column of labelled fields (text, secret, choice, number, and
// the picker: a choice among many resources, filtered by typing) with
// per-field validation, a form-level error line and a key hint line. A
// text field may hold a suggestion that the first typed character
// replaces.
//
// Every field that takes text stops at its MaxLen (DefaultMaxLen, 4096
// characters, unless set) and says "at most N characters" when full, so
// a 100 KB paste costs no more than the limit; its box draws only what
// shows. A bracketed paste (tea.PasteMsg) goes into the focused text,
// secret, number or picker field whole, spaces kept; its newlines and
// tabs become spaces, as the fields hold one line.
//
// A Model is a value driven like any Bubble Tea component: the host forwards
// messages to Update and renders View(width, height). The host watches
// Submitted and Cancelled; after a refused submit it calls SetError and the
// form reopens for editing.
//
// Secrets typed into a Secret field never appear in View output, and the
// Model prints only its title under fmt (%v, %+v, %#v, %s), even when it is
// nested in another struct: field state sits behind pointers, which fmt
// prints as addresses.
package form

import (
	"fmt"

	"github.com/ecsdash/ecsdash/theme"
)

// Model is a form: its fields, the focused one, and whether it was
// submitted or cancelled. It is a value; Update returns the next one.
type Model struct {
	// KeyMap is the form's bindings; the hint line renders from it.
	KeyMap KeyMap

	th     theme.Theme
	title  string
	fields []*fieldState // behind pointers so fmt never prints their values
	focus  int
	err    error // form-level error (SetError)

	submitted bool
	cancelled bool
}

// New builds a form with the first field focused. Choice fields select the
// option equal to their Value, or the first option.
func New(th theme.Theme, title string, fields []Field) Model {
	m := Model{KeyMap: DefaultKeyMap(), th: th, title: title}
	for _, f := range fields {
		m.fields = append(m.fields, newFieldState(f))
	}
	m.setFocus(0)
	return m
}

// Title is the form's title.
func (m Model) Title() string { return m.title }

// Submitted reports that the user submitted and every field validated. It
// stays true (and the form ignores input) until SetError reopens the form,
// so a host acts on its change from false to true.
func (m Model) Submitted() bool { return m.submitted }

// Cancelled reports that the user pressed esc.
func (m Model) Cancelled() bool { return m.cancelled }

// Focused is the key of the focused field ("" for a form without fields).
func (m Model) Focused() string {
	if m.focus < 0 || m.focus >= len(m.fields) {
		return ""
	}
	return m.fields[m.focus].Key
}

// Values maps every field's key to its current value, secrets included: the
// caller needs them, and must not log the map.
func (m Model) Values() map[string]string {
	vs := make(map[string]string, len(m.fields))
	for _, f := range m.fields {
		vs[f.Key] = f.value()
	}
	return vs
}

// Value is the current value of the field with this key ("" if none).
func (m Model) Value(key string) string {
	if f := m.field(key); f != nil {
		return f.value()
	}
	return ""
}

// Err is the form-level error set by SetError (nil if none).
func (m Model) Err() error { return m.err }

// SetError shows a form-level error (the whole spec is inconsistent, the API
// refused it) and reopens the form for editing: Submitted is false again.
// A nil error clears the message and reopens the form too.
func (m *Model) SetError(err error) {
	m.own()
	m.err = err
	m.submitted = false
	m.setFocus(m.focus)
}

// SetFieldError shows err under the field with this key, focuses that field
// and reopens the form (for an API refusal that names one parameter).
func (m *Model) SetFieldError(key string, err error) {
	i := m.index(key)
	if i < 0 {
		m.SetError(err)
		return
	}
	m.own()
	m.fields[i].err = err
	m.submitted = false
	m.setFocus(i)
}

// SetOptions fills (or refills) a Choice or Picker field, e.g. once the
// options have loaded from the API. The option equal to the field's
// current or initial value stays selected; otherwise the first is. Other
// kinds ignore it. A Picker's options show as themselves (SetChoices
// gives them labels).
func (m *Model) SetOptions(key string, options, descriptions []string) {
	m.SetChoices(key, options, nil, descriptions)
}

// SetChoices is SetOptions with a label for each option, shown by a
// Picker in place of the option ("web-1 (i-abc)" for i-abc).
func (m *Model) SetChoices(key string, options, labels, descriptions []string) {
	i := m.index(key)
	if i < 0 || !m.fields[i].choosing() {
		return
	}
	m.own()
	m.fields[i].setOptions(options, descriptions, labels)
}

// String implements fmt.Stringer with the title only, so an accidental %v
// of a form in a log never prints a field's value.
func (m Model) String() string { return fmt.Sprintf("form %q", m.title) }

// GoString implements fmt.GoStringer for %#v, with the title only.
func (m Model) GoString() string { return fmt.Sprintf("form.Model{title: %q}", m.title) }

// field is the state of the field with this key, or nil.
func (m Model) field(key string) *fieldState {
	if i := m.index(key); i >= 0 {
		return m.fields[i]
	}
	return nil
}

// index is the position of the field with this key, or -1.
func (m Model) index(key string) int {
	for i, f := range m.fields {
		if f.Key == key {
			return i
		}
	}
	return -1
}

// own gives m its own copy of every field's state before a change, so the
// Model a caller still holds from before Update does not change under it.
func (m *Model) own() {
	fs := make([]*fieldState, len(m.fields))
	for i, f := range m.fields {
		fs[i] = f.clone()
	}
	m.fields = fs
}

// setFocus focuses field i (clamped) and blurs the others.
func (m *Model) setFocus(i int) {
	if len(m.fields) == 0 {
		m.focus = 0
		return
	}
	m.focus = max(0, min(i, len(m.fields)-1))
	for j, f := range m.fields {
		if j == m.focus && !m.submitted && !m.cancelled {
			_ = f.input.Focus() // the virtual cursor is off: no blink to run
		} else {
			f.input.Blur()
		}
	}
}
