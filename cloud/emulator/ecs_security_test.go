package emulator

import (
	"crypto/x509"
	"encoding/pem"
	"slices"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// groupOf returns the id of a cn-hangzhou group whose name starts with
// prefix, and its VPC.
func groupOf(t *testing.T, s *Server, prefix string) (id, vpc string) {
	t.Helper()
	withStore(s, func(st *store) {
		var ids []string
		for _, sg := range st.securityGroups {
			if sg.RegionID == "cn-hangzhou" && strings.HasPrefix(sg.Name, prefix) {
				ids = append(ids, sg.ID)
			}
		}
		slices.Sort(ids)
		if len(ids) > 0 {
			id, vpc = ids[0], st.securityGroups[ids[0]].VpcID
		}
	})
	if id == "" {
		t.Fatalf("no group %s* in cn-hangzhou", prefix)
	}
	return id, vpc
}

func groupRules(t *testing.T, c *ecs.Client, id string) []ecs.Permission {
	t.Helper()
	req := ecs.CreateDescribeSecurityGroupAttributeRequest()
	req.SecurityGroupId = id
	req.Direction = "all"
	resp, err := c.DescribeSecurityGroupAttribute(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp.Permissions.Permission
}

func findRule(rules []ecs.Permission, keep func(p ecs.Permission) bool) *ecs.Permission {
	for i := range rules {
		if keep(rules[i]) {
			return &rules[i]
		}
	}
	return nil
}

// modifyAttr sends ModifyInstanceAttribute with a fresh request (the SDK
// keeps the query of a reused one).
func modifyAttr(c *ecs.Client, region, id string, edit func(r *ecs.ModifyInstanceAttributeRequest)) error {
	req := ecs.CreateModifyInstanceAttributeRequest()
	req.RegionId, req.InstanceId = region, id
	edit(req)
	_, err := c.ModifyInstanceAttribute(req)
	return err
}

func password(pw string) func(r *ecs.ModifyInstanceAttributeRequest) {
	return func(r *ecs.ModifyInstanceAttributeRequest) { r.Password = pw }
}

func TestECSModifyInstancePassword(t *testing.T) {
	c, s := newOpsClient(t)
	id := pickInstances(t, s, 1, runningPostPaidLinux)[0]
	var win, winRegion string
	withStore(s, func(st *store) {
		for _, in := range st.instances {
			if in.OSType == "windows" && in.Status == "Running" && (win == "" || in.ID < win) {
				win, winRegion = in.ID, in.RegionID
			}
		}
	})
	if win == "" {
		t.Fatal("no running Windows instance in the fleet")
	}
	for _, bad := range []string{"short1A", "alllowercase1", "NoDigitsNoSpecials", "Has space 1a", "Ünïcode-Pass1", strings.Repeat("Ab1!", 8)} {
		ecsExpectError(t, modifyAttr(c, "cn-hangzhou", id, password(bad)), "InvalidPassword.Malformed", 400)
	}
	ecsExpectError(t, modifyAttr(c, winRegion, win, password("/Windows-Pass1")), "InvalidPassword.Malformed", 400)
	if err := modifyAttr(c, winRegion, win, password("Windows-Pass1/")); err != nil {
		t.Fatalf("a Windows password with / not first: %v", err)
	}
	if err := modifyAttr(c, "cn-hangzhou", id, password("/Linux-Pass1")); err != nil {
		t.Fatalf("a Linux password may begin with /: %v", err)
	}
	withStore(s, func(st *store) {
		in := st.instances[id]
		if in.PendingPassword != "/Linux-Pass1" || in.LoginPassword != "" {
			t.Errorf("before the reboot: pending %q, applied %q", in.PendingPassword, in.LoginPassword)
		}
	})

	// Reboot: Stopping, Starting (a password change is refused), Running
	// with the new password.
	reboot := ecs.CreateRebootInstanceRequest()
	reboot.InstanceId = id
	if _, err := c.RebootInstance(reboot); err != nil {
		t.Fatal(err)
	}
	opsStep(t, s)
	wantStatus(t, c, id, "Starting")
	ecsExpectError(t, modifyAttr(c, "cn-hangzhou", id, password("Other-Pass2")), "IncorrectInstanceStatus", 403)
	opsStep(t, s)
	wantStatus(t, c, id, "Running")
	withStore(s, func(st *store) {
		in := st.instances[id]
		if in.PendingPassword != "" || in.LoginPassword != "/Linux-Pass1" {
			t.Errorf("after the reboot: pending %q, applied %q", in.PendingPassword, in.LoginPassword)
		}
	})

	// A stopped instance takes it on its next start.
	stopped := pickInstances(t, s, 1, func(in *instance) bool { return in.Status == "Stopped" && in.OSType == "linux" })[0]
	if err := modifyAttr(c, "cn-hangzhou", stopped, password("Stopped-Pass3")); err != nil {
		t.Fatal(err)
	}
	start := ecs.CreateStartInstanceRequest()
	start.InstanceId = stopped
	if _, err := c.StartInstance(start); err != nil {
		t.Fatal(err)
	}
	opsStep(t, s)
	withStore(s, func(st *store) {
		if in := st.instances[stopped]; in.LoginPassword != "Stopped-Pass3" {
			t.Errorf("after the start: applied %q", in.LoginPassword)
		}
	})

	ecsExpectError(t, modifyAttr(c, "cn-hangzhou", "i-missing", password("Good-Pass1")), "InvalidInstanceId.NotFound", 404)
	name := func(n string) func(r *ecs.ModifyInstanceAttributeRequest) {
		return func(r *ecs.ModifyInstanceAttributeRequest) { r.InstanceName = n }
	}
	ecsExpectError(t, modifyAttr(c, "cn-hangzhou", id, name("9starts-with-digit")), "InvalidInstanceName.Malformed", 400)
	if err := modifyAttr(c, "cn-hangzhou", id, name("renamed-web")); err != nil {
		t.Fatal(err)
	}
	if in := describeInstance(t, c, id); in.InstanceName != "renamed-web" {
		t.Errorf("name %q", in.InstanceName)
	}
}

func TestECSModifyInstanceGroups(t *testing.T) {
	c, s := newOpsClient(t)
	id := pickInstances(t, s, 1, runningPostPaidLinux)[0]
	var vpc string
	var same, other []string
	withStore(s, func(st *store) {
		vpc = st.instances[id].VpcID
		for _, sg := range st.securityGroups {
			switch {
			case sg.RegionID != "cn-hangzhou":
			case sg.VpcID == vpc:
				same = append(same, sg.ID)
			default:
				other = append(other, sg.ID)
			}
		}
	})
	slices.Sort(same)
	if len(same) < 3 || len(other) == 0 {
		t.Fatalf("groups: %d in the VPC, %d elsewhere", len(same), len(other))
	}
	set := func(ids ...string) error {
		// A fresh request each time: the SDK keeps the query of a reused one.
		req := ecs.CreateModifyInstanceAttributeRequest()
		req.InstanceId = id
		req.SecurityGroupIds = &ids
		_, err := c.ModifyInstanceAttribute(req)
		return err
	}
	ecsExpectError(t, set(same[0], other[0]), "InvalidInstanceId.Mismatch", 400)
	ecsExpectError(t, set(same[0], "sg-bp1nothere"), "InvalidSecurityGroupId.NotFound", 404)
	ecsExpectError(t, set(same[0], same[0]), "InvalidParameter", 400)
	ecsExpectError(t, set("sg-1", "sg-2", "sg-3", "sg-4", "sg-5", "sg-6"), "InstanceSecurityGroupLimitExceeded", 403)
	if err := set(same[1], same[2]); err != nil {
		t.Fatal(err)
	}
	if got := describeInstance(t, c, id).SecurityGroupIds.SecurityGroupId; !slices.Equal(got, []string{same[1], same[2]}) {
		t.Errorf("groups %v", got)
	}

	// Join and Leave.
	join := ecs.CreateJoinSecurityGroupRequest()
	join.InstanceId, join.SecurityGroupId = id, same[1]
	_, err := c.JoinSecurityGroup(join)
	ecsExpectError(t, err, "InvalidInstanceId.AlreadyExists", 403)
	join.SecurityGroupId = other[0]
	_, err = c.JoinSecurityGroup(join)
	ecsExpectError(t, err, "InvalidInstanceId.Mismatch", 400)
	join.SecurityGroupId = same[0]
	if _, err := c.JoinSecurityGroup(join); err != nil {
		t.Fatal(err)
	}
	leave := ecs.CreateLeaveSecurityGroupRequest()
	leave.InstanceId = id
	for _, g := range same[:2] {
		leave.SecurityGroupId = g
		if _, err := c.LeaveSecurityGroup(leave); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.LeaveSecurityGroup(leave)
	ecsExpectError(t, err, "InstanceNotInSecurityGroup", 403)
	leave.SecurityGroupId = same[2]
	_, err = c.LeaveSecurityGroup(leave)
	ecsExpectError(t, err, "InstanceLastSecurityGroup", 403)
	if got := describeInstance(t, c, id).SecurityGroupIds.SecurityGroupId; !slices.Equal(got, []string{same[2]}) {
		t.Errorf("groups %v", got)
	}
}

func TestECSAuthorizeRevoke(t *testing.T) {
	c, s := newOpsClient(t)
	sg, _ := groupOf(t, s, "db-internal")
	before := len(groupRules(t, c, sg))

	// Legacy flat parameters.
	add := ecs.CreateAuthorizeSecurityGroupRequest()
	add.SecurityGroupId, add.IpProtocol, add.PortRange, add.SourceCidrIp = sg, "tcp", "5432/5432", "10.1.0.0/16"
	add.Priority, add.Description = "5", "Postgres"
	if _, err := c.AuthorizeSecurityGroup(add); err != nil {
		t.Fatal(err)
	}
	// The same rule again (another priority and description): success, nothing new.
	add.Priority, add.Description = "7", "again"
	if _, err := c.AuthorizeSecurityGroup(add); err != nil {
		t.Fatal(err)
	}
	rules := groupRules(t, c, sg)
	pg := findRule(rules, func(p ecs.Permission) bool { return p.PortRange == "5432/5432" })
	if len(rules) != before+1 || pg == nil || pg.IpProtocol != "TCP" || pg.Priority != "5" || pg.Policy != "Accept" || !strings.HasPrefix(pg.SecurityGroupRuleId, "sgr-") || pg.NicType != "intranet" || pg.Direction != "ingress" {
		t.Fatalf("after two identical adds: %d rules (had %d), %+v", len(rules), before, pg)
	}

	// Permissions.N: two rules, IPv6 and an ICMP.
	perms := []ecs.AuthorizeSecurityGroupPermissions{
		{IpProtocol: "TCP", PortRange: "6379/6379", Ipv6SourceCidrIp: "::/0", Policy: "drop", Priority: "1", Description: "no redis over v6"},
		{IpProtocol: "ICMP", PortRange: "-1/-1", SourceCidrIp: "192.0.2.7", Priority: "100"},
	}
	add = ecs.CreateAuthorizeSecurityGroupRequest()
	add.SecurityGroupId, add.Permissions = sg, &perms
	if _, err := c.AuthorizeSecurityGroup(add); err != nil {
		t.Fatal(err)
	}
	rules = groupRules(t, c, sg)
	v6 := findRule(rules, func(p ecs.Permission) bool { return p.Ipv6SourceCidrIp == "::/0" })
	if len(rules) != before+3 || v6 == nil || v6.Policy != "Drop" {
		t.Fatalf("after Permissions.N: %d rules, %+v", len(rules), v6)
	}

	// Refusals, each with its code.
	for _, tc := range []struct {
		p    ecs.AuthorizeSecurityGroupPermissions
		code string
	}{
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "SCTP", PortRange: "1/2", SourceCidrIp: "10.0.0.0/8"}, "InvalidIpProtocol.ValueNotSupported"},
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "TCP", PortRange: "0/22", SourceCidrIp: "10.0.0.0/8"}, "InvalidIpPortRange.Malformed"},
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "TCP", PortRange: "22/21", SourceCidrIp: "10.0.0.0/8"}, "InvalidIpPortRange.Malformed"},
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "TCP", PortRange: "-1/-1", SourceCidrIp: "10.0.0.0/8"}, "InvalidIpPortRange.Malformed"},
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "ICMP", PortRange: "8/8", SourceCidrIp: "10.0.0.0/8"}, "InvalidIpPortRange.Malformed"},
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "TCP", SourceCidrIp: "10.0.0.0/8"}, "InvalidPortRange.Malformed"},
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "TCP", PortRange: "22/22", SourceCidrIp: "10.0.0.0/33"}, "InvalidSourceCidrIp.Malformed"},
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "TCP", PortRange: "22/22", SourceCidrIp: "::/0"}, "InvalidSourceCidrIp.Malformed"},
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "TCP", PortRange: "22/22", Ipv6SourceCidrIp: "10.0.0.0/8"}, "InvalidParam.Ipv6SourceCidrIp"},
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "TCP", PortRange: "22/22", SourceCidrIp: "10.0.0.0/8", Ipv6SourceCidrIp: "::/0"}, "InvalidParam.SourceIp"},
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "TCP", PortRange: "22/22"}, "MissingParameter.Source"},
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "TCP", PortRange: "22/22", SourceCidrIp: "10.0.0.0/8", Policy: "reject"}, "InvalidPolicy.Malformed"},
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "TCP", PortRange: "22/22", SourceCidrIp: "10.0.0.0/8", Priority: "101"}, "InvalidPriority.ValueNotSupported"},
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "TCP", PortRange: "22/22", SourceCidrIp: "10.0.0.0/8", Priority: "high"}, "InvalidPriority.Malformed"},
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "TCP", PortRange: "22/22", SourceGroupId: "sg-bp1nothere"}, "InvalidSourceGroupId.NotFound"},
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "TCP", PortRange: "22/22", SourceGroupId: sg}, "InvalidParamter.Conflict"},
		{ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "TCP", PortRange: "22/22", SourceCidrIp: "10.0.0.0/8", Description: "https://x"}, "InvalidSecurityGroupDiscription.Malformed"},
	} {
		ps := []ecs.AuthorizeSecurityGroupPermissions{tc.p}
		req := ecs.CreateAuthorizeSecurityGroupRequest()
		req.SecurityGroupId, req.Permissions = sg, &ps
		_, err := c.AuthorizeSecurityGroup(req)
		status := 400
		if strings.HasSuffix(tc.code, "NotFound") {
			status = 404
		}
		ecsExpectError(t, err, tc.code, status)
	}
	both := ecs.CreateAuthorizeSecurityGroupRequest()
	both.SecurityGroupId, both.Permissions, both.IpProtocol = sg, &perms, "TCP"
	_, err := c.AuthorizeSecurityGroup(both)
	ecsExpectError(t, err, "InvalidParam.Permissions", 400)
	dup := []ecs.AuthorizeSecurityGroupPermissions{perms[1], perms[1]}
	both = ecs.CreateAuthorizeSecurityGroupRequest()
	both.SecurityGroupId, both.Permissions = sg, &dup
	_, err = c.AuthorizeSecurityGroup(both)
	ecsExpectError(t, err, "InvalidParam.DuplicatePermissions", 400)
	missing := ecs.CreateAuthorizeSecurityGroupRequest()
	missing.SecurityGroupId, missing.IpProtocol, missing.PortRange, missing.SourceCidrIp = "sg-bp1nothere", "TCP", "22/22", "10.0.0.0/8"
	_, err = c.AuthorizeSecurityGroup(missing)
	ecsExpectError(t, err, "InvalidSecurityGroupId.NotFound", 404)
	if n := len(groupRules(t, c, sg)); n != before+3 {
		t.Errorf("refusals changed the rules: %d, want %d", n, before+3)
	}

	// Modify: description and priority by rule id.
	mod := ecs.CreateModifySecurityGroupRuleRequest()
	mod.SecurityGroupId, mod.SecurityGroupRuleId, mod.Description, mod.Priority = sg, pg.SecurityGroupRuleId, "Postgres from app VPC", "3"
	if _, err := c.ModifySecurityGroupRule(mod); err != nil {
		t.Fatal(err)
	}
	mod.Priority = "0"
	_, err = c.ModifySecurityGroupRule(mod)
	ecsExpectError(t, err, "InvalidPriority.ValueNotSupported", 400)
	mod = ecs.CreateModifySecurityGroupRuleRequest()
	mod.SecurityGroupId, mod.SecurityGroupRuleId, mod.Description = sg, "sgr-nothere", "x1"
	_, err = c.ModifySecurityGroupRule(mod)
	ecsExpectError(t, err, "SecurityGroupRule.NotFound", 404)
	got := findRule(groupRules(t, c, sg), func(p ecs.Permission) bool { return p.SecurityGroupRuleId == pg.SecurityGroupRuleId })
	if got == nil || got.Description != "Postgres from app VPC" || got.Priority != "3" || got.PortRange != "5432/5432" {
		t.Fatalf("modified rule %+v", got)
	}

	// Revoke by fields (a rule that does not exist: success, nothing
	// deleted), then by fields that match, then by id.
	rv := ecs.CreateRevokeSecurityGroupRequest()
	rv.SecurityGroupId, rv.IpProtocol, rv.PortRange, rv.SourceCidrIp = sg, "TCP", "5432/5432", "10.9.0.0/16"
	if _, err := c.RevokeSecurityGroup(rv); err != nil {
		t.Fatal(err)
	}
	if n := len(groupRules(t, c, sg)); n != before+3 {
		t.Fatalf("a non-matching revoke deleted: %d", n)
	}
	rv.SourceCidrIp = "10.1.0.0/16"
	if _, err := c.RevokeSecurityGroup(rv); err != nil {
		t.Fatal(err)
	}
	rv = ecs.CreateRevokeSecurityGroupRequest()
	rv.SecurityGroupId, rv.SecurityGroupRuleId = sg, &[]string{v6.SecurityGroupRuleId}
	if _, err := c.RevokeSecurityGroup(rv); err != nil {
		t.Fatal(err)
	}
	_, err = c.RevokeSecurityGroup(rv)
	ecsExpectError(t, err, "InvalidSecurityGroupRuleId.NotFound", 404)
	if n := len(groupRules(t, c, sg)); n != before+1 {
		t.Errorf("after revoking two: %d rules, want %d", n, before+1)
	}

	// Egress: add, refuse one without a destination, revoke.
	eg := ecs.CreateAuthorizeSecurityGroupEgressRequest()
	eg.SecurityGroupId, eg.IpProtocol, eg.PortRange, eg.DestCidrIp = sg, "UDP", "53/53", "100.100.2.136/32"
	if _, err := c.AuthorizeSecurityGroupEgress(eg); err != nil {
		t.Fatal(err)
	}
	eg = ecs.CreateAuthorizeSecurityGroupEgressRequest()
	eg.SecurityGroupId, eg.IpProtocol, eg.PortRange = sg, "UDP", "53/53"
	_, err = c.AuthorizeSecurityGroupEgress(eg)
	ecsExpectError(t, err, "MissingParameter.Dest", 400)
	dns := findRule(groupRules(t, c, sg), func(p ecs.Permission) bool { return p.PortRange == "53/53" })
	if dns == nil || dns.Direction != "egress" || dns.DestCidrIp != "100.100.2.136/32" {
		t.Fatalf("egress rule %+v", dns)
	}
	// An egress rule id is not an ingress rule.
	rv.SecurityGroupRuleId = &[]string{dns.SecurityGroupRuleId}
	_, err = c.RevokeSecurityGroup(rv)
	ecsExpectError(t, err, "InvalidSecurityGroupRuleId.NotFound", 404)
	rve := ecs.CreateRevokeSecurityGroupEgressRequest()
	rve.SecurityGroupId, rve.SecurityGroupRuleId = sg, &[]string{dns.SecurityGroupRuleId}
	if _, err := c.RevokeSecurityGroupEgress(rve); err != nil {
		t.Fatal(err)
	}
	if findRule(groupRules(t, c, sg), func(p ecs.Permission) bool { return p.PortRange == "53/53" }) != nil {
		t.Error("egress rule not revoked")
	}
}

func TestECSCreateDeleteSecurityGroup(t *testing.T) {
	c, s := newOpsClient(t)
	used, vpc := groupOf(t, s, "ssh-admin")
	req := ecs.CreateCreateSecurityGroupRequest()
	req.VpcId, req.SecurityGroupName, req.Description, req.ClientToken = vpc, "app-tier", "Application servers", "tok-1"
	resp, err := c.CreateSecurityGroup(req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.CreateSecurityGroup(req)
	if err != nil || again.SecurityGroupId != resp.SecurityGroupId || !strings.HasPrefix(resp.SecurityGroupId, "sg-") {
		t.Fatalf("ClientToken replay: %v %q %q", err, resp.SecurityGroupId, again.SecurityGroupId)
	}
	list := ecs.CreateDescribeSecurityGroupsRequest()
	list.SecurityGroupId = resp.SecurityGroupId
	l, err := c.DescribeSecurityGroups(list)
	if err != nil || len(l.SecurityGroups.SecurityGroup) != 1 || l.SecurityGroups.SecurityGroup[0].SecurityGroupType != "normal" || l.SecurityGroups.SecurityGroup[0].VpcId != vpc {
		t.Fatalf("new group: %v %+v", err, l.SecurityGroups)
	}
	for _, tc := range []struct {
		edit   func(r *ecs.CreateSecurityGroupRequest)
		code   string
		status int
	}{
		{func(r *ecs.CreateSecurityGroupRequest) { r.VpcId = "" }, "MissingParameter", 400},
		{func(r *ecs.CreateSecurityGroupRequest) { r.VpcId = "vpc-nothere" }, "InvalidVpcId.NotFound", 404},
		{func(r *ecs.CreateSecurityGroupRequest) { r.SecurityGroupName = "http://x" }, "InvalidSecurityGroupName.Malformed", 400},
		{func(r *ecs.CreateSecurityGroupRequest) { r.Description = "h" }, "InvalidDescription.Malformed", 400},
		{func(r *ecs.CreateSecurityGroupRequest) { r.SecurityGroupType = "huge" }, "InvalidSecurityGroupType.ValueNotSupported", 400},
	} {
		r := ecs.CreateCreateSecurityGroupRequest()
		r.VpcId, r.SecurityGroupName = vpc, "ok-name"
		tc.edit(r)
		_, err := c.CreateSecurityGroup(r)
		ecsExpectError(t, err, tc.code, tc.status)
	}

	// Enterprise groups take neither Drop nor group peers.
	req = ecs.CreateCreateSecurityGroupRequest()
	req.VpcId, req.SecurityGroupType = vpc, "enterprise"
	ent, err := c.CreateSecurityGroup(req)
	if err != nil {
		t.Fatal(err)
	}
	drop := ecs.CreateAuthorizeSecurityGroupRequest()
	drop.SecurityGroupId, drop.IpProtocol, drop.PortRange, drop.SourceCidrIp, drop.Policy = ent.SecurityGroupId, "TCP", "22/22", "0.0.0.0/0", "Drop"
	_, err = c.AuthorizeSecurityGroup(drop)
	ecsExpectError(t, err, "InvalidGroupParameter.OperationDenied", 400)

	// A group another group names in a rule, or that instances use, stays.
	ref := ecs.CreateAuthorizeSecurityGroupRequest()
	ref.SecurityGroupId, ref.IpProtocol, ref.PortRange, ref.SourceGroupId = used, "TCP", "8080/8080", resp.SecurityGroupId
	if _, err := c.AuthorizeSecurityGroup(ref); err != nil {
		t.Fatal(err)
	}
	del := ecs.CreateDeleteSecurityGroupRequest()
	del.SecurityGroupId = resp.SecurityGroupId
	_, err = c.DeleteSecurityGroup(del)
	ecsExpectError(t, err, "DependencyViolation", 403)
	del.SecurityGroupId = used
	_, err = c.DeleteSecurityGroup(del)
	ecsExpectError(t, err, "DependencyViolation", 403)
	rv := ecs.CreateRevokeSecurityGroupRequest()
	rv.SecurityGroupId, rv.IpProtocol, rv.PortRange, rv.SourceGroupId = used, "TCP", "8080/8080", resp.SecurityGroupId
	if _, err := c.RevokeSecurityGroup(rv); err != nil {
		t.Fatal(err)
	}
	del.SecurityGroupId = resp.SecurityGroupId
	if _, err := c.DeleteSecurityGroup(del); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteSecurityGroup(del)
	ecsExpectError(t, err, "InvalidSecurityGroupId.NotFound", 404)
}

func TestECSKeyPairs(t *testing.T) {
	c, s := newOpsClient(t)
	create := ecs.CreateCreateKeyPairRequest()
	create.KeyPairName = "ci-deploy"
	kp, err := c.CreateKeyPair(create)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode([]byte(kp.PrivateKeyBody))
	if block == nil || block.Type != "RSA PRIVATE KEY" {
		t.Fatalf("private key is not PEM: %.40q", kp.PrivateKeyBody)
	}
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil || key.N.BitLen() != 2048 {
		t.Fatalf("private key: %v", err)
	}
	if len(strings.Split(kp.KeyPairFingerPrint, ":")) != 20 || !strings.HasPrefix(kp.KeyPairId, "ssh-") {
		t.Errorf("fingerprint %q id %q", kp.KeyPairFingerPrint, kp.KeyPairId)
	}
	_, err = c.CreateKeyPair(create)
	ecsExpectError(t, err, "KeyPair.AlreadyExist", 400)
	for _, bad := range []string{"x", "9lives", "has space", "http://k", strings.Repeat("k", 129)} {
		create.KeyPairName = bad
		_, err = c.CreateKeyPair(create)
		ecsExpectError(t, err, "InvalidKeyPairName.Malformed", 400)
	}
	// The private key is never returned again.
	list := ecs.CreateDescribeKeyPairsRequest()
	list.KeyPairName = "ci-deploy"
	list.IncludePublicKey = requests.NewBoolean(true)
	l, err := c.DescribeKeyPairs(list)
	if err != nil || len(l.KeyPairs.KeyPair) != 1 || !strings.HasPrefix(l.KeyPairs.KeyPair[0].PublicKey, "ssh-rsa AAAAB3NzaC1yc2E") || strings.Contains(l.GetHttpContentString(), "PRIVATE") {
		t.Fatalf("listed: %v %+v", err, l.KeyPairs)
	}

	// Import: the listed public key is valid; a mangled one is not.
	pub := l.KeyPairs.KeyPair[0].PublicKey
	imp := ecs.CreateImportKeyPairRequest()
	imp.KeyPairName, imp.PublicKeyBody = "laptop", pub
	ik, err := c.ImportKeyPair(imp)
	if err != nil || len(strings.Split(ik.KeyPairFingerPrint, ":")) != 16 {
		t.Fatalf("import: %v %+v", err, ik)
	}
	for _, bad := range []string{"ssh-rsa", "ssh-rsa !!!notbase64", "ssh-ed25519 " + strings.Fields(pub)[1], "ssh-foo AAAA", "-----BEGIN RSA PRIVATE KEY-----"} {
		imp.KeyPairName, imp.PublicKeyBody = "laptop2", bad
		_, err = c.ImportKeyPair(imp)
		ecsExpectError(t, err, "InvalidPublicKeyBody.Malformed", 400)
	}
	imp = ecs.CreateImportKeyPairRequest()
	imp.KeyPairName = "laptop2"
	_, err = c.ImportKeyPair(imp)
	ecsExpectError(t, err, "MissingParameter", 400)

	// Attach to two Linux instances (one unknown id fails on its own); a
	// Windows instance refuses the whole call.
	linux := pickInstances(t, s, 2, runningPostPaidLinux)
	var win, winRegion string
	withStore(s, func(st *store) {
		for _, in := range st.instances {
			if in.OSType == "windows" && (win == "" || in.ID < win) {
				win, winRegion = in.ID, in.RegionID
			}
		}
	})
	att := ecs.CreateAttachKeyPairRequest()
	att.KeyPairName, att.InstanceIds = "ci-deploy", `["`+linux[0]+`","`+linux[1]+`","i-nothere"]`
	ar, err := c.AttachKeyPair(att)
	if err != nil {
		t.Fatal(err)
	}
	if ar.TotalCount != "3" || ar.FailCount != "1" || len(ar.Results.Result) != 3 || ar.Results.Result[0].Success != "true" || ar.Results.Result[0].Code != "200" || ar.Results.Result[2].Code != "InvalidInstanceId.NotFound" {
		t.Fatalf("attach answer %+v", ar)
	}
	withStore(s, func(st *store) {
		in := st.instances[linux[0]]
		if in.KeyPairName != "ci-deploy" || in.guestKeyPair() == "ci-deploy" {
			t.Errorf("before a restart: bound %q, guest %q", in.KeyPairName, in.guestKeyPair())
		}
	})
	reboot := ecs.CreateRebootInstanceRequest()
	reboot.InstanceId = linux[0]
	if _, err := c.RebootInstance(reboot); err != nil {
		t.Fatal(err)
	}
	opsStep(t, s)
	opsStep(t, s)
	withStore(s, func(st *store) {
		if g := st.instances[linux[0]].guestKeyPair(); g != "ci-deploy" {
			t.Errorf("after the reboot the guest takes %q", g)
		}
	})
	winImp := ecs.CreateImportKeyPairRequest()
	winImp.RegionId, winImp.KeyPairName, winImp.PublicKeyBody = winRegion, "for-windows", pub
	if _, err := c.ImportKeyPair(winImp); err != nil {
		t.Fatal(err)
	}
	winAtt := ecs.CreateAttachKeyPairRequest()
	winAtt.RegionId, winAtt.KeyPairName, winAtt.InstanceIds = winRegion, "for-windows", `["`+win+`"]`
	_, err = c.AttachKeyPair(winAtt)
	ecsExpectError(t, err, "DependencyViolation.WindowsInstance", 403)
	att.InstanceIds = "not json"
	_, err = c.AttachKeyPair(att)
	ecsExpectError(t, err, "InvalidInstanceIds.ValueNotSupported", 400)
	att.KeyPairName, att.InstanceIds = "nothere", `["`+linux[0]+`"]`
	_, err = c.AttachKeyPair(att)
	ecsExpectError(t, err, "InvalidKeyPairName.NotFound", 400)

	det := ecs.CreateDetachKeyPairRequest()
	det.KeyPairName, det.InstanceIds = "ci-deploy", `["`+linux[1]+`"]`
	dr, err := c.DetachKeyPair(det)
	if err != nil || dr.FailCount != "0" {
		t.Fatalf("detach: %v %+v", err, dr)
	}
	if in := describeInstance(t, c, linux[1]); in.KeyPairName != "" {
		t.Errorf("detached, still shows %q", in.KeyPairName)
	}

	// Delete: bound key pairs go too (the instance keeps the name).
	del := ecs.CreateDeleteKeyPairsRequest()
	del.KeyPairNames = `["ci-deploy","laptop","never-existed"]`
	if _, err := c.DeleteKeyPairs(del); err != nil {
		t.Fatal(err)
	}
	del.KeyPairNames = "ci-deploy"
	_, err = c.DeleteKeyPairs(del)
	ecsExpectError(t, err, "InvalidKeyPairNames.ValueNotSupported", 400)
	if in := describeInstance(t, c, linux[0]); in.KeyPairName != "ci-deploy" {
		t.Errorf("after the delete the instance shows %q", in.KeyPairName)
	}
	list.KeyPairName = ""
	l, err = c.DescribeKeyPairs(list)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range l.KeyPairs.KeyPair {
		if k.KeyPairName == "ci-deploy" || k.KeyPairName == "laptop" {
			t.Errorf("%s not deleted", k.KeyPairName)
		}
	}
}
