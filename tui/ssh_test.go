package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSSHRunsTheUsersSSH puts a stand-in ssh on PATH that records its
// arguments, presses s on an instance and confirms: the dashboard must run
// it with the instance's address and come back.
func TestSSHRunsTheUsersSSH(t *testing.T) {
	dir := t.TempDir()
	record := filepath.Join(dir, "args")
	script := "#!/bin/sh\necho \"$@\" > " + record + "\n"
	if err := os.WriteFile(filepath.Join(dir, "ssh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))

	m := newTestShell(t)
	m.opts.SSH.KeyFiles = map[string]string{"ops-2024": "/keys/ops-2024.pem"}
	m.rebuildViews()
	tm := start(t, m, 120, 40)
	tm.Send(press("s")) // the first row: api-01, public IP 47.96.102.156, key pair ops-2024
	waitUntil(t, tm, "the ssh dialog", screenHas("root@47.96.102.156"))
	tm.Send(press("y"))
	waitUntil(t, tm, "ssh finished", func(m *Model) bool { return strings.HasPrefix(m.notice, "✓ ssh") })
	finish(t, tm)
	deadline := time.Now().Add(5 * time.Second)
	var got []byte
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(record); err == nil && len(b) > 0 {
			got = b
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if want := "-i /keys/ops-2024.pem root@47.96.102.156"; strings.TrimSpace(string(got)) != want {
		t.Fatalf("ssh ran with %q, want %q", got, want)
	}
}
