package form

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/theme"
)

// instanceForm picks one of four instances, then a note.
func instanceForm() Model {
	return New(theme.New(true), "Attach", []Field{
		{Key: "instance", Label: "Instance", Kind: Picker,
			Options:      []string{"i-aaa111", "i-bbb222", "i-ccc333", "i-ddd444"},
			Labels:       []string{"web-1 (i-aaa111)", "web-2 (i-bbb222)", "db-1 (i-ccc333)", "cache (i-ddd444)"},
			Descriptions: []string{"Running", "Stopped", "Running", "Running"}},
		{Key: "note", Label: "Note", Optional: true},
	})
}

func TestPickerTypedTextFiltersByNameAndID(t *testing.T) {
	m := instanceForm()
	if got := m.Value("instance"); got != "i-aaa111" {
		t.Fatalf("initial pick %q, want the first option", got)
	}
	m = typeText(t, m, "db")
	if got := m.Value("instance"); got != "i-ccc333" {
		t.Fatalf("filter by name 'db': %q, want i-ccc333", got)
	}
	view := ansi.Strip(m.View(80, 24))
	if !strings.Contains(view, "1 of 4") || !strings.Contains(view, "› db-1 (i-ccc333)  Running") || strings.Contains(view, "web-1") {
		t.Fatalf("the picker should list only the match, marked:\n%s", view)
	}
	m = press(t, m, keyBack, keyBack)
	m = typeText(t, m, "ddd")
	if got := m.Value("instance"); got != "i-ddd444" {
		t.Fatalf("filter by id 'ddd': %q, want i-ddd444", got)
	}
	m = press(t, m, keyBack, keyBack, keyBack)
	m = typeText(t, m, "running web")
	if got := m.Value("instance"); got != "i-aaa111" {
		t.Fatalf("every word must match (description too): %q, want i-aaa111", got)
	}
}

func TestPickerArrowsMoveAmongMatchesAndEnterAccepts(t *testing.T) {
	m := typeText(t, instanceForm(), "web")
	m = press(t, m, keyRight)
	if got := m.Value("instance"); got != "i-bbb222" {
		t.Fatalf("right: %q, want the second match i-bbb222", got)
	}
	m = press(t, m, keyRight)
	if got := m.Value("instance"); got != "i-aaa111" {
		t.Fatalf("right wraps within the matches: %q", got)
	}
	m = press(t, m, keyLeft, keyEnter)
	if m.Focused() != "note" || m.Value("instance") != "i-bbb222" {
		t.Fatalf("enter accepts the highlighted match: focused %q, value %q", m.Focused(), m.Value("instance"))
	}
	view := ansi.Strip(m.View(80, 24))
	if !strings.Contains(view, "‹ web-2 (i-bbb222) ›  Stopped") {
		t.Fatalf("after accepting, the label shows like a choice:\n%s", view)
	}
	m = press(t, m, keyShiftTab)
	if got := m.Value("instance"); got != "i-bbb222" {
		t.Fatalf("coming back keeps the pick: %q", got)
	}
	m = typeText(t, m, "cache")
	m = press(t, m, keyTab)
	if got := m.Value("instance"); got != "i-ddd444" || m.Focused() != "note" {
		t.Fatalf("tab accepts too: %q focused %q", got, m.Focused())
	}
}

func TestPickerSpaceIsFilterText(t *testing.T) {
	m := typeText(t, instanceForm(), "db ")
	m = press(t, m, keySpace)
	if got := m.Value("instance"); got != "i-ccc333" {
		t.Fatalf("space types into the filter instead of cycling: %q", got)
	}
}

func TestPickerNothingMatchesIsAnError(t *testing.T) {
	m := typeText(t, instanceForm(), "zzz")
	if got := m.Value("instance"); got != "" {
		t.Fatalf("no match: value %q, want empty", got)
	}
	if !strings.Contains(ansi.Strip(m.View(80, 24)), "nothing matches") {
		t.Fatal("the picker should say nothing matches")
	}
	m = press(t, m, keyCtrlS)
	if m.Submitted() {
		t.Fatal("a picker whose filter matches nothing must not submit")
	}
	if !strings.Contains(ansi.Strip(m.View(80, 24)), `Instance: nothing matches "zzz"`) {
		t.Fatalf("the error should name the filter:\n%s", ansi.Strip(m.View(80, 24)))
	}
}

func TestPickerOptionsArrivingLater(t *testing.T) {
	m := New(theme.New(true), "Snapshot", []Field{
		{Key: "snap", Label: "Snapshot", Kind: Picker, Optional: true, Value: "s-222"},
	})
	if got := m.Value("snap"); got != "s-222" {
		t.Fatalf("before options load the initial value stands: %q", got)
	}
	m.SetChoices("snap", []string{"s-111", "s-222"}, []string{"daily (s-111)", "weekly (s-222)"}, nil)
	if got := m.Value("snap"); got != "s-222" {
		t.Fatalf("the initial value is picked once options load: %q", got)
	}
	free := New(theme.New(true), "Snapshot", []Field{{Key: "snap", Label: "Snapshot", Kind: Picker, Optional: true}})
	free = typeText(t, free, "s-999")
	if got := free.Value("snap"); got != "s-999" {
		t.Fatalf("with no options the typed text is the value: %q", got)
	}
	free.SetChoices("snap", []string{"s-111", "s-999"}, nil, nil)
	if got := free.Value("snap"); got != "s-999" {
		t.Fatalf("text typed while loading filters the options that arrive: %q", got)
	}
}

// ruleForm has a suggested priority and a port with no value at all.
func ruleForm() Model {
	return New(theme.New(true), "Rule", []Field{
		{Key: "priority", Label: "Priority", Kind: Number, Suggestion: "1"},
		{Key: "ports", Label: "Ports", Placeholder: "443/443"},
	})
}

func TestSuggestionIsTheValueUntilReplacedByTyping(t *testing.T) {
	m := ruleForm()
	if got := m.Value("priority"); got != "1" {
		t.Fatalf("untouched suggestion is the value: %q", got)
	}
	if got := m.Value("ports"); got != "" {
		t.Fatalf("a placeholder is not a value: %q", got)
	}
	m = typeText(t, m, "10")
	if got := m.Value("priority"); got != "10" {
		t.Fatalf("typing replaces the suggestion instead of appending: %q, want 10", got)
	}
}

func TestSuggestionBackspaceClearsArrowsEdit(t *testing.T) {
	m := press(t, ruleForm(), keyBack)
	if got := m.Value("priority"); got != "" {
		t.Fatalf("backspace clears the suggestion: %q", got)
	}
	m = press(t, ruleForm(), keyLeft)
	m = typeText(t, m, "2")
	if got := m.Value("priority"); got != "21" {
		t.Fatalf("after ← the suggestion is text to edit: %q, want 21", got)
	}
	m = press(t, ruleForm(), tea.KeyPressMsg{Code: tea.KeyEnd})
	m = typeText(t, m, "5")
	if got := m.Value("priority"); got != "15" {
		t.Fatalf("after end typing appends: %q, want 15", got)
	}
	view := ansi.Strip(ruleForm().View(80, 24))
	if !strings.Contains(view, "type replaces") {
		t.Fatalf("the hint says typing replaces the suggestion:\n%s", view)
	}
}

func TestOptionalPickerStartsWithNothingPicked(t *testing.T) {
	m := New(theme.New(true), "Disk", []Field{
		{Key: "snap", Label: "From snapshot", Kind: Picker, Optional: true,
			Options: []string{"s-111", "s-222"}, Labels: []string{"daily (s-111)", "weekly (s-222)"}},
		{Key: "name", Label: "Name", Optional: true},
	})
	if got := m.Value("snap"); got != "" {
		t.Fatalf("an optional picker must not pick the first option by itself: %q", got)
	}
	m = typeText(t, m, "week")
	if got := m.Value("snap"); got != "s-222" {
		t.Fatalf("typing picks: %q", got)
	}
	m = press(t, m, keyBack, keyBack, keyBack, keyBack)
	if got := m.Value("snap"); got != "" {
		t.Fatalf("emptying the filter picks nothing again: %q", got)
	}
	m = press(t, m, keyTab, keyCtrlS)
	if !m.Submitted() {
		t.Fatal("an optional picker left empty submits")
	}
	if !strings.Contains(ansi.Strip(m.View(80, 24)), "From snapshot  ‹ none ›") {
		t.Fatalf("nothing picked shows as none:\n%s", ansi.Strip(m.View(80, 24)))
	}
}

// groupsForm picks several groups, then a name.
func groupsForm(value string) Model {
	return New(theme.New(true), "Launch", []Field{
		{Key: "groups", Label: "Groups", Kind: Picker, Multi: true, Value: value,
			Options: []string{"sg-web", "sg-db", "sg-ops"}, Labels: []string{"web (sg-web)", "db (sg-db)", "ops (sg-ops)"}},
		{Key: "name", Label: "Name", Optional: true},
	})
}

func TestMultiPickerAddsWithEnterRemovesWithBackspace(t *testing.T) {
	m := groupsForm("")
	if got := m.Value("groups"); got != "" {
		t.Fatalf("starts with %q picked", got)
	}
	m = typeText(t, m, "db")
	m = press(t, m, keyEnter)
	if got := m.Value("groups"); got != "sg-db" || m.Focused() != "groups" {
		t.Fatalf("enter with a filter adds and stays: %q, focused %q", got, m.Focused())
	}
	m = typeText(t, m, "web")
	m = press(t, m, keyEnter)
	if got := m.Value("groups"); got != "sg-db,sg-web" {
		t.Fatalf("two picked in order: %q", got)
	}
	view := ansi.Strip(m.View(80, 24))
	if !strings.Contains(view, "picked: db (sg-db), web (sg-web)") || !strings.Contains(view, "2 picked · 3 of 3") || !strings.Contains(view, "✓ web (sg-web)") {
		t.Fatalf("the picker shows what is picked:\n%s", view)
	}
	m = typeText(t, m, "db")
	m = press(t, m, keyEnter)
	if got := m.Value("groups"); got != "sg-web" {
		t.Fatalf("enter on a picked match removes it: %q", got)
	}
	m = typeText(t, m, "ops")
	m = press(t, m, keyBack, keyBack, keyBack)
	if got := m.Value("groups"); got != "sg-web" {
		t.Fatalf("backspace first empties the filter, then removes the last: %q", got)
	}
	m = press(t, m, keyBack)
	if got := m.Value("groups"); got != "" {
		t.Fatalf("backspace on an empty filter removes the last picked: %q", got)
	}
	m = typeText(t, m, "ops")
	m = press(t, m, keyTab)
	if got := m.Value("groups"); got != "sg-ops" || m.Focused() != "name" {
		t.Fatalf("tab adds the highlighted match and moves on: %q, focused %q", got, m.Focused())
	}
	if !strings.Contains(ansi.Strip(m.View(80, 24)), "‹ ops (sg-ops) ›") {
		t.Fatalf("unfocused, the picked show:\n%s", ansi.Strip(m.View(80, 24)))
	}
	m = press(t, m, keyShiftTab, keyEnter)
	if m.Focused() != "name" {
		t.Fatalf("enter with no filter moves on: focused %q", m.Focused())
	}
}

func TestMultiPickerInitialValueAndFreeText(t *testing.T) {
	m := groupsForm("sg-ops, sg-web")
	if got := m.Value("groups"); got != "sg-ops,sg-web" {
		t.Fatalf("the initial Value picks: %q", got)
	}
	free := New(theme.New(true), "Launch", []Field{{Key: "groups", Label: "Groups", Kind: Picker, Multi: true, Value: "sg-a,sg-b"}})
	if got := free.Value("groups"); got != "sg-a,sg-b" {
		t.Fatalf("before options load the Value stands: %q", got)
	}
	free.SetChoices("groups", []string{"sg-a", "sg-b", "sg-c"}, nil, nil)
	if got := free.Value("groups"); got != "sg-a,sg-b" {
		t.Fatalf("options arriving keep the wanted ones picked: %q", got)
	}
	none := New(theme.New(true), "Launch", []Field{{Key: "groups", Label: "Groups", Kind: Picker, Multi: true}})
	none = typeText(t, none, "sg-x, sg-y")
	if got := none.Value("groups"); got != "sg-x, sg-y" {
		t.Fatalf("with no options the typed list is the value: %q", got)
	}
	req := press(t, groupsForm(""), keyCtrlS)
	if req.Submitted() {
		t.Fatal("a required multi picker with nothing picked submitted")
	}
}

func TestFreePickerKeepsTypedTextUnlessAMatchIsChosen(t *testing.T) {
	m := New(theme.New(true), "Rule", []Field{
		{Key: "peer", Label: "Source", Kind: Picker, Free: true,
			Options: []string{"sg-web", "sg-db"}, Labels: []string{"web (sg-web)", "db (sg-db)"}},
		{Key: "note", Label: "Note", Optional: true},
	})
	if got := m.Value("peer"); got != "" {
		t.Fatalf("a free picker starts empty: %q", got)
	}
	m = typeText(t, m, "10.0.0.0/8")
	if got := m.Value("peer"); got != "10.0.0.0/8" {
		t.Fatalf("typed text is the value: %q", got)
	}
	m = press(t, m, keyTab, keyShiftTab)
	if got := m.Value("peer"); got != "10.0.0.0/8" {
		t.Fatalf("leaving keeps the typed text: %q", got)
	}
	m = New(theme.New(true), "Rule", []Field{
		{Key: "peer", Label: "Source", Kind: Picker, Free: true,
			Options: []string{"sg-web", "sg-db"}, Labels: []string{"web (sg-web)", "db (sg-db)"}},
	})
	m = typeText(t, m, "we")
	if got := m.Value("peer"); got != "we" {
		t.Fatalf("a partial match does not replace the text: %q", got)
	}
	m = press(t, m, keyRight)
	if got := m.Value("peer"); got != "sg-web" {
		t.Fatalf("→ chooses the match: %q", got)
	}
	m = typeText(t, m, "x")
	if got := m.Value("peer"); got != "wex" {
		t.Fatalf("typing again is text again: %q", got)
	}
}

func TestPickerUpdatesLeaveTheOldModelAlone(t *testing.T) {
	before := typeText(t, groupsForm(""), "db")
	before = press(t, before, keyEnter)
	after := typeText(t, before, "web")
	after = press(t, after, keyEnter)
	if got := before.Value("groups"); got != "sg-db" {
		t.Fatalf("picking in the new model changed the old one: %q", got)
	}
	after = press(t, after, keyBack)
	if got := before.Value("groups"); got != "sg-db" {
		t.Fatalf("removing in the new model changed the old one: %q", got)
	}
	if got := after.Value("groups"); got != "sg-db" {
		t.Fatalf("after add and remove: %q", got)
	}
}

func TestFreePickerEmptiedIsEmpty(t *testing.T) {
	m := New(theme.New(true), "Rule", []Field{
		{Key: "peer", Label: "Source", Kind: Picker, Free: true, Options: []string{"sg-web"}, Labels: []string{"web (sg-web)"}},
	})
	m = typeText(t, m, "we")
	m = press(t, m, keyRight)
	m = typeText(t, m, "x")
	m = press(t, m, keyBack, keyBack, keyBack)
	if got := m.Value("peer"); got != "" {
		t.Fatalf("an emptied free picker is %q, want empty", got)
	}
}

// TestFreeMultiPickerKeepsWhatIsNotListed: a Free Multi picker (an alarm
// rule's instances: they may be elsewhere than the view's region) keeps a
// given id the options lack, and takes a typed one that matches nothing.
func TestFreeMultiPickerKeepsWhatIsNotListed(t *testing.T) {
	m := New(theme.New(true), "Alarm", []Field{{Key: "instances", Label: "Instances", Kind: Picker, Multi: true, Free: true, Value: "i-far"}})
	m.SetChoices("instances", []string{"i-web", "i-db"}, []string{"web (i-web)", "db (i-db)"}, nil)
	if got := m.Value("instances"); got != "i-far" {
		t.Fatalf("the given id not listed was dropped: %q", got)
	}
	m = typeText(t, m, "web")
	m = press(t, m, keyEnter)
	m = typeText(t, m, "i-other")
	m = press(t, m, keyEnter)
	if got := m.Value("instances"); got != "i-far,i-web,i-other" {
		t.Fatalf("picked %q, want the given, the match and the typed id", got)
	}
}
