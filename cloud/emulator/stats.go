package emulator

import (
	"net/http"
	"sync"
)

// stats counts what the emulator served, for /_emulator/stats: benchmarks
// and tests read API cost from here rather than trusting the client.
type stats struct {
	mu          sync.Mutex
	calls       map[string]int
	faults      map[string]int
	inFlight    int
	maxInFlight int
}

func newStats() *stats {
	return &stats{calls: map[string]int{}, faults: map[string]int{}}
}

func (s *stats) enter() {
	s.mu.Lock()
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	s.mu.Unlock()
}

func (s *stats) leave() {
	s.mu.Lock()
	s.inFlight--
	s.mu.Unlock()
}

func (s *stats) call(action string) {
	s.mu.Lock()
	s.calls[action]++
	s.mu.Unlock()
}

func (s *stats) fault(code string) {
	s.mu.Lock()
	s.faults[code]++
	s.mu.Unlock()
}

// Stats is the body of GET /_emulator/stats.
type Stats struct {
	Calls       map[string]int `json:"calls"`
	TotalCalls  int            `json:"totalCalls"`
	Faults      map[string]int `json:"faults"`
	MaxInFlight int            `json:"maxInFlight"`
	InFlight    int            `json:"inFlight"` // requests being answered now
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	st := s.stats
	st.mu.Lock()
	defer st.mu.Unlock()
	out := Stats{Calls: map[string]int{}, Faults: map[string]int{}, MaxInFlight: st.maxInFlight, InFlight: st.inFlight}
	for k, v := range st.calls {
		out.Calls[k] = v
		out.TotalCalls += v
	}
	for k, v := range st.faults {
		out.Faults[k] = v
	}
	return out
}

func (s *Server) serveStats(w http.ResponseWriter) {
	writeJSON(w, http.StatusOK, s.Stats())
}
