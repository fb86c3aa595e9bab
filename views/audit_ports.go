package views

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/views/form"
	"github.com/ecsdash/ecsdash/views/table"
)

// The risky-port audit (:audit-ports): every ingress rule that opens to
// the whole internet a port attackers try first, or a whole range, with
// the running instances it exposes, most exposed first. From a finding, N
// narrows the source to a CIDR (adding the narrow rule, THEN revoking the
// wide one) and X revokes it outright.

// AuditPortsKind is the audit-ports view (cloud.AuditPorts over the
// view's region, or every region).
func AuditPortsKind() Kind[cloud.Finding] {
	return Kind[cloud.Finding]{
		Name: "audit-ports",
		Columns: []table.Column{
			{Title: "REGION", Width: 12, Drop: 3},
			{Title: "GROUP", Width: 23},
			{Title: "RULE", Width: 24, Drop: 2},
			{Title: "PROTO", Width: 5},
			{Title: "PORTS", Width: 11},
			{Title: "SOURCE", Width: 11, Drop: 4},
			{Title: "RISKY PORTS", Width: 12, Flex: 1, Style: dangerStyle},
			{Title: "EXPOSED", Width: 7, Right: true},
			{Title: "INSTANCES", Width: 22, Flex: 2, Drop: 1},
		},
		Load: func(ctx context.Context, c *cloud.Client, region, _ string) ([]cloud.Finding, error) {
			return c.AuditPorts(ctx, region, nil)
		},
		ID: findingID,
		Row: func(f cloud.Finding, _ time.Time) table.Row {
			cells := []string{
				f.RegionID, f.SecurityGroupID, f.SecurityGroupRuleID, f.IpProtocol,
				findingPorts(f), f.SourceCidrIp, riskyPortsCell(f), strconv.Itoa(len(f.Instances)), orDash(joinIDs(f.Instances)),
			}
			keys := make([]string, len(cells))
			keys[7] = fmt.Sprintf("%06d", len(f.Instances))
			return table.Row{Cells: cells, SortKeys: keys}
		},
		Detail: func(_ context.Context, _ *cloud.Client, f cloud.Finding) (Detail, error) {
			return findingDetail(f), nil
		},
		Actions: []Action[cloud.Finding]{
			{Name: "narrow", Args: "[CIDR]", Help: "narrow the source to a CIDR (add narrow, then revoke wide)", Keys: []string{"N"}, Run: narrowFinding},
			{Name: "revoke", Help: "revoke the wide rule(s) outright", Keys: []string{"X"}, Run: revokeFindings},
		},
	}
}

// dangerStyle colours every cell of a column as a danger.
func dangerStyle(th theme.Theme, _ string) lipgloss.Style { return th.Danger }

func findingID(f cloud.Finding) string {
	return f.RegionID + "/" + f.SecurityGroupID + "/" + f.SecurityGroupRuleID
}

// findingPorts is the rule's port range as the sg view shows it.
func findingPorts(f cloud.Finding) string {
	return ports(cloud.SecurityGroupRule{Protocol: f.IpProtocol, PortRange: f.PortRange})
}

// riskyPortsCell lists the risky ports a finding opens, or says it opens
// a whole range.
func riskyPortsCell(f cloud.Finding) string {
	if f.WholeRange() {
		return "whole range"
	}
	out := make([]string, len(f.Ports))
	for i, p := range f.Ports {
		out[i] = strconv.Itoa(p)
	}
	return strings.Join(out, ",")
}

func findingDetail(f cloud.Finding) Detail {
	var rows []DetailRow
	for _, id := range f.Instances {
		rows = append(rows, DetailRow{Text: id, Target: Navigate{View: "instances", Filter: id}})
	}
	return Detail{
		Title: f.SecurityGroupRuleID,
		Fields: []Field{
			{Label: "Region", Value: f.RegionID},
			{Label: "Security group", Value: f.SecurityGroupID},
			{Label: "Rule", Value: f.SecurityGroupRuleID},
			{Label: "Protocol / ports", Value: f.IpProtocol + " " + f.PortRange},
			{Label: "Source", Value: f.SourceCidrIp + " (the whole internet)"},
			{Label: "Risky ports", Value: riskyPortsCell(f)},
			{Label: "Fix", Value: "N narrows the source to your CIDR · X revokes the rule"},
		},
		Sections: []Section{
			{Title: "Exposed running instances", Empty: "none running now: still open to any instance that joins", Rows: rows},
			{Title: "Group", Rows: []DetailRow{{Text: f.SecurityGroupID, Target: Navigate{View: "sg", Filter: f.SecurityGroupID}}}},
		},
	}
}

// operatorCIDR is the address the dashboard's SSH session comes from, as
// a /32 (or /128): the first field of SSH_CLIENT or SSH_CONNECTION. ""
// outside an SSH session.
func operatorCIDR() string {
	for _, name := range []string{"SSH_CLIENT", "SSH_CONNECTION"} {
		f := strings.Fields(os.Getenv(name))
		if len(f) == 0 {
			continue
		}
		a, err := netip.ParseAddr(f[0])
		if err != nil {
			continue
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()).String()
	}
	return ""
}

func narrowFinding(l *List[cloud.Finding], ctx Context, args []string) tea.Cmd {
	f, ok := l.Selected()
	if !ok {
		return nil
	}
	if len(args) > 0 {
		cmd, err := narrowFlow(ctx, f, args[0])
		if err != nil {
			return refuse("narrow "+f.SecurityGroupRuleID, err)
		}
		return cmd
	}
	help := "the address or block that needs the port, e.g. 203.0.113.7/32"
	cidr := operatorCIDR()
	if cidr != "" {
		help = "pre-filled with the address of your SSH session"
	}
	m := newOpForm(ctx, fmt.Sprintf("Narrow %s %s of %s to", f.IpProtocol, findingPorts(f), f.SecurityGroupID), []form.Field{
		{Key: "cidr", Label: "Source CIDR", Value: cidr, Help: help, Validate: cloud.ValidateCIDR},
	}, func(v map[string]string) (tea.Cmd, error) {
		return narrowFlow(ctx, f, strings.TrimSpace(v["cidr"]))
	})
	m.fields = map[string]string{"CIDR": "cidr", "source": "cidr"}
	l.OpenModal(m)
	return nil
}

// narrowFlow adds the rule from cidr, then revokes the wide one (one plan,
// in that order: if the add fails, the wide rule stays).
func narrowFlow(ctx Context, f cloud.Finding, cidr string) (tea.Cmd, error) {
	p, err := ctx.Client.PlanNarrowRule(regionOf(ctx, f.RegionID), f, cidr)
	if err != nil {
		return nil, err
	}
	action := fmt.Sprintf("narrow %s of %s to %s", f.SecurityGroupRuleID, f.SecurityGroupID, cidr)
	fl := Flow{
		Action: action,
		Title:  fmt.Sprintf("Narrow %s %s of %s from %s to %s?", f.IpProtocol, findingPorts(f), f.SecurityGroupID, f.SourceCidrIp, cidr),
		Lines: []string{
			"1. add the same rule from " + cidr,
			"2. then revoke " + f.SecurityGroupRuleID + " (from " + f.SourceCidrIp + ")",
			"",
			"In that order: if the add fails, the wide rule stays and nobody is locked out.",
			fmt.Sprintf("Exposed running instances now: %d", len(f.Instances)),
		},
		Steps:  []Step{{Label: action, Plan: p}},
		Reload: []string{"audit-ports", "sg"},
	}
	return fl.Cmd(ctx), nil
}

func revokeFindings(l *List[cloud.Finding], ctx Context, _ []string) tea.Cmd {
	list := l.MarkedItems()
	if len(list) == 0 {
		return nil
	}
	byReg := map[string][]cloud.SecurityGroupRule{}
	var regions, ids, lines []string
	exposed := 0
	for _, f := range list {
		r := regionOf(ctx, f.RegionID)
		if _, ok := byReg[r]; !ok {
			regions = append(regions, r)
		}
		byReg[r] = append(byReg[r], cloud.SecurityGroupRule{ID: f.SecurityGroupRuleID, GroupID: f.SecurityGroupID, Direction: cloud.Ingress})
		ids = append(ids, f.SecurityGroupRuleID)
		exposed += len(f.Instances)
		lines = append(lines, fmt.Sprintf("%-24s %-23s %s %s from %s", f.SecurityGroupRuleID, f.SecurityGroupID, f.IpProtocol, findingPorts(f), f.SourceCidrIp))
	}
	action := "revoke " + typedWord(ids, "rules")
	var steps []Step
	for _, r := range regions {
		p, err := ctx.Client.PlanRevokeRules(r, byReg[r])
		if err != nil {
			return refuse(action, err)
		}
		steps = append(steps, Step{Label: "revoke in " + r, Plan: p})
	}
	lines = append(lines, "", fmt.Sprintf("Nobody (you included) reaches these ports on the %d exposed instance(s) unless another rule allows it.", exposed))
	fl := Flow{
		Action: action, Title: fmt.Sprintf("Revoke %s outright?", typedWord(ids, "rules")),
		Lines: lines, Steps: steps, Typed: findingsWord(list),
		Undoable: "the rules are gone: add them again to restore the access",
		Reload:   []string{"audit-ports", "sg"},
	}
	return fl.Cmd(ctx)
}

// findingsWord is what revoking findings asks to type: the one rule's
// protocol and ports as listed ("tcp 6379/6379"), not its machine-made id.
func findingsWord(list []cloud.Finding) string {
	if len(list) != 1 {
		return fmt.Sprintf("%d rules", len(list))
	}
	return strings.ToLower(list[0].IpProtocol) + " " + findingPorts(list[0])
}
