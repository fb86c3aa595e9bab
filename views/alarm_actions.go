package views

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
)

// AlarmKeyMap are the alarms view's own keys: they act on the marked rules,
// or on the one under the cursor when none is marked.
type AlarmKeyMap struct {
	Enable, Disable, Delete, New key.Binding
}

// AlarmKeys is the alarms view's key map; the help and Handle both read it.
var AlarmKeys = AlarmKeyMap{
	Enable:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "enable rule(s)")),
	Disable: key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "disable rule(s)")),
	Delete:  key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "delete rule(s)")),
	New:     key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new rule")),
}

// Bindings lists the keys for the help.
func (k AlarmKeyMap) Bindings() []key.Binding {
	return []key.Binding{k.Enable, k.Disable, k.Delete, k.New}
}

// handleAlarmKey is the alarms kind's Handle.
func handleAlarmKey(l *List[cloud.AlarmRule], ctx Context, k tea.KeyPressMsg) (tea.Cmd, bool) {
	switch {
	case key.Matches(k, AlarmKeys.Enable):
		return setAlarmRulesEnabled(l, ctx, true), true
	case key.Matches(k, AlarmKeys.Disable):
		return setAlarmRulesEnabled(l, ctx, false), true
	case key.Matches(k, AlarmKeys.Delete):
		return confirmDeleteAlarmRules(l, ctx), true
	case key.Matches(k, AlarmKeys.New):
		return openAlarmForm(l, ctx), true
	}
	return nil, false
}

// setAlarmRulesEnabled enables or disables the rules acted on, at once:
// nothing is lost, the other key undoes it.
func setAlarmRulesEnabled(l *List[cloud.AlarmRule], ctx Context, enable bool) tea.Cmd {
	rules := l.MarkedItems()
	if len(rules) == 0 {
		return nil
	}
	l.table.ClearMarks()
	verb, call := "disable", ctx.Client.DisableAlarmRules
	if enable {
		verb, call = "enable", ctx.Client.EnableAlarmRules
	}
	ids := ruleIDs(rules)
	return alarmRuleAction(ctx, verb+" "+ruleNames(rules), func(c context.Context) error {
		return call(c, ids)
	})
}

// confirmDeleteAlarmRules asks before deleting the rules acted on (their
// alert history stays).
func confirmDeleteAlarmRules(l *List[cloud.AlarmRule], ctx Context) tea.Cmd {
	rules := l.MarkedItems()
	if len(rules) == 0 {
		return nil
	}
	ids := ruleIDs(rules)
	lines := make([]string, 0, len(rules))
	for _, r := range rules {
		lines = append(lines, fmt.Sprintf("%s (%s)", r.Name, r.ID))
	}
	title := fmt.Sprintf("Delete %d alarm rules?", len(rules))
	if len(rules) == 1 {
		title = "Delete 1 alarm rule?"
	}
	client := ctx.Client
	req := Confirm{
		Title:  title,
		Lines:  lines,
		Danger: true,
		Run: alarmRuleAction(ctx, "delete "+ruleNames(rules), func(c context.Context) error {
			return client.DeleteAlarmRules(c, ids)
		}),
	}
	l.table.ClearMarks()
	return func() tea.Msg { return req }
}

// alarmRuleAction runs call off the UI goroutine with the view's timeout
// and reports the outcome; the alarms view reloads either way.
func alarmRuleAction(ctx Context, action string, call func(context.Context) error) tea.Cmd {
	timeout := ctx.timeout()
	return func() tea.Msg {
		c, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return Report{Action: action, Err: call(c), Reload: []string{"alarms"}}
	}
}

func ruleIDs(rules []cloud.AlarmRule) []string {
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.ID
	}
	return ids
}

// ruleNames names the rules of an action: `alarm rule "CPU above 90%"` or
// "3 alarm rules".
func ruleNames(rules []cloud.AlarmRule) string {
	if len(rules) == 1 {
		return fmt.Sprintf("alarm rule %q", rules[0].Name)
	}
	return fmt.Sprintf("%d alarm rules", len(rules))
}
