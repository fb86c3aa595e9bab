package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TestPasteReachesThePaletteAndFilter: a bracketed paste lands in the line
// being typed; a paste of 100 KB is cut to the line's limit, says so, and
// keys after it stay fast.
func TestPasteReachesThePaletteAndFilter(t *testing.T) {
	m := newBareShell()
	m.Update(press(":"))
	m.Update(tea.PasteMsg{Content: "region all"})
	if m.input.Value() != "region all" {
		t.Fatalf("palette after paste: %q", m.input.Value())
	}
	m.Update(press("esc"))

	m.Update(press(":"))
	m.Update(tea.PasteMsg{Content: strings.Repeat("x", 100_000)})
	if n := len(m.input.Value()); n != maxInputLine {
		t.Fatalf("a 100 KB paste left %d characters, want the limit %d", n, maxInputLine)
	}
	if out := screen(m); !strings.Contains(out, "at most 4096 characters") {
		t.Fatalf("the limit is not said:\n%s", out)
	}
	start := time.Now()
	for range 20 {
		m.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
		_ = m.render()
	}
	if d := time.Since(start); d > 2*time.Second { // a bound far above the cost, not a benchmark
		t.Fatalf("20 keys at the limit took %v", d)
	}
}
