package emulator

// cmsRoutes maps CloudMonitor (2019-01-01) actions to handlers.
func (s *Server) cmsRoutes() map[string]handler {
	g := newMetricGen(s.store.seed, s.opts.Now())
	lim := newRateLimiter(s.cmsRateLimit())
	routes := map[string]handler{
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

		"PutResourceMetricRule":    s.putResourceMetricRule,
		"DescribeMetricRuleList":   s.describeMetricRuleList,
		"EnableMetricRules":        s.setMetricRulesEnabled(true),
		"DisableMetricRules":       s.setMetricRulesEnabled(false),
		"DeleteMetricRules":        s.deleteMetricRules,
		"DescribeContactGroupList": s.describeContactGroupList,
		"DescribeContactList":      s.describeContactList,
		"DescribeAlertLogList":     s.describeAlertLogList,
		"DescribeAlertHistoryList": s.describeAlertHistoryList,
	}
	// Every CloudMonitor call first evaluates the alarm rules (lazily: at
	// most once per 15 s of emulator clock; see alarm_eval.go).
	for action, h := range routes {
		routes[action] = s.evaluating(g, h)
	}
	return routes
}
