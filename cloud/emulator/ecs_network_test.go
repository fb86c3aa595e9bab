package emulator

import (
	"regexp"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func TestECSDescribeSecurityGroups(t *testing.T) {
	c, _ := newECSTestClient(t, Options{Seed: 1})
	req := ecs.CreateDescribeSecurityGroupsRequest()
	req.PageSize = requests.NewInteger(50)
	resp, err := c.DescribeSecurityGroups(req)
	if err != nil {
		t.Fatal(err)
	}
	groups := resp.SecurityGroups.SecurityGroup
	if resp.TotalCount != len(groups) || len(groups) < 3 || resp.RegionId != "cn-hangzhou" {
		t.Fatalf("total %d, %d groups", resp.TotalCount, len(groups))
	}
	members := 0
	for i, g := range groups {
		if !strings.HasPrefix(g.SecurityGroupId, "sg-bp1") || !strings.HasPrefix(g.VpcId, "vpc-bp1") || g.SecurityGroupType != "normal" || g.RuleCount == 0 {
			t.Errorf("group %+v", g)
		}
		if i > 0 && groups[i-1].SecurityGroupId < g.SecurityGroupId {
			t.Errorf("not sorted by id descending")
		}
		if g.AvailableInstanceAmount+g.EcsCount != 2000 {
			t.Errorf("%s: EcsCount %d Available %d", g.SecurityGroupId, g.EcsCount, g.AvailableInstanceAmount)
		}
		members += g.EcsCount
	}
	if members == 0 {
		t.Error("no instance in any group")
	}

	// Filters and paging.
	req = ecs.CreateDescribeSecurityGroupsRequest()
	req.VpcId = groups[0].VpcId
	if r, err := c.DescribeSecurityGroups(req); err != nil || r.TotalCount == 0 || r.TotalCount >= len(groups) && len(groups) > 3 {
		t.Errorf("VpcId: %v %d", err, r.TotalCount)
	}
	req = ecs.CreateDescribeSecurityGroupsRequest()
	req.SecurityGroupIds = `["` + groups[1].SecurityGroupId + `"]`
	if r, err := c.DescribeSecurityGroups(req); err != nil || r.TotalCount != 1 || r.SecurityGroups.SecurityGroup[0].SecurityGroupId != groups[1].SecurityGroupId {
		t.Errorf("SecurityGroupIds: %v %+v", err, r)
	}
	req = ecs.CreateDescribeSecurityGroupsRequest()
	req.SecurityGroupIds = "[]"
	if r, err := c.DescribeSecurityGroups(req); err != nil || r.TotalCount != 0 {
		t.Errorf("[]: %v %d", err, r.TotalCount)
	}
	req = ecs.CreateDescribeSecurityGroupsRequest()
	req.SecurityGroupName = groups[2].SecurityGroupName
	if r, err := c.DescribeSecurityGroups(req); err != nil || r.TotalCount != 1 {
		t.Errorf("SecurityGroupName: %v %d", err, r.TotalCount)
	}
	seen := map[string]bool{}
	token := ""
	for range 20 {
		req = ecs.CreateDescribeSecurityGroupsRequest()
		req.MaxResults = requests.NewInteger(2)
		req.NextToken = token
		r, err := c.DescribeSecurityGroups(req)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range r.SecurityGroups.SecurityGroup {
			seen[g.SecurityGroupId] = true
		}
		if token = r.NextToken; token == "" {
			break
		}
	}
	if len(seen) != len(groups) {
		t.Errorf("NextToken paged %d groups, want %d", len(seen), len(groups))
	}
}

func TestECSDescribeSecurityGroupAttribute(t *testing.T) {
	c, s := newECSTestClient(t, Options{Seed: 1})
	// Find the group with 3389 open to the world, and its region.
	s.store.mu.Lock()
	var rdp *securityGroup
	for _, g := range s.store.securityGroups {
		for _, r := range g.Rules {
			if r.PortRange == "3389/3389" && r.SourceCidrIP == "0.0.0.0/0" {
				rdp = g
			}
		}
	}
	s.store.mu.Unlock()
	if rdp == nil {
		t.Fatal("no RDP group")
	}
	req := ecs.CreateDescribeSecurityGroupAttributeRequest()
	req.RegionId = rdp.RegionID
	req.SecurityGroupId = rdp.ID
	resp, err := c.DescribeSecurityGroupAttribute(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.SecurityGroupId != rdp.ID || resp.VpcId != rdp.VpcID || resp.RegionId != rdp.RegionID || resp.InnerAccessPolicy != "Accept" {
		t.Errorf("envelope %+v", resp)
	}
	ruleRE := regexp.MustCompile(`^sgr-[a-z0-9]{20}$`)
	var ingress, egress int
	for _, p := range resp.Permissions.Permission {
		if !ruleRE.MatchString(p.SecurityGroupRuleId) || p.Priority == "" || p.Policy == "" || p.CreateTime == "" || p.NicType != "intranet" {
			t.Errorf("permission %+v", p)
		}
		switch p.Direction {
		case "ingress":
			ingress++
			if p.PortRange != "3389/3389" || p.SourceCidrIp != "0.0.0.0/0" || p.IpProtocol != "TCP" {
				t.Errorf("ingress %+v", p)
			}
		case "egress":
			egress++
			if p.DestCidrIp != "0.0.0.0/0" || p.PortRange != "-1/-1" || p.IpProtocol != "ALL" {
				t.Errorf("egress %+v", p)
			}
		}
	}
	if ingress != 1 || egress != 1 {
		t.Errorf("ingress %d egress %d", ingress, egress)
	}
	req.Direction = "egress"
	if resp, err = c.DescribeSecurityGroupAttribute(req); err != nil || len(resp.Permissions.Permission) != 1 || resp.Permissions.Permission[0].Direction != "egress" {
		t.Errorf("Direction egress: %v %+v", err, resp)
	}

	// An SSH group in cn-hangzhou has 22/22 and a Drop rule.
	sreq := ecs.CreateDescribeSecurityGroupsRequest()
	sreq.SecurityGroupName = "ssh-admin-prod"
	groups, err := c.DescribeSecurityGroups(sreq)
	if err != nil || groups.TotalCount != 1 {
		t.Fatalf("ssh-admin-prod: %v %+v", err, groups)
	}
	areq := ecs.CreateDescribeSecurityGroupAttributeRequest()
	areq.SecurityGroupId = groups.SecurityGroups.SecurityGroup[0].SecurityGroupId
	areq.Direction = "ingress"
	attr, err := c.DescribeSecurityGroupAttribute(areq)
	if err != nil {
		t.Fatal(err)
	}
	var ssh, drop bool
	for _, p := range attr.Permissions.Permission {
		ssh = ssh || p.PortRange == "22/22"
		drop = drop || p.Policy == "Drop"
		if p.Direction != "ingress" {
			t.Errorf("Direction ingress let %+v through", p)
		}
	}
	if !ssh || !drop {
		t.Errorf("ssh %v drop %v", ssh, drop)
	}

	// Unknown, malformed, missing.
	areq = ecs.CreateDescribeSecurityGroupAttributeRequest()
	areq.SecurityGroupId = "sg-bp1doesnotexist00000"
	_, err = c.DescribeSecurityGroupAttribute(areq)
	ecsExpectError(t, err, "InvalidSecurityGroupId.NotFound", 404)
	areq.RegionId = "cn-beijing"
	areq.SecurityGroupId = rdp.ID // exists, but in another region
	_, err = c.DescribeSecurityGroupAttribute(areq)
	ecsExpectError(t, err, "InvalidSecurityGroupId.NotFound", 404)
	areq = ecs.CreateDescribeSecurityGroupAttributeRequest()
	_, err = c.DescribeSecurityGroupAttribute(areq)
	ecsExpectError(t, err, "MissingParameter", 400)
}

func TestECSDescribeKeyPairs(t *testing.T) {
	c, _ := newECSTestClient(t, Options{Seed: 1})
	resp, err := c.DescribeKeyPairs(ecs.CreateDescribeKeyPairsRequest())
	if err != nil {
		t.Fatal(err)
	}
	fpRE := regexp.MustCompile(`^([0-9a-f]{2}:){15}[0-9a-f]{2}$`)
	if resp.TotalCount != len(resp.KeyPairs.KeyPair) || resp.TotalCount < 3 {
		t.Fatalf("total %d, got %d", resp.TotalCount, len(resp.KeyPairs.KeyPair))
	}
	for _, kp := range resp.KeyPairs.KeyPair {
		if !fpRE.MatchString(kp.KeyPairFingerPrint) || kp.KeyPairName == "" || kp.CreationTime == "" {
			t.Errorf("key pair %+v", kp)
		}
		if kp.PublicKey != "" {
			t.Errorf("%s: public key without IncludePublicKey", kp.KeyPairName)
		}
	}
	req := ecs.CreateDescribeKeyPairsRequest()
	req.KeyPairName = "*lap*"
	req.IncludePublicKey = requests.NewBoolean(true)
	if resp, err = c.DescribeKeyPairs(req); err != nil || resp.TotalCount != 1 || resp.KeyPairs.KeyPair[0].KeyPairName != "alice-laptop" ||
		!strings.HasPrefix(resp.KeyPairs.KeyPair[0].PublicKey, "ssh-rsa AAAA") {
		t.Errorf("wildcard: %v %+v", err, resp)
	}
	fp := resp.KeyPairs.KeyPair[0].KeyPairFingerPrint
	req = ecs.CreateDescribeKeyPairsRequest()
	req.KeyPairFingerPrint = fp
	if resp, err = c.DescribeKeyPairs(req); err != nil || resp.TotalCount != 1 {
		t.Errorf("fingerprint: %v %+v", err, resp)
	}
	req = ecs.CreateDescribeKeyPairsRequest()
	req.PageSize = requests.NewInteger(2)
	req.PageNumber = requests.NewInteger(2)
	if resp, err = c.DescribeKeyPairs(req); err != nil || len(resp.KeyPairs.KeyPair) != 2 || resp.PageNumber != 2 {
		t.Errorf("paging: %v %+v", err, resp)
	}
	req = ecs.CreateDescribeKeyPairsRequest()
	req.RegionId = "cn-nowhere"
	_, err = c.DescribeKeyPairs(req)
	ecsExpectError(t, err, "InvalidRegionId.NotFound", 404)
}
