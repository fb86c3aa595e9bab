package emulator

// cmsRoutes maps CloudMonitor (2019-01-01) actions to handlers.
func (s *Server) cmsRoutes() map[string]handler {
	g := newMetricGen(s.store.seed, s.opts.Now())
	lim := newRateLimiter(s.cmsRateLimit())
	return map[string]handler{
		"DescribeMetricLast": s.limited(lim, "DescribeMetricLast", func(r *request) (any, error) {
			return s.describeMetricLast(g, r)
		}),
		"DescribeMetricList": s.limited(lim, "DescribeMetricList", func(r *request) (any, error) {
			return s.describeMetricList(g, r)
		}),
		"DescribeMonitoringAgentStatuses": func(r *request) (any, error) {
			return s.describeMonitoringAgentStatuses(g, r)
		},
		"InstallMonitoringAgent": s.installMonitoringAgent,
	}
}
