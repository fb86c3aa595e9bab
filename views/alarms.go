package views

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/views/table"
)

// alertWindow is how far back the alarms' detail pane and the alerts view
// look in the alert history.
const alertWindow = 24 * time.Hour

// AlarmsKind is the alarms view: the account's CloudMonitor alarm rules
// (they are account-wide, not per region), the firing ones first. A scope
// (a comma-separated list of instance ids) narrows it to the rules watching
// those instances and pre-fills the new-rule form. The detail pane lists
// the rule's instances and its alerts of the last 24 hours, by ctx's clock.
func AlarmsKind(ctx Context) Kind[cloud.AlarmRule] {
	clock, loc := ctx.now, ctx.Location()
	return Kind[cloud.AlarmRule]{
		Name: "alarms",
		Columns: []table.Column{
			{Title: "NAME", Width: 16, Flex: 2},
			{Title: "METRIC", Width: 14, Flex: 1, Drop: 1},
			{Title: "CONDITION", Width: 14, Flex: 1},
			{Title: "PERIOD", Width: 6, Right: true, Drop: 5},
			{Title: "CONTACTS", Width: 10, Flex: 1, Drop: 4},
			{Title: "ENABLED", Width: 7, Drop: 2},
			{Title: "STATE", Width: 17, Style: stateStyle},
			{Title: "INSTANCES", Width: 9, Right: true, Drop: 3},
		},
		ScopeHint: "i-…[,i-…]",
		Load:      loadAlarmRules,
		ID:        func(r cloud.AlarmRule) string { return r.ID },
		Row:       alarmRow,
		Detail: func(ctx context.Context, c *cloud.Client, r cloud.AlarmRule) (Detail, error) {
			return alarmDetail(ctx, c, r, clock(), loc)
		},
		DefaultSort: "STATE",
		Actions:     alarmActions(),
	}
}

// loadAlarmRules lists every rule, or with a scope the rules watching any
// of its instances (and those watching every instance).
func loadAlarmRules(ctx context.Context, c *cloud.Client, _, scope string) ([]cloud.AlarmRule, error) {
	rules, err := c.AlarmRules(ctx, cloud.AlarmRuleFilter{})
	if err != nil {
		return nil, err
	}
	ids := scopeInstances(scope)
	if len(ids) == 0 {
		return rules, nil
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	out := rules[:0]
	for _, r := range rules {
		keep := len(r.InstanceIDs) == 0
		for _, id := range r.InstanceIDs {
			keep = keep || want[id]
		}
		if keep {
			out = append(out, r)
		}
	}
	return out, nil
}

// scopeInstances splits a scope into instance ids ("i-a,i-b" or "i-a i-b").
func scopeInstances(scope string) []string {
	return strings.FieldsFunc(scope, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
}

func alarmRow(r cloud.AlarmRule, _ time.Time) table.Row {
	cells := []string{
		orDash(r.Name), string(r.Metric), condition(r), period(r.Period),
		orDash(strings.Join(r.ContactGroups, ",")), yesNo(r.Enabled), orDash(r.State),
		instanceCount(r.InstanceIDs),
	}
	keys := make([]string, len(cells))
	keys[3] = strconv.FormatInt(int64(r.Period/time.Second), 10)
	keys[6] = fmt.Sprintf("%d %s", stateRank(r.State), strings.ToLower(r.Name))
	keys[7] = intKey(len(r.InstanceIDs))
	return table.Row{Cells: cells, SortKeys: keys}
}

// stateRank orders rule states by urgency: firing first.
func stateRank(state string) int {
	switch state {
	case cloud.AlarmAlarm:
		return 0
	case cloud.AlarmInsufficientData:
		return 1
	case cloud.AlarmOK:
		return 2
	}
	return 3
}

func instanceCount(ids []string) string {
	if len(ids) == 0 {
		return "all"
	}
	return strconv.Itoa(len(ids))
}

// statAbbrev shortens a statistic for the condition column.
var statAbbrev = map[string]string{"Average": "Avg", "Maximum": "Max", "Minimum": "Min"}

// comparisonSymbols are the absolute operators as symbols.
var comparisonSymbols = map[string]string{
	"GreaterThanOrEqualToThreshold": "≥",
	"GreaterThanThreshold":          ">",
	"LessThanOrEqualToThreshold":    "≤",
	"LessThanThreshold":             "<",
	"NotEqualToThreshold":           "≠",
	"EqualToThreshold":              "=",
}

// comparisonText describes every operator in words, for the form and the
// detail pane.
var comparisonText = map[string]string{
	"GreaterThanOrEqualToThreshold": "greater than or equal to the threshold",
	"GreaterThanThreshold":          "greater than the threshold",
	"LessThanOrEqualToThreshold":    "less than or equal to the threshold",
	"LessThanThreshold":             "less than the threshold",
	"NotEqualToThreshold":           "not equal to the threshold",
	"EqualToThreshold":              "equal to the threshold",
	"GreaterThanYesterday":          "risen by more than threshold % since the same time yesterday",
	"LessThanYesterday":             "fallen by more than threshold % since the same time yesterday",
	"GreaterThanLastWeek":           "risen by more than threshold % since the same time last week",
	"LessThanLastWeek":              "fallen by more than threshold % since the same time last week",
	"GreaterThanLastPeriod":         "risen by more than threshold % since the previous period",
	"LessThanLastPeriod":            "fallen by more than threshold % since the previous period",
}

// relativeSymbols render the operators that compare with an earlier value.
var relativeSymbols = map[string]string{
	"GreaterThanYesterday":  "↑ vs 1d",
	"LessThanYesterday":     "↓ vs 1d",
	"GreaterThanLastWeek":   "↑ vs 1w",
	"LessThanLastWeek":      "↓ vs 1w",
	"GreaterThanLastPeriod": "↑ vs last",
	"LessThanLastPeriod":    "↓ vs last",
}

// percentUnits are the dashboard's metrics measured in percent.
var percentUnits = map[cloud.Metric]bool{cloud.MetricCPU: true, cloud.MetricMemory: true, cloud.MetricDisk: true}

// condition renders a rule's condition compactly: "Avg > 90% ×3",
// "Max ↑ vs 1d 20% ×1".
func condition(r cloud.AlarmRule) string {
	if r.Comparison == "" {
		return "-"
	}
	stat := statAbbrev[r.Statistic]
	if stat == "" {
		stat = r.Statistic
	}
	th := strconv.FormatFloat(r.Threshold, 'f', -1, 64)
	op, ok := comparisonSymbols[r.Comparison]
	switch {
	case ok && percentUnits[r.Metric]:
		th += "%"
	case !ok:
		op = relativeSymbols[r.Comparison]
		if op == "" {
			op = r.Comparison
		}
		th += "%"
	}
	return fmt.Sprintf("%s %s %s ×%d", stat, op, th, r.Times)
}

// conditionText spells a rule's condition out for the detail pane:
// "Average greater than 90% for 3 consecutive periods of 1m".
func conditionText(r cloud.AlarmRule) string {
	text := comparisonText[r.Comparison]
	if text == "" {
		return condition(r)
	}
	th := strconv.FormatFloat(r.Threshold, 'f', -1, 64)
	if percentUnits[r.Metric] {
		text = strings.Replace(text, "the threshold", th+"%", 1)
	} else {
		text = strings.Replace(text, "the threshold", th, 1)
	}
	text = strings.Replace(text, "threshold %", th+"%", 1)
	periods := "consecutive periods"
	if r.Times == 1 {
		periods = "period"
	}
	return fmt.Sprintf("%s %s for %d %s of %s", r.Statistic, text, r.Times, periods, period(r.Period))
}

// period renders a rule period or silence time: "1m", "5m", "1h", "24h".
func period(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	}
	return fmt.Sprintf("%ds", int(d/time.Second))
}

// levelStyle colours an alert level: critical red, warning amber, a
// recovery green (a Column/Field style).
func levelStyle(th theme.Theme, level string) lipgloss.Style {
	switch strings.ToUpper(level) {
	case "P2", "CRITICAL":
		return th.Danger
	case "P3", "WARN", "WARNING":
		return th.Warn
	case "OK":
		return th.OK
	}
	return lipgloss.NewStyle()
}

// alarmDetail is a rule's detail pane with its alerts of the 24 hours
// before now, their times in loc (named once, in the section's title).
func alarmDetail(ctx context.Context, c *cloud.Client, r cloud.AlarmRule, now time.Time, loc *time.Location) (Detail, error) {
	zone := columnZone(loc, now)
	alerts, err := c.Alerts(ctx, now.Add(-alertWindow), r.ID)
	if err != nil {
		return Detail{}, fmt.Errorf("alerts of %s: %w", r.Name, err)
	}
	sort.SliceStable(alerts, func(i, j int) bool { return alerts[i].Time.After(alerts[j].Time) })
	names := map[string]string{} // instance id -> name, as the alerts report it
	for _, a := range alerts {
		if a.InstanceName != "" && names[a.InstanceID] == "" {
			names[a.InstanceID] = a.InstanceName
		}
	}
	instances := fmt.Sprint(len(r.InstanceIDs))
	if len(r.InstanceIDs) == 0 {
		instances = "every instance of the account"
	}
	comparison := r.Comparison
	if text := comparisonText[r.Comparison]; text != "" {
		comparison += " (" + text + ")"
	}
	d := Detail{
		Title: r.Name,
		Fields: []Field{
			{Label: "Name", Value: r.Name},
			{Label: "ID", Value: r.ID},
			{Label: "State", Value: r.State, Style: stateStyle},
			{Label: "Enabled", Value: yesNo(r.Enabled)},
			{Label: "Metric", Value: r.Namespace + " / " + string(r.Metric)},
			{Label: "Condition", Value: conditionText(r)},
			{Label: "Level", Value: r.Level},
			{Label: "Statistic", Value: r.Statistic},
			{Label: "Comparison", Value: comparison},
			{Label: "Threshold", Value: strconv.FormatFloat(r.Threshold, 'f', -1, 64)},
			{Label: "Times", Value: strconv.Itoa(r.Times)},
			{Label: "Period", Value: period(r.Period)},
			{Label: "Silence time", Value: period(r.SilenceTime)},
			{Label: "Contact groups", Value: strings.Join(r.ContactGroups, ", ")},
			{Label: "Instances", Value: instances},
		},
	}
	instRows := make([]DetailRow, 0, len(r.InstanceIDs))
	for _, id := range r.InstanceIDs {
		instRows = append(instRows, DetailRow{
			Text:   strings.TrimSpace(fmt.Sprintf("%-22s %s", id, names[id])),
			Target: Navigate{View: "instances", Filter: id},
		})
	}
	alertRows := make([]DetailRow, 0, len(alerts))
	for _, a := range alerts {
		alertRows = append(alertRows, DetailRow{Text: strings.TrimRight(fmt.Sprintf("%-16s  %-7s %-22s %s",
			alertStamp(zone, a.Time), a.LevelChange, alertInstance(a), alertValue(a)), " ")})
	}
	instEmpty := "every instance of the account"
	d.Sections = []Section{
		{Title: "Instances", Empty: instEmpty, Rows: instRows},
		{Title: "Alerts (last 24 h, newest first, times " + zone.String() + ")", Empty: "no alerts in the last 24 hours", Rows: alertRows},
	}
	return d, nil
}

// alertStamp renders an alert's time in a list whose title names zone:
// "2006-01-02 15:04".
func alertStamp(zone *time.Location, t time.Time) string {
	return inZone(zone, t, "2006-01-02 15:04")
}

// alertInstance names an alert's instance: its name, else its id.
func alertInstance(a cloud.Alert) string {
	if a.InstanceName != "" {
		return a.InstanceName
	}
	return orDash(a.InstanceID)
}

// alertValue renders the value that decided an alert, with its unit.
func alertValue(a cloud.Alert) string {
	if a.Value == "" {
		return "-"
	}
	v := a.Value
	if f, err := strconv.ParseFloat(a.Value, 64); err == nil {
		v = strconv.FormatFloat(f, 'f', -1, 64)
		if f != float64(int64(f)) {
			v = strconv.FormatFloat(f, 'f', 2, 64)
		}
	}
	if percentUnits[a.Metric] {
		v += "%"
	}
	return v
}
