package views

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
)

// alarmActions act on the marked rules, or on the one under the cursor
// when none is marked.
func alarmActions() []Action[cloud.AlarmRule] {
	return []Action[cloud.AlarmRule]{
		{Name: "enable", Help: "enable rule(s)", Keys: []string{"e"},
			Run: func(l *List[cloud.AlarmRule], ctx Context, _ []string) tea.Cmd {
				return setAlarmRulesEnabled(l, ctx, true)
			}},
		{Name: "disable", Help: "disable rule(s)", Keys: []string{"d"},
			Run: func(l *List[cloud.AlarmRule], ctx Context, _ []string) tea.Cmd {
				return setAlarmRulesEnabled(l, ctx, false)
			}},
		{Name: "delete", Help: "delete rule(s)", Keys: []string{"x"},
			Run: func(l *List[cloud.AlarmRule], ctx Context, _ []string) tea.Cmd {
				return confirmDeleteAlarmRules(l, ctx)
			}},
		{Name: "new", Help: "new rule", Keys: []string{"n"},
			Run: func(l *List[cloud.AlarmRule], ctx Context, _ []string) tea.Cmd { return openAlarmForm(l, ctx) }},
	}
}

// setAlarmRulesEnabled enables or disables the rules acted on, at once:
// nothing is lost, the other key undoes it.
func setAlarmRulesEnabled(l *List[cloud.AlarmRule], ctx Context, enable bool) tea.Cmd {
	rules := l.MarkedItems()
	if len(rules) == 0 {
		return nil
	}
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
		Title:    title,
		Lines:    lines,
		Danger:   true,
		Typed:    typedWord(ids, "rules"),
		Undoable: "the rules stop watching their instances; their alert history stays",
		Run: alarmRuleAction(ctx, "delete "+ruleNames(rules), func(c context.Context) error {
			return client.DeleteAlarmRules(c, ids)
		}),
	}
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
