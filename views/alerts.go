package views

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/table"
)

// AlertsKind is the alerts view: the account's alert history of the last
// 24 hours, newest first: each time a rule's level changed on an instance
// (or repeated after its silence time). The detail pane opens the rule and
// the instance. The window is by ctx's clock; the TIME column is in ctx's
// zone, which its title names.
func AlertsKind(ctx Context) Kind[cloud.Alert] {
	clock, loc := ctx.now, ctx.Location()
	zone := columnZone(loc, clock())
	return Kind[cloud.Alert]{
		Name: "alerts",
		Columns: []table.Column{
			{Title: zonedTitle("TIME", zone), Width: 16},
			{Title: "LEVEL", Width: 5, Style: levelStyle},
			{Title: "CHANGE", Width: 7, Drop: 3},
			{Title: "RULE", Width: 14, Flex: 2},
			{Title: "INSTANCE", Width: 14, Flex: 1},
			{Title: "METRIC", Width: 14, Flex: 1, Drop: 2},
			{Title: "VALUE", Width: 8, Right: true, Drop: 1},
		},
		Load: func(ctx context.Context, c *cloud.Client, _, _ string) ([]cloud.Alert, error) {
			return c.Alerts(ctx, clock().Add(-alertWindow), "")
		},
		ID:  alertID,
		Row: func(a cloud.Alert, _ time.Time) table.Row { return alertRow(a, zone) },
		Detail: func(_ context.Context, _ *cloud.Client, a cloud.Alert) (Detail, error) {
			return alertDetail(a, loc), nil
		},
		DefaultSort: zonedTitle("TIME", zone),
		DefaultDesc: true,
	}
}

// alertID identifies an alert: its log id, else what makes it unique.
func alertID(a cloud.Alert) string {
	if a.ID != "" {
		return a.ID
	}
	return a.RuleID + "|" + a.InstanceID + "|" + a.LevelChange + "|" + strconv.FormatInt(a.Time.UnixMilli(), 10)
}

// alertRow is an alert's row, its time in the column's zone.
func alertRow(a cloud.Alert, zone *time.Location) table.Row {
	cells := []string{
		alertStamp(zone, a.Time), orDash(a.Level), orDash(a.LevelChange), orDash(a.RuleName),
		alertInstance(a), orDash(string(a.Metric)), alertValue(a),
	}
	keys := make([]string, len(cells))
	keys[0] = strconv.FormatInt(a.Time.UnixMilli(), 10)
	if f, err := strconv.ParseFloat(a.Value, 64); err == nil {
		keys[6] = strconv.FormatFloat(f, 'f', -1, 64)
	}
	return table.Row{Cells: cells, SortKeys: keys}
}

func alertDetail(a cloud.Alert, loc *time.Location) Detail {
	instance := a.InstanceID
	if a.InstanceName != "" {
		instance += " (" + a.InstanceName + ")"
	}
	d := Detail{
		Title: a.RuleName + " @ " + Stamp(loc, a.Time),
		Fields: []Field{
			{Label: "Time", Value: Zoned(loc, a.Time, "2006-01-02 15:04:05")},
			{Label: "Level", Value: a.Level, Style: levelStyle},
			{Label: "Level change", Value: a.LevelChange},
			{Label: "State", Value: a.State, Style: stateStyle},
			{Label: "Rule", Value: a.RuleName + " (" + a.RuleID + ")"},
			{Label: "Instance", Value: instance},
			{Label: "Metric", Value: string(a.Metric)},
			{Label: "Value", Value: alertValue(a)},
			{Label: "Condition", Value: a.Expression},
			{Label: "Contact groups", Value: strings.Join(a.ContactGroups, ", ")},
			{Label: "Log id", Value: a.ID},
			{Label: "Message", Value: a.Message},
		},
	}
	var ruleRows, instRows []DetailRow
	if a.RuleName != "" {
		ruleRows = append(ruleRows, DetailRow{Text: a.RuleName + "  " + a.RuleID, Target: Navigate{View: "alarms", Filter: a.RuleName}})
	}
	if a.InstanceID != "" {
		instRows = append(instRows, DetailRow{Text: strings.TrimSpace(a.InstanceID + "  " + a.InstanceName), Target: Navigate{View: "instances", Filter: a.InstanceID}})
	}
	d.Sections = []Section{
		{Title: "Rule", Empty: "the rule is not named", Rows: ruleRows},
		{Title: "Instance", Empty: "no instance", Rows: instRows},
	}
	return d
}
