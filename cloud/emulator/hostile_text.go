package emulator

import "fmt"

// SetInstanceNameUnchecked gives an instance a name the real API's rules
// would refuse (escape sequences, bidirectional controls), as a compromised
// or misbehaving service could answer it: tests show what such text does on
// screen. Nothing in the API can do this.
func (s *Server) SetInstanceNameUnchecked(id, name string) error {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	in, ok := s.store.instances[id]
	if !ok {
		return fmt.Errorf("emulator: no instance %s", id)
	}
	in.Name = name
	return nil
}
