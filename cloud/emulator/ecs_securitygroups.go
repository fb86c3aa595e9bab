package emulator

import (
	"slices"
	"strconv"
	"strings"
)

// Security group capacity (private IPs) by type, for AvailableInstanceAmount.
const (
	normalGroupCapacity     = 2000
	enterpriseGroupCapacity = 65536
)

type securityGroupJSON struct {
	SecurityGroupId         string  `json:"SecurityGroupId"`
	SecurityGroupName       string  `json:"SecurityGroupName"`
	Description             string  `json:"Description"`
	SecurityGroupType       string  `json:"SecurityGroupType"`
	VpcId                   string  `json:"VpcId"`
	CreationTime            string  `json:"CreationTime"`
	EcsCount                int     `json:"EcsCount"`
	AvailableInstanceAmount int     `json:"AvailableInstanceAmount"`
	RuleCount               int     `json:"RuleCount"`
	GroupToGroupRuleCount   int     `json:"GroupToGroupRuleCount"`
	ServiceManaged          bool    `json:"ServiceManaged"`
	ResourceGroupId         string  `json:"ResourceGroupId"`
	Tags                    ecsTags `json:"Tags"`
}

// groupMembers counts the instances in each security group.
func (st *store) groupMembers() map[string]int {
	out := map[string]int{}
	for _, in := range st.instances {
		for _, id := range in.SecurityGroupIDs {
			out[id]++
		}
	}
	return out
}

func securityGroupView(sg *securityGroup, members int) securityGroupJSON {
	typ := sg.Type
	if typ == "" {
		typ = "normal"
	}
	capacity := normalGroupCapacity
	if typ == "enterprise" {
		capacity = enterpriseGroupCapacity
	}
	g2g := 0
	for _, r := range sg.Rules {
		if r.SourceGroupID != "" {
			g2g++
		}
	}
	return securityGroupJSON{
		SecurityGroupId: sg.ID, SecurityGroupName: sg.Name, Description: sg.Description,
		SecurityGroupType: typ, VpcId: sg.VpcID, CreationTime: fmtSecond(sg.CreationTime),
		EcsCount: members, AvailableInstanceAmount: max(0, capacity-members),
		RuleCount: len(sg.Rules), GroupToGroupRuleCount: g2g,
		ResourceGroupId: defaultResourceGroupID, Tags: tagsJSON(nil),
	}
}

// DescribeSecurityGroups: sorted by id descending; both paging styles.
func describeSecurityGroups(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	ids, idsSent, err := r.jsonList("SecurityGroupIds", 100)
	if err != nil {
		return nil, err
	}
	idFilter := idSet(ids, idsSent)
	typ, err := r.enumParam("SecurityGroupType", []string{"normal", "enterprise"}, "", 0)
	if err != nil {
		return nil, err
	}
	netType, err := r.enumParam("NetworkType", []string{"vpc", "classic"}, "", 0)
	if err != nil {
		return nil, err
	}
	fuzzy, err := r.boolParam("FuzzyQuery", false)
	if err != nil {
		return nil, err
	}
	tags, err := r.tagFilters()
	if err != nil {
		return nil, err
	}
	p, err := r.pager(pagingSecurityGroups)
	if err != nil {
		return nil, err
	}
	if r.dryRun() {
		return nil, errDryRun()
	}
	name := r.str("SecurityGroupName")
	var list []*securityGroup
	for _, sg := range st.securityGroups {
		sgType := sg.Type
		if sgType == "" {
			sgType = "normal"
		}
		switch {
		case sg.RegionID != rg.ID,
			idFilter != nil && !idFilter[sg.ID],
			r.has("SecurityGroupId") && sg.ID != r.str("SecurityGroupId"),
			r.has("VpcId") && sg.VpcID != r.str("VpcId"),
			typ != "" && sgType != typ,
			netType == "classic",
			name != "" && !fuzzy && sg.Name != name,
			name != "" && fuzzy && !strings.Contains(sg.Name, name),
			!matchTags(nil, tags):
			continue
		}
		list = append(list, sg)
	}
	slices.SortFunc(list, func(a, b *securityGroup) int { return strings.Compare(b.ID, a.ID) })
	members := st.groupMembers()
	page, next := pageOf(list, p)
	out := make([]securityGroupJSON, 0, len(page))
	for _, sg := range page {
		out = append(out, securityGroupView(sg, members[sg.ID]))
	}
	return map[string]any{
		"RegionId": rg.ID, "TotalCount": len(list), "PageNumber": p.PageNumber, "PageSize": p.PageSize, "NextToken": next,
		"SecurityGroups": map[string]any{"SecurityGroup": out},
	}, nil
}

// permissionJSON is one rule in DescribeSecurityGroupAttribute's
// Permissions.Permission[]; Priority is a string, as the SDK types it.
type permissionJSON struct {
	SecurityGroupRuleId     string `json:"SecurityGroupRuleId"`
	Direction               string `json:"Direction"`
	IpProtocol              string `json:"IpProtocol"`
	PortRange               string `json:"PortRange"`
	SourcePortRange         string `json:"SourcePortRange"`
	SourceCidrIp            string `json:"SourceCidrIp"`
	DestCidrIp              string `json:"DestCidrIp"`
	Ipv6SourceCidrIp        string `json:"Ipv6SourceCidrIp"`
	Ipv6DestCidrIp          string `json:"Ipv6DestCidrIp"`
	SourceGroupId           string `json:"SourceGroupId"`
	SourceGroupName         string `json:"SourceGroupName"`
	SourceGroupOwnerAccount string `json:"SourceGroupOwnerAccount"`
	DestGroupId             string `json:"DestGroupId"`
	DestGroupName           string `json:"DestGroupName"`
	DestGroupOwnerAccount   string `json:"DestGroupOwnerAccount"`
	SourcePrefixListId      string `json:"SourcePrefixListId"`
	DestPrefixListId        string `json:"DestPrefixListId"`
	Policy                  string `json:"Policy"`
	Priority                string `json:"Priority"`
	NicType                 string `json:"NicType"`
	Description             string `json:"Description"`
	CreateTime              string `json:"CreateTime"`
}

func permissionView(st *store, rule *securityGroupRule) permissionJSON {
	v := permissionJSON{
		SecurityGroupRuleId: rule.ID, Direction: rule.Direction, IpProtocol: strings.ToUpper(rule.IPProtocol),
		PortRange: rule.PortRange, SourceCidrIp: rule.SourceCidrIP, DestCidrIp: rule.DestCidrIP,
		Ipv6SourceCidrIp: rule.Ipv6SourceCidrIP, Ipv6DestCidrIp: rule.Ipv6DestCidrIP, DestGroupId: rule.DestGroupID,
		SourceGroupId: rule.SourceGroupID, Policy: rule.Policy, Priority: strconv.Itoa(max(1, rule.Priority)),
		NicType: rule.NicType, Description: rule.Description, CreateTime: fmtSecond(rule.CreateTime),
	}
	if v.Policy == "" {
		v.Policy = "Accept"
	}
	if v.NicType == "" {
		v.NicType = "intranet"
	}
	if g := st.securityGroups[rule.SourceGroupID]; g != nil {
		v.SourceGroupName = g.Name
	}
	if g := st.securityGroups[rule.DestGroupID]; g != nil {
		v.DestGroupName = g.Name
	}
	return v
}

// DescribeSecurityGroupAttribute: one group's rules; unknown group is 404.
func describeSecurityGroupAttribute(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	id, err := r.required("SecurityGroupId")
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(id, "sg-") {
		return nil, &APIError{Status: 400, Code: "InvalidSecurityGroupId.Malformed", Message: "The specified parameter SecurityGroupId is not valid."}
	}
	sg := st.securityGroups[id]
	if sg == nil || sg.RegionID != rg.ID {
		return nil, errNotFound("InvalidSecurityGroupId.NotFound", "SecurityGroupId")
	}
	dir, err := r.enumParam("Direction", []string{"all", "ingress", "egress"}, "", 0)
	if err != nil {
		return nil, err
	}
	nic, err := r.enumParam("NicType", []string{"internet", "intranet"}, "InvalidNicType.ValueNotSupported", 400)
	if err != nil {
		return nil, err
	}
	p, err := r.pager(pagingSGRules)
	if err != nil {
		return nil, err
	}
	var rules []*securityGroupRule
	for _, rule := range sg.Rules {
		ruleNic := rule.NicType
		if ruleNic == "" {
			ruleNic = "intranet"
		}
		if (dir == "" || dir == "all" || rule.Direction == dir) && (nic == "" || ruleNic == nic) {
			rules = append(rules, rule)
		}
	}
	page, next := pageOf(rules, p)
	out := make([]permissionJSON, 0, len(page))
	for _, rule := range page {
		out = append(out, permissionView(st, rule))
	}
	return map[string]any{
		"SecurityGroupId": sg.ID, "SecurityGroupName": sg.Name, "Description": sg.Description,
		"VpcId": sg.VpcID, "RegionId": sg.RegionID, "InnerAccessPolicy": "Accept", "NextToken": next,
		"Permissions": map[string]any{"Permission": out},
	}, nil
}
