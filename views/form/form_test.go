package form

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/theme"
)

func TestTypingFillsTheFocusedField(t *testing.T) {
	m := typeText(t, alarmForm(), "cpu-hgh")
	m = press(t, m, keyLeft, keyLeft)
	m = typeText(t, m, "i")
	if got := m.Value("name"); got != "cpu-high" {
		t.Fatalf("name = %q, want cpu-high", got)
	}
	m = press(t, m, keyBack)
	if got := m.Value("name"); got != "cpu-hgh" {
		t.Fatalf("after backspace name = %q", got)
	}
}

func TestTabNavigationWraps(t *testing.T) {
	m := alarmForm()
	want := []string{"metric", "threshold", "level", "note", "name"}
	for _, w := range want {
		m = press(t, m, keyTab)
		if m.Focused() != w {
			t.Fatalf("tab: focused %q, want %q", m.Focused(), w)
		}
	}
	m = press(t, m, keyShiftTab)
	if m.Focused() != "note" {
		t.Fatalf("shift+tab from first: focused %q, want note", m.Focused())
	}
	m = press(t, m, keyUp, keyDown, keyDown)
	if m.Focused() != "name" {
		t.Fatalf("up/down: focused %q, want name", m.Focused())
	}
	m = press(t, m, keyEnter)
	if m.Focused() != "metric" || m.Submitted() {
		t.Fatalf("enter on a middle field: focused %q submitted %v", m.Focused(), m.Submitted())
	}
}

func TestChoiceCycles(t *testing.T) {
	m := press(t, alarmForm(), keyTab) // metric
	if got := m.Value("metric"); got != "CPUUtilization" {
		t.Fatalf("initial metric %q", got)
	}
	m = press(t, m, keyRight)
	if got := m.Value("metric"); got != "memory_usedutilization" {
		t.Fatalf("right: %q", got)
	}
	m = press(t, m, keySpace, keySpace)
	if got := m.Value("metric"); got != "CPUUtilization" {
		t.Fatalf("space wraps: %q", got)
	}
	m = press(t, m, keyLeft)
	if got := m.Value("metric"); got != "diskusage_utilization" {
		t.Fatalf("left wraps: %q", got)
	}
	if got := m.Value("level"); got != "warn" {
		t.Fatalf("initial Value selects the option: level %q", got)
	}
	view := ansi.Strip(m.View(80, 24))
	if !strings.Contains(view, "‹ diskusage_utilization ›  percent of disk") {
		t.Fatalf("choice not shown with its description:\n%s", view)
	}
}

// TestNumberKeepsWhatIsTyped: a Number field never drops characters
// (dropping the "e" of "1e6" made it 16): the text stays as typed and
// leaving the field refuses it with the rule.
func TestNumberKeepsWhatIsTyped(t *testing.T) {
	m := press(t, alarmForm(), keyTab, keyTab, keyBack, keyBack)
	m = typeText(t, m, "9x5.a5")
	if got := m.Value("threshold"); got != "9x5.a5" {
		t.Fatalf("threshold %q, want it as typed", got)
	}
	m = press(t, m, keyTab)
	if view := ansi.Strip(m.View(80, 24)); !strings.Contains(view, "threshold must be a number between 0 and 100") {
		t.Fatalf("a number with letters is not refused:\n%s", view)
	}
	for v, ok := range map[string]bool{"12": true, "-3": true, "0.5": true, "1e6": false, "0x12C": false, "300MB": false, "1.": false, ".5": false, "": false, "NaN": false} {
		if plainNumber(v) != ok {
			t.Errorf("plainNumber(%q) = %v", v, !ok)
		}
	}
	bare := New(theme.New(true), "t", []Field{{Key: "n", Label: "Count", Kind: Number, Value: "1e6"}})
	if bare, _ = bare.Update(keyCtrlS); bare.Submitted() || !strings.Contains(ansi.Strip(bare.View(80, 24)), "Count must be a number such as 12") {
		t.Fatalf("1e6 accepted by a Number field without a parser:\n%s", ansi.Strip(bare.View(80, 24)))
	}
}

func TestFieldErrorOnLeavingNamesTheRule(t *testing.T) {
	m := press(t, alarmForm(), keyTab, keyTab, keyBack, keyBack)
	m = typeText(t, m, "150")
	if strings.Contains(m.View(80, 24), "between 0 and 100") {
		t.Fatal("error shown while still typing")
	}
	m = press(t, m, keyTab)
	view := ansi.Strip(m.View(80, 24))
	if !strings.Contains(view, "threshold must be a number between 0 and 100") {
		t.Fatalf("leaving an invalid field shows no error:\n%s", view)
	}
	m = press(t, m, keyShiftTab, keyBack)
	if strings.Contains(m.View(80, 24), "between 0 and 100") {
		t.Fatal("error stays after the value is fixed")
	}
}

func TestErrorIsInDangerStyle(t *testing.T) {
	th := theme.New(false)
	m := New(th, "t", []Field{{Key: "a", Label: "A"}})
	m = press(t, m, keyEnter)
	want := th.Danger.Render("A is required")
	if !strings.Contains(m.View(80, 10), want) {
		t.Fatalf("error not rendered with theme.Danger: %q", m.View(80, 10))
	}
}

func TestSubmitBlockedUntilValid(t *testing.T) {
	m := alarmForm()
	m = press(t, m, keyCtrlS)
	if m.Submitted() {
		t.Fatal("submitted with an empty required field")
	}
	if m.Focused() != "name" {
		t.Fatalf("focus %q, want the first failing field", m.Focused())
	}
	if v := ansi.Strip(m.View(80, 24)); !strings.Contains(v, "Rule name is required") {
		t.Fatalf("required error missing:\n%s", v)
	}
	m = typeText(t, m, "cpu-high")
	m = press(t, m, keyTab, keyTab, keyBack, keyBack)
	m = typeText(t, m, "101")
	m = press(t, m, keyTab, keyTab, keyEnter) // enter on the last field
	if m.Submitted() || m.Focused() != "threshold" {
		t.Fatalf("submitted %v focused %q: want blocked on threshold", m.Submitted(), m.Focused())
	}
	m = press(t, m, keyBack)
	m = press(t, m, keyEnter, keyEnter, keyEnter)
	if !m.Submitted() {
		t.Fatalf("valid form not submitted:\n%s", ansi.Strip(m.View(80, 24)))
	}
	want := map[string]string{"name": "cpu-high", "metric": "CPUUtilization", "threshold": "10", "level": "warn", "note": ""}
	for k, v := range want {
		if m.Values()[k] != v {
			t.Errorf("Values()[%q] = %q, want %q", k, m.Values()[k], v)
		}
	}
	if after := typeText(t, m, "zzz"); after.Value("note") != "" {
		t.Fatal("a submitted form took input")
	}
}

func TestOptionalMayBeEmptyButIsValidated(t *testing.T) {
	m := New(theme.New(true), "t", []Field{
		{Key: "a", Label: "A", Optional: true, Validate: func(v string) error { return errors.New("A must be blank") }},
	})
	if m = press(t, m, keyEnter); !m.Submitted() {
		t.Fatal("an empty optional field blocked submit")
	}
	m = New(theme.New(true), "t", []Field{
		{Key: "a", Label: "A", Optional: true, Validate: func(v string) error { return errors.New("A must be blank") }},
	})
	m = press(t, typeText(t, m, "x"), keyEnter)
	if m.Submitted() || !strings.Contains(m.View(80, 10), "A must be blank") {
		t.Fatal("a filled optional field was not validated")
	}
}

func TestSetErrorReopens(t *testing.T) {
	m := press(t, typeText(t, passwordForm(), ""), keyTab)
	m = typeText(t, m, "longenough")
	m = press(t, m, keyEnter)
	if !m.Submitted() {
		t.Fatal("not submitted")
	}
	m.SetError(errors.New("InvalidPassword: the API refused it"))
	if m.Submitted() {
		t.Fatal("SetError left the form submitted")
	}
	if v := ansi.Strip(m.View(80, 12)); !strings.Contains(v, "InvalidPassword: the API refused it") {
		t.Fatalf("form error not shown:\n%s", v)
	}
	m = typeText(t, m, "!")
	if m.Value("password") != "longenough!" {
		t.Fatalf("reopened form takes no input: %q", m.Value("password"))
	}
	m = press(t, m, keyEnter)
	if !m.Submitted() || m.Err() != nil {
		t.Fatalf("resubmit: submitted %v err %v", m.Submitted(), m.Err())
	}
}

func TestSetFieldErrorFocusesTheField(t *testing.T) {
	m := press(t, alarmForm(), keyTab, keyTab)
	m.SetFieldError("name", errors.New("Rule name is already taken"))
	if m.Focused() != "name" || !strings.Contains(m.View(80, 24), "already taken") {
		t.Fatalf("focused %q\n%s", m.Focused(), m.View(80, 24))
	}
}

func TestSetOptionsFillsAChoiceLater(t *testing.T) {
	m := New(theme.New(true), "Attach disk", []Field{
		{Key: "instance", Label: "Instance", Kind: Choice, Value: "i-2"},
	})
	if v := ansi.Strip(m.View(60, 8)); !strings.Contains(v, "‹ no options ›") {
		t.Fatalf("empty choice:\n%s", v)
	}
	if m = press(t, m, keyEnter); m.Submitted() {
		t.Fatal("submitted an empty required choice")
	}
	m.SetOptions("instance", []string{"i-1", "i-2", "i-3"}, []string{"web", "db"})
	if m.Value("instance") != "i-2" {
		t.Fatalf("initial value not selected once options arrived: %q", m.Value("instance"))
	}
	if v := ansi.Strip(m.View(60, 8)); !strings.Contains(v, "‹ i-2 ›  db") || strings.Contains(v, "required") {
		t.Fatalf("after SetOptions:\n%s", v)
	}
}

func TestEscCancels(t *testing.T) {
	m := press(t, alarmForm(), keyEsc)
	if !m.Cancelled() || m.Submitted() {
		t.Fatalf("cancelled %v submitted %v", m.Cancelled(), m.Submitted())
	}
}

func TestUpdateLeavesTheOldModelAlone(t *testing.T) {
	before := typeText(t, alarmForm(), "abc")
	after := press(t, before, keyBack, keyBack)
	if before.Value("name") != "abc" || after.Value("name") != "a" {
		t.Fatalf("before %q after %q", before.Value("name"), after.Value("name"))
	}
}

func TestSecretNeverShown(t *testing.T) {
	const secret = "Sup3r-S3cret!"
	m := press(t, passwordForm(), keyTab)
	check := func(step string, m Model) {
		t.Helper()
		outs := map[string]string{
			"View 80x12": m.View(80, 12),
			"View 40x6":  m.View(40, 6),
			"View 160x3": m.View(160, 3),
			"%v":         fmt.Sprint(m),
			"%+v":        fmt.Sprintf("%+v", m),
			"%#v":        fmt.Sprintf("%#v", m),
			"%s ptr":     fmt.Sprintf("%s", &m),
			"nested %v":  fmt.Sprintf("%v", struct{ f Model }{m}),
			"nested %+v": fmt.Sprintf("%+v", struct{ f Model }{m}),
			"nested %#v": fmt.Sprintf("%#v", struct{ f Model }{m}),
		}
		for what, out := range outs {
			for i := 3; i <= len(secret); i++ { // no prefix of 3+ characters either
				if strings.Contains(ansi.Strip(out), secret[:i]) {
					t.Fatalf("%s: %s shows %q:\n%s", step, what, secret[:i], out)
				}
			}
		}
	}
	for i, r := range secret {
		m = typeText(t, m, string(r))
		check(fmt.Sprintf("typed %d", i+1), m)
	}
	if got := m.Value("password"); got != secret {
		t.Fatalf("Value = %q", got)
	}
	if v := ansi.Strip(m.View(80, 12)); !strings.Contains(v, strings.Repeat("•", len(secret))) {
		t.Fatalf("secret not masked as typed:\n%s", v)
	}
	m = press(t, m, keyShiftTab) // leave it
	check("left", m)
	m = press(t, m, keyCtrlS)
	check("submitted", m)
	if m.Values()["password"] != secret {
		t.Fatal("Values() lost the secret")
	}
	m.SetError(fmt.Errorf("API: password %s is too weak", secret))
	check("api error", m)

	short := typeText(t, press(t, passwordForm(), keyTab), "Sup3r")
	short = press(t, short, keyEnter) // Validate quotes the value
	check("validate error", short)
	if !strings.Contains(short.View(80, 12), "shorter than 8") {
		t.Fatalf("validate error missing:\n%s", short.View(80, 12))
	}
}
