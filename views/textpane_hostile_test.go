package views

import (
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/theme"
)

// TestTextPaneShowsCommandOutputPrintable: a command's output keeps its
// lines but its escapes and bidi controls show as placeholders, tabs as
// spaces; the title (the script) too.
func TestTextPaneShowsCommandOutputPrintable(t *testing.T) {
	p := newTextPane("Output: echo \x1b[2J", []string{"i-1 ok\n\x1b[2Jcleared\r\n\u202Eevil\tend\n"})
	out := p.View(Context{Theme: theme.Theme{NoColor: true}}, 80, 10)
	for _, want := range []string{"Output: echo ␛[2J", "i-1 ok", "␛[2Jcleared", "‹U+202E›evil    end"} {
		if !strings.Contains(out, want) {
			t.Errorf("the pane does not show %q:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "\x1b\r\t\u202e") {
		t.Errorf("a control reached the pane: %q", out)
	}
	if len(p.lines) != 3 {
		t.Errorf("%d lines, want 3: %q", len(p.lines), p.lines)
	}
}
