package views

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/theme"
)

// testNow is the views' clock in tests (ages are relative to it).
var testNow = time.Now().UTC().Truncate(time.Minute)

// newTestContext starts the emulator in-process (seeded fleet) and returns
// a views.Context on it, in cn-hangzhou.
func newTestContext(t *testing.T) Context {
	t.Helper()
	srv := emulator.New(emulator.Options{Seed: 1})
	url, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	c, err := cloud.New(cloud.Config{
		Endpoint: url,
		Region:   "cn-hangzhou",
		Credentials: cloud.Credentials{
			AccessKeyID:     emulator.DefaultAccessKeyID,
			AccessKeySecret: emulator.DefaultAccessKeySecret,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return Context{
		Client:  c,
		Region:  "cn-hangzhou",
		Theme:   theme.New(true),
		Now:     func() time.Time { return testNow },
		Timeout: 30 * time.Second,
	}
}

// bg is a context for direct client calls in tests.
func bg(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// run executes cmd (if any) and feeds its message back into the view.
func run(t *testing.T, ctx Context, v View, cmd tea.Cmd) View {
	t.Helper()
	if cmd == nil {
		return v
	}
	msg := cmd()
	if msg == nil {
		return v
	}
	v, _ = v.Update(ctx, msg)
	return v
}

// load loads the view and checks the load did not fail.
func load(t *testing.T, ctx Context, v View) View {
	t.Helper()
	v = run(t, ctx, v, v.Load(ctx))
	if err := v.Status().Err; err != nil {
		t.Fatalf("%s: load: %v", v.Name(), err)
	}
	return v
}

// press sends a key to the view and returns the message its command yields
// (nil when there is no command).
func press(t *testing.T, ctx Context, v View, k tea.KeyPressMsg) (View, tea.Msg) {
	t.Helper()
	v, cmd := v.Update(ctx, k)
	if cmd == nil {
		return v, nil
	}
	return v, cmd()
}

// feed hands msg to the view, each message of a batch in turn (what the
// shell does with the commands' answers).
func feed(ctx Context, v View, msg tea.Msg) View {
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			if c != nil {
				v = feed(ctx, v, c())
			}
		}
		return v
	}
	v, _ = v.Update(ctx, msg)
	return v
}

var (
	enterKey = tea.KeyPressMsg{Code: tea.KeyEnter}
	downKey  = tea.KeyPressMsg{Code: tea.KeyDown}
	upKey    = tea.KeyPressMsg{Code: tea.KeyUp}
)

func runeKey(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

// openDetail filters the view to id, presses enter and feeds the detail
// result back.
func openDetail(t *testing.T, ctx Context, v View, id string) View {
	t.Helper()
	v.SetFilter(id)
	if v.Status().Shown == 0 {
		t.Fatalf("%s: no row matches %q", v.Name(), id)
	}
	v, msg := press(t, ctx, v, enterKey)
	if msg == nil {
		t.Fatalf("%s: enter produced no command", v.Name())
	}
	v, _ = v.Update(ctx, msg)
	if !v.InDetail() {
		t.Fatalf("%s: enter did not open the detail pane", v.Name())
	}
	if err := v.Status().Err; err != nil {
		t.Fatalf("%s: detail: %v", v.Name(), err)
	}
	return v
}

// screen renders the view without escape codes.
func screen(ctx Context, v View, w, h int) string { return ansi.Strip(v.View(ctx, w, h)) }

func mustContain(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("screen lacks %q:\n%s", w, text)
		}
	}
}

func mustNotContain(t *testing.T, text string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(text, w) {
			t.Errorf("screen has %q:\n%s", w, text)
		}
	}
}

// findView returns the registered view with the given name.
func findView(t *testing.T, ctx Context, name string) View {
	t.Helper()
	for _, v := range Registry(ctx) {
		if v.Name() == name {
			return v
		}
	}
	t.Fatalf("no view %q in the registry", name)
	return nil
}
