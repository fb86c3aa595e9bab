package views

import (
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

func TestImagesOwnerCycles(t *testing.T) {
	ctx := newTestContext(t)
	v := load(t, ctx, findView(t, ctx, "images"))
	if got := v.Status().Title; got != "images (self)" {
		t.Fatalf("Title = %q, want images (self)", got)
	}
	self, err := ctx.Client.Images(bg(t), "cn-hangzhou", cloud.OwnerSelf)
	if err != nil {
		t.Fatal(err)
	}
	if v.Status().Total != len(self) || len(self) == 0 {
		t.Fatalf("self: Total = %d, want %d (> 0)", v.Status().Total, len(self))
	}
	s := screen(ctx, v, 160, 30)
	for _, im := range self {
		mustContain(t, s, im.ID, im.Name)
	}
	mustContain(t, s, "Available", "GiB")

	for _, owner := range []cloud.ImageOwner{cloud.OwnerSystem, cloud.OwnerOthers, cloud.OwnerMarketplace, cloud.OwnerSelf} {
		v2, msg := press(t, ctx, v, runeKey('o'))
		v = v2
		if msg == nil {
			t.Fatalf("o gave no command (switching to %s)", owner)
		}
		if got := v.Status().Title; got != "images ("+string(owner)+")" {
			t.Errorf("Title after o = %q, want images (%s)", got, owner)
		}
		v, _ = v.Update(ctx, msg)
		want, err := ctx.Client.Images(bg(t), "cn-hangzhou", owner)
		if err != nil {
			t.Fatal(err)
		}
		if v.Status().Total != len(want) || len(want) == 0 {
			t.Errorf("%s: Total = %d, want %d (> 0)", owner, v.Status().Total, len(want))
		}
		s := screen(ctx, v, 160, 30)
		for _, im := range want {
			mustContain(t, s, im.ID[:min(len(im.ID), 36)]) // long system ids end in "…"
		}
		if owner != cloud.OwnerSelf {
			mustNotContain(t, s, self[0].ID)
			mustContain(t, s, string(owner))
		}
	}
}

func TestImageDetail(t *testing.T) {
	ctx := newTestContext(t)
	v := load(t, ctx, findView(t, ctx, "images"))
	v, msg := press(t, ctx, v, runeKey('o')) // system
	v, _ = v.Update(ctx, msg)
	sys, err := ctx.Client.Images(bg(t), "cn-hangzhou", cloud.OwnerSystem)
	if err != nil {
		t.Fatal(err)
	}
	im := sys[0]
	v = openDetail(t, ctx, v, im.ID)
	mustContain(t, screen(ctx, v, 120, 30),
		"Owner", "system", "Progress", "100%", "Platform", im.Platform,
		"Architecture", im.Architecture, "Size", "Created", osName(im.OSName))
}
