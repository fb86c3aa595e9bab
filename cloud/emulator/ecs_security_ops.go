package emulator

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Security group mutations (notes §3.6; addendum §3.6; the current
// AuthorizeSecurityGroup / RevokeSecurityGroup error tables):
// CreateSecurityGroup, DeleteSecurityGroup, AuthorizeSecurityGroup(Egress),
// RevokeSecurityGroup(Egress), ModifySecurityGroupRule,
// ModifySecurityGroupEgressRule, JoinSecurityGroup, LeaveSecurityGroup.
//
// Rules come either as Permissions.N.* (1-100 of them) or as the deprecated
// top-level fields (one rule); both at once is InvalidParam.Permissions.
// What identifies a rule (a duplicate, or what a revoke by fields matches):
// direction, protocol, port range, source port range, the peer (CIDR,
// IPv6 CIDR, group or prefix list, both ways), policy and NIC type; not
// priority or description. Adding a rule that already exists succeeds and
// creates nothing (ingress, per the notes; egress too, assumed: the 2021
// page's "a duplicate egress rule fails" is unverified); revoking a rule
// that does not exist succeeds and deletes nothing.
//
// Assumed where no page says: DeleteSecurityGroup on a group that instances
// are in, or that another group's rules name, is DependencyViolation 403;
// CreateSecurityGroup needs a VpcId (the emulator has no classic network):
// MissingParameter, and an unknown one InvalidVpcId.NotFound 404; a rule
// naming a prefix list is InvalidPrefixListId.NotFound 404 (none exist).

// maxGroupRules is the documented limit of rules per group (in + out).
const maxGroupRules = 200

// ruleFields are the parameters of one rule, as sent.
type ruleFields struct {
	protocol, portRange, sourcePortRange string
	srcCidr, src6, srcGroup, srcPrefix   string
	dstCidr, dst6, dstGroup, dstPrefix   string
	policy, priority, nic, description   string
}

// ruleParamNames are the names a rule's fields take (top level or under
// Permissions.N.), with where each goes.
var ruleParamNames = map[string]func(f *ruleFields) *string{
	"IpProtocol":         func(f *ruleFields) *string { return &f.protocol },
	"PortRange":          func(f *ruleFields) *string { return &f.portRange },
	"SourcePortRange":    func(f *ruleFields) *string { return &f.sourcePortRange },
	"SourceCidrIp":       func(f *ruleFields) *string { return &f.srcCidr },
	"Ipv6SourceCidrIp":   func(f *ruleFields) *string { return &f.src6 },
	"SourceGroupId":      func(f *ruleFields) *string { return &f.srcGroup },
	"SourcePrefixListId": func(f *ruleFields) *string { return &f.srcPrefix },
	"DestCidrIp":         func(f *ruleFields) *string { return &f.dstCidr },
	"Ipv6DestCidrIp":     func(f *ruleFields) *string { return &f.dst6 },
	"DestGroupId":        func(f *ruleFields) *string { return &f.dstGroup },
	"DestPrefixListId":   func(f *ruleFields) *string { return &f.dstPrefix },
	"Policy":             func(f *ruleFields) *string { return &f.policy },
	"Priority":           func(f *ruleFields) *string { return &f.priority },
	"NicType":            func(f *ruleFields) *string { return &f.nic },
	"Description":        func(f *ruleFields) *string { return &f.description },
}

// readRuleFields reads the fields under prefix ("" or "Permissions.N.");
// any reports whether one was sent.
func (r *request) readRuleFields(prefix string) (f ruleFields, any bool) {
	for name, field := range ruleParamNames {
		if v := r.str(prefix + name); v != "" {
			*field(&f) = v
			any = true
		}
	}
	return f, any
}

// ruleInputs collects the rules of an Authorize/Revoke call.
func (r *request) ruleInputs() ([]ruleFields, error) {
	legacy, hasLegacy := r.readRuleFields("")
	var idx []int
	for k := range r.params {
		rest, ok := strings.CutPrefix(k, "Permissions.")
		if !ok {
			continue
		}
		n, _, _ := strings.Cut(rest, ".")
		i, err := strconv.Atoi(n)
		if err != nil || i < 1 {
			return nil, errInvalidParam("Permissions", "numbered from 1")
		}
		if !slices.Contains(idx, i) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		if !hasLegacy {
			return nil, errMissing("Permissions.1.IpProtocol")
		}
		return []ruleFields{legacy}, nil
	}
	if hasLegacy {
		return nil, &APIError{Status: 400, Code: "InvalidParam.Permissions", Message: "The specified parameter Permissions cannot coexist with other parameters."}
	}
	sort.Ints(idx)
	if idx[len(idx)-1] > 100 {
		return nil, errInvalidParam("Permissions", "at most 100 rules")
	}
	out := make([]ruleFields, 0, len(idx))
	for _, i := range idx {
		f, _ := r.readRuleFields(fmt.Sprintf("Permissions.%d.", i))
		out = append(out, f)
	}
	return out, nil
}

func ruleErr(status int, code, msg string) *APIError {
	return &APIError{Status: status, Code: code, Message: msg}
}

// parseAddr accepts a CIDR block or a single address of the wanted family
// (v6 false: IPv4). A zone or a 4-in-6 address is refused.
func parseAddr(s string, v6 bool) bool {
	var a netip.Addr
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return false
		}
		a = p.Addr()
	} else {
		var err error
		if a, err = netip.ParseAddr(s); err != nil || a.Zone() != "" {
			return false
		}
	}
	if v6 {
		return a.Is6() && !a.Is4In6()
	}
	return a.Is4()
}

// validPortRange checks "from/to" for protocol (upper case).
func validPortRange(protocol, pr string) bool {
	from, to, ok := strings.Cut(pr, "/")
	if !ok {
		return false
	}
	a, err1 := strconv.Atoi(from)
	b, err2 := strconv.Atoi(to)
	if err1 != nil || err2 != nil || strings.HasPrefix(from, "+") || strings.HasPrefix(to, "+") {
		return false
	}
	if protocol == "TCP" || protocol == "UDP" {
		return a >= 1 && a <= b && b <= 65535
	}
	return a == -1 && b == -1
}

// checkRule validates f as a rule of sg in direction and returns it as a
// stored rule (no id yet). A description of more than 512 characters, or
// one starting with http(s)://, is InvalidSecurityGroupDiscription.Malformed
// (sic, as the API spells it).
func (st *store) checkRule(sg *securityGroup, dir string, f ruleFields) (*securityGroupRule, error) {
	if f.protocol == "" {
		return nil, errMissing("IpProtocol")
	}
	proto := strings.ToUpper(f.protocol)
	if !slices.Contains([]string{"TCP", "UDP", "ICMP", "GRE", "ALL", "ICMPV6"}, proto) {
		return nil, ruleErr(400, "InvalidIpProtocol.ValueNotSupported", "The parameter IpProtocol must be specified with case insensitive TCP, UDP, ICMP, GRE or All.")
	}
	pr := f.portRange
	if pr == "" {
		if proto == "TCP" || proto == "UDP" {
			return nil, ruleErr(400, "InvalidPortRange.Malformed", "The specified parameter PortRange must set.")
		}
		pr = "-1/-1"
	}
	if !validPortRange(proto, pr) {
		return nil, ruleErr(400, "InvalidIpPortRange.Malformed", `The specified parameter "PortRange" is not valid.`)
	}
	if f.sourcePortRange != "" && !validPortRange(proto, f.sourcePortRange) {
		return nil, ruleErr(400, "InvalidSourcePortRange.Malformed", "The specified parameter SourcePortRange is not valid.")
	}
	policy := "Accept"
	switch strings.ToLower(f.policy) {
	case "", "accept":
	case "drop":
		policy = "Drop"
	default:
		return nil, ruleErr(400, "InvalidPolicy.Malformed", `The specified parameter "Policy" is not valid.`)
	}
	prio := 1
	if f.priority != "" {
		n, err := strconv.Atoi(f.priority)
		if err != nil {
			return nil, ruleErr(400, "InvalidPriority.Malformed", "The parameter Priority is invalid.")
		}
		if n < 1 || n > 100 {
			return nil, ruleErr(400, "InvalidPriority.ValueNotSupported", "The specified parameter Priority is invalid: it must be 1 to 100.")
		}
		prio = n
	}
	nic := "intranet"
	if f.nic != "" {
		if f.nic != "intranet" && f.nic != "internet" {
			return nil, ruleErr(400, "InvalidNicType.ValueNotSupported", "The specified NicType does not exist.")
		}
		nic = f.nic
	}
	if d := f.description; d != "" {
		lower := strings.ToLower(d)
		if utf8.RuneCountInString(d) > 512 || strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
			return nil, ruleErr(400, "InvalidSecurityGroupDiscription.Malformed", "The specified security group rule description is not valid.")
		}
	}
	if err := st.checkPeers(sg, dir, proto, f); err != nil {
		return nil, err
	}
	if groupType(sg) == "enterprise" && (policy == "Drop" || f.srcGroup != "" || f.dstGroup != "") {
		return nil, ruleErr(400, "InvalidGroupParameter.OperationDenied", "The attributes Policy, SourceGroupId, DestGroupId of enterprise level security groups are not allowed to be set or modified.")
	}
	return &securityGroupRule{
		Direction: dir, IPProtocol: proto, PortRange: pr,
		SourceCidrIP: f.srcCidr, Ipv6SourceCidrIP: f.src6, SourceGroupID: f.srcGroup,
		DestCidrIP: f.dstCidr, Ipv6DestCidrIP: f.dst6, DestGroupID: f.dstGroup,
		Policy: policy, Priority: prio, NicType: nic, Description: f.description,
	}, nil
}

// checkPeers validates the addresses and groups of a rule.
func (st *store) checkPeers(sg *securityGroup, dir, proto string, f ruleFields) error {
	if f.srcCidr != "" && f.src6 != "" {
		return ruleErr(400, "InvalidParam.SourceIp", "The Parameters SourceCidrIp and Ipv6SourceCidrIp cannot be set at the same time.")
	}
	if f.dstCidr != "" && f.dst6 != "" {
		return ruleErr(400, "InvalidParam.DestIp", "The Parameters DestCidrIp and Ipv6DestCidrIp cannot be set at the same time.")
	}
	if dir == "ingress" && f.srcCidr == "" && f.src6 == "" && f.srcGroup == "" && f.srcPrefix == "" {
		return ruleErr(400, "MissingParameter.Source", "One of the parameters SourceCidrIp, Ipv6SourceCidrIp, SourceGroupId or SourcePrefixListId must be specified.")
	}
	if dir == "egress" && f.dstCidr == "" && f.dst6 == "" && f.dstGroup == "" && f.dstPrefix == "" {
		return ruleErr(400, "MissingParameter.Dest", "One of the parameters DestCidrIp, Ipv6DestCidrIp, DestGroupId or DestPrefixListId must be specified.")
	}
	for _, c := range []struct {
		v      string
		v6     bool
		code   string
		letter string
	}{
		{f.srcCidr, false, "InvalidSourceCidrIp.Malformed", "SourceCidrIp"},
		{f.src6, true, "InvalidParam.Ipv6SourceCidrIp", "Ipv6SourceCidrIp"},
		{f.dstCidr, false, "InvalidDestCidrIp.Malformed", "DestCidrIp"},
		{f.dst6, true, "InvalidParam.Ipv6DestCidrIp", "Ipv6DestCidrIp"},
	} {
		if c.v != "" && !parseAddr(c.v, c.v6) {
			return ruleErr(400, c.code, fmt.Sprintf("The specified parameter %s is not valid.", c.letter))
		}
	}
	if proto == "ICMP" && (f.src6 != "" || f.dst6 != "") {
		return ruleErr(400, "InvalidParam.Ipv4ProtocolConflictWithIpv6Address", "IPv6 address cannot be specified for IPv4-specific protocol.")
	}
	if proto == "ICMPV6" && (f.srcCidr != "" || f.dstCidr != "") {
		return ruleErr(400, "InvalidParam.Ipv6ProtocolConflictWithIpv4Address", "IPv4 address cannot be specified for IPv6-specific protocol.")
	}
	for _, g := range []struct{ id, side string }{{f.srcGroup, "Source"}, {f.dstGroup, "Dest"}} {
		if g.id == "" {
			continue
		}
		if g.id == sg.ID {
			if g.side == "Source" {
				return ruleErr(400, "InvalidParamter.Conflict", "The specified SecurityGroupId should be different from the SourceGroupId.")
			}
			return ruleErr(403, "InvalidSecurityGroup.IsSame", "The authorized SecurityGroupId should be different from the DestGroupId.")
		}
		peer := st.securityGroups[g.id]
		if peer == nil || peer.RegionID != sg.RegionID {
			return ruleErr(404, "Invalid"+g.side+"GroupId.NotFound", "The "+g.side+"GroupId provided does not exist in our records.")
		}
		if peer.VpcID != sg.VpcID {
			return ruleErr(400, "Invalid"+g.side+"GroupId.Mismatch", "Specified security group and "+strings.ToLower(g.side)+" group are not in the same VPC.")
		}
	}
	for _, p := range []string{f.srcPrefix, f.dstPrefix} {
		if p != "" {
			return ruleErr(404, "InvalidPrefixListId.NotFound", "The specified prefix list was not found.")
		}
	}
	return nil
}

// ruleKey is what identifies a rule (not its priority or description).
func ruleKey(r *securityGroupRule) string {
	return strings.Join([]string{
		r.Direction, r.IPProtocol, r.PortRange, r.SourceCidrIP, r.Ipv6SourceCidrIP, r.SourceGroupID,
		r.DestCidrIP, r.Ipv6DestCidrIP, r.DestGroupID, r.Policy, nicOr(r.NicType),
	}, "|")
}

func nicOr(nic string) string {
	if nic == "" {
		return "intranet"
	}
	return nic
}

// requireGroup reads SecurityGroupId and finds the group in the region.
func (st *store) requireGroup(r *request) (*securityGroup, error) {
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	id, err := r.required("SecurityGroupId")
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(id, "sg-") {
		return nil, ruleErr(400, "InvalidSecurityGroupId.Malformed", "The specified parameter SecurityGroupId is not valid.")
	}
	sg := st.securityGroups[id]
	if sg == nil || sg.RegionID != rg.ID {
		return nil, ruleErr(404, "InvalidSecurityGroupId.NotFound", "The specified SecurityGroupId does not exist.")
	}
	return sg, nil
}

// authorize: AuthorizeSecurityGroup (ingress) and
// AuthorizeSecurityGroupEgress. Every rule is checked first; then the new
// ones are added (existing identical ones are left as they are).
func authorize(r *request, dir string) (any, error) {
	st := r.server.store
	sg, err := st.requireGroup(r)
	if err != nil {
		return nil, err
	}
	return st.idempotent(r, func() (any, error) {
		inputs, err := r.ruleInputs()
		if err != nil {
			return nil, err
		}
		var add []*securityGroupRule
		keys := map[string]bool{}
		for _, f := range inputs {
			rule, err := st.checkRule(sg, dir, f)
			if err != nil {
				return nil, err
			}
			k := ruleKey(rule)
			if keys[k] {
				return nil, ruleErr(400, "InvalidParam.DuplicatePermissions", "There are duplicate permissions in the specified parameter Permissions.")
			}
			keys[k] = true
			if !slices.ContainsFunc(sg.Rules, func(x *securityGroupRule) bool { return ruleKey(x) == k }) {
				add = append(add, rule)
			}
		}
		if len(sg.Rules)+len(add) > maxGroupRules {
			return nil, ruleErr(403, "AuthorizationLimitExceed", fmt.Sprintf("The limit of authorization records in the security group reaches the maximum of %d.", maxGroupRules))
		}
		now := st.now().UTC().Truncate(time.Second)
		for _, rule := range add {
			rule.ID, rule.CreateTime = st.mintID("sgr", sg.RegionID), now
			sg.Rules = append(sg.Rules, rule)
		}
		return map[string]any{}, nil
	})
}

func authorizeSecurityGroup(r *request) (any, error)       { return authorize(r, "ingress") }
func authorizeSecurityGroupEgress(r *request) (any, error) { return authorize(r, "egress") }

// revoke: RevokeSecurityGroup(Egress), by SecurityGroupRuleId.N or by the
// rule's fields.
func revoke(r *request, dir string) (any, error) {
	st := r.server.store
	sg, err := st.requireGroup(r)
	if err != nil {
		return nil, err
	}
	if ids := r.repeated("SecurityGroupRuleId"); len(ids) > 0 {
		for i, id := range ids {
			if slices.Contains(ids[:i], id) {
				return nil, ruleErr(400, "InvalidParam.SecurityGroupRuleIdRepeated", "The specified parameter SecurityGroupRuleId is repeated.")
			}
			if !slices.ContainsFunc(sg.Rules, func(x *securityGroupRule) bool { return x.ID == id && x.Direction == dir }) {
				return nil, ruleErr(404, "InvalidSecurityGroupRuleId.NotFound", "The specified SecurityGroupRuleId is not exists.")
			}
		}
		sg.Rules = slices.DeleteFunc(sg.Rules, func(x *securityGroupRule) bool { return slices.Contains(ids, x.ID) })
		return map[string]any{}, nil
	}
	inputs, err := r.ruleInputs()
	if err != nil {
		return nil, err
	}
	keys := map[string]bool{}
	for _, f := range inputs {
		rule, err := st.checkRule(sg, dir, f)
		if err != nil {
			return nil, err
		}
		keys[ruleKey(rule)] = true
	}
	sg.Rules = slices.DeleteFunc(sg.Rules, func(x *securityGroupRule) bool { return keys[ruleKey(x)] })
	return map[string]any{}, nil
}

func revokeSecurityGroup(r *request) (any, error)       { return revoke(r, "ingress") }
func revokeSecurityGroupEgress(r *request) (any, error) { return revoke(r, "egress") }

// fieldsOf is a stored rule as the fields that would make it.
func fieldsOf(x *securityGroupRule) ruleFields {
	return ruleFields{
		protocol: x.IPProtocol, portRange: x.PortRange,
		srcCidr: x.SourceCidrIP, src6: x.Ipv6SourceCidrIP, srcGroup: x.SourceGroupID,
		dstCidr: x.DestCidrIP, dst6: x.Ipv6DestCidrIP, dstGroup: x.DestGroupID,
		policy: x.Policy, priority: strconv.Itoa(max(1, x.Priority)), nic: nicOr(x.NicType), description: x.Description,
	}
}

// modifyRule: ModifySecurityGroupRule (ingress) and
// ModifySecurityGroupEgressRule. With SecurityGroupRuleId, the fields sent
// replace the rule's (NicType excepted) and the result is checked as a new
// rule; without it, the legacy fields identify the rule and only its
// Description and Priority change. An unknown rule is
// SecurityGroupRule.NotFound 404.
func modifyRule(r *request, dir string) (any, error) {
	st := r.server.store
	sg, err := st.requireGroup(r)
	if err != nil {
		return nil, err
	}
	notFound := ruleErr(404, "SecurityGroupRule.NotFound", "The specified security group rule does not exist.")
	sent, _ := r.readRuleFields("")
	var target *securityGroupRule
	var merged ruleFields
	if id := r.str("SecurityGroupRuleId"); id != "" {
		i := slices.IndexFunc(sg.Rules, func(x *securityGroupRule) bool { return x.ID == id && x.Direction == dir })
		if i < 0 {
			return nil, notFound
		}
		target = sg.Rules[i]
		merged = fieldsOf(target)
		for name, field := range ruleParamNames {
			if v := r.str(name); v != "" && name != "NicType" {
				*field(&merged) = v
			}
		}
	} else {
		probe := sent
		probe.priority, probe.description = "", ""
		want, err := st.checkRule(sg, dir, probe)
		if err != nil {
			return nil, err
		}
		k := ruleKey(want)
		i := slices.IndexFunc(sg.Rules, func(x *securityGroupRule) bool { return ruleKey(x) == k })
		if i < 0 {
			return nil, notFound
		}
		target = sg.Rules[i]
		merged = fieldsOf(target)
		if sent.priority != "" {
			merged.priority = sent.priority
		}
		if sent.description != "" {
			merged.description = sent.description
		}
	}
	rule, err := st.checkRule(sg, dir, merged)
	if err != nil {
		return nil, err
	}
	rule.ID, rule.CreateTime, rule.NicType = target.ID, target.CreateTime, nicOr(target.NicType)
	*target = *rule
	return map[string]any{}, nil
}

func modifySecurityGroupRule(r *request) (any, error)       { return modifyRule(r, "ingress") }
func modifySecurityGroupEgressRule(r *request) (any, error) { return modifyRule(r, "egress") }

// vpcExists reports whether the region has the VPC (the emulator knows
// VPCs through the instances and groups in them).
func (st *store) vpcExists(regionID, vpcID string) bool {
	for _, sg := range st.securityGroups {
		if sg.RegionID == regionID && sg.VpcID == vpcID {
			return true
		}
	}
	for _, in := range st.instances {
		if in.RegionID == regionID && in.VpcID == vpcID {
			return true
		}
	}
	return false
}

// validGroupName: 2-128 characters, starting with a letter, not
// http(s)://, letters, digits, '.', '_', '-' and ':'.
func validGroupName(s string) bool { return validInstanceName(s) }

// createSecurityGroup: CreateSecurityGroup (ClientToken: once per token).
func createSecurityGroup(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	return st.idempotent(r, func() (any, error) {
		vpc, err := r.required("VpcId")
		if err != nil {
			return nil, err
		}
		if !st.vpcExists(rg.ID, vpc) {
			return nil, ruleErr(404, "InvalidVpcId.NotFound", "The specified VpcId does not exist.")
		}
		name, desc := r.str("SecurityGroupName"), r.str("Description")
		if name != "" && !validGroupName(name) {
			return nil, ruleErr(400, "InvalidSecurityGroupName.Malformed", "The specified parameter SecurityGroupName is not valid.")
		}
		if desc != "" && !validResourceDescription(desc) {
			return nil, ruleErr(400, "InvalidDescription.Malformed", "The specified parameter Description is not valid.")
		}
		typ, err := r.enumParam("SecurityGroupType", []string{"normal", "enterprise"}, "InvalidSecurityGroupType.ValueNotSupported", 400)
		if err != nil {
			return nil, err
		}
		if typ == "" {
			typ = "normal"
		}
		sg := &securityGroup{
			ID: st.mintID("sg", rg.ID), Name: name, Description: desc, RegionID: rg.ID, VpcID: vpc,
			Type: typ, CreationTime: st.now().UTC().Truncate(time.Second),
		}
		st.securityGroups[sg.ID] = sg
		return map[string]any{"SecurityGroupId": sg.ID}, nil
	})
}

// deleteSecurityGroup: DeleteSecurityGroup.
func deleteSecurityGroup(r *request) (any, error) {
	st := r.server.store
	sg, err := st.requireGroup(r)
	if err != nil {
		return nil, err
	}
	if st.groupMembers()[sg.ID] > 0 {
		return nil, ruleErr(403, "DependencyViolation", "There is still instance(s) in the specified security group.")
	}
	for _, other := range st.securityGroups {
		if other == sg {
			continue
		}
		for _, rule := range other.Rules {
			if rule.SourceGroupID == sg.ID || rule.DestGroupID == sg.ID {
				return nil, ruleErr(403, "DependencyViolation", "The specified security group has been authorized in another security group: "+other.ID+".")
			}
		}
	}
	delete(st.securityGroups, sg.ID)
	return map[string]any{}, nil
}

// membership checks a Join/LeaveSecurityGroup call and returns the group
// and the instance (an ENI is not emulated: NetworkInterfaceId is
// InvalidEniId.NotFound).
func membership(r *request) (*securityGroup, *instance, error) {
	st := r.server.store
	if r.has("NetworkInterfaceId") {
		return nil, nil, ruleErr(404, "InvalidEniId.NotFound", "The specified network interface does not exist.")
	}
	id, err := r.required("SecurityGroupId")
	if err != nil {
		return nil, nil, err
	}
	in, err := st.requireInstance(r)
	if err != nil {
		return nil, nil, err
	}
	sg := st.securityGroups[id]
	if sg == nil || sg.RegionID != in.RegionID {
		return nil, nil, ruleErr(404, "InvalidSecurityGroupId.NotFound", "The specified SecurityGroupId does not exist.")
	}
	if in.securityLocked() {
		return nil, nil, errLockedForSecurity()
	}
	if in.Status != "Running" && in.Status != "Stopped" {
		return nil, nil, errIncorrectInstanceStatus()
	}
	return sg, in, nil
}

// joinSecurityGroup: JoinSecurityGroup.
func joinSecurityGroup(r *request) (any, error) {
	sg, in, err := membership(r)
	if err != nil {
		return nil, err
	}
	if slices.Contains(in.SecurityGroupIDs, sg.ID) {
		return nil, ruleErr(403, "InvalidInstanceId.AlreadyExists", "The specified instance is already in the security group.")
	}
	if err := r.server.store.checkInstanceGroups(in, append(slices.Clone(in.SecurityGroupIDs), sg.ID)); err != nil {
		return nil, err
	}
	in.SecurityGroupIDs = append(in.SecurityGroupIDs, sg.ID)
	return map[string]any{}, nil
}

// leaveSecurityGroup: LeaveSecurityGroup.
func leaveSecurityGroup(r *request) (any, error) {
	sg, in, err := membership(r)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(in.SecurityGroupIDs, sg.ID) {
		return nil, ruleErr(403, "InstanceNotInSecurityGroup", "The instance not in the group.")
	}
	if len(in.SecurityGroupIDs) == 1 {
		return nil, ruleErr(403, "InstanceLastSecurityGroup", "The security group is the last one of the instance: an instance must be in at least one security group.")
	}
	in.SecurityGroupIDs = slices.DeleteFunc(slices.Clone(in.SecurityGroupIDs), func(id string) bool { return id == sg.ID })
	return map[string]any{}, nil
}
