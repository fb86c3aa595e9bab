package views

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

func TestKeyPairsBoundInstances(t *testing.T) {
	ctx := newTestContext(t)
	keys, err := ctx.Client.KeyPairs(bg(t), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	instances, err := ctx.Client.Instances(bg(t), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	bound := map[string][]cloud.Instance{}
	for _, in := range instances {
		bound[in.KeyPairName] = append(bound[in.KeyPairName], in)
	}
	v := load(t, ctx, findView(t, ctx, "keypairs"))
	if v.Status().Total != len(keys) || len(keys) == 0 {
		t.Fatalf("Total = %d, want %d (> 0)", v.Status().Total, len(keys))
	}
	lines := strings.Split(screen(ctx, v, 120, 30), "\n")
	var used cloud.KeyPair
	for _, k := range keys {
		found := false
		for _, l := range lines {
			if strings.Contains(l, k.Name) && strings.Contains(l, k.Fingerprint) {
				found = true
				if !strings.Contains(l, fmt.Sprintf("%9d", len(bound[k.Name]))) {
					t.Errorf("%s: want %d bound instances in\n%s", k.Name, len(bound[k.Name]), l)
				}
			}
		}
		if !found {
			t.Errorf("no row for %s", k.Name)
		}
		if len(bound[k.Name]) > len(bound[used.Name]) || used.Name == "" {
			used = k
		}
	}
	if len(bound[used.Name]) == 0 {
		t.Fatal("no key pair with instances in the seeded fleet")
	}
	v = openDetail(t, ctx, v, used.Name)
	s := screen(ctx, v, 120, 40)
	mustContain(t, s, "Bound instances", used.Fingerprint)
	for _, in := range bound[used.Name] {
		mustContain(t, s, in.ID)
	}
	_, msg := press(t, ctx, v, enterKey)
	if nav, ok := msg.(Navigate); !ok || nav.View != "instances" || nav.Filter != bound[used.Name][0].ID {
		t.Errorf("enter = %#v", msg)
	}
}

func TestRegistryHasEveryView(t *testing.T) {
	ctx := newTestContext(t)
	seen := map[string]bool{}
	for _, v := range Registry(ctx) {
		if seen[v.Name()] {
			t.Errorf("view %q registered twice", v.Name())
		}
		seen[v.Name()] = true
	}
	for _, name := range []string{"instances", "regions", "disks", "images", "snapshots", "policies", "sg", "keypairs"} {
		if !seen[name] {
			t.Errorf("view %q not registered", name)
		}
	}
	for alias, name := range Aliases() {
		if !seen[name] {
			t.Errorf("alias %q names unknown view %q", alias, name)
		}
	}
}
