package emulator

// ecsRoutes maps ECS (2014-05-26) actions to handlers.
func (s *Server) ecsRoutes() map[string]handler {
	return map[string]handler{}
}
