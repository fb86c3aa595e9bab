package form

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/ecsdash/ecsdash/theme"
)

// assertFits checks that out is exactly height lines of at most width cells.
func assertFits(t *testing.T, out string, width, height int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	if len(lines) != height {
		t.Fatalf("%dx%d: %d lines, want %d:\n%s", width, height, len(lines), height, out)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			t.Fatalf("%dx%d: line %d is %d wide: %q", width, height, i, w, l)
		}
	}
}

func TestViewFits(t *testing.T) {
	long := New(theme.New(false), "Add security group rule to sg-bp1 in cn-hangzhou with a very long title", []Field{
		{Key: "dir", Label: "Direction", Kind: Choice, Options: []string{"ingress", "egress"}},
		{Key: "proto", Label: "Protocol", Kind: Choice, Options: []string{"TCP", "UDP", "ICMP", "ALL"}, Help: "ALL opens every port"},
		{Key: "ports", Label: "Port range", Value: "22/22", Help: "from/to, e.g. 80/80 or 1/65535"},
		{Key: "cidr", Label: "Source CIDR block of the peers allowed", Placeholder: "0.0.0.0/0", Help: "0.0.0.0/0 is the whole internet"},
		{Key: "prio", Label: "Priority", Kind: Number, Value: "1", Help: "1-100, 1 = highest"},
		{Key: "desc", Label: "Description", Optional: true, Value: strings.Repeat("a very long description ", 10)},
	})
	forms := map[string]Model{"alarm": alarmForm(), "long": long, "errors": press(t, alarmForm(), keyCtrlS),
		"picker": instanceForm(), "filtered": typeText(t, instanceForm(), "zzz"), "suggested": ruleForm(),
		"multi": groupsForm("sg-web,sg-db,sg-ops")}
	for name, m := range forms {
		for _, h := range []int{1, 2, 3, 4, 6, 10, 24, 40} {
			for w := 40; w <= 160; w += 7 {
				for i := 0; i < 7; i++ { // every field focused in turn
					out := m.View(w, h)
					assertFits(t, out, w, h)
					if h >= 3 {
						f := m.fields[m.focus]
						label := ansi.Truncate(f.Label, m.labelWidth(w), "…")
						if !strings.Contains(ansi.Strip(out), "› "+label) {
							t.Fatalf("%s %dx%d: focused field %q scrolled out:\n%s", name, w, h, f.Key, ansi.Strip(out))
						}
					}
					m = press(t, m, keyTab)
				}
			}
		}
	}
}

func TestViewEditingAtTheEndOfALongValueShowsTheCursor(t *testing.T) {
	m := typeText(t, New(theme.New(true), "t", []Field{{Key: "a", Label: "A"}}), strings.Repeat("x", 100)+"END")
	if v := ansi.Strip(m.View(40, 6)); !strings.Contains(v, "END") {
		t.Fatalf("the end of the value scrolled out while typing there:\n%s", v)
	}
}

func TestViewGolden(t *testing.T) {
	m := alarmForm()
	m = typeText(t, m, "cpu-high")
	m = press(t, m, keyTab, keyRight, keyTab, keyBack, keyBack)
	m = typeText(t, m, "150")
	m = press(t, m, keyTab) // leave threshold: its error shows
	golden.RequireEqual(t, ansi.Strip(m.View(80, 24)))
}

func TestViewGoldenAfterRefusal(t *testing.T) {
	m := passwordForm()
	m = press(t, m, keyTab)
	m = typeText(t, m, "Sup3r-S3cret!")
	m = press(t, m, keyEnter)
	m.SetError(errTest("InvalidPassword.Malformed: the password must contain three of: upper, lower, digit, symbol"))
	golden.RequireEqual(t, ansi.Strip(m.View(80, 12)))
}

// errTest is an error with a fixed text.
type errTest string

func (e errTest) Error() string { return string(e) }
