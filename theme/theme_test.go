package theme

import (
	"strings"
	"testing"
)

func TestNoColorKeepsOnlyAttributes(t *testing.T) {
	th := New(true)
	for name, out := range map[string]string{
		"danger": th.Danger.Render("x"), "ok": th.OK.Render("x"), "warn": th.Warn.Render("x"),
		"muted": th.Muted.Render("x"), "selected": th.Selected.Render("x"),
	} {
		if strings.Contains(out, "38;") || strings.Contains(out, "48;") {
			t.Errorf("%s has a colour under NO_COLOR: %q", name, out)
		}
	}
	t.Setenv("NO_COLOR", "1")
	if !Default().NoColor {
		t.Error("Default ignores NO_COLOR")
	}
}

func TestStateAndLevelMeaning(t *testing.T) {
	th := New(false)
	same := func(a, b string) bool { return a == b }
	for status, want := range map[string]string{
		"Running": th.OK.Render("s"), "In_use": th.OK.Render("s"), "accomplished": th.OK.Render("s"),
		"Stopped": th.Danger.Render("s"), "ALARM": th.Danger.Render("s"), "not_installed": th.Danger.Render("s"),
		"Starting": th.Warn.Render("s"), "progressing": th.Warn.Render("s"), "INSUFFICIENT_DATA": th.Warn.Render("s"),
	} {
		if got := th.State(status).Render("s"); !same(got, want) {
			t.Errorf("State(%s) = %q, want %q", status, got, want)
		}
	}
	if th.Level(95).Render("s") != th.Danger.Render("s") || th.Level(85).Render("s") != th.Warn.Render("s") {
		t.Error("Level thresholds: 90 % danger, 80 % warn")
	}
}
