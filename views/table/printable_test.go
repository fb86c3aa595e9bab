package table

import (
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/theme"
)

// TestCellsArePrintableButStyledColumns: a cell from the API with an
// escape and a bidi override shows placeholders, on the cursor row and the
// others, and keeps its width; a Styled column's cell (the view's own
// rendering) is shown as it is; the row keeps the original value.
func TestCellsArePrintableButStyledColumns(t *testing.T) {
	const bold = "\x1b[1m96%\x1b[m"
	cols := []Column{{Title: "ID", Width: 6}, {Title: "NAME", Width: 24}, {Title: "CPU", Width: 4, Styled: true}}
	m := New(theme.Theme{NoColor: true}, cols)
	m.SetSize(40, 5)
	m.SetRows([]Row{
		{ID: "i-1", Cells: []string{"i-1", "evil\x1b[2J\u202Egpj", bold}},
		{ID: "i-2", Cells: []string{"i-2", "ok\tname\u009b", bold}},
	})
	out := m.View()
	for _, want := range []string{"evil␛[2J‹U+202E›gpj", "ok␉name‹U+009B›"} {
		if !strings.Contains(out, want) {
			t.Errorf("the table does not show %q:\n%q", want, out)
		}
	}
	if strings.Count(out, bold) != 2 {
		t.Errorf("the styled cells were changed:\n%q", out)
	}
	if rest := strings.ReplaceAll(out, bold, ""); strings.ContainsAny(rest, "\x1b\t\u202e\u009b") {
		t.Errorf("a control reached the table: %q", rest)
	}
	if r, _ := m.Selected(); r.Cells[1] != "evil\x1b[2J\u202Egpj" {
		t.Errorf("the row's value changed: %q", r.Cells[1])
	}
}
