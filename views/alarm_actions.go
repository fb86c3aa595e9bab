package views

import (
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
)

// alarmActions act on the marked rules, or on the one under the cursor
// when none is marked. The keys are the ones every view uses: N creates,
// X deletes; E enables or disables (a toggle, as V deprecates or restores
// an image). Each change is a Flow: confirmed, run through cloud's one
// mutation path, tracked in the activity list and audited.
func alarmActions() []Action[cloud.AlarmRule] {
	return []Action[cloud.AlarmRule]{
		{Name: "new", Help: "new rule", Keys: []string{"N"},
			Run: func(l *List[cloud.AlarmRule], ctx Context, _ []string) tea.Cmd { return openAlarmForm(l, ctx) }},
		{Name: "enable", Args: "[on|off]", Help: "enable/disable rule(s)", Keys: []string{"E"}, Run: toggleAlarmRules},
		{Name: "delete", Help: "delete rule(s)", Keys: []string{"X"}, Run: deleteAlarmRules},
	}
}

// toggleAlarmRules enables the rules acted on when any of them is
// disabled, else disables them; `:enable on` and `:enable off` say which.
// Only the rules that would change are asked about (a y/n: nothing is
// lost, E undoes it).
func toggleAlarmRules(l *List[cloud.AlarmRule], ctx Context, args []string) tea.Cmd {
	rules := l.MarkedItems()
	if len(rules) == 0 {
		return nil
	}
	enable := slices.ContainsFunc(rules, func(r cloud.AlarmRule) bool { return !r.Enabled })
	switch {
	case hasWord(args, "on", "true", "yes"):
		enable = true
	case hasWord(args, "off", "false", "no"):
		enable = false
	}
	var change []cloud.AlarmRule
	for _, r := range rules {
		if r.Enabled != enable {
			change = append(change, r)
		}
	}
	verb, title, state := "disable", "Disable", "disabled"
	if enable {
		verb, title, state = "enable", "Enable", "enabled"
	}
	if len(change) == 0 {
		return func() tea.Msg { return Notice{Text: fmt.Sprintf("%s already %s", ruleNames(rules), state)} }
	}
	plan, effect := ctx.Client.PlanDisableAlarmRules(ruleIDs(change)),
		"Disabled rules are not evaluated and notify no one; E enables them again."
	if enable {
		plan, effect = ctx.Client.PlanEnableAlarmRules(ruleIDs(change)),
			"Enabled rules are evaluated again and notify their contact groups."
	}
	action := verb + " " + ruleNames(change)
	f := Flow{
		Action: action,
		Title:  title + " " + ruleNames(change) + "?",
		Lines:  append(ruleLines(change), "", effect),
		Steps:  []Step{{Label: action, Plan: plan}},
		Reload: []string{"alarms", "metrics"}, // the metrics view marks firing enabled rules
	}
	return f.Cmd(ctx)
}

// deleteAlarmRules asks before deleting the rules acted on: the rule's
// name is typed (a name the user chose, never its machine-made id); their
// alert history stays.
func deleteAlarmRules(l *List[cloud.AlarmRule], ctx Context, _ []string) tea.Cmd {
	rules := l.MarkedItems()
	if len(rules) == 0 {
		return nil
	}
	names := make([]string, len(rules))
	for i, r := range rules {
		names[i] = r.Name
	}
	typed := typedWord(names, "rules")
	if typed == "" { // a nameless rule (made outside ecsdash)
		typed = "1 rule"
	}
	action := "delete " + ruleNames(rules)
	title := fmt.Sprintf("Delete %d alarm rules?", len(rules))
	if len(rules) == 1 {
		title = "Delete 1 alarm rule?"
	}
	f := Flow{
		Action:   action,
		Title:    title,
		Lines:    ruleLines(rules),
		Steps:    []Step{{Label: action, Plan: ctx.Client.PlanDeleteAlarmRules(ruleIDs(rules))}},
		Typed:    typed,
		Undoable: "the rule stops watching its instances for good; its alert history stays",
		Reload:   []string{"alarms", "metrics"},
	}
	return f.Cmd(ctx)
}

// ruleLines are the rules in a confirmation: name, condition, state.
func ruleLines(rules []cloud.AlarmRule) []string {
	lines := make([]string, len(rules))
	for i, r := range rules {
		lines[i] = fmt.Sprintf("%s  %s  %s", orDash(r.Name), condition(r), orDash(r.State))
	}
	return lines
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
