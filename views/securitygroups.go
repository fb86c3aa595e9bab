package views

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/table"
)

// SecurityGroupItem is a security group with its rules and the instances
// in it, as the sg view lists them.
type SecurityGroupItem struct {
	cloud.SecurityGroup
	Rules     []cloud.SecurityGroupRule
	Instances []cloud.Instance
}

// riskyPorts are the ports that should never be open to the whole Internet.
var riskyPorts = []int{22, 3389, 3306, 6379, 5432, 27017, 9200}

// SecurityGroupsKind is the security groups view: each group with its rule
// and instance counts. The detail pane lists the ingress and egress rules,
// flagging the risky ones, and the instances in the group.
func SecurityGroupsKind(ctx Context) Kind[SecurityGroupItem] {
	loc := ctx.Location()
	return Kind[SecurityGroupItem]{
		Name: "sg",
		Columns: []table.Column{
			{Title: "ID", Width: 23},
			{Title: "NAME", Width: 14, Flex: 1},
			{Title: "VPC", Width: 24, Drop: 5},
			{Title: "TYPE", Width: 10, Drop: 6},
			{Title: "RULES", Width: 6, Right: true},
			{Title: "INSTANCES", Width: 9, Right: true},
			{Title: "DESCRIPTION", Width: 12, Flex: 2, Drop: 4},
		},
		Load:   loadSecurityGroups,
		ID:     func(g SecurityGroupItem) string { return g.ID },
		Region: func(g SecurityGroupItem) string { return g.RegionID },
		Row:    securityGroupRow,
		Detail: func(_ context.Context, _ *cloud.Client, g SecurityGroupItem) (Detail, error) {
			return securityGroupDetail(g, loc), nil
		},
		Actions: securityGroupActions(),
	}
}

func securityGroupRow(g SecurityGroupItem, _ time.Time) table.Row {
	rules := strconv.Itoa(len(g.Rules))
	if riskyCount(g.Rules) > 0 {
		rules += " !" // some rule opens a risky port to the Internet
	}
	return table.Row{Cells: []string{
		g.ID, orDash(g.Name), orDash(g.VpcID), orDash(g.Type), rules,
		strconv.Itoa(len(g.Instances)), orDash(g.Description),
	}}
}

// loadSecurityGroups lists the groups and the instances at once, then each
// group's rules (eight groups at a time).
func loadSecurityGroups(ctx context.Context, c *cloud.Client, region, _ string) ([]SecurityGroupItem, error) {
	var (
		groups    []cloud.SecurityGroup
		instances []cloud.Instance
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		groups, err = c.SecurityGroups(gctx, region)
		return err
	})
	g.Go(func() (err error) {
		instances, err = c.Instances(gctx, region)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	items := make([]SecurityGroupItem, len(groups))
	rg, rctx := errgroup.WithContext(ctx)
	rg.SetLimit(8)
	for i, sg := range groups {
		items[i] = SecurityGroupItem{SecurityGroup: sg, Instances: membersOf(sg, instances)}
		rg.Go(func() error {
			rules, err := c.SecurityGroupRules(rctx, sg.RegionID, sg.ID)
			if err != nil {
				return fmt.Errorf("rules of %s: %w", sg.ID, err)
			}
			items[i].Rules = rules
			return nil
		})
	}
	if err := rg.Wait(); err != nil {
		return nil, err
	}
	return items, nil
}

// membersOf returns the instances in the group.
func membersOf(sg cloud.SecurityGroup, instances []cloud.Instance) []cloud.Instance {
	var out []cloud.Instance
	for _, in := range instances {
		for _, id := range in.SecurityGroupIDs {
			if id == sg.ID {
				out = append(out, in)
				break
			}
		}
	}
	return out
}

func securityGroupDetail(g SecurityGroupItem, loc *time.Location) Detail {
	d := Detail{
		Title: g.ID,
		Fields: []Field{
			{Label: "Name", Value: g.Name},
			{Label: "Region", Value: g.RegionID},
			{Label: "VPC", Value: g.VpcID},
			{Label: "Type", Value: g.Type},
			{Label: "Rules", Value: fmt.Sprintf("%d (%d risky)", len(g.Rules), riskyCount(g.Rules))},
			{Label: "Instances", Value: strconv.Itoa(len(g.Instances))},
			{Label: "Created", Value: Stamp(loc, g.CreatedAt)},
			{Label: "Description", Value: g.Description},
		},
	}
	rules := append([]cloud.SecurityGroupRule(nil), g.Rules...)
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].Priority < rules[j].Priority })
	var ingress, egress []DetailRow
	for _, r := range rules {
		if strings.EqualFold(r.Direction, "egress") {
			egress = append(egress, DetailRow{Text: ruleLine(r)})
		} else {
			ingress = append(ingress, DetailRow{Text: ruleLine(r)})
		}
	}
	withHeader := func(rows []DetailRow, peer string) []DetailRow {
		if len(rows) == 0 {
			return nil
		}
		h := DetailRow{Text: "      " + fmt.Sprintf(ruleFormat, "PROTO", "PORTS", peer, "POLICY", "PRIO", "DESCRIPTION")}
		return append([]DetailRow{h}, rows...)
	}
	instRows := make([]DetailRow, 0, len(g.Instances))
	for _, in := range g.Instances {
		instRows = append(instRows, DetailRow{
			Text:   fmt.Sprintf("%-22s %-20s %-9s %s", in.ID, in.Name, in.Status, orDash(in.PrivateIP)),
			Target: Navigate{View: "instances", Filter: in.ID},
		})
	}
	d.Sections = []Section{
		{Title: "Ingress", Empty: "no ingress rules: nothing can connect in", Rows: withHeader(ingress, "SOURCE")},
		{Title: "Egress", Empty: "no egress rules", Rows: withHeader(egress, "DESTINATION")},
		{Title: "Instances", Empty: "no instances in this group", Rows: instRows},
	}
	return d
}

// ruleFormat lays a rule out in columns: protocol, ports, peer, policy,
// priority, description.
const ruleFormat = "%-5s %-11s %-24s %-6s %4s  %s"

// ruleLine renders a rule as aligned text columns, marking risky ones.
func ruleLine(r cloud.SecurityGroupRule) string {
	line := fmt.Sprintf(ruleFormat, r.Protocol, ports(r), rulePeer(r), r.Policy, strconv.Itoa(r.Priority), r.Description)
	if risky(r) {
		line = "RISKY " + line
	} else {
		line = "      " + line
	}
	return strings.TrimRight(line, " ")
}

// rulePeer is the other end of a rule: a CIDR or a group.
func rulePeer(r cloud.SecurityGroupRule) string {
	peer := r.SourceCIDR
	if strings.EqualFold(r.Direction, "egress") {
		peer = r.DestCIDR
	}
	if peer == "" {
		peer = r.SourceGroupID
	}
	return orDash(peer)
}

// ports renders a rule's port range: "22", "8000-8080" or "all".
func ports(r cloud.SecurityGroupRule) string {
	lo, hi, ok := portRange(r)
	switch {
	case !ok:
		return orDash(r.PortRange)
	case lo <= 1 && hi >= 65535, lo == -1:
		return "all"
	case lo == hi:
		return strconv.Itoa(lo)
	}
	return fmt.Sprintf("%d-%d", lo, hi)
}

func portRange(r cloud.SecurityGroupRule) (lo, hi int, ok bool) {
	a, b, found := strings.Cut(r.PortRange, "/")
	if !found {
		return 0, 0, false
	}
	lo, err1 := strconv.Atoi(a)
	hi, err2 := strconv.Atoi(b)
	return lo, hi, err1 == nil && err2 == nil
}

// risky reports an accepted ingress rule open to the whole Internet on a
// port attackers scan for (or on every port).
func risky(r cloud.SecurityGroupRule) bool {
	if strings.EqualFold(r.Direction, "egress") || !strings.EqualFold(r.Policy, "accept") && r.Policy != "" {
		return false
	}
	if r.SourceCIDR != "0.0.0.0/0" && r.SourceCIDR != "::/0" {
		return false
	}
	proto := strings.ToUpper(r.Protocol)
	if proto == "ALL" {
		return true
	}
	if proto != "TCP" && proto != "UDP" {
		return false
	}
	lo, hi, ok := portRange(r)
	if !ok {
		return false
	}
	if lo == -1 || lo <= 1 && hi >= 65535 {
		return true
	}
	for _, p := range riskyPorts {
		if p >= lo && p <= hi {
			return true
		}
	}
	return false
}

func riskyCount(rules []cloud.SecurityGroupRule) int {
	n := 0
	for _, r := range rules {
		if risky(r) {
			n++
		}
	}
	return n
}
