package form

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/theme"
)

// Keys as the terminal sends them.
var (
	keyTab      = tea.KeyPressMsg{Code: tea.KeyTab}
	keyShiftTab = tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	keyDown     = tea.KeyPressMsg{Code: tea.KeyDown}
	keyUp       = tea.KeyPressMsg{Code: tea.KeyUp}
	keyLeft     = tea.KeyPressMsg{Code: tea.KeyLeft}
	keyRight    = tea.KeyPressMsg{Code: tea.KeyRight}
	keySpace    = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	keyEnter    = tea.KeyPressMsg{Code: tea.KeyEnter}
	keyEsc      = tea.KeyPressMsg{Code: tea.KeyEscape}
	keyCtrlS    = tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	keyBack     = tea.KeyPressMsg{Code: tea.KeyBackspace}
)

// press sends keys in order.
func press(t *testing.T, m Model, keys ...tea.KeyPressMsg) Model {
	t.Helper()
	for _, k := range keys {
		m, _ = m.Update(k)
	}
	return m
}

// typeText types s one key at a time.
func typeText(t *testing.T, m Model, s string) Model {
	t.Helper()
	for _, r := range s {
		m, _ = m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

// percent is a Validate for 0-100.
func percent(v string) error {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f > 100 {
		return errors.New("threshold must be a number between 0 and 100")
	}
	return nil
}

// alarmForm is a typical action form: create an alarm rule.
func alarmForm() Model {
	return New(theme.New(true), "Create alarm rule", []Field{
		{Key: "name", Label: "Rule name", Placeholder: "cpu-high", Help: "letters, digits and -"},
		{Key: "metric", Label: "Metric", Kind: Choice,
			Options:      []string{"CPUUtilization", "memory_usedutilization", "diskusage_utilization"},
			Descriptions: []string{"percent of vCPU", "percent of RAM", "percent of disk"}},
		{Key: "threshold", Label: "Threshold", Kind: Number, Value: "80", Help: "0-100 percent", Validate: percent},
		{Key: "level", Label: "Level", Kind: Choice, Options: []string{"critical", "warn", "info"},
			Descriptions: []string{"phone, SMS, email", "SMS, email", "email"}, Value: "warn"},
		{Key: "note", Label: "Note", Optional: true},
	})
}

// passwordForm is a reset-password form.
func passwordForm() Model {
	return New(theme.New(true), "Reset password", []Field{
		{Key: "instance", Label: "Instance", Value: "i-bp1abc"},
		{Key: "password", Label: "Password", Kind: Secret, Help: "8-30 characters",
			Validate: func(v string) error {
				if len(v) < 8 {
					return fmt.Errorf("password %q is shorter than 8 characters", v)
				}
				return nil
			}},
	})
}
