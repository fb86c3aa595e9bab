package views

import (
	"context"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// Security group actions: create a group, add a rule (every field checked
// locally, the rule broken named), edit a rule's description or priority,
// revoke rules (typed), add instances to or remove them from the group.

func securityGroupActions() []Action[SecurityGroupItem] {
	return []Action[SecurityGroupItem]{
		{Name: "create", Args: "[NAME]", Help: "create a security group", Keys: []string{"N"}, Run: createSecurityGroup},
		{Name: "add-rule", Help: "add an ingress or egress rule", Keys: []string{"A"}, Run: addRule},
		{Name: "edit-rule", Help: "edit a rule's description or priority", Keys: []string{"E"}, Run: editRule},
		{Name: "revoke", Args: "[RULE-ID…]", Help: "revoke rule(s)", Keys: []string{"X"}, Run: revokeRules},
		{Name: "members", Args: "[join|leave INSTANCE]", Help: "add or remove instances", Keys: []string{"J"}, Run: groupMembers},
	}
}

// createSecurityGroup asks for the group's name, VPC (those its region's
// groups name), type and description; in a view of every region first
// the region (the selected group's), whose VPCs the VPC field then offers.
func createSecurityGroup(l *List[SecurityGroupItem], ctx Context, args []string) tea.Cmd {
	vpcsIn := func(region string) []string {
		var vpcs []string
		for _, id := range l.order {
			g := l.items[id]
			if g.VpcID != "" && !slices.Contains(vpcs, g.VpcID) && (region == "" || regionOf(ctx, g.RegionID) == region) {
				vpcs = append(vpcs, g.VpcID)
			}
		}
		return vpcs
	}
	name := ""
	if len(args) > 0 {
		name = args[0]
	}
	vpc, selRegion := "", ""
	if g, ok := l.Selected(); ok {
		vpc, selRegion = g.VpcID, g.RegionID
	}
	if !spansRegions(ctx) && len(vpcsIn(ctx.Region)) == 0 {
		return refuse("create security group", &cloud.ValidationError{Field: "VPC", Rule: "no VPC known in " + ctx.Region + " (its groups name them)"})
	}
	vpcs := vpcsIn(ctx.Region)
	if spansRegions(ctx) {
		vpcs = vpcsIn(selRegion)
	}
	f := newOpForm(ctx, "Create a security group"+regionSuffix(ctx), withRegion(ctx, selRegion, []form.Field{
		{Key: "name", Label: "Name", Value: name, Optional: true, Validate: cloud.ValidateSecurityGroupName},
		{Key: "vpc", Label: "VPC", Kind: form.Choice, Options: vpcs, Value: vpc, Help: "the VPCs the region's groups are in"},
		{Key: "type", Label: "Type", Kind: form.Choice, Options: []string{cloud.GroupNormal, cloud.GroupEnterprise},
			Descriptions: []string{"rules between members apply as written", "members cannot reach each other by default"}},
		{Key: "description", Label: "Description", Optional: true},
	}), func(v map[string]string) (tea.Cmd, error) {
		region := createRegion(ctx, v)
		if region == "" {
			return nil, &cloud.ValidationError{Field: "region", Rule: "choose the region to create the group in"}
		}
		if v["vpc"] == "" {
			return nil, &cloud.ValidationError{Field: "VPC", Rule: "no VPC known in " + region + " (its groups name them): choose another region"}
		}
		p, err := ctx.Client.PlanCreateSecurityGroup(region, v["vpc"], strings.TrimSpace(v["name"]), v["description"], v["type"])
		if err != nil {
			return nil, err
		}
		f := Flow{
			Action: "create security group " + orDash(v["name"]),
			Title:  fmt.Sprintf("Create security group %s in %s (%s)?", orDash(v["name"]), v["vpc"], region),
			Lines:  []string{"type: " + v["type"], "It starts with no ingress rules: nothing can connect in until you add one."},
			Steps:  []Step{{Label: "create security group " + orDash(v["name"]), Plan: p}},
			Reload: []string{"sg"},
		}
		return f.Cmd(ctx), nil
	})
	f.fields = map[string]string{"security group name": "name", "VPC": "vpc", "description": "description", "group type": "type", "region": regionKey}
	if !spansRegions(ctx) {
		l.OpenModal(f)
		return nil
	}
	d := newDependentForm(f, "sg", map[string]dependsOn{regionKey: func(m *form.Model, region string) tea.Cmd {
		m.SetOptions("vpc", vpcsIn(region), nil)
		return nil
	}})
	l.OpenModal(d)
	return tea.Batch(d.start(), loadRegions(ctx, "sg", f.id))
}

// ruleFieldKeys map a rule's ValidationError fields to the form's keys.
var ruleFieldKeys = map[string]string{
	"direction": "direction", "protocol": "protocol", "port range": "ports",
	"source": "peer", "destination": "peer", "source group": "peer", "destination group": "peer", "CIDR": "peer",
	"policy": "policy", "priority": "priority", "rule description": "description",
}

// ruleSpecOf turns the add-rule form's values into a RuleSpec: a peer
// starting with sg- is a group, anything else a CIDR.
func ruleSpecOf(v map[string]string) (cloud.RuleSpec, error) {
	prio, err := cloud.ParseQuantity("priority", v["priority"], cloud.UnitCount, 1, 100)
	if err != nil {
		return cloud.RuleSpec{}, err
	}
	s := cloud.RuleSpec{
		Direction: v["direction"], Protocol: v["protocol"], PortRange: strings.TrimSpace(v["ports"]),
		Policy: v["policy"], Priority: prio, Description: v["description"],
	}
	if s.Priority == 0 {
		return s, &cloud.ValidationError{Field: "priority", Rule: "0, must be 1 (highest) to 100"}
	}
	peer := strings.TrimSpace(v["peer"])
	if strings.HasPrefix(peer, "sg-") {
		s.GroupID = peer
	} else {
		s.CIDR = peer
	}
	return s, cloud.ValidateRule(s)
}

func addRule(l *List[SecurityGroupItem], ctx Context, _ []string) tea.Cmd {
	g, ok := l.Selected()
	if !ok {
		return nil
	}
	region := regionOf(ctx, g.RegionID)
	f := newOpForm(ctx, "Add a rule to "+g.ID+" ("+orDash(g.Name)+")", []form.Field{
		{Key: "direction", Label: "Direction", Kind: form.Choice, Options: []string{cloud.Ingress, cloud.Egress},
			Descriptions: []string{"traffic coming in", "traffic going out"}},
		{Key: "protocol", Label: "Protocol", Kind: form.Choice, Options: cloud.RuleProtocols},
		{Key: "ports", Label: "Port range", Optional: true, Placeholder: "e.g. 443/443",
			Help: "from/to: 1/65535 for TCP and UDP, -1/-1 (or empty) for ICMP, GRE, ALL; starts empty: nothing is opened you did not type"},
		{Key: "peer", Label: "Source / dest", Kind: form.Picker, Free: true,
			Help: "a CIDR (203.0.113.0/24, 2001:db8::/32), or a group of the region: type to find it, ←/→ choose"},
		{Key: "policy", Label: "Policy", Kind: form.Choice, Options: []string{cloud.Accept, cloud.Drop}},
		{Key: "priority", Label: "Priority", Kind: form.Number, Suggestion: "1", Help: "1 (highest) to 100", Validate: quantity("priority", cloud.UnitCount, 1, 100)},
		{Key: "description", Label: "Description", Optional: true},
	}, func(v map[string]string) (tea.Cmd, error) {
		s, err := ruleSpecOf(v)
		if err != nil {
			return nil, err
		}
		p, err := ctx.Client.PlanAddRule(region, g.ID, s)
		if err != nil {
			return nil, err
		}
		peer := s.CIDR + s.GroupID
		line := fmt.Sprintf("%s %s %s %s %s priority %d", s.Direction, strings.ToUpper(s.Protocol), orDash(s.PortRange), peer, s.Policy, s.Priority)
		lines := []string{line}
		if s.Direction == cloud.Ingress && (peer == "0.0.0.0/0" || peer == "::/0") && strings.EqualFold(s.Policy, cloud.Accept) {
			lines = append(lines, "", "This opens the ports to the whole internet.")
		}
		f := Flow{
			Action: "add rule to " + g.ID, Title: "Add this rule to " + g.ID + "?", Lines: lines,
			Steps:  []Step{{Label: "add " + s.Direction + " rule to " + g.ID, Plan: p}},
			Reload: []string{"sg", "audit-ports"},
		}
		return f.Cmd(ctx), nil
	})
	f.fields = ruleFieldKeys
	l.OpenModal(f)
	return loadPicks(ctx, "sg", f.id, "peer", func(c context.Context) ([]pickOption, func(), error) {
		groups, err := ctx.Client.SecurityGroups(c, region)
		if err != nil {
			return nil, nil, err
		}
		ps := make([]pickOption, 0, len(groups))
		for _, o := range groups {
			ps = append(ps, pickOption{ID: o.ID, Name: o.Name, Desc: o.VpcID})
		}
		return ps, nil, nil
	})
}

// ruleOptions are a group's rules as a Choice: the rule id, described by
// its line.
func ruleOptions(g SecurityGroupItem) (opts, descs []string) {
	for _, r := range g.Rules {
		opts = append(opts, r.ID)
		descs = append(descs, r.Direction+" "+strings.TrimSpace(ruleLine(r)))
	}
	return opts, descs
}

func ruleByID(g SecurityGroupItem, id string) (cloud.SecurityGroupRule, bool) {
	for _, r := range g.Rules {
		if r.ID == id {
			if r.GroupID == "" {
				r.GroupID = g.ID
			}
			return r, true
		}
	}
	return cloud.SecurityGroupRule{}, false
}

func editRule(l *List[SecurityGroupItem], ctx Context, _ []string) tea.Cmd {
	g, ok := l.Selected()
	if !ok {
		return nil
	}
	if len(g.Rules) == 0 {
		return refuse("edit rule of "+g.ID, &cloud.ValidationError{Field: "rule", Rule: g.ID + " has no rules"})
	}
	opts, descs := ruleOptions(g)
	region := regionOf(ctx, g.RegionID)
	f := newOpForm(ctx, "Edit a rule of "+g.ID, []form.Field{
		{Key: "rule", Label: "Rule", Kind: form.Choice, Options: opts, Descriptions: descs},
		{Key: "priority", Label: "Priority", Kind: form.Number, Optional: true, Help: "1 (highest) to 100; empty keeps the rule's", Validate: quantity("priority", cloud.UnitCount, 1, 100)},
		{Key: "description", Label: "Description", Optional: true, Help: "empty keeps the rule's"},
	}, func(v map[string]string) (tea.Cmd, error) {
		r, ok := ruleByID(g, v["rule"])
		if !ok {
			return nil, &cloud.ValidationError{Field: "rule", Rule: "choose a rule"}
		}
		prio, desc := r.Priority, r.Description
		if s := strings.TrimSpace(v["priority"]); s != "" {
			n, err := cloud.ParseQuantity("priority", s, cloud.UnitCount, 1, 100)
			if err != nil {
				return nil, err
			}
			prio = n
		}
		if s := strings.TrimSpace(v["description"]); s != "" {
			desc = s
		}
		p, err := ctx.Client.PlanModifyRule(region, r, desc, prio)
		if err != nil {
			return nil, err
		}
		f := Flow{
			Action: "edit rule " + r.ID, Title: "Change rule " + r.ID + " of " + g.ID + "?",
			Lines: []string{
				strings.TrimSpace(ruleLine(r)), "",
				fmt.Sprintf("priority:    %d → %d", r.Priority, prio),
				fmt.Sprintf("description: %s → %s", orDash(r.Description), orDash(desc)),
			},
			Steps:  []Step{{Label: "edit rule " + r.ID, Plan: p}},
			Reload: []string{"sg"},
		}
		return f.Cmd(ctx), nil
	})
	f.fields = map[string]string{"rule": "rule", "priority": "priority", "rule description": "description"}
	l.OpenModal(f)
	return nil
}

// allRisky is the revoke form's choice of every risky rule of the group.
const allRisky = "all risky"

func revokeRules(l *List[SecurityGroupItem], ctx Context, args []string) tea.Cmd {
	g, ok := l.Selected()
	if !ok {
		return nil
	}
	if len(args) > 0 {
		var rules []cloud.SecurityGroupRule
		for _, id := range args {
			r, ok := ruleByID(g, id)
			if !ok {
				return refuse("revoke rules of "+g.ID, &cloud.ValidationError{Field: "rule", Rule: id + " is not a rule of " + g.ID})
			}
			rules = append(rules, r)
		}
		return revokeFlow(ctx, g, rules)
	}
	if len(g.Rules) == 0 {
		return refuse("revoke rules of "+g.ID, &cloud.ValidationError{Field: "rule", Rule: g.ID + " has no rules"})
	}
	opts, descs := ruleOptions(g)
	if n := riskyCount(g.Rules); n > 1 {
		opts = append([]string{allRisky}, opts...)
		descs = append([]string{fmt.Sprintf("the %d rules open to the internet on risky ports", n)}, descs...)
	}
	f := newOpForm(ctx, "Revoke a rule of "+g.ID, []form.Field{
		{Key: "rule", Label: "Rule", Kind: form.Choice, Options: opts, Descriptions: descs},
	}, func(v map[string]string) (tea.Cmd, error) {
		var rules []cloud.SecurityGroupRule
		for _, r := range g.Rules {
			if v["rule"] == r.ID || v["rule"] == allRisky && risky(r) {
				if r.GroupID == "" {
					r.GroupID = g.ID
				}
				rules = append(rules, r)
			}
		}
		return revokeFlow(ctx, g, rules), nil
	})
	l.OpenModal(f)
	return nil
}

func revokeFlow(ctx Context, g SecurityGroupItem, rules []cloud.SecurityGroupRule) tea.Cmd {
	region := regionOf(ctx, g.RegionID)
	ids := make([]string, len(rules))
	lines := []string{}
	for i, r := range rules {
		ids[i] = r.ID
		lines = append(lines, r.ID+" "+r.Direction+" "+strings.TrimSpace(ruleLine(r)))
	}
	action := "revoke " + typedWord(ids, "rules") + " of " + g.ID
	p, err := ctx.Client.PlanRevokeRules(region, rules)
	if err != nil {
		return refuse(action, err)
	}
	lines = append(lines, "", fmt.Sprintf("%d instance(s) in the group lose what these rules allowed.", len(g.Instances)))
	f := Flow{
		Action: action, Title: fmt.Sprintf("Revoke %s from %s?", typedWord(ids, "rules"), g.ID),
		Lines: lines, Steps: []Step{{Label: action, Plan: p}}, Typed: ruleWord(rules),
		Undoable: "the rules are gone: add them again to restore the access",
		Reload:   []string{"sg", "audit-ports"},
	}
	return f.Cmd(ctx)
}

// groupMembers adds an instance to the selected group or removes one from
// it: `:members join i-…` / `:members leave i-…`, or a form listing the
// instances of the group's VPC (join) and the group's members (leave).
func groupMembers(l *List[SecurityGroupItem], ctx Context, args []string) tea.Cmd {
	g, ok := l.Selected()
	if !ok {
		return nil
	}
	region := regionOf(ctx, g.RegionID)
	if len(args) >= 2 {
		join := strings.EqualFold(args[0], "join")
		id := args[1]
		return async(ctx, func(c context.Context) tea.Msg {
			in, err := fetchInstance(c, ctx.Client, region, id)
			if err != nil {
				return Report{Action: "change members of " + g.ID, Err: err}
			}
			cmd, err := membershipFlow(ctx, g, in, join)
			if err != nil {
				return Report{Action: "change members of " + g.ID, Err: err}
			}
			return cmd()
		})
	}
	var candidates []cloud.Instance
	f := newOpForm(ctx, "Members of "+g.ID+" ("+orDash(g.Name)+")", []form.Field{
		{Key: "change", Label: "Change", Kind: form.Picker, Help: "type to find an instance by name or id · join: add it to the group · leave: remove it"},
	}, func(v map[string]string) (tea.Cmd, error) {
		verb, id, _ := strings.Cut(v["change"], " ")
		for _, in := range candidates {
			if in.ID == id {
				return membershipFlow(ctx, g, in, verb == "join")
			}
		}
		return nil, &cloud.ValidationError{Field: "instance", Rule: "choose an instance"}
	})
	f.fields = map[string]string{"instance": "change", "security group": "change"}
	l.OpenModal(f)
	return loadPicks(ctx, "sg", f.id, "change", func(c context.Context) ([]pickOption, func(), error) {
		all, err := ctx.Client.Instances(c, region)
		if err != nil {
			return nil, nil, err
		}
		var ps []pickOption
		var list []cloud.Instance
		for _, in := range all {
			member := slices.Contains(in.SecurityGroupIDs, g.ID)
			if !member && in.VpcID != g.VpcID {
				continue
			}
			verb := "join"
			if member {
				verb = "leave"
			}
			list = append(list, in)
			ps = append(ps, pickOption{ID: verb + " " + in.ID, Label: verb + " " + instancePick(in).label(),
				Desc: fmt.Sprintf("%s, in %d group(s)", in.Status, len(in.SecurityGroupIDs))})
		}
		return ps, func() { candidates = list }, nil
	})
}

// membershipFlow joins the instance to the group or removes it (an
// instance keeps at least one group: the plan refuses the last).
func membershipFlow(ctx Context, g SecurityGroupItem, in cloud.Instance, join bool) (tea.Cmd, error) {
	region := regionOf(ctx, in.RegionID)
	verb, plan := "join", ctx.Client.PlanJoinGroup
	if !join {
		verb, plan = "leave", ctx.Client.PlanLeaveGroup
	}
	p, err := plan(region, in, g.ID)
	if err != nil {
		return nil, err
	}
	action := fmt.Sprintf("%s %s %s", in.ID, verb, g.ID)
	lines := []string{instanceLine(in), "groups now: " + joinIDs(in.SecurityGroupIDs)}
	if join {
		lines = append(lines, "", "The group's rules apply to the instance at once.")
	} else {
		lines = append(lines, "", "The group's rules stop applying to the instance at once.")
	}
	f := Flow{
		Action: action, Title: fmt.Sprintf("%s: %s %s (%s)?", in.ID, verb, g.ID, orDash(g.Name)),
		Lines: lines, Steps: []Step{{Label: action, Plan: p}}, Reload: []string{"sg", "instances", "audit-ports"},
	}
	return f.Cmd(ctx), nil
}

// groupsFromInstances is J on instances: join the selected instance to a
// group of its VPC or remove it from one of its groups.
func groupsFromInstances(l *List[cloud.Instance], ctx Context, args []string) tea.Cmd {
	in, ok := l.Selected()
	if !ok {
		return nil
	}
	region := regionOf(ctx, in.RegionID)
	var groups []cloud.SecurityGroup
	f := newOpForm(ctx, "Security groups of "+in.ID, []form.Field{
		{Key: "change", Label: "Change", Kind: form.Picker, Help: "type to find a group by name or id · join one of its VPC, or leave one (it keeps at least one)"},
	}, func(v map[string]string) (tea.Cmd, error) {
		verb, id, _ := strings.Cut(v["change"], " ")
		for _, g := range groups {
			if g.ID == id {
				return membershipFlow(ctx, SecurityGroupItem{SecurityGroup: g}, in, verb == "join")
			}
		}
		return nil, &cloud.ValidationError{Field: "security group", Rule: "choose a group"}
	})
	f.fields = map[string]string{"security group": "change", "instance": "change"}
	l.OpenModal(f)
	return loadPicks(ctx, "instances", f.id, "change", func(c context.Context) ([]pickOption, func(), error) {
		all, err := ctx.Client.SecurityGroups(c, region)
		if err != nil {
			return nil, nil, err
		}
		var ps []pickOption
		var list []cloud.SecurityGroup
		for _, g := range all {
			member := slices.Contains(in.SecurityGroupIDs, g.ID)
			if !member && g.VpcID != in.VpcID {
				continue
			}
			verb := "join"
			if member {
				verb = "leave"
			}
			list = append(list, g)
			ps = append(ps, pickOption{ID: verb + " " + g.ID, Label: verb + " " + pickOption{ID: g.ID, Name: g.Name}.label(), Desc: g.VpcID})
		}
		return ps, func() { groups = list }, nil
	})
}

func joinGroupAction() Action[cloud.Instance] {
	return Action[cloud.Instance]{Name: "groups", Help: "join or leave a security group", Keys: []string{"J"}, Run: groupsFromInstances}
}
