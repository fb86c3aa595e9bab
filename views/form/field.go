package form

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"

	"github.com/ecsdash/ecsdash/views/textsafe"
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
	// Number is a number, possibly with its unit ("200", "200 GiB"). What
	// is typed stays as typed, never filtered (dropping the "e" of "1e6"
	// would make it 16): Validate, the field's quantity parser, refuses
	// what is not a number in its unit, naming the unit and the range;
	// without a Validate the value must be a plain decimal number.
	Number
	// Picker is a Choice for long lists of resources (instances, disks,
	// snapshots, images, policies, groups): each option shows as its Label
	// ("web-1 (i-abc)"), text typed into the field filters the options by
	// id, label and description, ←/→ move among the matches and enter or
	// tab accepts the highlighted one. With no options (not loaded, or
	// none) the typed text is the value. An Optional Picker starts with
	// nothing picked, and emptying its filter picks nothing again.
	Picker
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
	case Picker:
		return "picker"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Field describes one field of a form.
type Field struct {
	Key   string // the key in Values
	Label string // shown left of the value; names the field in errors
	Help  string // one line under the field, e.g. "1-100, 1 = highest"
	Kind  Kind

	Options      []string // for Choice and Picker: the values
	Descriptions []string // optional, beside the chosen option (e.g. "email, SMS")
	Labels       []string // optional, for Picker: how each option shows ("web-1 (i-abc)")

	Value       string // initial value
	Placeholder string // shown in an empty text field

	// Suggestion, for Text and Number, is a value offered when Value is
	// empty: it is the field's value until the user edits it, and the
	// first character typed replaces it instead of being appended to it
	// (backspace clears it; ←/→ keep it for editing). Never suggest a
	// value that opens access: leave such a field empty.
	Suggestion string

	// Validate runs on leaving the field (when it is not empty) and on
	// submit; its error names the rule broken ("threshold must be a number
	// between 0 and 100"). It is not called for an empty Optional field.
	Validate func(value string) error

	// Optional fields may be left empty; others are "X is required".
	Optional bool

	// Free, for a Picker, takes typed text as its value unless a match is
	// chosen (←/→, or text equal to an option): the options are
	// suggestions, e.g. the groups a rule's peer may be besides a CIDR.
	Free bool

	// MaxLen is the most characters the field takes (typed or pasted);
	// 0 is DefaultMaxLen. Past it input is cut and the field says "at
	// most N characters", so a huge paste costs no more than the limit.
	MaxLen int

	// Multi, for a Picker, takes several options: enter (or tab) with a
	// filter typed adds the highlighted match (enter on one already
	// picked removes it), backspace on an empty filter removes the last
	// one. The value is the picked options joined by ",", in the order
	// picked; Value may list several the same way.
	Multi bool
}

// fieldState is a field and its editing state. The form holds it behind a
// pointer so fmt prints an address, never a value.
type fieldState struct {
	Field
	input  textinput.Model // Text, Secret, Number
	choice int             // index into Options, for Choice and Picker
	want   string          // the Choice value to select once options arrive
	err    error           // the field's validation error, shown under it
	// suggested: the text is the Suggestion, not yet edited (the next
	// typed character replaces it).
	suggested bool
	// picked are a Multi Picker's options, in the order picked.
	picked []string
}

// DefaultMaxLen is a field's length limit unless it sets MaxLen: more
// than any name, description or command the API takes.
const DefaultMaxLen = 4096

// maxLen is the field's length limit.
func (f Field) maxLen() int {
	if f.MaxLen > 0 {
		return f.MaxLen
	}
	return DefaultMaxLen
}

// newFieldState prepares a field for editing.
func newFieldState(f Field) *fieldState {
	f.Options = slices.Clone(f.Options)
	f.Descriptions = slices.Clone(f.Descriptions)
	in := textinput.New()
	in.SetVirtualCursor(false) // the form draws its own cursor: no blink
	in.Prompt = ""
	in.Placeholder = f.Placeholder
	in.CharLimit = f.maxLen()
	if f.Kind == Secret {
		in.EchoMode = textinput.EchoPassword
		in.EchoCharacter = '•'
	}
	s := &fieldState{Field: f, input: in, choice: -1}
	switch {
	case f.choosing():
		s.setOptions(f.Options, f.Descriptions, f.Labels)
	case f.Value == "" && f.Suggestion != "":
		s.input.SetValue(f.Suggestion)
		s.input.CursorEnd()
		s.suggested = s.input.Value() != ""
	default:
		s.input.SetValue(f.Value)
		s.input.CursorEnd()
	}
	return s
}

// choosing reports a field whose value is one of its Options.
func (f Field) choosing() bool { return f.Kind == Choice || f.Kind == Picker }

// clone copies the state, with a value of its own (textinput edits its
// rune slice in place).
func (f *fieldState) clone() *fieldState {
	c := *f
	c.picked = slices.Clone(f.picked) // edited in place by the next Update
	pos := c.input.Position()
	c.input.SetValue(c.input.Value())
	c.input.SetCursor(pos)
	return &c
}

// value is the field's current value.
func (f *fieldState) value() string {
	if f.Kind == Picker && f.Multi {
		if len(f.Options) == 0 && len(f.picked) == 0 {
			return cmpOr(strings.TrimSpace(f.input.Value()), f.want)
		}
		return strings.Join(f.picked, ",")
	}
	if f.choosing() {
		if f.choice >= 0 && f.choice < len(f.Options) {
			return f.Options[f.choice]
		}
		if f.Kind == Picker && f.Free && len(f.Options) > 0 {
			return strings.TrimSpace(f.input.Value()) // no match chosen: the text as typed
		}
		if f.Kind == Picker && len(f.Options) == 0 {
			return cmpOr(strings.TrimSpace(f.input.Value()), f.want)
		}
		return ""
	}
	return f.input.Value()
}

// cmpOr is a, or b when a is empty.
func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
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
	if q := f.query(); q != "" && (v == "" || f.Multi) && len(f.Options) > 0 && !f.Free {
		if f.Multi && len(f.matches()) > 0 {
			return fmt.Errorf("%s: enter adds the highlighted match, or clear %q", f.name(), q)
		}
		return fmt.Errorf("%s: nothing matches %q", f.name(), q)
	}
	if strings.TrimSpace(v) == "" {
		if f.Optional {
			return nil
		}
		return fmt.Errorf("%s is required", f.name())
	}
	if f.Validate != nil {
		return f.Validate(v) // for a Number: its parser, which names the unit
	}
	if f.Kind == Number && !plainNumber(strings.TrimSpace(v)) {
		return fmt.Errorf("%s must be a number such as 12 or 0.5", f.name())
	}
	return nil
}

// leave validates the field as focus leaves it: a non-empty value, or one
// already showing an error (so a fixed field clears and a broken one stays).
func (f *fieldState) leave() {
	if f.Multi && f.query() != "" {
		f.pickHighlighted() // tab accepts, as enter does
	}
	if f.Kind == Picker && f.value() != "" && len(f.Options) > 0 && !f.Multi && (!f.Free || f.choice >= 0) {
		f.input.SetValue("") // the choice shows; the filter is done
	}
	if f.value() != "" || f.query() != "" || f.err != nil {
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

// plainNumber reports a decimal number: digits, optionally a sign and a
// fractional part; no exponent, hex or unit.
func plainNumber(v string) bool {
	v = strings.TrimPrefix(v, "-")
	whole, frac, dot := strings.Cut(v, ".")
	digits := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	return digits(whole) && (!dot || digits(frac))
}

// atLimit reports a value that has reached the field's length limit.
func (f *fieldState) atLimit() bool {
	return f.input.CharLimit > 0 && utf8.RuneCountInString(f.input.Value()) >= f.input.CharLimit
}

// cycle moves a Choice field by delta options, or a Picker by delta
// among the options its filter matches, wrapping.
func (f *fieldState) cycle(delta int) {
	if f.Kind == Picker {
		ms := f.matches()
		if len(ms) == 0 {
			return
		}
		i := max(0, slices.Index(ms, f.choice))
		if !slices.Contains(ms, f.choice) && delta > 0 {
			i = -1 // the first step lands on the first match
		}
		f.choice = ms[((i+delta)%len(ms)+len(ms))%len(ms)]
		if !f.Multi {
			f.want = f.Options[f.choice]
		}
		f.edited()
		return
	}
	n := len(f.Options)
	if n == 0 {
		return
	}
	f.choice = ((f.choice+delta)%n + n) % n
	f.want = f.Options[f.choice]
	f.edited()
}

// setOptions replaces a Choice or Picker field's options, keeping the
// wanted value selected when it is among them.
func (f *fieldState) setOptions(options, descriptions, labels []string) {
	if f.want == "" {
		f.want = f.Value
	}
	if f.choice >= 0 && f.choice < len(f.Options) {
		f.want = f.Options[f.choice]
	}
	f.Options = slices.Clone(options)
	f.Descriptions = slices.Clone(descriptions)
	f.Labels = slices.Clone(labels)
	if f.Multi {
		f.repick()
	}
	f.choice = max(0, slices.Index(f.Options, f.want))
	if len(f.Options) == 0 || f.Kind == Picker && (f.Optional || f.Free) && !slices.Contains(f.Options, f.want) {
		f.choice = -1 // an optional Picker starts with nothing picked
	}
	if f.Kind == Picker && f.query() != "" {
		f.refilter() // typed while the options loaded: the filter applies
	}
	f.edited()
}

// description is the chosen option's description, if any.
func (f *fieldState) description() string { return f.descriptionOf(f.choice) }

// descriptionOf is option i's description, if any, made printable (it is
// often the API's text).
func (f *fieldState) descriptionOf(i int) string {
	if i >= 0 && i < len(f.Descriptions) {
		return textsafe.Line(f.Descriptions[i])
	}
	return ""
}

// label is how option i shows: its Label, or the option itself, made
// printable (names come from the API); the value stays f.Options[i].
func (f *fieldState) label(i int) string {
	if i >= 0 && i < len(f.Labels) && f.Labels[i] != "" {
		return textsafe.Line(f.Labels[i])
	}
	if i >= 0 && i < len(f.Options) {
		return textsafe.Line(f.Options[i])
	}
	return ""
}
