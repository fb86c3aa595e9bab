package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

const (
	crashSecret = "CRASH-SECRET-canary-e4da3b7fbbce2345d7772b0674a318d5"
	crashToken  = "CRASH-TOKEN-canary-1679091c5a880faf6fb5e6087eb1b2dc"
	flagSecret  = "FLAG-SECRET-canary-8f14e45fceea167a5a36dedd4bea2543"
)

// crashFiles returns the crash reports under the state dir.
func crashFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(os.Getenv("XDG_STATE_HOME"), "ecsdash", "crash-*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCrashReportHasNoSecrets calls the crash handler with a panic value
// that carries secrets, secret flags on the command line and secrets in
// the environment.
func TestCrashReportHasNoSecrets(t *testing.T) {
	clearCredentials(t)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIcrash")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", crashSecret)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", crashToken)
	t.Setenv("SOME_DB_PASSWORD", "hunter2-canary-password")
	args := []string{"emulator", "--access-key-secret", flagSecret, "--security-token=" + crashToken, "--endpoint", "http://u:urlpass-canary@127.0.0.1:1"}
	var stderr bytes.Buffer
	code := reportCrash(&stderr, errors.New("boom: signing with "+crashSecret+" and "+flagSecret), []byte("goroutine 1 [running]:\nmain.fake("+crashToken+")\n"), args)
	if code != exitCrash {
		t.Fatalf("exit %d", code)
	}
	files := crashFiles(t)
	if len(files) != 1 {
		t.Fatalf("%d crash reports", len(files))
	}
	report := readFile(t, files[0])
	if fi, err := os.Stat(files[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v %v", fi.Mode(), err)
	}
	if !strings.Contains(stderr.String(), files[0]) || !strings.Contains(stderr.String(), "terminal was restored") {
		t.Errorf("stderr does not say where the report is:\n%s", stderr.String())
	}
	for _, want := range []string{"ecsdash crash report", "boom: signing with <redacted>", "--access-key-secret <redacted>", "--security-token=<redacted>",
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "SOME_DB_PASSWORD", "goroutine 1", "version:", "u:<redacted>@127.0.0.1"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	for _, secret := range []string{crashSecret, crashToken, flagSecret, "hunter2-canary-password", "urlpass-canary"} {
		for name, text := range map[string]string{"report": report, "stderr": stderr.String()} {
			if strings.Contains(text, secret) {
				t.Errorf("%s contains %q", name, secret)
			}
		}
	}
}

// panicCtx is a context whose Done panics with msg: a panic deep inside a
// command, raised through the real run() without any test hook in the
// product.
type panicCtx struct {
	context.Context
	msg string
}

func (c panicCtx) Done() <-chan struct{} { panic(c.msg) }

func TestPanicThroughRunWritesCrashReport(t *testing.T) {
	url := profileEnv(t)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", crashToken)
	var out, errb bytes.Buffer
	// The panic value holds the profile's secret and token and the
	// environment's token: all must be scrubbed.
	msg := "boom in Done, holding " + profSecret + " " + profToken + " " + crashToken
	code := run(panicCtx{context.Background(), msg}, []string{"status", "--endpoint", url, "--profile", "temp"}, &out, &errb)
	if code != exitCrash {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	files := crashFiles(t)
	if len(files) != 1 {
		t.Fatalf("%d crash reports; stderr %s", len(files), errb.String())
	}
	report := readFile(t, files[0])
	if !strings.Contains(report, "boom in Done") || !strings.Contains(report, "panicCtx") || !strings.Contains(errb.String(), files[0]) {
		t.Errorf("report:\n%s\nstderr:\n%s", report, errb.String())
	}
	for _, secret := range []string{crashToken, profSecret, profToken} {
		if strings.Contains(report, secret) || strings.Contains(errb.String(), secret) || strings.Contains(out.String(), secret) {
			t.Errorf("secret %q written", secret)
		}
	}
}

// panicky is a model that panics where it is told to.
type panicky struct{ where string }

func (m panicky) Init() tea.Cmd {
	switch m.where {
	case "init":
		panic("init " + crashSecret)
	case "cmd":
		return func() tea.Msg { panic("cmd " + crashSecret) }
	case "batch":
		return tea.Batch(func() tea.Msg { return nil }, func() tea.Msg { panic("batch " + crashSecret) })
	case "sequence":
		return tea.Sequence(func() tea.Msg { return nil }, func() tea.Msg { panic("sequence " + crashSecret) })
	case "update", "view":
		return func() tea.Msg { return "go" }
	}
	return nil
}

func (m panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if msg == "go" && m.where == "update" {
		panic("update " + crashSecret)
	}
	if msg == "go" && m.where == "view" {
		m.where = "view!"
	}
	return m, nil
}

func (m panicky) View() tea.View {
	if m.where == "view!" {
		panic("view " + crashSecret)
	}
	return tea.NewView("ok")
}

// TestDashboardPanicsAreCaught runs real Bubble Tea programs whose model
// panics in Init, Update, View and in commands (plain, batched,
// sequenced): each run ends (terminal restored by Bubble Tea's shutdown)
// with the panic recorded for the crash report.
func TestDashboardPanicsAreCaught(t *testing.T) {
	for _, where := range []string{"init", "cmd", "batch", "sequence", "update", "view"} {
		t.Run(where, func(t *testing.T) {
			guard, rec := newCrashGuard(panicky{where: where})
			var out bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			p := tea.NewProgram(guard, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(&out),
				tea.WithoutSignalHandler(), tea.WithWindowSize(80, 24))
			rec.setStop(p.Kill)
			_, err := p.Run()
			if ctx.Err() != nil {
				t.Fatal("the program did not stop after the panic")
			}
			perr := dashboardPanic(rec, err)
			var pe *panicError
			if !errors.As(perr, &pe) {
				t.Fatalf("no panic recorded (run err %v)", err)
			}
			if !strings.HasPrefix(pe.Error(), "panic: "+where) || len(pe.stack) == 0 {
				t.Fatalf("recorded %v, stack %d bytes", pe, len(pe.stack))
			}
		})
	}
	// No panic, no crash.
	guard, rec := newCrashGuard(panicky{})
	p := tea.NewProgram(guard, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithoutSignalHandler())
	go p.Quit()
	_, err := p.Run()
	if dashboardPanic(rec, err) != nil {
		t.Fatal("a clean run reported a panic")
	}
}

func TestRedactArgs(t *testing.T) {
	got := strings.Join(redactArgs([]string{"emulator", "--access-key-id", "LTAIvisible", "--access-key-secret", "s1", "--password=p1", "--region", "cn-hangzhou", "-token", "t1"}), " ")
	want := "emulator --access-key-id LTAIvisible --access-key-secret <redacted> --password=<redacted> --region cn-hangzhou -token <redacted>"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
