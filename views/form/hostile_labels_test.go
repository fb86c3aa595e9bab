package form

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/theme"
)

// TestOptionLabelsAndDescriptionsArePrintable: a picker's labels and
// descriptions (names and states from the API) show escapes and bidi
// controls as placeholders, while the value picked stays the option itself.
func TestOptionLabelsAndDescriptionsArePrintable(t *testing.T) {
	for _, kind := range []Kind{Picker, Choice} {
		m := New(theme.Theme{NoColor: true}, "Attach", []Field{
			{Key: "instance", Label: "Instance", Kind: kind,
				Options:      []string{"i-aaa111", "i-bbb222"},
				Labels:       []string{"evil\x1b[2J\u202Egpj (i-aaa111)", "web-2 (i-bbb222)"},
				Descriptions: []string{"Running\x1b]0;pwned\x07", "Stopped"}},
		})
		// The form's own styling (the focused field, the cursor) is SGR:
		// anything else escaped came from the options.
		view := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(m.View(100, 24), "")
		for _, want := range []string{"evil␛[2J‹U+202E›gpj (i-aaa111)", "Running␛]0;pwned␇"} {
			if !strings.Contains(view, want) {
				t.Errorf("kind %d: the form does not show %q:\n%s", kind, want, view)
			}
		}
		if strings.ContainsAny(view, "\x1b\x07\u202e") {
			t.Errorf("kind %d: a control reached the form: %q", kind, view)
		}
		if got := m.Value("instance"); got != "i-aaa111" {
			t.Errorf("kind %d: value %q, want the option itself", kind, got)
		}
	}
}

// TestTextValueWithBidiControlsIsPrintable: a field prefilled from the API
// (a name to edit) shows a bidi override as "�" in its box, one cell for
// one rune so the cursor keeps its place, while the value is unchanged.
func TestTextValueWithBidiControlsIsPrintable(t *testing.T) {
	m := New(theme.Theme{NoColor: true}, "Rename", []Field{{Key: "name", Label: "Name", Value: "evil\u202Egpj"}})
	view := m.View(80, 24)
	if !strings.Contains(view, "evil�gpj") || strings.ContainsRune(view, '\u202e') {
		t.Errorf("the box does not show the placeholder: %q", view)
	}
	if got := m.Value("name"); got != "evil\u202Egpj" {
		t.Errorf("value %q, want the original", got)
	}
}

// TestErrorsArePrintable: a form-level error quoting the API's text shows
// its escapes as placeholders.
func TestErrorsArePrintable(t *testing.T) {
	m := New(theme.Theme{NoColor: true}, "Rename", []Field{{Key: "name", Label: "Name"}})
	m.SetError(errors.New("InvalidParameter: name evil\x1b[2J\u202Egpj refused"))
	view := m.View(80, 24)
	if !strings.Contains(view, "evil␛[2J‹U+202E›gpj") || strings.ContainsAny(view, "\x1b\u202e") {
		t.Errorf("the error is not printable: %q", view)
	}
}
