package emulator

// cmsRoutes maps CloudMonitor (2019-01-01) actions to handlers.
func (s *Server) cmsRoutes() map[string]handler {
	return map[string]handler{}
}
