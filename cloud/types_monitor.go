package cloud

import "time"

// Metric is a CloudMonitor metric name in the acs_ecs_dashboard namespace.
type Metric string

// Metrics the dashboard shows.
const (
	MetricCPU         Metric = "CPUUtilization"
	MetricMemory      Metric = "memory_usedutilization"
	MetricDisk        Metric = "diskusage_utilization"
	MetricInternetIn  Metric = "InternetInRate"
	MetricInternetOut Metric = "InternetOutRate"
	MetricLoad1m      Metric = "load_1m"
)

// MetricPoint is one datapoint of a metric.
type MetricPoint struct {
	Time  time.Time
	Value float64 // the Average statistic (or Value for metrics that only have one)
	Max   float64
	Min   float64
}

// MetricSeries is a metric's history for one instance, oldest point first.
type MetricSeries struct {
	InstanceID string
	Metric     Metric
	Period     time.Duration
	Points     []MetricPoint
}

// AgentStatus is the CloudMonitor agent's state on an instance.
type AgentStatus struct {
	InstanceID string
	Status     string // "running", "stopped", "installing", "install_faild", "abnormal", "not_installed"
	Version    string
}

// Alarm rule states (DescribeMetricRuleList AlertState).
const (
	AlarmOK               = "OK"
	AlarmAlarm            = "ALARM"
	AlarmInsufficientData = "INSUFFICIENT_DATA"
)

// Alarm levels: the escalation a rule's condition belongs to. An alert
// raised at Critical is logged as P2, Warn as P3, Info as P4.
const (
	LevelCritical = "Critical"
	LevelWarn     = "Warn"
	LevelInfo     = "Info"
)

// AlarmRule is a CloudMonitor threshold alarm rule on a metric of some
// instances. A rule may carry conditions at several levels; the most
// severe one set is the one shown here (Level).
type AlarmRule struct {
	ID            string
	Name          string
	Namespace     string // "acs_ecs_dashboard" for ECS metrics
	Metric        Metric
	Level         string // LevelCritical, LevelWarn or LevelInfo
	Statistic     string // "Average", "Maximum", "Minimum"
	Comparison    string // e.g. "GreaterThanOrEqualToThreshold"
	Threshold     float64
	Times         int // consecutive periods before it fires
	Period        time.Duration
	SilenceTime   time.Duration // no repeat notification within this
	ContactGroups []string
	InstanceIDs   []string // empty: every instance of the account
	Enabled       bool
	State         string // AlarmOK, AlarmAlarm, AlarmInsufficientData
}

// Spec returns the spec that would put the rule again as it is (to edit).
func (r AlarmRule) Spec() AlarmRuleSpec {
	return AlarmRuleSpec{
		ID: r.ID, Name: r.Name, Namespace: r.Namespace, Metric: r.Metric, Level: r.Level,
		Statistic: r.Statistic, Comparison: r.Comparison, Threshold: r.Threshold, Times: r.Times,
		Period: r.Period, SilenceTime: r.SilenceTime,
		ContactGroups: append([]string(nil), r.ContactGroups...),
		InstanceIDs:   append([]string(nil), r.InstanceIDs...),
	}
}

// Alert is one entry of the alert history: a rule's level changing on an
// instance (or repeating after the silence time).
type Alert struct {
	ID            string // LogId
	RuleID        string
	RuleName      string
	InstanceID    string
	InstanceName  string
	Metric        Metric
	Level         string // "P2" (critical), "P3" (warning), "P4" (info) or "OK" (recovered)
	LevelChange   string // e.g. "OK->P2", "P2->OK"
	State         string // AlarmAlarm, or AlarmOK for a recovery
	Time          time.Time
	Value         string // the metric value that decided it, "" if not reported
	Expression    string // the condition, e.g. "$Average>90"
	Message       string // the service's alert message (a JSON string)
	ContactGroups []string
}

// ContactGroup is a named list of alert contacts that rules notify.
type ContactGroup struct {
	Name        string
	Description string
	Contacts    []Contact
}

// Contact is an alert contact and the channels it is reached on ("" when
// a channel is not set).
type Contact struct {
	Name        string
	Description string
	Email       string
	Phone       string // SMS
	DingWebhook string // DingTalk chatbot
}

// Channels names the contact's channels: "Email", "SMS", "DingTalk".
func (c Contact) Channels() []string {
	var out []string
	if c.Email != "" {
		out = append(out, "Email")
	}
	if c.Phone != "" {
		out = append(out, "SMS")
	}
	if c.DingWebhook != "" {
		out = append(out, "DingTalk")
	}
	return out
}
