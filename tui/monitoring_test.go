package tui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/theme"
)

// movableClock is a pinned clock a test can move forward.
type movableClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *movableClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *movableClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// newClockedShell is newTestShell with a clock the test moves, and the
// emulator and a client beside the shell for checking what it did.
func newClockedShell(t *testing.T) (*Model, *emulator.Server, *cloud.Client, *movableClock) {
	t.Helper()
	clk := &movableClock{now: fixedNow}
	srv := emulator.New(emulator.Options{Seed: 1, Now: clk.Now, TransitionDelay: time.Second})
	url := serveEmulator(t, srv)
	client := emulatorClient(t, url, cloud.Config{Region: "cn-hangzhou"})
	m := New(Options{Client: client, Region: "cn-hangzhou", Demo: true, Refresh: time.Hour, Theme: theme.New(true), Now: clk.Now})
	return m, srv, client, clk
}

func screenHas(text string) func(*Model) bool {
	return func(m *Model) bool { return strings.Contains(ansi.Strip(m.render()), text) }
}

func TestMetricsViewShowsSparklinesHottestFirst(t *testing.T) {
	tm := start(t, newTestShell(t), 120, 40)
	tm.Type(":metrics")
	tm.Send(press("enter"))
	waitUntil(t, tm, "metrics with samples", func(m *Model) bool { return loaded("metrics")(m) && metricsArrived(m) })
	m := finish(t, tm)
	out := screen(m)
	if !strings.ContainsAny(out, "▁▂▃▄▅▆▇█") {
		t.Fatalf("no sparkline on the metrics view:\n%s", out)
	}
	if got := m.current().Status().Sort; got != "hottest ↓" {
		t.Errorf("sort = %q, want hottest first", got)
	}
	rows := strings.Split(out, "\n")[2:]
	if !strings.HasPrefix(strings.TrimSpace(rows[0]), "!") {
		t.Errorf("the first row is not a firing instance: %q", rows[0])
	}
	golden.RequireEqual(t, out)
}

func TestHistoryChartFromMetrics(t *testing.T) {
	tm := start(t, newTestShell(t), 120, 40)
	tm.Type(":metrics")
	tm.Send(press("enter"))
	waitUntil(t, tm, "metrics", loaded("metrics"))
	tm.Send(press("enter"))
	waitUntil(t, tm, "history chart", func(m *Model) bool { return m.active == "history" && !m.current().Status().LastRefresh.IsZero() })
	tm.Send(press("w")) // 6h
	waitUntil(t, tm, "6h chart", screenHas("last 6h"))
	tm.Send(press("esc"))
	waitUntil(t, tm, "back to metrics", func(m *Model) bool { return m.active == "metrics" })
	finish(t, tm)
}

func TestCreateAlarmRuleFromTheUI(t *testing.T) {
	m, srv, client, clk := newClockedShell(t)
	all, err := client.Instances(context.Background(), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	var busy string
	for _, in := range all {
		if in.Name == "cache-01" { // the seeded fleet's CPU-pegged instance
			busy = in.ID
		}
	}
	if busy == "" {
		t.Fatal("no cache-01 in the seeded fleet")
	}
	tm := start(t, m, 120, 40)
	tm.Type(":alarms")
	tm.Send(press("enter"))
	waitUntil(t, tm, "alarms", loaded("alarms"))
	tm.Send(press("N"))
	waitUntil(t, tm, "the form", func(m *Model) bool { return m.current().Capturing() })
	tm.Type(busy)
	for range 5 { // instances → name → metric → statistic → comparison → threshold
		tm.Send(press("tab"))
	}
	tm.Type("150")
	tm.Send(press("ctrl+s"))
	waitUntil(t, tm, "the threshold refused", screenHas("between 0 and 100"))
	if n := srv.Stats().Calls["PutResourceMetricRule"]; n != 0 {
		t.Fatalf("a refused rule reached the API %d times", n)
	}
	for range 3 {
		tm.Send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	tm.Type("50")
	tm.Send(press("ctrl+s"))
	waitUntil(t, tm, "the confirmation", func(m *Model) bool { return m.confirm != nil })
	tm.Send(press("y"))
	waitUntil(t, tm, "the rule saved", func(m *Model) bool { return !m.current().Capturing() && strings.HasPrefix(m.notice, "✓") })

	rules, err := client.AlarmRules(context.Background(), cloud.AlarmRuleFilter{InstanceID: busy})
	if err != nil {
		t.Fatal(err)
	}
	var created *cloud.AlarmRule
	for i, r := range rules {
		if r.Threshold == 50 {
			created = &rules[i]
		}
	}
	if created == nil {
		t.Fatalf("the emulator holds no rule with threshold 50 on %s: %+v", busy, rules)
	}

	clk.Advance(5 * time.Minute) // Times 3: three new periods above 50 %
	tm.Send(press("r"))
	waitUntil(t, tm, "the rule firing", func(m *Model) bool {
		for _, line := range strings.Split(ansi.Strip(m.render()), "\n") {
			if strings.Contains(line, "Avg > 50%") && strings.Contains(line, "ALARM") {
				return true
			}
		}
		return false
	})
	tm.Type(":alerts")
	tm.Send(press("enter"))
	waitUntil(t, tm, "the alert listed", screenHas(created.Name[:16]))
	finish(t, tm)
}
