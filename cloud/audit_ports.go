package cloud

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
)

// The risky-port audit (issue 8): every ingress Accept rule that opens to
// the whole internet a port attackers look for first, or a whole range of
// ports, with the running instances it exposes.

// DefaultRiskyPorts are the ports AuditPorts looks for when given none:
// FTP, SSH, Telnet, SMTP, MS RPC, NetBIOS, SMB, MS SQL, Oracle, Docker,
// etcd, MySQL, RDP, PostgreSQL, VNC, Redis, Elasticsearch, Memcached,
// MongoDB.
var DefaultRiskyPorts = []int{21, 22, 23, 25, 135, 139, 445, 1433, 1521, 2375, 2379, 3306, 3389, 5432, 5900, 6379, 9200, 11211, 27017}

// WideRangePorts is the span from which a port range counts as a whole
// range (open however many risky ports it covers).
const WideRangePorts = 1000

// Finding is one rule the audit flags. JSON field names are the API's.
type Finding struct {
	RegionID            string   `json:"RegionId"`
	SecurityGroupID     string   `json:"SecurityGroupId"`
	SecurityGroupRuleID string   `json:"SecurityGroupRuleId"`
	IpProtocol          string   `json:"IpProtocol"`
	PortRange           string   `json:"PortRange"`
	SourceCidrIp        string   `json:"SourceCidrIp"`
	Ports               []int    `json:"Ports"`     // the risky ports it opens
	Instances           []string `json:"Instances"` // the running instances it exposes

	// The rule's priority and description, kept for PlanNarrowRule (not in
	// the JSON report).
	priority    int
	description string
}

// WholeRange reports whether the finding opens a whole range of ports.
func (f Finding) WholeRange() bool {
	lo, hi, ok := portSpan(f.IpProtocol, f.PortRange)
	return ok && hi-lo+1 >= WideRangePorts
}

// portSpan is the ports a rule opens: TCP/UDP from/to, ALL every port;
// ICMP and GRE none (ok false).
func portSpan(protocol, portRange string) (lo, hi int, ok bool) {
	switch strings.ToUpper(protocol) {
	case "ALL":
		return 1, 65535, true
	case "TCP", "UDP":
		from, to, found := strings.Cut(portRange, "/")
		a, err1 := strconv.Atoi(from)
		b, err2 := strconv.Atoi(to)
		if !found || err1 != nil || err2 != nil {
			return 0, 0, false
		}
		if a == -1 && b == -1 {
			return 1, 65535, true
		}
		return a, b, a <= b
	}
	return 0, 0, false
}

// openToWorld reports whether a source is the whole IPv4 or IPv6 internet.
func openToWorld(cidr string) bool {
	p, err := parseCIDR(strings.TrimSpace(cidr))
	return err == nil && p.Bits() == 0
}

// AuditPorts finds, in a region (or every region for AllRegions), every
// ingress Accept rule open to 0.0.0.0/0 or ::/0 on any of ports (nil:
// DefaultRiskyPorts) or on a whole range (ALL, -1/-1, or a range of at
// least WideRangePorts ports), with the Running instances in its group.
// Sorted by exposure: most instances first, then region, group and rule.
// A Drop rule of higher priority that shadows the finding is not taken
// into account: the wide Accept rule is worth fixing anyway.
func (c *Client) AuditPorts(ctx context.Context, regionID string, ports []int) ([]Finding, error) {
	if len(ports) == 0 {
		ports = DefaultRiskyPorts
	}
	ports = slices.Clone(ports)
	slices.Sort(ports)
	ports = slices.Compact(ports)
	findings, err := eachRegion(ctx, c, regionID, func(ctx context.Context, region string) ([]Finding, error) {
		return c.auditRegion(ctx, region, ports)
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(findings, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(len(b.Instances), len(a.Instances)),
			cmp.Compare(a.RegionID, b.RegionID),
			cmp.Compare(a.SecurityGroupID, b.SecurityGroupID),
			cmp.Compare(a.SecurityGroupRuleID, b.SecurityGroupRuleID),
		)
	})
	return findings, nil
}

func (c *Client) auditRegion(ctx context.Context, region string, ports []int) ([]Finding, error) {
	groups, err := c.SecurityGroups(ctx, region)
	if err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return nil, nil
	}
	instances, err := c.Instances(ctx, region)
	if err != nil {
		return nil, err
	}
	running := map[string][]string{}
	for _, in := range instances {
		if in.Status != StateRunning {
			continue
		}
		for _, g := range in.SecurityGroupIDs {
			running[g] = append(running[g], in.ID)
		}
	}
	return fanOut(ctx, len(groups), func(ctx context.Context, i int) ([]Finding, error) {
		rules, err := c.SecurityGroupRules(ctx, region, groups[i].ID)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, r := range rules {
			if r.Direction != Ingress || r.Policy == Drop || !openToWorld(r.SourceCIDR) {
				continue
			}
			lo, hi, ok := portSpan(r.Protocol, r.PortRange)
			if !ok {
				continue
			}
			var hit []int
			for _, p := range ports {
				if p >= lo && p <= hi && !droppedFirst(rules, r, p) {
					hit = append(hit, p)
				}
			}
			if len(hit) == 0 && (hi-lo+1 < WideRangePorts || droppedFirst(rules, r, -1)) {
				continue
			}
			ids := slices.Clone(running[groups[i].ID])
			slices.Sort(ids)
			out = append(out, Finding{
				RegionID: region, SecurityGroupID: groups[i].ID, SecurityGroupRuleID: r.ID,
				IpProtocol: r.Protocol, PortRange: r.PortRange, SourceCidrIp: r.SourceCIDR,
				Ports: nonNilInts(hit), Instances: nonNilStrings(ids),
				priority: r.Priority, description: r.Description,
			})
		}
		return out, nil
	})
}

func nonNilInts(s []int) []int {
	if s == nil {
		return []int{}
	}
	return s
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// PlanNarrowRule plans the fix of a finding that keeps the port open to
// the operator: first AuthorizeSecurityGroup of the same rule from cidr
// only, THEN RevokeSecurityGroup of the wide rule, as one batched plan run
// in that order (if the add fails, the wide rule stays). cidr is checked
// first: a CIDR block or address, not itself the whole internet. Not
// marked destructive: nothing is closed that cidr needs.
func (c *Client) PlanNarrowRule(regionID string, f Finding, cidr string) (*Plan, error) {
	region, err := c.oneRegion("AuthorizeSecurityGroup", cmp.Or(f.RegionID, regionID))
	if err != nil {
		return nil, err
	}
	cidr = strings.TrimSpace(cidr)
	if err := ValidateCIDR(cidr); err != nil {
		return nil, err
	}
	if openToWorld(cidr) {
		return nil, invalid("CIDR", "%s is the whole internet: give the address or block that needs the port", cidr)
	}
	if err := requireID("rule", f.SecurityGroupRuleID); err != nil {
		return nil, err
	}
	spec := RuleSpec{
		Direction: Ingress, Protocol: f.IpProtocol, PortRange: f.PortRange, CIDR: cidr, Policy: Accept,
		Priority: max(f.priority, 1), Description: f.description,
	}
	if spec.Description == "" {
		spec.Description = "narrowed from " + f.SourceCidrIp
	}
	add, err := c.PlanAddRule(region, f.SecurityGroupID, spec)
	if err != nil {
		return nil, err
	}
	revoke, err := c.PlanRevokeRules(region, []SecurityGroupRule{{ID: f.SecurityGroupRuleID, GroupID: f.SecurityGroupID, Direction: Ingress}})
	if err != nil {
		return nil, err
	}
	revoke.Op.Destructive = false
	p := ChainPlans(add, revoke)
	p.Op.Action = "NarrowSecurityGroupRule"
	p.Op.Resources = []string{f.SecurityGroupID, f.SecurityGroupRuleID}
	return p, nil
}

// droppedFirst reports whether an ingress Drop rule of the same group,
// with a priority at least as high (a number as low or lower: on a tie
// Drop wins), from the whole internet, shuts port p (p < 0: the accept
// rule's whole range) before accept can open it.
func droppedFirst(rules []SecurityGroupRule, accept SecurityGroupRule, p int) bool {
	alo, ahi, _ := portSpan(accept.Protocol, accept.PortRange)
	for _, d := range rules {
		if d.Direction != Ingress || d.Policy != Drop || d.Priority > accept.Priority || !openToWorld(d.SourceCIDR) {
			continue
		}
		if d.Protocol != accept.Protocol && !strings.EqualFold(d.Protocol, "ALL") {
			continue
		}
		lo, hi, ok := portSpan(d.Protocol, d.PortRange)
		if !ok {
			continue
		}
		if p >= 0 && p >= lo && p <= hi {
			return true
		}
		if p < 0 && lo <= alo && hi >= ahi {
			return true
		}
	}
	return false
}
