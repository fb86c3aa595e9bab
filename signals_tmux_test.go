package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// These tests run the dashboard as a person does: in a terminal (a tmux
// pane), started from a shell, then signal it or press ctrl+z, and read
// the terminal's state from tmux. They skip without tmux or bash.

// asMainEnv makes this test binary run as ecsdash itself, so a pane can
// start it without a separate build.
const asMainEnv = "ECSDASH_TEST_AS_MAIN"

func init() {
	if os.Getenv(asMainEnv) == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
}

// TestStopSignalsRestoreTheTerminal: SIGHUP, SIGTERM, SIGQUIT and SIGINT
// sent to a dashboard with a stop under way put the terminal back (main
// screen, cursor shown, cooked input mode), exit with 128+N, and the audit
// log gets an "interrupted" line for the running stop.
func TestStopSignalsRestoreTheTerminal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM, syscall.SIGQUIT, syscall.SIGINT} {
		t.Run(signalName(sig), func(t *testing.T) {
			t.Parallel()
			d := startDashboard(t)
			d.startSlowStop()
			if err := syscall.Kill(d.pid(), sig); err != nil {
				t.Fatalf("kill -%s: %v", signalName(sig), err)
			}
			exit := d.waitExit()
			if want := 128 + int(sig); exit != want {
				t.Errorf("exit status %d, want %d\n%s", exit, want, d.pane.screen())
			}
			d.pane.checkRestored()
			if !strings.Contains(d.pane.screen(), "stopped by "+signalName(sig)) {
				t.Errorf("stderr does not say the dashboard was stopped by %s:\n%s", signalName(sig), d.pane.screen())
			}
			var found bool
			entries, err := cloud.ReadAudit(d.auditLog, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if e.Result == cloud.AuditInterrupted && strings.HasPrefix(e.Action, "stop ") &&
					strings.Contains(e.Message, signalName(sig)) {
					found = true
				}
			}
			if !found {
				t.Errorf("no interrupted line for the running stop in the audit log: %+v", entries)
			}
		})
	}
}

// TestSuspendAndResume: ctrl+z gives the shell back (main screen, cursor
// shown, cooked input), fg brings the dashboard back whole and its keys
// work; q then quits normally.
func TestSuspendAndResume(t *testing.T) {
	d := startDashboard(t)
	p := d.pane
	p.keys("C-z")
	p.waitFor(`^\[1\]\+\s+Stopped\s`, 10*time.Second) // the shell's job line
	if got := p.display("#{alternate_on} #{cursor_flag}"); got != "0 1" {
		t.Errorf("suspended: alternate_on cursor_flag = %q, want \"0 1\"\n%s", got, p.screen())
	}
	p.typeLine("stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo")
	p.waitFor(`(^|\s)icanon echo\s`, 10*time.Second)

	p.typeLine("fg")
	p.waitFor(`ecsdash instances`, 10*time.Second)
	screen := p.screen()
	for _, want := range []string{"ecsdash instances", "STATUS", "Running", "? help"} {
		if !strings.Contains(screen, want) {
			t.Errorf("after fg the screen lacks %q (no full repaint):\n%s", want, screen)
		}
	}
	if regexp.MustCompile(`(?m)^\[1\]\+\s+Stopped|^\$ fg`).MatchString(screen) {
		t.Errorf("the shell's lines show through the resumed dashboard:\n%s", screen)
	}
	if got := p.display("#{alternate_on}"); got != "1" {
		t.Errorf("after fg alternate_on = %q, want 1", got)
	}
	p.keys("?")
	p.waitFor(`suspend \(fg resumes\)`, 10*time.Second) // a key without enter: raw input again
	p.keys("Escape")
	p.keys("q")
	if exit := d.waitExit(); exit != 0 {
		t.Errorf("exit status %d after q, want 0\n%s", exit, p.screen())
	}
	p.checkRestored()
}

// dashboard is ecsdash running in a tmux pane against an emulator whose
// transitions last 10 minutes (a stop stays running).
type dashboard struct {
	t        *testing.T
	pane     *pane
	dir      string
	auditLog string
}

func startDashboard(t *testing.T) *dashboard {
	t.Helper()
	for _, tool := range []string{"tmux", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	srv := httptest.NewServer(emulator.New(emulator.Options{Seed: 1, TransitionDelay: 10 * time.Minute}))
	t.Cleanup(srv.Close)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	d := &dashboard{t: t, dir: dir, auditLog: filepath.Join(dir, "state", "ecsdash", "audit.jsonl")}
	// A clean environment: none of the developer's credentials or config.
	env := []string{
		asMainEnv + "=1",
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"XDG_STATE_HOME=" + filepath.Join(dir, "state"),
		"ALIBABA_CLOUD_ACCESS_KEY_ID=" + emulator.DefaultAccessKeyID,
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET=" + emulator.DefaultAccessKeySecret,
	}
	var q []string
	for _, kv := range env {
		q = append(q, strconv.Quote(kv))
	}
	// The shell writes the pid ecsdash will have, then becomes it; after
	// it exits the script reports its status and the terminal's mode.
	script := fmt.Sprintf(`bash -c 'echo $$ > %[1]s/pid; exec env -i TERM="$TERM" %[2]s %[3]q --endpoint %[4]s --region cn-hangzhou'
echo "EXIT=$?"
stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | tr '\n' ' '; echo
`, dir, strings.Join(q, " "), self, srv.URL)
	if err := os.WriteFile(filepath.Join(dir, "run.sh"), []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	d.pane = newPane(t)
	d.pane.typeLine("bash " + filepath.Join(dir, "run.sh"))
	d.pane.waitFor(`ecsdash instances`, 20*time.Second)
	d.pane.waitFor(`Running`, 20*time.Second)
	return d
}

// startSlowStop stops the first Running instance (10 minutes of Stopping)
// and waits until the status bar counts it running.
func (d *dashboard) startSlowStop() {
	p := d.pane
	rows := strings.Split(p.screen(), "\n")
	header, downs := -1, -1
	for i, r := range rows {
		switch {
		case header < 0 && strings.Contains(r, " ID "):
			header = i // the row below it has the cursor
		case header >= 0 && strings.Contains(r, " Running "):
			downs = i - header - 1
		}
		if downs >= 0 {
			break
		}
	}
	if downs < 0 {
		d.t.Fatalf("no Running instance on screen:\n%s", p.screen())
	}
	for range downs {
		p.keys("Down")
	}
	p.keys("D")
	p.waitFor(`to confirm`, 10*time.Second)
	p.keys("Tab")
	p.keys("Enter")
	p.waitFor(`1 running`, 20*time.Second)
}

// pid is the dashboard's process id.
func (d *dashboard) pid() int {
	d.t.Helper()
	b, err := os.ReadFile(filepath.Join(d.dir, "pid"))
	if err != nil {
		d.t.Fatal(err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		d.t.Fatal(err)
	}
	return n
}

// waitExit waits for the dashboard to end and returns its exit status.
func (d *dashboard) waitExit() int {
	d.t.Helper()
	m := regexp.MustCompile(`EXIT=(\d+)`).FindStringSubmatch(d.pane.waitFor(`EXIT=\d+`, 20*time.Second))
	n, _ := strconv.Atoi(m[1])
	return n
}

// pane is a tmux pane on a private server, running an interactive bash.
type pane struct {
	t    *testing.T
	sock string
}

func newPane(t *testing.T) *pane {
	t.Helper()
	p := &pane{t: t, sock: fmt.Sprintf("ecsdash-test-%d-%d", os.Getpid(), time.Now().UnixNano())}
	p.tmux("-f", "/dev/null", "new-session", "-d", "-s", "s", "-x", "100", "-y", "30", "env PS1='$ ' bash --norc --noprofile -i")
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", p.sock, "kill-server").Run() })
	p.tmux("set-option", "-g", "status", "off")
	p.waitFor(`\$ $`, 10*time.Second)
	return p
}

func (p *pane) tmux(args ...string) string {
	p.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", p.sock}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (p *pane) keys(names ...string) {
	p.t.Helper()
	p.tmux(append([]string{"send-keys", "-t", "s"}, names...)...)
	time.Sleep(150 * time.Millisecond) // Escape alone, not Alt+ the next key
}

func (p *pane) typeLine(text string) {
	p.t.Helper()
	p.tmux("send-keys", "-t", "s", "-l", "--", text)
	p.keys("Enter")
}

func (p *pane) screen() string { return p.tmux("capture-pane", "-p", "-J", "-t", "s") }

func (p *pane) display(format string) string {
	return strings.TrimSpace(p.tmux("display-message", "-p", "-t", "s", format))
}

// waitFor waits until the screen matches re and returns the screen.
func (p *pane) waitFor(re string, timeout time.Duration) string {
	p.t.Helper()
	rx := regexp.MustCompile("(?m)" + re)
	deadline := time.Now().Add(timeout)
	for {
		s := p.screen()
		if rx.MatchString(s) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the screen never matched %q:\n%s", re, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkRestored checks the terminal is as the shell left it: the main
// screen, the cursor shown, and cooked input (icanon and echo, which the
// script prints from stty after ecsdash ended).
func (p *pane) checkRestored() {
	p.t.Helper()
	if got := p.display("#{alternate_on} #{cursor_flag}"); got != "0 1" {
		p.t.Errorf("alternate_on cursor_flag = %q, want \"0 1\" (main screen, cursor shown)\n%s", got, p.screen())
	}
	if got := p.display("#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}"); got != "000" {
		p.t.Errorf("mouse reporting still on (%s)", got)
	}
	p.waitFor(`(^|\s)icanon echo\s`, 10*time.Second)
}
