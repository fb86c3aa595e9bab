package tui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
	"github.com/ecsdash/ecsdash/theme"
)

// newLoadedShell is a 120x40 shell whose instances view holds n instances
// from every region, loaded synchronously.
func newLoadedShell(b *testing.B, n int) *Model {
	b.Helper()
	srv := emulator.New(emulator.Options{Seed: 1, Instances: n, Now: clock})
	url := serveEmulator(b, srv)
	client := emulatorClient(b, url, cloud.Config{Region: "cn-hangzhou"})
	m := New(Options{Client: client, Region: cloud.AllRegions, Refresh: time.Hour, Theme: theme.New(false), Now: clock})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.Update(m.current().Load(m.ctx())())
	if got := m.current().Status().Total; got != n {
		b.Fatalf("loaded %d instances, want %d", got, n)
	}
	return m
}

// BenchmarkFilterKeystroke is one keystroke in the filter over 10,000
// instances: Update (refilter) plus View (render the screen).
func BenchmarkFilterKeystroke(b *testing.B) {
	m := newLoadedShell(b, 10000)
	m.Update(press("/"))
	m.Update(press("w"))
	keys := []tea.KeyPressMsg{press("e"), {Code: tea.KeyBackspace}}
	i := 0
	for b.Loop() {
		m.Update(keys[i%2])
		_ = m.View()
		i++
	}
}

// BenchmarkScrollKeystroke is one cursor move over 10,000 instances.
func BenchmarkScrollKeystroke(b *testing.B) {
	m := newLoadedShell(b, 10000)
	keys := []tea.KeyPressMsg{press("j"), press("k")}
	i := 0
	for b.Loop() {
		m.Update(keys[i%2])
		_ = m.View()
		i++
	}
}
