package main

import (
	"os/exec"
	"reflect"
	"syscall"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestSignalWatchKnowsWhenTheTerminalIsHandedOver: while ssh (tea.Exec) or
// the shell (tea.Suspend) has the terminal, a ^C or ^\ typed there is
// theirs; the next message the program takes means it has the terminal
// back.
func TestSignalWatchKnowsWhenTheTerminalIsHandedOver(t *testing.T) {
	w := newSignalWatch()
	defer w.stop()
	steps := []struct {
		msg        tea.Msg
		handedOver bool
	}{
		{tea.KeyPressMsg{Code: 's', Text: "s"}, false},
		{tea.ExecProcess(exec.Command("true"), nil)(), true},
		{tea.WindowSizeMsg{Width: 80, Height: 24}, false},
		{tea.SuspendMsg{}, true},
		{tea.ResumeMsg{}, false},
	}
	for _, s := range steps {
		if got := w.filter(nil, s.msg); reflect.TypeOf(got) != reflect.TypeOf(s.msg) {
			t.Errorf("filter changed %T into %T", s.msg, got)
		}
		if got := w.handedOver.Load(); got != s.handedOver {
			t.Errorf("after %T: handed over = %v, want %v", s.msg, got, s.handedOver)
		}
	}
	for sig, keyboard := range map[syscall.Signal]bool{syscall.SIGINT: true, syscall.SIGQUIT: true, syscall.SIGHUP: false, syscall.SIGTERM: false} {
		if fromKeyboard(sig) != keyboard {
			t.Errorf("fromKeyboard(%s) = %v, want %v", signalName(sig), !keyboard, keyboard)
		}
	}
	if code := (&signalStop{sig: syscall.SIGHUP}).exitCode(); code != 129 {
		t.Errorf("exit code after SIGHUP %d, want 129", code)
	}
}
