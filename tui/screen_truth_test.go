package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/views"
)

// The screen tells the truth, whole and current, at 80x24 and 60x15: the
// tests below drive the real shell against the emulator at both sizes.

var smallSizes = [][2]int{{80, 24}, {60, 15}}

func forSmallSizes(t *testing.T, f func(t *testing.T, w, h int)) {
	for _, sz := range smallSizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) { f(t, sz[0], sz[1]) })
	}
}

var (
	spaceKey      = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	clearMarksKey = tea.KeyPressMsg{Code: '\\', Mod: tea.ModCtrl}
)

// waitScreen waits until the screen holds every want, then checks it fits.
func waitScreen(t *testing.T, tm *teatest.TestModel, w, h int, want ...string) string {
	t.Helper()
	var out string
	waitUntil(t, tm, fmt.Sprintf("the screen to show %q", want), func(m *Model) bool {
		out = screen(m)
		for _, s := range want {
			if !strings.Contains(out, s) {
				return false
			}
		}
		return true
	})
	assertFits(t, out, w, h)
	return out
}

// flat is a screen's text as one line: words wrapped over lines read on.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestHeaderCountsMarksAndCtrlBackslashClearsThem(t *testing.T) {
	forSmallSizes(t, func(t *testing.T, w, h int) {
		tm := start(t, newTestShell(t), w, h)
		tm.Send(spaceKey) // api-01, the cursor moves on
		tm.Send(spaceKey) // api-02
		waitScreen(t, tm, w, h, "2 marked")
		tm.Type("/api-01")
		tm.Send(press("enter"))
		out := waitScreen(t, tm, w, h, "1 marked", "1 not shown")
		if header := strings.Split(out, "\n")[0]; !strings.Contains(header, "1 marked, 1 not shown") ||
			!strings.Contains(header, "/api-01") || !strings.Contains(header, "cn-hangzhou") || strings.Contains(header, "…") {
			t.Errorf("header %q does not say both counts, the filter and the region whole", header)
		}
		tm.Send(clearMarksKey)
		waitUntil(t, tm, "marks cleared", func(m *Model) bool {
			st := m.current().Status()
			return st.Marked == 0 && st.MarkedHidden == 0 && m.notice == "2 mark(s) cleared"
		})
		out = waitScreen(t, tm, w, h, "2 mark(s) cleared")
		if strings.Contains(strings.Split(out, "\n")[0], "marked") {
			t.Errorf("header still counts marks: %q", strings.Split(out, "\n")[0])
		}
		tm.Send(press("?"))
		waitScreen(t, tm, w, h, `ctrl+\`, "clear all marks")
		finish(t, tm)
	})
}

// A long error reads whole on the status line (wrapped, not cut) and in
// :activity, whose entry opens on enter with each field of the API's
// answer and the call's parameters.
func TestLongErrorReadsWholeInNoticeAndActivityDetail(t *testing.T) {
	apiErr := &cloud.APIError{
		Code:      "IncorrectInstanceStatus",
		Message:   "The current status of the resource does not support this operation: the instance must be Running before it can be stopped again.",
		RequestID: "5F7A1C2E-9B3D-4E8F-A6C1-2D3E4F5A6B7C", Action: "StopInstances", Region: "cn-hangzhou", HTTPStatus: 403,
	}
	forSmallSizes(t, func(t *testing.T, w, h int) {
		tm := start(t, newTestShell(t), w, h)
		tm.Send(views.Report{Action: "reboot i-older", RequestID: "REQ-OLDER"})
		tm.Send(views.Report{
			Action: "stop i-bp1example", Err: fmt.Errorf("stop i-bp1example: %w", apiErr),
			CLI: []string{"aliyun ecs StopInstances --RegionId cn-hangzhou --InstanceId.1 i-bp1example --ForceStop false"},
		})
		out := waitScreen(t, tm, w, h, "IncorrectInstanceStatus")
		if !strings.Contains(flat(out), "before it can be stopped again.") || !strings.Contains(out, apiErr.RequestID) {
			t.Errorf("the notice is not whole:\n%s", out)
		}
		tm.Type(":activity")
		tm.Send(press("enter"))
		waitScreen(t, tm, w, h, "Activity", "reboot i-older")
		tm.Send(press("enter")) // the newest entry, under the cursor
		waitScreen(t, tm, w, h, "Code", "IncorrectInstanceStatus")
		out = scrollAll(t, tm, w, h)
		for _, want := range []string{
			apiErr.RequestID, "StopInstances", "cn-hangzhou", "403", "--InstanceId.1 i-bp1example", "--ForceStop false",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("the entry lacks %q:\n%s", want, out)
			}
		}
		if !strings.Contains(flat(out), flat(apiErr.Message)) {
			t.Errorf("the entry's message is not whole:\n%s", out)
		}
		tm.Send(press("esc"))
		tm.Send(press("j")) // the older entry
		tm.Send(press("enter"))
		waitScreen(t, tm, w, h, "REQ-OLDER", "done")
		tm.Send(press("esc"))
		tm.Send(press("esc"))
		waitUntil(t, tm, "activity closed", func(m *Model) bool { return m.mode == modeNormal })
		finish(t, tm)
	})
}

// scrollAll reads a pane to its end with j and returns its lines (header
// and status bar left out) in order, each once.
func scrollAll(t *testing.T, tm *teatest.TestModel, w, h int) string {
	t.Helper()
	var lines []string
	last := ""
	for range 40 {
		var out string
		waitUntil(t, tm, "the pane", func(m *Model) bool { out = screen(m); return true })
		assertFits(t, out, w, h)
		if out == last {
			break
		}
		last = out
		body := strings.Split(out, "\n")
		body = body[1 : len(body)-2]
		if len(lines) == 0 {
			lines = body
		} else {
			lines = append(lines, body[len(body)-1]) // j brought one more line
		}
		tm.Send(press("j"))
	}
	return strings.Join(lines, "\n")
}

// newShellIn is a shell on the seeded emulator started in region.
func newShellIn(t *testing.T, region string) *Model {
	t.Helper()
	srv := emulator.New(emulator.Options{Seed: 1, Now: clock})
	url := serveEmulator(t, srv)
	client := emulatorClient(t, url, cloud.Config{Region: "cn-hangzhou"})
	return New(Options{Client: client, Region: region, Demo: true, Refresh: time.Hour, Theme: theme.New(true), Now: clock})
}

// An unknown region says so and points to :region, and the status bar's
// error gets lines of its own, whole.
func TestUnknownRegionPointsToRegionCommand(t *testing.T) {
	forSmallSizes(t, func(t *testing.T, w, h int) {
		tm := teatest.NewTestModel(t, probed{newShellIn(t, "cn-nowhere")}, teatest.WithInitialTermSize(w, h))
		out := waitScreen(t, tm, w, h, "Could not load instances")
		if f := flat(out); !strings.Contains(f, "Region cn-nowhere is unknown to the API: :region lists the regions to pick from.") ||
			strings.Contains(f, "Press r to retry") {
			t.Errorf("the advice is not about the region:\n%s", out)
		}
		if !strings.Contains(out, "✗ InvalidRegionId.NotFound") || !strings.Contains(out, "RequestId") {
			t.Errorf("the error is not whole on its own line:\n%s", out)
		}
		finish(t, tm)
	})
}

// helpPages opens ? and reads it page by page to its end.
func helpPages(t *testing.T, tm *teatest.TestModel, w, h int) []string {
	t.Helper()
	tm.Send(press("?"))
	waitUntil(t, tm, "help open", func(m *Model) bool { return m.mode == modeHelp })
	var pages []string
	for range 20 {
		var out string
		var more bool
		waitUntil(t, tm, "a help page", func(m *Model) bool {
			out = screen(m)
			more = strings.Contains(out, "↓ more: j / pgdn")
			return true
		})
		assertFits(t, out, w, h)
		pages = append(pages, out)
		if !more {
			break
		}
		tm.Send(tea.KeyPressMsg{Code: tea.KeyPgDown})
	}
	tm.Send(press("esc"))
	return pages
}

// ? shows every key and command of the view, descriptions whole, at any
// size: the help wraps and scrolls instead of cutting.
func TestHelpShowsEveryKeyAndCommandWhole(t *testing.T) {
	forSmallSizes(t, func(t *testing.T, w, h int) {
		tm := start(t, newTestShell(t), w, h)
		for _, view := range []string{"instances", "disks", "images"} {
			tm.Send(views.Navigate{View: view})
			waitUntil(t, tm, view, loaded(view))
			var keys []string
			var cmds []views.Command
			waitUntil(t, tm, "the keys", func(m *Model) bool {
				for _, b := range append(m.current().Keys(), m.keys.bindings()...) {
					keys = append(keys, b.Help().Desc)
				}
				cmds = m.current().Commands()
				return true
			})
			pages := helpPages(t, tm, w, h)
			var all []string
			for _, p := range pages {
				lines := strings.Split(p, "\n")
				for _, l := range lines[1 : len(lines)-2] { // between header and status bar
					if strings.HasSuffix(strings.TrimSpace(l), "…") && !strings.HasSuffix(strings.TrimSpace(l), "-…") && !strings.HasSuffix(strings.TrimSpace(l), "…]") {
						t.Errorf("%s help cuts a line: %q", view, l)
					}
				}
				all = append(all, strings.Join(lines[1:len(lines)-2], "\n"))
			}
			text := strings.Join(all, "\n")
			words := " " + flat(text) + " "
			for _, d := range keys {
				// A word too long for its column is broken after a / or |.
				for _, word := range strings.FieldsFunc(d, func(r rune) bool { return r == ' ' || r == '/' || r == '|' }) {
					if !strings.Contains(words, word) {
						t.Errorf("%s help lacks %q of %q", view, word, d)
					}
				}
			}
			for _, c := range cmds {
				if !strings.Contains(text, ":"+c.Name) {
					t.Errorf("%s help lacks :%s", view, c.Name)
				}
			}
		}
		// A long command description, in one column at these widths, reads on.
		pages := helpPages(t, tm, w, h)
		if !strings.Contains(flat(strings.Join(pages, "\n")), "allow changes in a read-only (production) session for a while, e.g. :arm 10m") {
			t.Errorf(":arm's description is not whole")
		}
		finish(t, tm)
	})
}

// :snapshot NAME in the disks view snapshots the selected disk, exactly
// once; a second client sees it.
func TestSnapshotCommandInDisksViewSnapshotsTheSelectedDisk(t *testing.T) {
	forSmallSizes(t, func(t *testing.T, w, h int) {
		m, check := newLiveShell(t)
		tm := start(t, m, w, h)
		tm.Type(":disks")
		tm.Send(press("enter"))
		waitUntil(t, tm, "disks", loaded("disks"))
		var disk string
		waitUntil(t, tm, "the selected disk", func(m *Model) bool {
			disk = m.current().(*views.List[cloud.Disk]).MarkedItems()[0].ID
			return true
		})
		before, err := check.Snapshots(context.Background(), "cn-hangzhou", cloud.SnapshotFilter{DiskID: disk})
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("pre-change-%d", w)
		tm.Type(":snapshot " + name)
		tm.Send(press("enter"))
		waitUntil(t, tm, "the confirmation", func(m *Model) bool { return m.confirm != nil })
		waitScreen(t, tm, w, h, "Take a snapshot of "+disk)
		tm.Send(press("y"))
		waitUntilFor(t, tm, 30*time.Second, "the snapshot done", func(m *Model) bool { return strings.HasPrefix(m.notice, "✓ snapshot "+disk) })
		finish(t, tm)
		after, err := check.Snapshots(context.Background(), "cn-hangzhou", cloud.SnapshotFilter{DiskID: disk})
		if err != nil {
			t.Fatal(err)
		}
		named := 0
		for _, s := range after {
			if s.Name == name {
				named++
			}
		}
		if named != 1 || len(after) != len(before)+1 {
			t.Fatalf("%d snapshots named %s and %d new ones of %s, want exactly one", named, name, len(after)-len(before), disk)
		}
	})
}

// :image NAME in the instances view makes an image of the selected
// instance; a view command's argument that is no id of its scope is
// refused, naming what was expected.
func TestPaletteCommandsActOnTheSelectionAndRefuseBogusScopes(t *testing.T) {
	forSmallSizes(t, func(t *testing.T, w, h int) {
		tm := start(t, newTestShell(t), w, h)
		var inst string
		waitUntil(t, tm, "the selected instance", func(m *Model) bool {
			inst = m.current().(*views.List[cloud.Instance]).MarkedItems()[0].ID
			return true
		})
		tm.Type(":image golden-1")
		tm.Send(press("enter"))
		waitUntil(t, tm, "the image confirmation", func(m *Model) bool { return m.confirm != nil })
		waitScreen(t, tm, w, h, "golden-1", inst)
		tm.Send(press("n"))
		waitUntil(t, tm, "closed", func(m *Model) bool { return m.confirm == nil })

		tm.Type(":disks web")
		tm.Send(press("enter"))
		waitUntil(t, tm, "the refusal", func(m *Model) bool {
			return m.notice == `:disks takes an instance (i-…) or a disk (d-…), not "web"` && m.active == "instances"
		})
		waitScreen(t, tm, w, h, `not "web"`)
		tm.Type(":snapshot nightly") // no such action here: not a scope of :snapshots either
		tm.Send(press("enter"))
		waitUntil(t, tm, "the refusal", func(m *Model) bool {
			return strings.HasPrefix(m.notice, ":snapshots takes a disk (d-…) or an instance (i-…)") && m.active == "instances"
		})
		tm.Type(":images extra")
		tm.Send(press("enter"))
		waitUntil(t, tm, "the refusal", func(m *Model) bool { return m.notice == `:images takes no argument, not "extra"` })
		finish(t, tm)
	})
}

// testModal is a pane a view opens over its list.
type testModal struct{ keys *[]string }

func (p testModal) Update(_ views.Context, msg tea.Msg) (views.Modal, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		*p.keys = append(*p.keys, k.String())
		if k.String() == "esc" {
			return nil, nil
		}
	}
	return p, nil
}

func (p testModal) View(views.Context, int, int) string { return "TEST PANE" }

// A pane that opens while the palette (or the help) is open closes it: the
// pane shows and takes the keys.
func TestPaneOpeningClosesThePalette(t *testing.T) {
	forSmallSizes(t, func(t *testing.T, w, h int) {
		tm := start(t, newTestShell(t), w, h)
		tm.Type(":dis")
		waitUntil(t, tm, "palette", func(m *Model) bool { return m.mode == modePalette })
		ran := false
		tm.Send(views.Confirm{Title: "Do the thing?", Run: func() tea.Msg { ran = true; return nil }})
		waitUntil(t, tm, "the palette closed", func(m *Model) bool { return m.mode == modeNormal && m.confirm != nil })
		waitScreen(t, tm, w, h, "Do the thing?")
		tm.Send(press("n"))
		waitUntil(t, tm, "the dialog closed", func(m *Model) bool { return m.confirm == nil && m.mode == modeNormal })

		var keys []string
		tm.Send(press("?"))
		waitUntil(t, tm, "help", func(m *Model) bool { return m.mode == modeHelp })
		tm.Send(views.ShowModal{View: "instances", Modal: testModal{keys: &keys}})
		waitUntil(t, tm, "the help closed", func(m *Model) bool { return m.mode == modeNormal && m.current().Capturing() })
		waitScreen(t, tm, w, h, "TEST PANE")
		tm.Send(press("x"))
		tm.Send(press("esc"))
		waitUntil(t, tm, "the pane closed", func(m *Model) bool { return !m.current().Capturing() })
		finish(t, tm)
		if ran || strings.Join(keys, ",") != "x,esc" {
			t.Fatalf("ran %v, the pane got %q", ran, keys)
		}
	})
}

// q goes back from any view but the first; from the first it quits, asking
// first while a change is running.
func TestQGoesBackAndAsksBeforeQuittingWithChangesRunning(t *testing.T) {
	forSmallSizes(t, func(t *testing.T, w, h int) {
		tm := start(t, newTestShell(t), w, h)
		tm.Type(":disks")
		tm.Send(press("enter"))
		waitUntil(t, tm, "disks", loaded("disks"))
		tm.Type("/d-")
		tm.Send(press("enter"))
		tm.Type(":snapshots")
		tm.Send(press("enter"))
		waitUntil(t, tm, "snapshots", loaded("snapshots"))
		tm.Send(press("q"))
		waitUntil(t, tm, "back in disks, as left", func(m *Model) bool {
			return m.active == "disks" && m.current().Status().Filter == "d-"
		})
		tm.Send(press("q"))
		waitUntil(t, tm, "back in instances", func(m *Model) bool { return m.active == "instances" })
		tm.Send(views.Progress{Task: "t-1", Action: "stop i-x", Text: "stopping"})
		tm.Send(press("q"))
		waitUntil(t, tm, "the question", func(m *Model) bool { return m.confirm != nil })
		waitScreen(t, tm, w, h, "Quit with 1 change(s) still running?")
		tm.Send(press("n"))
		waitUntil(t, tm, "still running", func(m *Model) bool { return m.confirm == nil && m.active == "instances" })
		tm.Send(press("q"))
		waitUntil(t, tm, "the question again", func(m *Model) bool { return m.confirm != nil })
		tm.Send(press("y"))
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	})
}

// A printable key that means nothing in the view says so.
func TestKeyWithNoMeaningSaysSo(t *testing.T) {
	forSmallSizes(t, func(t *testing.T, w, h int) {
		tm := start(t, newTestShell(t), w, h)
		tm.Send(press("z"))
		waitScreen(t, tm, w, h, "z: no action in this view (? lists the keys)")
		tm.Send(press("j")) // a key that moves the cursor says nothing
		waitUntil(t, tm, "the notice gone", func(m *Model) bool { return m.notice == "" })
		finish(t, tm)
	})
}
