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

// AlarmRule is a CloudMonitor alarm rule on an ECS metric.
type AlarmRule struct {
	ID            string
	Name          string
	Metric        Metric
	Comparison    string // e.g. "GreaterThanOrEqualToThreshold"
	Threshold     float64
	Times         int // consecutive periods before it fires
	Period        time.Duration
	ContactGroups []string
	Enabled       bool
	State         string // "OK", "ALARM", "INSUFFICIENT_DATA"
}

// Alert is one entry of the alarm history.
type Alert struct {
	RuleID     string
	RuleName   string
	InstanceID string
	Metric     Metric
	Level      string
	State      string
	Time       time.Time
	Value      string
}
