package cloud_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

func TestSecurityGroupsAndRules(t *testing.T) {
	_, c := env(t, emulator.Options{Instances: 60})
	ctx := context.Background()
	groups, err := c.SecurityGroups(ctx, testRegion)
	if err != nil {
		t.Fatalf("SecurityGroups: %v", err)
	}
	if len(groups) == 0 {
		t.Fatal("SecurityGroups: none")
	}
	byID := map[string]cloud.SecurityGroup{}
	for _, g := range groups {
		byID[g.ID] = g
		if !strings.HasPrefix(g.ID, "sg-") || g.Name == "" || g.RegionID != testRegion || g.CreatedAt.IsZero() {
			t.Errorf("bad group %+v", g)
		}
	}
	ins, err := c.Instances(ctx, testRegion)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		for _, id := range in.SecurityGroupIDs {
			if _, ok := byID[id]; !ok {
				t.Fatalf("instance %s is in group %s that SecurityGroups does not list", in.ID, id)
			}
		}
	}

	total := 0
	for _, g := range groups {
		rules, err := c.SecurityGroupRules(ctx, testRegion, g.ID)
		if err != nil {
			t.Fatalf("SecurityGroupRules(%s): %v", g.ID, err)
		}
		total += len(rules)
		for _, r := range rules {
			if r.Direction != "ingress" && r.Direction != "egress" {
				t.Errorf("%s: direction %q", g.ID, r.Direction)
			}
			if r.Protocol == "" || !strings.Contains(r.PortRange, "/") || r.Policy == "" || r.Priority < 1 || r.Priority > 100 {
				t.Errorf("%s: bad rule %+v", g.ID, r)
			}
			if r.Direction == "ingress" && r.SourceCIDR == "" && r.SourceGroupID == "" {
				t.Errorf("%s: ingress rule without a source: %+v", g.ID, r)
			}
		}
	}
	if total == 0 {
		t.Error("no group has rules")
	}
	_, err = c.SecurityGroupRules(ctx, testRegion, "sg-doesnotexist")
	if !cloud.IsCode(err, "InvalidSecurityGroupId.NotFound") {
		t.Errorf("rules of an unknown group: err = %v, want InvalidSecurityGroupId.NotFound", err)
	}
}

func TestKeyPairsAndInstanceTypes(t *testing.T) {
	_, c := env(t, emulator.Options{Instances: 60})
	ctx := context.Background()
	keys, err := c.KeyPairs(ctx, testRegion)
	if err != nil {
		t.Fatalf("KeyPairs: %v", err)
	}
	if len(keys) == 0 {
		t.Fatal("KeyPairs: none")
	}
	names := map[string]bool{}
	for _, k := range keys {
		names[k.Name] = true
		if k.Name == "" || k.RegionID != testRegion || strings.Count(k.Fingerprint, ":") < 15 || k.CreatedAt.IsZero() {
			t.Errorf("bad key pair %+v", k)
		}
	}
	ins, err := c.Instances(ctx, testRegion)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		if in.KeyPairName != "" && !names[in.KeyPairName] {
			t.Log("instance", in.ID, "uses key pair", in.KeyPairName, "that is not listed (deleted key pairs stay on instances)")
		}
	}

	types, err := c.InstanceTypes(ctx, testRegion)
	if err != nil {
		t.Fatalf("InstanceTypes: %v", err)
	}
	if len(types) == 0 {
		t.Fatal("InstanceTypes: none")
	}
	known := map[string]cloud.InstanceType{}
	for _, ty := range types {
		known[ty.ID] = ty
		if !strings.HasPrefix(ty.ID, ty.Family) || ty.CPU <= 0 || ty.MemoryGiB <= 0 {
			t.Errorf("bad instance type %+v", ty)
		}
	}
	for _, in := range ins {
		ty, ok := known[in.Type]
		if !ok {
			t.Errorf("instance %s has type %s that InstanceTypes does not list", in.ID, in.Type)
			continue
		}
		if ty.CPU != in.CPU || int(ty.MemoryGiB*1024) != in.MemoryMiB {
			t.Errorf("instance %s: %d vCPU %d MiB, its type says %d vCPU %.1f GiB", in.ID, in.CPU, in.MemoryMiB, ty.CPU, ty.MemoryGiB)
		}
	}
}
