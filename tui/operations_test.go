package tui

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
)

// newLiveShell is a shell on an emulator whose clock runs (transitions of
// 200 ms), with a second client to check what the UI did.
func newLiveShell(t *testing.T) (*Model, *cloud.Client) {
	t.Helper()
	m, check, _ := newCountedShell(t, 200*time.Millisecond, time.Hour)
	return m, check
}

func instanceNamed(t *testing.T, c *cloud.Client, name string) cloud.Instance {
	t.Helper()
	list, err := c.Instances(context.Background(), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range list {
		if in.Name == name {
			return in
		}
	}
	t.Fatalf("no instance %s", name)
	return cloud.Instance{}
}

// TestStopAndStartThroughTheUI: the palette command with every value inline
// goes straight to the typed confirmation; the instance stops, then starts.
func TestStopAndStartThroughTheUI(t *testing.T) {
	m, check := newLiveShell(t)
	tm := start(t, m, 120, 40)
	web := instanceNamed(t, check, "web-01")
	tm.Type("/web-01")
	tm.Send(press("enter"))
	tm.Type(":stop normal keep")
	tm.Send(press("enter"))
	waitUntil(t, tm, "the typed confirmation", func(m *Model) bool { return m.confirm != nil && m.confirm.req.Typed == web.ID })
	tm.Type(web.ID)
	tm.Send(press("enter"))
	waitUntilFor(t, tm, 20*time.Second, "stopped", func(m *Model) bool { return strings.HasPrefix(m.notice, "✓ stop") })
	if got := instanceNamed(t, check, "web-01").Status; got != cloud.StateStopped {
		t.Fatalf("web-01 is %s after the stop", got)
	}
	tm.Type(":start")
	tm.Send(press("enter"))
	waitUntil(t, tm, "the start confirmation", func(m *Model) bool { return m.confirm != nil })
	tm.Send(press("y"))
	waitUntilFor(t, tm, 20*time.Second, "started", func(m *Model) bool { return strings.HasPrefix(m.notice, "✓ start") })
	finish(t, tm)
	if got := instanceNamed(t, check, "web-01").Status; got != cloud.StateRunning {
		t.Fatalf("web-01 is %s after the start", got)
	}
}

// TestResizeAndGrowThroughTheUI: :resize SIZE on a disk of a running Linux
// instance, then the offer to grow the filesystem shows resize2fs output.
func TestResizeAndGrowThroughTheUI(t *testing.T) {
	m, check := newLiveShell(t)
	web := instanceNamed(t, check, "web-01")
	disks, err := check.Disks(context.Background(), "cn-hangzhou", cloud.DiskFilter{InstanceID: web.ID})
	if err != nil || len(disks) == 0 {
		t.Fatal(err)
	}
	sys := disks[0]
	for _, d := range disks {
		if d.Type == cloud.DiskSystem {
			sys = d
		}
	}
	tm := start(t, m, 120, 40)
	tm.Type(":disks " + web.ID)
	tm.Send(press("enter"))
	waitUntil(t, tm, "the instance's disks", loaded("disks"))
	tm.Type("/" + sys.ID)
	tm.Send(press("enter"))
	newSize := sys.SizeGiB + 20
	tm.Type(":resize " + strconv.Itoa(newSize))
	tm.Send(press("enter"))
	waitUntil(t, tm, "the resize confirmation", func(m *Model) bool { return m.confirm != nil })
	tm.Send(press("y"))
	waitUntilFor(t, tm, 20*time.Second, "the grow offer", func(m *Model) bool {
		return m.confirm != nil && strings.Contains(strings.ToLower(m.confirm.req.Title), "grow")
	})
	tm.Send(press("y"))
	waitUntilFor(t, tm, 30*time.Second, "the command output", screenHas("resize2fs"))
	finish(t, tm)
	got, err := check.Disks(context.Background(), "cn-hangzhou", cloud.DiskFilter{DiskIDs: []string{sys.ID}})
	if err != nil || len(got) != 1 || got[0].SizeGiB != newSize {
		t.Fatalf("disk after resize: %+v %v", got, err)
	}
}

// TestSnapshotThroughTheUI: :snapshot NAME in a disk's snapshots view goes
// to the confirmation and the snapshot reaches 100 %.
func TestSnapshotThroughTheUI(t *testing.T) {
	m, check := newLiveShell(t)
	web := instanceNamed(t, check, "web-01")
	disks, err := check.Disks(context.Background(), "cn-hangzhou", cloud.DiskFilter{InstanceID: web.ID})
	if err != nil || len(disks) == 0 {
		t.Fatal(err)
	}
	tm := start(t, m, 120, 40)
	tm.Type(":snapshots " + disks[0].ID)
	tm.Send(press("enter"))
	waitUntil(t, tm, "the disk's snapshots", loaded("snapshots"))
	tm.Type(":snapshot before-upgrade")
	tm.Send(press("enter"))
	waitUntil(t, tm, "the confirmation", func(m *Model) bool { return m.confirm != nil })
	tm.Send(press("y"))
	waitUntilFor(t, tm, 30*time.Second, "the snapshot done", func(m *Model) bool { return strings.HasPrefix(m.notice, "✓") })
	finish(t, tm)
	snaps, err := check.Snapshots(context.Background(), "cn-hangzhou", cloud.SnapshotFilter{DiskID: disks[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range snaps {
		if s.Name == "before-upgrade" {
			if s.Status != "accomplished" || s.Progress != 100 {
				t.Fatalf("snapshot %s is %s at %d%%", s.ID, s.Status, s.Progress)
			}
			return
		}
	}
	t.Fatalf("no snapshot named before-upgrade among %d", len(snaps))
}

// TestImageAndLaunchThroughTheUI: a custom image from an instance, then two
// instances launched from it; a second client finds exactly two, Running.
func TestImageAndLaunchThroughTheUI(t *testing.T) {
	m, check := newLiveShell(t)
	web := instanceNamed(t, check, "web-01")
	tm := start(t, m, 120, 40)
	tm.Type(":images")
	tm.Send(press("enter"))
	waitUntil(t, tm, "images", loaded("images"))
	tm.Type(":image web-golden-ui " + web.ID)
	tm.Send(press("enter"))
	waitUntil(t, tm, "the image confirmation", func(m *Model) bool { return m.confirm != nil })
	tm.Send(press("y"))
	waitUntilFor(t, tm, 30*time.Second, "the image available", func(m *Model) bool { return strings.HasPrefix(m.notice, "✓") })
	images, err := check.Images(context.Background(), "cn-hangzhou", cloud.OwnerSelf)
	if err != nil {
		t.Fatal(err)
	}
	var img cloud.Image
	for _, im := range images {
		if im.Name == "web-golden-ui" {
			img = im
		}
	}
	if img.ID == "" || img.Status != "Available" {
		t.Fatalf("image: %+v", img)
	}
	tm.Send(press("r"))
	waitUntil(t, tm, "the image listed", func(m *Model) bool { return loaded("images")(m) && strings.Contains(screen(m), img.ID) })
	tm.Type("/" + img.ID)
	tm.Send(press("enter"))
	tm.Type(":launch 2")
	tm.Send(press("enter"))
	waitUntil(t, tm, "the launch confirmation", func(m *Model) bool { return m.confirm != nil })
	tm.Send(press("y"))
	waitUntilFor(t, tm, 30*time.Second, "launched", func(m *Model) bool { return strings.HasPrefix(m.notice, "✓") })
	finish(t, tm)
	all, err := check.Instances(context.Background(), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, in := range all {
		if in.ImageID == img.ID {
			n++
			if in.Status != cloud.StateRunning {
				t.Errorf("%s is %s", in.ID, in.Status)
			}
		}
	}
	if n != 2 {
		t.Fatalf("%d instances from the image, want 2", n)
	}
}
