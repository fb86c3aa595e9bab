package views

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

func TestSecurityGroupsCounts(t *testing.T) {
	ctx := newTestContext(t)
	groups, err := ctx.Client.SecurityGroups(bg(t), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	instances, err := ctx.Client.Instances(bg(t), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	v := load(t, ctx, findView(t, ctx, "sg"))
	if v.Status().Total != len(groups) || len(groups) == 0 {
		t.Fatalf("Total = %d, want %d (> 0)", v.Status().Total, len(groups))
	}
	lines := strings.Split(screen(ctx, v, 160, 30), "\n")
	for _, g := range groups {
		rules, err := ctx.Client.SecurityGroupRules(bg(t), "cn-hangzhou", g.ID)
		if err != nil {
			t.Fatal(err)
		}
		members := len(membersOf(g, instances))
		var line string
		for _, l := range lines {
			if strings.Contains(l, g.ID) {
				line = l
			}
		}
		if line == "" {
			t.Errorf("no row for %s", g.ID)
			continue
		}
		// RULES then INSTANCES, right-aligned; "!" flags a risky rule.
		wantRules := fmt.Sprint(len(rules))
		if riskyCount(rules) > 0 {
			wantRules += " !"
		}
		if !strings.Contains(line, fmt.Sprintf("%6s %9d", wantRules, members)) {
			t.Errorf("%s: want rules %q and %d instances in\n%s", g.ID, wantRules, members, line)
		}
	}
}

func TestSecurityGroupDetailFlagsRiskyRules(t *testing.T) {
	ctx := newTestContext(t)
	groups, err := ctx.Client.SecurityGroups(bg(t), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	instances, err := ctx.Client.Instances(bg(t), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	// The group with a rule open to the world on a risky port, and members.
	var group cloud.SecurityGroup
	var rules []cloud.SecurityGroupRule
	for _, g := range groups {
		r, err := ctx.Client.SecurityGroupRules(bg(t), "cn-hangzhou", g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if riskyCount(r) > 0 && len(membersOf(g, instances)) > 0 {
			group, rules = g, r
			break
		}
	}
	if group.ID == "" {
		t.Fatal("the seeded fleet has no group with a risky rule and members")
	}
	v := openDetail(t, ctx, load(t, ctx, findView(t, ctx, "sg")), group.ID)
	s := screen(ctx, v, 140, 80)
	mustContain(t, s, "Ingress", "Egress", "Instances", "RISKY", "0.0.0.0/0", "PROTO", "PORTS", "SOURCE", "PRIORITY"[:4])
	for _, r := range rules {
		if r.Description != "" {
			mustContain(t, s, r.Description)
		}
	}
	members := membersOf(group, instances)
	for _, in := range members {
		mustContain(t, s, in.ID)
	}
	// Rule rows cannot be opened; the first jumpable row is an instance.
	_, msg := press(t, ctx, v, enterKey)
	if nav, ok := msg.(Navigate); !ok || nav.View != "instances" || nav.Filter != members[0].ID {
		t.Errorf("enter = %#v, want the first instance", msg)
	}
}

func TestRisky(t *testing.T) {
	in := func(proto, ports, cidr string) cloud.SecurityGroupRule {
		return cloud.SecurityGroupRule{Direction: "ingress", Protocol: proto, PortRange: ports, SourceCIDR: cidr, Policy: "Accept"}
	}
	for _, tc := range []struct {
		r    cloud.SecurityGroupRule
		want bool
	}{
		{in("TCP", "22/22", "0.0.0.0/0"), true},
		{in("TCP", "3389/3389", "0.0.0.0/0"), true},
		{in("TCP", "3000/4000", "0.0.0.0/0"), true}, // covers 3306
		{in("TCP", "1/65535", "0.0.0.0/0"), true},
		{in("ALL", "-1/-1", "0.0.0.0/0"), true},
		{in("TCP", "6379/6379", "::/0"), true},
		{in("TCP", "443/443", "0.0.0.0/0"), false},
		{in("TCP", "22/22", "10.0.0.0/8"), false},
		{in("ICMP", "-1/-1", "0.0.0.0/0"), false},
		{cloud.SecurityGroupRule{Direction: "ingress", Protocol: "TCP", PortRange: "22/22", SourceCIDR: "0.0.0.0/0", Policy: "Drop"}, false},
		{cloud.SecurityGroupRule{Direction: "egress", Protocol: "ALL", PortRange: "-1/-1", DestCIDR: "0.0.0.0/0", Policy: "Accept"}, false},
	} {
		if got := risky(tc.r); got != tc.want {
			t.Errorf("risky(%+v) = %v, want %v", tc.r, got, tc.want)
		}
	}
	if got := ports(in("TCP", "8000/8080", "")); got != "8000-8080" {
		t.Errorf("ports = %q", got)
	}
	if got := ports(in("ALL", "-1/-1", "")); got != "all" {
		t.Errorf("ports = %q", got)
	}
}
