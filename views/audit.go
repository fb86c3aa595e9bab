package views

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/views/table"
)

// auditShown is how many of the newest audit lines the view reads.
const auditShown = 2000

// AuditKind is the audit log: every change this program made or refused,
// newest first — what an operator reads after an incident. Times are in
// ctx's zone, named in the TIME title and in the detail.
func AuditKind(ctx Context) Kind[cloud.AuditEntry] {
	path, loc := ctx.AuditLog, ctx.Location()
	zone := columnZone(loc, ctx.now())
	return Kind[cloud.AuditEntry]{
		Name: "audit",
		Columns: []table.Column{
			{Title: zonedTitle("TIME", zone), Width: 19},
			{Title: "RESULT", Width: 7, Style: auditStyle},
			{Title: "ACTION", Width: 18, Flex: 1},
			{Title: "RESOURCES", Width: 22, Flex: 2},
			{Title: "PROFILE", Width: 8, Drop: 3},
			{Title: "REGION", Width: 12, Drop: 2},
			{Title: "CODE", Width: 14, Flex: 1, Drop: 1},
			{Title: "REQUEST ID", Width: 36, Drop: 4},
		},
		Load: func(context.Context, *cloud.Client, string, string) ([]cloud.AuditEntry, error) {
			if path == "" {
				return nil, fmt.Errorf("no audit log is configured")
			}
			return cloud.ReadAudit(path, auditShown)
		},
		ID: func(e cloud.AuditEntry) string {
			return e.Time.Format(time.RFC3339Nano) + "/" + e.Action + "/" + e.ClientToken + "/" + e.RequestID
		},
		Row: func(e cloud.AuditEntry, _ time.Time) table.Row {
			cells := []string{
				inZone(zone, e.Time, "2006-01-02 15:04:05"), e.Result, e.Action, strings.Join(e.Resources, ","),
				e.Profile, e.Region, orDash(e.Code), orDash(e.RequestID),
			}
			keys := make([]string, len(cells))
			keys[0] = e.Time.UTC().Format(time.RFC3339Nano)
			return table.Row{Cells: cells, SortKeys: keys}
		},
		DefaultSort: zonedTitle("TIME", zone),
		DefaultDesc: true,
		Detail: func(_ context.Context, _ *cloud.Client, e cloud.AuditEntry) (Detail, error) {
			d := Detail{Title: e.Action, Fields: []Field{
				{Label: "Time", Value: Zoned(loc, e.Time, "2006-01-02 15:04:05")},
				{Label: "Result", Value: e.Result},
				{Label: "Action", Value: e.Action},
				{Label: "Profile / region", Value: e.Profile + " / " + e.Region},
				{Label: "Resources", Value: strings.Join(e.Resources, ", ")},
				{Label: "Created", Value: strings.Join(e.IDs, ", ")},
				{Label: "Code", Value: e.Code},
				{Label: "Message", Value: e.Message},
				{Label: "RequestId", Value: e.RequestID},
				{Label: "ClientToken", Value: e.ClientToken},
				{Label: "Attempts", Value: fmt.Sprint(e.Attempts)},
			}}
			var params []DetailRow
			for _, k := range sortedKeys(e.Params) {
				params = append(params, DetailRow{Text: k + " = " + e.Params[k]})
			}
			d.Sections = []Section{{Title: "Parameters (secrets removed)", Empty: "none", Rows: params}}
			return d, nil
		},
	}
}

func auditStyle(th theme.Theme, result string) lipgloss.Style {
	switch result {
	case cloud.AuditOK:
		return th.OK
	case cloud.AuditError:
		return th.Danger
	}
	return th.Warn
}
