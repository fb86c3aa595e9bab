package form

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textinput"
)

// Kind is what a field holds and how it is edited.
type Kind int

const (
	// Text is free text.
	Text Kind = iota
	// Secret is text that is masked as typed and never shown: a password.
	Secret
	// Choice is one of Options; ←/→ or space cycles, shown as "‹ value ›".
	Choice
	// Number is text restricted to a number (digits, '.', '-'); Validate
	// still runs for the range.
	Number
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case Text:
		return "text"
	case Secret:
		return "secret"
	case Choice:
		return "choice"
	case Number:
		return "number"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Field describes one field of a form.
type Field struct {
	Key   string // the key in Values
	Label string // shown left of the value; names the field in errors
	Help  string // one line under the field, e.g. "1-100, 1 = highest"
	Kind  Kind

	Options      []string // for Choice
	Descriptions []string // optional, beside the chosen option (e.g. "email, SMS")

	Value       string // initial value
	Placeholder string // shown in an empty text field

	// Validate runs on leaving the field (when it is not empty) and on
	// submit; its error names the rule broken ("threshold must be a number
	// between 0 and 100"). It is not called for an empty Optional field.
	Validate func(value string) error

	// Optional fields may be left empty; others are "X is required".
	Optional bool
}

// fieldState is a field and its editing state. The form holds it behind a
// pointer so fmt prints an address, never a value.
type fieldState struct {
	Field
	input  textinput.Model // Text, Secret, Number
	choice int             // index into Options, for Choice
	want   string          // the Choice value to select once options arrive
	err    error           // the field's validation error, shown under it
}

// numberRunes are the runes a Number field accepts.
const numberRunes = "0123456789.-"

// newFieldState prepares a field for editing.
func newFieldState(f Field) *fieldState {
	f.Options = slices.Clone(f.Options)
	f.Descriptions = slices.Clone(f.Descriptions)
	in := textinput.New()
	in.SetVirtualCursor(false) // the form draws its own cursor: no blink
	in.Prompt = ""
	in.Placeholder = f.Placeholder
	if f.Kind == Secret {
		in.EchoMode = textinput.EchoPassword
		in.EchoCharacter = '•'
	}
	s := &fieldState{Field: f, input: in, choice: -1}
	if f.Kind == Choice {
		s.setOptions(f.Options, f.Descriptions)
	} else {
		s.input.SetValue(f.Value)
		s.sanitize()
		s.input.CursorEnd()
	}
	return s
}

// clone copies the state, with a value of its own (textinput edits its
// rune slice in place).
func (f *fieldState) clone() *fieldState {
	c := *f
	pos := c.input.Position()
	c.input.SetValue(c.input.Value())
	c.input.SetCursor(pos)
	return &c
}

// value is the field's current value.
func (f *fieldState) value() string {
	if f.Kind == Choice {
		if f.choice >= 0 && f.choice < len(f.Options) {
			return f.Options[f.choice]
		}
		return ""
	}
	return f.input.Value()
}

// name is how errors name the field.
func (f *fieldState) name() string {
	if f.Label != "" {
		return f.Label
	}
	return f.Key
}

// check validates the value: required, a number for Number, then Validate.
func (f *fieldState) check() error {
	v := f.value()
	if strings.TrimSpace(v) == "" {
		if f.Optional {
			return nil
		}
		return fmt.Errorf("%s is required", f.name())
	}
	if f.Kind == Number {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return fmt.Errorf("%s must be a number", f.name())
		}
	}
	if f.Validate != nil {
		return f.Validate(v)
	}
	return nil
}

// leave validates the field as focus leaves it: a non-empty value, or one
// already showing an error (so a fixed field clears and a broken one stays).
func (f *fieldState) leave() {
	if f.value() != "" || f.err != nil {
		f.err = f.check()
	}
}

// edited re-validates after a change while an error is showing, so the
// error goes as soon as the value is fixed.
func (f *fieldState) edited() {
	if f.err != nil {
		f.err = f.check()
	}
}

// sanitize drops what a Number field does not accept (typed or pasted).
func (f *fieldState) sanitize() {
	if f.Kind != Number {
		return
	}
	v := f.input.Value()
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(numberRunes, r) {
			return r
		}
		return -1
	}, v)
	if clean != v {
		pos := f.input.Position() - (len([]rune(v)) - len([]rune(clean)))
		f.input.SetValue(clean)
		f.input.SetCursor(max(0, pos))
	}
}

// cycle moves a Choice field by delta options, wrapping.
func (f *fieldState) cycle(delta int) {
	n := len(f.Options)
	if n == 0 {
		return
	}
	f.choice = ((f.choice+delta)%n + n) % n
	f.want = f.Options[f.choice]
	f.edited()
}

// setOptions replaces a Choice field's options, keeping the wanted value
// selected when it is among them.
func (f *fieldState) setOptions(options, descriptions []string) {
	if f.want == "" {
		f.want = f.Value
	}
	if cur := f.value(); cur != "" {
		f.want = cur
	}
	f.Options = slices.Clone(options)
	f.Descriptions = slices.Clone(descriptions)
	f.choice = max(0, slices.Index(f.Options, f.want))
	if len(f.Options) == 0 {
		f.choice = -1
	}
	f.edited()
}

// description is the chosen option's description, if any.
func (f *fieldState) description() string {
	if f.choice >= 0 && f.choice < len(f.Descriptions) {
		return f.Descriptions[f.choice]
	}
	return ""
}
