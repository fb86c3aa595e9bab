package views

import (
	"sync"

	"github.com/ecsdash/ecsdash/cloud"
)

// leftStoppedCell is the STATUS cell of an instance an operation of this
// session stopped and could not start again (Report.LeftStopped), shown in
// the warning colour until the instance is seen running; the detail pane
// says which operation.
const leftStoppedCell = "Stopped!"

// Stranded remembers, for the session, the instances operations left
// Stopped after a failure, so that their rows keep saying so. The shell
// owns it (one per session) and marks what each Report names; the
// instances view reads it. Safe for the detail loaders' goroutines.
type Stranded struct {
	mu  sync.Mutex
	ids map[string]string // instance id -> the action that left it
}

// NewStranded is an empty set.
func NewStranded() *Stranded { return &Stranded{ids: map[string]string{}} }

// Mark records the instances r left Stopped.
func (s *Stranded) Mark(r Report) {
	if s == nil || len(r.LeftStopped) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range r.LeftStopped {
		s.ids[id] = r.Action
	}
}

// By is the action that left in Stopped, "" when none did or it has run
// since: an instance seen in any state but Stopped is forgotten (it was
// started).
func (s *Stranded) By(in cloud.Instance) string {
	if s == nil {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	action, ok := s.ids[in.ID]
	if ok && in.Status != cloud.StateStopped {
		delete(s.ids, in.ID)
		return ""
	}
	return action
}
