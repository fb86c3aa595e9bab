package cloud

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// Security group operations (API notes §3.6; addendum §3.6). Rules are
// added with Permissions.1.* (the legacy top-level fields are
// deprecated), revoked and edited by SecurityGroupRuleId.

// MaxInstanceGroups is how many security groups an instance can be in by
// default (the quota can be raised to 16).
const MaxInstanceGroups = 5

// maxRuleIDsPerCall bounds SecurityGroupRuleId.N of one revoke.
const maxRuleIDsPerCall = 100

// Security group types.
const (
	GroupNormal     = "normal"
	GroupEnterprise = "enterprise"
)

// PlanCreateSecurityGroup plans CreateSecurityGroup in a VPC: name and
// description optional (checked first), groupType GroupNormal ("" too) or
// GroupEnterprise. ClientToken: a retry creates the group once.
// Result.IDs holds the new group's id.
func (c *Client) PlanCreateSecurityGroup(regionID, vpcID, name, description, groupType string) (*Plan, error) {
	region, err := c.oneRegion("CreateSecurityGroup", regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("VPC", vpcID); err != nil {
		return nil, err
	}
	if err := ValidateSecurityGroupName(name); err != nil {
		return nil, err
	}
	if err := ValidateDescription(description); err != nil {
		return nil, err
	}
	groupType = cmp.Or(groupType, GroupNormal)
	if groupType != GroupNormal && groupType != GroupEnterprise {
		return nil, invalid("group type", "%q, must be normal or enterprise", groupType)
	}
	params := map[string]string{"RegionId": region, "VpcId": vpcID, "SecurityGroupType": groupType}
	if name != "" {
		params["SecurityGroupName"] = name
	}
	if description != "" {
		params["Description"] = description
	}
	op := Operation{Product: "ecs", Action: "CreateSecurityGroup", Region: region, Resources: []string{vpcID}, Params: params, Create: true}
	return newPlan(op, func(api *sdkClients, _ bool, token string) (Result, error) {
		req := ecs.CreateCreateSecurityGroupRequest()
		req.RegionId, req.VpcId, req.SecurityGroupType = region, vpcID, groupType
		req.SecurityGroupName, req.Description, req.ClientToken = name, description, token
		r, err := api.ecs.CreateSecurityGroup(req)
		res := Result{RequestID: r.RequestId}
		if err == nil {
			res.IDs = []string{r.SecurityGroupId}
		}
		return res, err
	}), nil
}

// PlanDeleteSecurityGroup plans DeleteSecurityGroup. Destructive; the API
// refuses (DependencyViolation) while instances are in the group or
// another group's rules name it.
func (c *Client) PlanDeleteSecurityGroup(regionID, groupID string) (*Plan, error) {
	region, err := c.oneRegion("DeleteSecurityGroup", regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("security group", groupID); err != nil {
		return nil, err
	}
	op := Operation{
		Product: "ecs", Action: "DeleteSecurityGroup", Region: region, Resources: []string{groupID},
		Params: map[string]string{"RegionId": region, "SecurityGroupId": groupID}, Destructive: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		req := ecs.CreateDeleteSecurityGroupRequest()
		req.RegionId, req.SecurityGroupId = region, groupID
		r, err := api.ecs.DeleteSecurityGroup(req)
		return Result{RequestID: r.RequestId}, err
	}), nil
}

// ruleParams are a rule's Permissions.1.* parameters (CLI and audit).
func ruleParams(region, groupID string, s RuleSpec) map[string]string {
	p := map[string]string{
		"RegionId": region, "SecurityGroupId": groupID,
		"Permissions.1.IpProtocol": s.Protocol, "Permissions.1.PortRange": s.PortRange,
		"Permissions.1.Policy": s.Policy, "Permissions.1.Priority": strconv.Itoa(s.Priority),
	}
	if s.Description != "" {
		p["Permissions.1.Description"] = s.Description
	}
	if field := peerField(s); field != "" {
		v := s.CIDR
		if s.GroupID != "" {
			v = s.GroupID
		}
		p["Permissions.1."+field] = v
	}
	return p
}

// peerField is the parameter that carries the rule's peer.
func peerField(s RuleSpec) string {
	v6 := false
	if s.CIDR != "" {
		if p, err := parseCIDR(s.CIDR); err == nil {
			v6 = p.Addr().Is6()
		}
	}
	switch {
	case s.Direction == Ingress && s.GroupID != "":
		return "SourceGroupId"
	case s.Direction == Ingress && v6:
		return "Ipv6SourceCidrIp"
	case s.Direction == Ingress:
		return "SourceCidrIp"
	case s.GroupID != "":
		return "DestGroupId"
	case v6:
		return "Ipv6DestCidrIp"
	}
	return "DestCidrIp"
}

// PlanAddRule plans a new rule in a group: AuthorizeSecurityGroup for
// ingress, AuthorizeSecurityGroupEgress for egress, checked first by
// ValidateRule. Adding a rule that already exists succeeds and changes
// nothing (ingress; the API's word); a ClientToken makes a retry safe.
func (c *Client) PlanAddRule(regionID, groupID string, spec RuleSpec) (*Plan, error) {
	action := "AuthorizeSecurityGroup"
	if spec.Direction == Egress {
		action = "AuthorizeSecurityGroupEgress"
	}
	region, err := c.oneRegion(action, regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("security group", groupID); err != nil {
		return nil, err
	}
	if err := ValidateRule(spec); err != nil {
		return nil, err
	}
	s := spec.normal()
	params := ruleParams(region, groupID, s)
	op := Operation{Product: "ecs", Action: action, Region: region, Resources: []string{groupID}, Params: params, Create: true}
	return newPlan(op, func(api *sdkClients, _ bool, token string) (Result, error) {
		return addRule(api, region, groupID, s, token)
	}), nil
}

// addRule sends one Authorize call for s.
func addRule(api *sdkClients, region, groupID string, s RuleSpec, token string) (Result, error) {
	field, prio := peerField(s), strconv.Itoa(s.Priority)
	if s.Direction == Egress {
		p := ecs.AuthorizeSecurityGroupEgressPermissions{IpProtocol: s.Protocol, PortRange: s.PortRange, Policy: s.Policy, Priority: prio, Description: s.Description}
		switch field {
		case "DestGroupId":
			p.DestGroupId = s.GroupID
		case "Ipv6DestCidrIp":
			p.Ipv6DestCidrIp = s.CIDR
		default:
			p.DestCidrIp = s.CIDR
		}
		req := ecs.CreateAuthorizeSecurityGroupEgressRequest()
		req.RegionId, req.SecurityGroupId, req.ClientToken = region, groupID, token
		req.Permissions = &[]ecs.AuthorizeSecurityGroupEgressPermissions{p}
		r, err := api.ecs.AuthorizeSecurityGroupEgress(req)
		return Result{RequestID: r.RequestId}, err
	}
	p := ecs.AuthorizeSecurityGroupPermissions{IpProtocol: s.Protocol, PortRange: s.PortRange, Policy: s.Policy, Priority: prio, Description: s.Description}
	switch field {
	case "SourceGroupId":
		p.SourceGroupId = s.GroupID
	case "Ipv6SourceCidrIp":
		p.Ipv6SourceCidrIp = s.CIDR
	default:
		p.SourceCidrIp = s.CIDR
	}
	req := ecs.CreateAuthorizeSecurityGroupRequest()
	req.RegionId, req.SecurityGroupId, req.ClientToken = region, groupID, token
	req.Permissions = &[]ecs.AuthorizeSecurityGroupPermissions{p}
	r, err := api.ecs.AuthorizeSecurityGroup(req)
	return Result{RequestID: r.RequestId}, err
}

// PlanModifyRule plans a change of a rule's description and priority
// (ModifySecurityGroupRule, or ModifySecurityGroupEgressRule for an egress
// rule), by its SecurityGroupRuleId; rule comes from SecurityGroupRules.
// Both values are sent; a repeat changes nothing more: Execute retries it.
func (c *Client) PlanModifyRule(regionID string, rule SecurityGroupRule, description string, priority int) (*Plan, error) {
	action := "ModifySecurityGroupRule"
	if rule.Direction == Egress {
		action = "ModifySecurityGroupEgressRule"
	}
	region, err := c.oneRegion(action, regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("security group", rule.GroupID); err != nil {
		return nil, err
	}
	if err := requireID("rule", rule.ID); err != nil {
		return nil, err
	}
	if priority < 1 || priority > 100 {
		return nil, invalid("priority", "%d, must be 1 (highest) to 100", priority)
	}
	if err := validateRuleDescription(description); err != nil {
		return nil, err
	}
	group, id, prio := rule.GroupID, rule.ID, strconv.Itoa(priority)
	params := map[string]string{"RegionId": region, "SecurityGroupId": group, "SecurityGroupRuleId": id, "Priority": prio}
	if description != "" {
		params["Description"] = description
	}
	op := Operation{Product: "ecs", Action: action, Region: region, Resources: []string{group, id}, Params: params, Idempotent: true}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		if rule.Direction == Egress {
			req := ecs.CreateModifySecurityGroupEgressRuleRequest()
			req.RegionId, req.SecurityGroupId, req.SecurityGroupRuleId = region, group, id
			req.Priority, req.Description = prio, description
			r, err := api.ecs.ModifySecurityGroupEgressRule(req)
			return Result{RequestID: r.RequestId}, err
		}
		req := ecs.CreateModifySecurityGroupRuleRequest()
		req.RegionId, req.SecurityGroupId, req.SecurityGroupRuleId = region, group, id
		req.Priority, req.Description = prio, description
		r, err := api.ecs.ModifySecurityGroupRule(req)
		return Result{RequestID: r.RequestId}, err
	}), nil
}

// PlanRevokeRules plans the removal of rules (from SecurityGroupRules, so
// each knows its group and direction) by SecurityGroupRuleId.N: one
// RevokeSecurityGroup / RevokeSecurityGroupEgress call per group and
// direction. Destructive. Sent once: a repeat after a lost answer is
// refused (InvalidSecurityGroupRuleId.NotFound) rather than doing harm.
func (c *Client) PlanRevokeRules(regionID string, rules []SecurityGroupRule) (*Plan, error) {
	region, err := c.oneRegion("RevokeSecurityGroup", regionID)
	if err != nil {
		return nil, err
	}
	if len(rules) == 0 {
		return nil, invalid("rules", "none selected: choose at least one")
	}
	type key struct{ group, dir string }
	var order []key
	byKey := map[key][]string{}
	for _, r := range rules {
		if err := requireID("rule", r.ID); err != nil {
			return nil, err
		}
		if err := requireID("security group", r.GroupID); err != nil {
			return nil, err
		}
		if r.Direction != Ingress && r.Direction != Egress {
			return nil, invalid("rule", "%s has direction %q, want ingress or egress", r.ID, r.Direction)
		}
		k := key{r.GroupID, r.Direction}
		if slices.Contains(byKey[k], r.ID) {
			return nil, invalid("rules", "%s is listed twice", r.ID)
		}
		if _, ok := byKey[k]; !ok {
			order = append(order, k)
		}
		byKey[k] = append(byKey[k], r.ID)
	}
	var parts []*Plan
	var all []string
	for _, k := range order {
		action := "RevokeSecurityGroup"
		if k.dir == Egress {
			action = "RevokeSecurityGroupEgress"
		}
		for _, ids := range batches(byKey[k], maxRuleIDsPerCall) {
			group, dir := k.group, k.dir
			all = append(all, ids...)
			params := repeatedParams(region, "SecurityGroupRuleId", ids)
			params["SecurityGroupId"] = group
			op := Operation{Product: "ecs", Action: action, Region: region, Resources: append([]string{group}, ids...), Params: params, Destructive: true}
			parts = append(parts, newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
				return revokeRules(api, region, group, dir, ids)
			}))
		}
	}
	whole := Operation{
		Product: "ecs", Action: "RevokeSecurityGroup", Region: region, Resources: all,
		Params: map[string]string{"RegionId": region}, Destructive: true,
	}
	return newBatchPlan(whole, parts), nil
}

// revokeRules sends one revoke by rule ids.
func revokeRules(api *sdkClients, region, group, dir string, ids []string) (Result, error) {
	ids = slices.Clone(ids)
	if dir == Egress {
		req := ecs.CreateRevokeSecurityGroupEgressRequest()
		req.RegionId, req.SecurityGroupId, req.SecurityGroupRuleId = region, group, &ids
		r, err := api.ecs.RevokeSecurityGroupEgress(req)
		return Result{RequestID: r.RequestId}, err
	}
	req := ecs.CreateRevokeSecurityGroupRequest()
	req.RegionId, req.SecurityGroupId, req.SecurityGroupRuleId = region, group, &ids
	r, err := api.ecs.RevokeSecurityGroup(req)
	return Result{RequestID: r.RequestId}, err
}

// PlanJoinGroup plans JoinSecurityGroup: the instance joins one more
// group (at most MaxInstanceGroups; not one it is already in; Running or
// Stopped), checked first. Sent once.
func (c *Client) PlanJoinGroup(regionID string, in Instance, groupID string) (*Plan, error) {
	if err := requireID("security group", groupID); err != nil {
		return nil, err
	}
	switch {
	case slices.Contains(in.SecurityGroupIDs, groupID):
		return nil, invalid("security group", "%s is already in %s", in.ID, groupID)
	case len(in.SecurityGroupIDs) >= MaxInstanceGroups:
		return nil, invalid("security group", "%s is already in %d groups, the most an instance can be in", in.ID, MaxInstanceGroups)
	}
	return c.planMembership("JoinSecurityGroup", regionID, in, groupID)
}

// PlanLeaveGroup plans LeaveSecurityGroup: an instance keeps at least one
// group, checked first. Sent once.
func (c *Client) PlanLeaveGroup(regionID string, in Instance, groupID string) (*Plan, error) {
	if err := requireID("security group", groupID); err != nil {
		return nil, err
	}
	switch {
	case !slices.Contains(in.SecurityGroupIDs, groupID):
		return nil, invalid("security group", "%s is not in %s", in.ID, groupID)
	case len(in.SecurityGroupIDs) == 1:
		return nil, invalid("security group", "%s is the only group of %s: an instance keeps at least one (join another first)", groupID, in.ID)
	}
	return c.planMembership("LeaveSecurityGroup", regionID, in, groupID)
}

func (c *Client) planMembership(action, regionID string, in Instance, groupID string) (*Plan, error) {
	region, err := c.oneRegion(action, regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("instance", in.ID); err != nil {
		return nil, err
	}
	if in.Status != StateRunning && in.Status != StateStopped {
		return nil, invalid("instance", "%s is %s: its groups can be changed when it is Running or Stopped", in.ID, in.Status)
	}
	id := in.ID
	op := Operation{
		Product: "ecs", Action: action, Region: region, Resources: []string{id, groupID},
		Params: map[string]string{"RegionId": region, "InstanceId": id, "SecurityGroupId": groupID},
	}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		if action == "JoinSecurityGroup" {
			req := ecs.CreateJoinSecurityGroupRequest()
			req.RegionId, req.InstanceId, req.SecurityGroupId = region, id, groupID
			r, err := api.ecs.JoinSecurityGroup(req)
			return Result{RequestID: r.RequestId}, err
		}
		req := ecs.CreateLeaveSecurityGroupRequest()
		req.RegionId, req.InstanceId, req.SecurityGroupId = region, id, groupID
		r, err := api.ecs.LeaveSecurityGroup(req)
		return Result{RequestID: r.RequestId}, err
	}), nil
}

// EffectiveIngress lists the ingress rules that apply to an instance:
// those of every group it is in, highest priority first (1 before 100),
// Drop before Accept at equal priority (the rule that wins), then by group
// and rule id. Each rule's GroupID says where it comes from.
func (c *Client) EffectiveIngress(ctx context.Context, regionID string, in Instance) ([]SecurityGroupRule, error) {
	region, err := c.oneRegion("EffectiveIngress", regionID)
	if err != nil {
		return nil, err
	}
	groups := slices.Clone(in.SecurityGroupIDs)
	if len(groups) == 0 {
		return nil, nil
	}
	rules, err := fanOut(ctx, len(groups), func(ctx context.Context, i int) ([]SecurityGroupRule, error) {
		return c.SecurityGroupRules(ctx, region, groups[i])
	})
	if err != nil {
		return nil, err
	}
	rules = slices.DeleteFunc(rules, func(r SecurityGroupRule) bool { return r.Direction != Ingress })
	slices.SortStableFunc(rules, compareRulePrecedence)
	return rules, nil
}

// compareRulePrecedence orders rules as the service applies them.
func compareRulePrecedence(a, b SecurityGroupRule) int {
	if c := cmp.Compare(max(a.Priority, 1), max(b.Priority, 1)); c != 0 {
		return c
	}
	if a.Policy != b.Policy {
		if a.Policy == Drop {
			return -1
		}
		if b.Policy == Drop {
			return 1
		}
	}
	return cmp.Or(cmp.Compare(a.GroupID, b.GroupID), cmp.Compare(a.ID, b.ID))
}

// InstancesInGroup returns the instances of list that are in the group
// (for a group's detail).
func InstancesInGroup(list []Instance, groupID string) []Instance {
	var out []Instance
	for _, in := range list {
		if slices.Contains(in.SecurityGroupIDs, groupID) {
			out = append(out, in)
		}
	}
	return out
}
