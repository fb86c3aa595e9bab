package tui

import (
	"errors"
	"fmt"

	"github.com/ecsdash/ecsdash/cloud"
)

// Interrupted writes an audit line for every action still running (see
// cloud.RecordInterrupted) and returns how many there were. reason says
// why ecsdash stopped ("SIGHUP"). Call it once the program has stopped
// (tea.Program.Run returned): it reads the activity list, which belongs
// to the UI goroutine while the program runs.
func (m *Model) Interrupted(reason string) (int, error) {
	n := 0
	var errs []error
	for _, e := range m.activity {
		if !e.running {
			continue
		}
		n++
		if m.opts.Client == nil {
			continue
		}
		err := m.opts.Client.RecordInterrupted(cloud.Interruption{
			Region: m.opts.Region, Action: e.action, LastStep: e.progress, Reason: reason,
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", e.action, err))
		}
	}
	return n, errors.Join(errs...)
}
