package form

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/theme"
)

// longForm has a text field with the default limit and a key field
// with a larger one.
func longForm() Model {
	return New(theme.New(true), "Import a public key", []Field{
		{Key: "name", Label: "Name", MaxLen: 128},
		{Key: "text", Label: "Pasted key", MaxLen: 16 << 10},
		{Key: "note", Label: "Note", Optional: true},
	})
}

// TestPasteLandsInTheFocusedField: a bracketed paste goes into the
// focused text field whole, its spaces kept; its newlines become spaces
// (the fields are one line).
func TestPasteLandsInTheFocusedField(t *testing.T) {
	m := press(t, longForm(), keyTab)
	key := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx0 me@host"
	m, _ = m.Update(tea.PasteMsg{Content: key + "\n"})
	if got := m.Value("text"); got != key+" " {
		t.Fatalf("pasted %q, field holds %q", key, got)
	}
	m, _ = m.Update(tea.PasteMsg{Content: "a\r\nb"})
	if got := m.Value("text"); !strings.HasSuffix(got, "a  b") {
		t.Fatalf("newlines in a paste: %q", got)
	}
	if m.Value("name") != "" || m.Value("note") != "" {
		t.Fatal("the paste reached another field")
	}
}

// TestFieldsStopAtTheirLimitAndSaySo: typing or pasting past a field's
// limit cuts the input at the limit and the field says "at most N
// characters"; under the limit it says nothing.
func TestFieldsStopAtTheirLimitAndSaySo(t *testing.T) {
	m := typeText(t, longForm(), strings.Repeat("n", 127))
	if strings.Contains(ansi.Strip(m.View(80, 24)), "at most") {
		t.Fatal("limit message under the limit")
	}
	m = typeText(t, m, "nnnn")
	if got := len(m.Value("name")); got != 128 {
		t.Fatalf("name holds %d characters, want the limit 128", got)
	}
	if view := ansi.Strip(m.View(80, 24)); !strings.Contains(view, "at most 128 characters") {
		t.Fatalf("no limit message at the limit:\n%s", view)
	}
	m = press(t, m, keyTab, keyTab)
	m, _ = m.Update(tea.PasteMsg{Content: strings.Repeat("x", 100_000)})
	if got := len(m.Value("note")); got != DefaultMaxLen {
		t.Fatalf("note holds %d characters after a 100 KB paste, want %d", got, DefaultMaxLen)
	}
	if view := ansi.Strip(m.View(80, 24)); !strings.Contains(view, "at most 4096 characters") {
		t.Fatalf("no limit message after a cut paste:\n%s", view)
	}
}

// TestPaste100KBIsFast: 100 KB pasted into a field, then keys typed at
// its end, each drawn: well under a second in all (the bound is
// generous for a loaded CI machine under -race; it takes milliseconds).
func TestPaste100KBIsFast(t *testing.T) {
	m := press(t, longForm(), keyTab)
	begin := time.Now()
	m, _ = m.Update(tea.PasteMsg{Content: strings.Repeat("AAAA", 25_000)})
	_ = m.View(80, 24)
	for range 200 {
		m = typeText(t, m, "x")
		_ = m.View(80, 24)
	}
	if took := time.Since(begin); took > time.Second {
		t.Fatalf("100 KB paste and 200 keys took %v", took)
	}
	if got := len(m.Value("text")); got != 16<<10 {
		t.Fatalf("key field holds %d characters, want its limit %d", got, 16<<10)
	}
}

// TestLongValueShowsItsEndAtTheCursor: the box scrolls to keep the
// cursor in view, from the end of a long value, and shows the start
// when the field is not focused.
func TestLongValueShowsItsEndAtTheCursor(t *testing.T) {
	m := press(t, longForm(), keyTab)
	m, _ = m.Update(tea.PasteMsg{Content: strings.Repeat("a", 2000) + "THE-END"})
	view := ansi.Strip(m.View(80, 24))
	if !strings.Contains(view, "aaaTHE-END ]") {
		t.Fatalf("the end of the value is not at the cursor:\n%s", view)
	}
	m = press(t, m, keyTab)
	view = ansi.Strip(m.View(80, 24))
	if strings.Contains(view, "THE-END") || !strings.Contains(view, "aaa…]") {
		t.Fatalf("an unfocused long value shows other than its start, cut:\n%s", view)
	}
}

// BenchmarkTypeIntoLongField: one key typed at the end of a field
// already holding 16 KB (the key field's limit), and the form drawn,
// as a terminal does per keystroke. Run with
//
//	go test ./views/form -run '^$' -bench BenchmarkTypeIntoLongField -benchmem
func BenchmarkTypeIntoLongField(b *testing.B) {
	m := New(theme.New(true), "Import a public key", []Field{{Key: "text", Label: "Pasted key", MaxLen: 16 << 10}})
	m, _ = m.Update(tea.PasteMsg{Content: strings.Repeat("A", 16<<10-1)})
	k := tea.KeyPressMsg{Code: 'x', Text: "x"}
	back := tea.KeyPressMsg{Code: tea.KeyBackspace}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			m, _ = m.Update(k)
		} else {
			m, _ = m.Update(back)
		}
		_ = m.View(80, 24)
	}
}
