package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
)

// exitCrash is the exit status after a panic (a bug in ecsdash).
const exitCrash = 3

// A crash report is written for a panic anywhere ecsdash can catch one:
// on the main goroutine (run's deferred recover) and inside the dashboard
// (crashGuard: the model's Init, Update and View, and every command it
// returns, batched or sequenced). The terminal is restored first (the
// dashboard is stopped), then the report goes to
// $XDG_STATE_HOME/ecsdash/crash-<time>.txt and stderr says where.
//
// The report holds the panic value, the stack, the version, the command
// line with secret-looking flag values replaced by <redacted>, and the
// NAMES of the environment variables, never their values. Every known
// secret (the profile's AccessKeySecret and token, secret-looking
// environment values and flag values) is scrubbed from the whole text.

// panicError carries a recovered panic to run, which reports it.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.value) }

// knownSecrets are secrets this process holds (profile secrets, the demo
// emulator's key), scrubbed from crash reports.
var knownSecrets struct {
	mu   sync.Mutex
	list []string
}

// rememberSecrets registers secrets a crash report must never contain.
func rememberSecrets(secrets ...string) {
	knownSecrets.mu.Lock()
	defer knownSecrets.mu.Unlock()
	for _, s := range secrets {
		if s != "" && !slices.Contains(knownSecrets.list, s) {
			knownSecrets.list = append(knownSecrets.list, s)
		}
	}
}

func rememberedSecrets() []string {
	knownSecrets.mu.Lock()
	defer knownSecrets.mu.Unlock()
	return slices.Clone(knownSecrets.list)
}

// secretName matches flag and variable names whose values are secrets.
var secretName = regexp.MustCompile(`(?i)(secret|password|passwd|token|private[-_]?key|credential|signature|session[-_]?key)`)

// userinfo matches the password of a URL (scheme://user:password@host).
var userinfo = regexp.MustCompile(`(://[^/@:\s]*):[^/@\s]+@`)

// reportCrash writes the crash report for a recovered panic and tells the
// user on stderr where it is; it returns the exit status.
func reportCrash(stderr io.Writer, value any, stack []byte, args []string) int {
	now := time.Now()
	text := crashReport(value, stack, args, os.Environ(), rememberedSecrets(), now)
	path, err := writeCrashReport(text, now)
	summary := firstLine(scrub(fmt.Sprint(value), crashSecrets(args, os.Environ(), rememberedSecrets())))
	if err != nil {
		fmt.Fprintf(stderr, "ecsdash crashed (a bug): %s\ncould not write the crash report (%v); here it is:\n\n%s", summary, err, text)
		return exitCrash
	}
	fmt.Fprintf(stderr, "ecsdash crashed (a bug): %s\nThe terminal was restored. A crash report (no secrets in it) is in\n  %s\nPlease attach it to a bug report.\n", summary, path)
	return exitCrash
}

// writeCrashReport writes text to a new crash-<time>.txt under the state
// directory, readable by the user only.
func writeCrashReport(text string, now time.Time) (string, error) {
	stamp := now.UTC().Format("20060102T150405.000Z") + fmt.Sprintf("-%d", os.Getpid())
	path, err := crashReportPath(stamp)
	if err != nil {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	if _, err := io.WriteString(f, text); err != nil {
		_ = f.Close()
		return "", err
	}
	return path, f.Close()
}

// crashReport renders a report. environ is os.Environ() (only the names
// are written); secrets are extra values to scrub.
func crashReport(value any, stack []byte, args, environ, secrets []string, now time.Time) string {
	all := crashSecrets(args, environ, secrets)
	var b strings.Builder
	b.WriteString("ecsdash crash report\n\n")
	fmt.Fprintf(&b, "time:      %s\n", now.UTC().Format(time.RFC3339Nano))
	fmt.Fprintf(&b, "version:   %s\n", versionInfo())
	fmt.Fprintf(&b, "platform:  %s/%s, %d CPUs\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	fmt.Fprintf(&b, "command:   ecsdash %s\n", strings.Join(redactArgs(args), " "))
	names := make([]string, 0, len(environ))
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		names = append(names, name)
	}
	slices.Sort(names)
	fmt.Fprintf(&b, "env names: %s (values not recorded)\n\n", strings.Join(names, " "))
	fmt.Fprintf(&b, "panic: %v\n\n", value)
	if len(stack) > 0 {
		fmt.Fprintf(&b, "stack:\n%s\n", stack)
	} else {
		b.WriteString("stack: not available (the panic was caught by Bubble Tea, which printed it on stderr)\n")
	}
	return scrub(b.String(), all)
}

// crashSecrets gathers every value to scrub: the given secrets, the values
// of secret-looking environment variables and of secret-looking flags.
func crashSecrets(args, environ, secrets []string) []string {
	out := slices.Clone(secrets)
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		// Shorter values ("true", "1") are settings, not secrets.
		if secretName.MatchString(name) && len(value) >= 8 {
			out = append(out, value)
		}
	}
	for i, a := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || !secretName.MatchString(name) {
			continue
		}
		if hasValue {
			out = append(out, value)
		} else if i+1 < len(args) {
			out = append(out, args[i+1])
		}
	}
	return out
}

// redactArgs replaces the values of secret-looking flags ("--x-secret V",
// "--x-secret=V") and URL passwords.
func redactArgs(args []string) []string {
	out := make([]string, len(args))
	redactNext := false
	for i, a := range args {
		switch {
		case redactNext:
			out[i] = "<redacted>"
			redactNext = false
		case strings.HasPrefix(a, "-") && secretName.MatchString(strings.SplitN(a, "=", 2)[0]):
			if name, _, ok := strings.Cut(a, "="); ok {
				out[i] = name + "=<redacted>"
			} else {
				out[i] = a
				redactNext = true
			}
		default:
			out[i] = userinfo.ReplaceAllString(a, "$1:<redacted>@")
		}
	}
	return out
}

// scrub replaces every secret in s (and URL passwords).
func scrub(s string, secrets []string) string {
	return userinfo.ReplaceAllString(cloud.RedactSecrets(s, secrets...), "$1:<redacted>@")
}

// versionInfo names the build: module version, VCS revision, Go version.
func versionInfo() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (" + runtime.Version() + ")"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision", "vcs.time":
			v += " " + s.Key + "=" + s.Value
		case "vcs.modified":
			if s.Value == "true" {
				v += " (modified)"
			}
		}
	}
	return v + " " + bi.GoVersion
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// crashGuard wraps the dashboard's root model so a panic in it is
// recorded (value and stack) and the program stopped, which restores the
// terminal; run then writes the report. Bubble Tea would recover these
// panics itself but print them raw on stderr and keep neither for us.
type crashGuard struct {
	inner tea.Model
	rec   *panicRecorder
}

// panicRecorder keeps the first panic and stops the program.
type panicRecorder struct {
	mu   sync.Mutex
	err  *panicError
	stop func() // tea.Program.Kill, set once the program exists
}

func newCrashGuard(inner tea.Model) (crashGuard, *panicRecorder) {
	rec := &panicRecorder{}
	return crashGuard{inner: inner, rec: rec}, rec
}

// setStop gives the recorder the function that stops the program.
func (r *panicRecorder) setStop(stop func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stop = stop
}

// record keeps the panic (the first one) and stops the program.
func (r *panicRecorder) record(v any) {
	stack := debug.Stack()
	r.mu.Lock()
	if r.err == nil {
		r.err = &panicError{value: v, stack: stack}
	}
	stop := r.stop
	r.mu.Unlock()
	if stop != nil {
		stop()
	}
}

// panicked returns the recorded panic, nil if none.
func (r *panicRecorder) panicked() *panicError {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

func (r *panicRecorder) isDead() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err != nil
}

// cmdType is tea.Cmd's type, to find the commands inside a BatchMsg or a
// Sequence's (unexported) message.
var cmdType = reflect.TypeFor[tea.Cmd]()

// wrap makes cmd record a panic instead of crashing, and wraps the
// commands of a batch or sequence it returns.
func (r *panicRecorder) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if v := recover(); v != nil {
				r.record(v)
				msg = nil
			}
		}()
		return r.wrapMsg(cmd())
	}
}

// wrapMsg wraps every command of a message that is a list of commands
// (tea.BatchMsg, tea.Sequence's message).
func (r *panicRecorder) wrapMsg(msg tea.Msg) tea.Msg {
	rv := reflect.ValueOf(msg)
	if !rv.IsValid() || rv.Kind() != reflect.Slice || rv.Type().Elem() != cmdType {
		return msg
	}
	out := reflect.MakeSlice(rv.Type(), rv.Len(), rv.Len())
	for i := range rv.Len() {
		c, _ := rv.Index(i).Interface().(tea.Cmd)
		if w := r.wrap(c); w != nil {
			out.Index(i).Set(reflect.ValueOf(w))
		}
	}
	return out.Interface()
}

func (g crashGuard) Init() (cmd tea.Cmd) {
	defer func() {
		if v := recover(); v != nil {
			g.rec.record(v)
			cmd = tea.Quit
		}
	}()
	return g.rec.wrap(g.inner.Init())
}

func (g crashGuard) Update(msg tea.Msg) (m tea.Model, cmd tea.Cmd) {
	if g.rec.isDead() {
		return g, tea.Quit
	}
	defer func() {
		if v := recover(); v != nil {
			g.rec.record(v)
			m, cmd = g, tea.Quit
		}
	}()
	inner, cmd := g.inner.Update(msg)
	g.inner = inner
	return g, g.rec.wrap(cmd)
}

func (g crashGuard) View() (v tea.View) {
	if g.rec.isDead() {
		return tea.NewView("")
	}
	defer func() {
		if r := recover(); r != nil {
			g.rec.record(r)
			v = tea.NewView("")
		}
	}()
	v = g.inner.View()
	if on := v.OnMouse; on != nil {
		v.OnMouse = func(m tea.MouseMsg) (cmd tea.Cmd) {
			defer func() {
				if r := recover(); r != nil {
					g.rec.record(r)
					cmd = nil
				}
			}()
			return g.rec.wrap(on(m))
		}
	}
	return v
}

// dashboardPanic turns the outcome of a dashboard run into a *panicError
// when it panicked: one the guard recorded, or one Bubble Tea caught in
// its own code (which it printed on stderr).
func dashboardPanic(rec *panicRecorder, runErr error) error {
	if p := rec.panicked(); p != nil {
		return p
	}
	if errors.Is(runErr, tea.ErrProgramPanic) {
		return &panicError{value: "panic caught by Bubble Tea"}
	}
	return nil
}
