package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"reflect"
	"sync"
	"sync/atomic"
	"syscall"

	tea "charm.land/bubbletea/v2"
)

// signalContext is cancelled on interrupt: the one-shot commands (status,
// audit, emulator) stop their work.
func signalContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}

// stopSignals end the dashboard as q does, with the terminal restored
// (main screen, cursor shown, input mode reset): the terminal went away
// (SIGHUP), kill (SIGTERM), kill -QUIT (SIGQUIT) and kill -INT (SIGINT).
// In the dashboard ^C and ^\ are keys (the terminal is in raw mode), so
// these come from outside. Without this, SIGHUP and SIGQUIT would end the
// process with the terminal still on the alternate screen, cursor hidden.
func stopSignals() []os.Signal {
	return []os.Signal{syscall.SIGHUP, syscall.SIGTERM, syscall.SIGQUIT, syscall.SIGINT}
}

// fromKeyboard reports whether a terminal sends s to its whole foreground
// process group when a key is typed (^C, ^\): while ecsdash has handed the
// terminal to another program (ssh, an editor) it is that program's.
func fromKeyboard(s os.Signal) bool { return s == syscall.SIGINT || s == syscall.SIGQUIT }

// signalName is the name shells and kill use ("SIGHUP").
func signalName(s os.Signal) string {
	switch s {
	case syscall.SIGHUP:
		return "SIGHUP"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGQUIT:
		return "SIGQUIT"
	case syscall.SIGINT:
		return "SIGINT"
	}
	return s.String()
}

// signalStop is how a dashboard stopped by a signal ends: run prints it
// and exits with 128 + the signal's number, as a shell reports a process
// killed by it.
type signalStop struct {
	sig         os.Signal
	interrupted int   // running operations written to the audit log as interrupted
	auditErr    error // writing those lines failed
}

func (e *signalStop) Error() string {
	msg := "stopped by " + signalName(e.sig)
	switch {
	case e.auditErr != nil:
		msg += fmt.Sprintf("; %d operation(s) were still running and could not all be written to the audit log as interrupted: %v", e.interrupted, e.auditErr)
	case e.interrupted > 0:
		msg += fmt.Sprintf("; %d operation(s) still running were written to the audit log as interrupted (the cloud finishes what was sent: check them)", e.interrupted)
	}
	return msg
}

func (e *signalStop) exitCode() int {
	if n, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return 1
}

// signalWatch stops a running dashboard on a stop signal: the first one
// quits it as q does (Bubble Tea restores the terminal), a second one
// kills it at once (the terminal is restored too, without a last frame).
// It replaces Bubble Tea's own handler (tea.WithoutSignalHandler), which
// knows only SIGINT and SIGTERM.
type signalWatch struct {
	ch   chan os.Signal
	done chan struct{}
	once sync.Once

	// handedOver: the last message the program took hands the terminal
	// to someone else (tea.Exec runs ssh; tea.Suspend stops ecsdash). The
	// event loop is blocked in it until it ends, so this stays true for
	// exactly that long.
	handedOver atomic.Bool
	execType   reflect.Type // tea.Exec's message (its type is unexported)

	mu  sync.Mutex
	got os.Signal // the first stop signal, nil if none
}

// newSignalWatch starts listening; pass its filter to tea.NewProgram
// (tea.WithFilter) and the program to start.
func newSignalWatch() *signalWatch {
	w := &signalWatch{
		ch:       make(chan os.Signal, 4),
		done:     make(chan struct{}),
		execType: reflect.TypeOf(tea.Exec(nil, nil)()),
	}
	signal.Notify(w.ch, stopSignals()...)
	return w
}

// filter notes, for each message the program takes, whether it hands the
// terminal over; it changes no message.
func (w *signalWatch) filter(_ tea.Model, msg tea.Msg) tea.Msg {
	_, suspend := msg.(tea.SuspendMsg)
	w.handedOver.Store(suspend || reflect.TypeOf(msg) == w.execType)
	return msg
}

// start stops p on the stop signals until stop is called.
func (w *signalWatch) start(p *tea.Program) {
	go func() {
		for {
			select {
			case <-w.done:
				return
			case s := <-w.ch:
				if fromKeyboard(s) && w.handedOver.Load() {
					continue // ^C typed to ssh's password prompt is ssh's
				}
				w.mu.Lock()
				first := w.got == nil
				if first {
					w.got = s
				}
				w.mu.Unlock()
				if first {
					// Quit waits for the event loop, busy until an ssh
					// session ends: a second signal must still get through.
					go p.Quit()
				} else {
					p.Kill()
				}
			}
		}
	}()
}

// stop stops listening and returns the signal that stopped the program,
// nil if none did.
func (w *signalWatch) stop() os.Signal {
	w.once.Do(func() {
		signal.Stop(w.ch)
		close(w.done)
	})
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.got
}
