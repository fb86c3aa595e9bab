package cloud

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// AlarmRuleSpec is what PlanPutAlarmRule creates or, for an existing ID,
// replaces. Zero values of the optional fields take the defaults noted.
type AlarmRuleSpec struct {
	ID            string // caller-chosen; see NewAlarmRuleID
	Name          string // 1-64 characters
	Namespace     string // default "acs_ecs_dashboard"
	Metric        Metric
	Level         string // LevelCritical (default), LevelWarn or LevelInfo
	Statistic     string // "Average" (default), "Maximum" or "Minimum"
	Comparison    string // one of Comparisons
	Threshold     float64
	Times         int           // consecutive periods, 1-100
	Period        time.Duration // default 1 minute; whole minutes
	SilenceTime   time.Duration // default 24 h; at least 1 h
	ContactGroups []string      // at least one
	InstanceIDs   []string      // at least one
}

// Comparisons are the operators a rule can use (PutResourceMetricRule).
// The relative ones (…Yesterday, …LastWeek, …LastPeriod) take a threshold
// in percent of change.
var Comparisons = []string{
	"GreaterThanOrEqualToThreshold",
	"GreaterThanThreshold",
	"LessThanOrEqualToThreshold",
	"LessThanThreshold",
	"NotEqualToThreshold",
	"EqualToThreshold",
	"GreaterThanYesterday",
	"LessThanYesterday",
	"GreaterThanLastWeek",
	"LessThanLastWeek",
	"GreaterThanLastPeriod",
	"LessThanLastPeriod",
}

// Statistics are the statistics a rule can compare.
var Statistics = []string{"Average", "Maximum", "Minimum"}

// Bounds of an alarm rule spec.
const (
	maxRuleNameLen = 64
	maxRuleIDLen   = 128
	maxRuleTimes   = 100
	minRulePeriod  = time.Minute
	minSilenceTime = time.Hour
	// DefaultSilenceTime is the service's default silence time.
	DefaultSilenceTime = 24 * time.Hour
)

// percentMetrics are ECS metrics measured in %, whose absolute thresholds
// must lie within 0-100.
var percentMetrics = map[Metric]bool{
	MetricCPU: true, MetricMemory: true, MetricDisk: true,
	"cpu_total": true, "cpu_idle": true, "cpu_user": true, "cpu_system": true, "cpu_wait": true, "cpu_other": true,
	"memory_freeutilization": true, "fs_inodeutilization": true, "InternetOutRate_Percent": true,
}

// SpecError is an alarm rule spec refused before any API call: Field names
// the field, Problem the rule it breaks.
type SpecError struct {
	Field   string
	Problem string
}

// Error reads "alarm rule: threshold: must be between 0 and 100 ...".
func (e *SpecError) Error() string { return "alarm rule: " + e.Field + ": " + e.Problem }

// NewAlarmRuleID returns a fresh rule id ("ecsdash-" and 16 hex digits).
func NewAlarmRuleID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return "ecsdash-" + hex.EncodeToString(b[:])
}

// withDefaults fills the optional fields.
func (s AlarmRuleSpec) withDefaults() AlarmRuleSpec {
	if s.Namespace == "" {
		s.Namespace = ecsNamespace
	}
	if s.Level == "" {
		s.Level = LevelCritical
	}
	if s.Statistic == "" {
		s.Statistic = "Average"
	}
	if s.Period == 0 {
		s.Period = minRulePeriod
	}
	if s.SilenceTime == 0 {
		s.SilenceTime = DefaultSilenceTime
	}
	return s
}

// Validate checks the spec (with defaults applied) as PlanPutAlarmRule does
// before calling the API. The error is a *SpecError.
func (s AlarmRuleSpec) Validate() error {
	s = s.withDefaults()
	bad := func(field, format string, args ...any) error {
		return &SpecError{Field: field, Problem: fmt.Sprintf(format, args...)}
	}
	switch {
	case strings.TrimSpace(s.ID) == "":
		return bad("id", "is required (see NewAlarmRuleID)")
	case len(s.ID) > maxRuleIDLen || strings.ContainsAny(s.ID, ", \t\n"):
		return bad("id", "%q must be at most %d characters without commas or spaces", s.ID, maxRuleIDLen)
	case strings.TrimSpace(s.Name) == "":
		return bad("name", "is required")
	case utf8.RuneCountInString(s.Name) > maxRuleNameLen:
		return bad("name", "is %d characters long, at most %d are allowed", utf8.RuneCountInString(s.Name), maxRuleNameLen)
	case s.Metric == "":
		return bad("metric", "is required")
	case s.Level != LevelCritical && s.Level != LevelWarn && s.Level != LevelInfo:
		return bad("level", "%q must be %s, %s or %s", s.Level, LevelCritical, LevelWarn, LevelInfo)
	case !slices.Contains(Statistics, s.Statistic):
		return bad("statistic", "%q must be one of %s", s.Statistic, strings.Join(Statistics, ", "))
	case !slices.Contains(Comparisons, s.Comparison):
		return bad("comparison", "%q must be one of %s", s.Comparison, strings.Join(Comparisons, ", "))
	case math.IsNaN(s.Threshold) || math.IsInf(s.Threshold, 0):
		return bad("threshold", "must be a number")
	case relativeComparison(s.Comparison) && s.Threshold < 0:
		return bad("threshold", "%g must be a change in percent of 0 or more for %s", s.Threshold, s.Comparison)
	case !relativeComparison(s.Comparison) && percentMetrics[s.Metric] && (s.Threshold < 0 || s.Threshold > 100):
		return bad("threshold", "%g must be between 0 and 100: %s is a percentage", s.Threshold, s.Metric)
	case s.Times < 1 || s.Times > maxRuleTimes:
		return bad("times", "%d must be between 1 and %d consecutive periods", s.Times, maxRuleTimes)
	case s.Period < minRulePeriod || s.Period%time.Minute != 0:
		return bad("period", "%s must be a whole number of minutes, at least 1", s.Period)
	case s.SilenceTime < minSilenceTime || s.SilenceTime%time.Second != 0:
		return bad("silence time", "%s must be whole seconds, at least 1h", s.SilenceTime)
	case len(s.ContactGroups) == 0:
		return bad("contact groups", "at least one contact group is required")
	case len(s.InstanceIDs) == 0:
		return bad("instances", "at least one instance is required")
	}
	for _, g := range s.ContactGroups {
		if strings.TrimSpace(g) == "" || strings.Contains(g, ",") {
			return bad("contact groups", "%q is not a contact group name", g)
		}
	}
	for _, id := range s.InstanceIDs {
		if strings.TrimSpace(id) == "" {
			return bad("instances", "an instance id is empty")
		}
	}
	return nil
}

// relativeComparison reports whether an operator compares with an earlier
// value (threshold in percent of change) rather than with the threshold.
func relativeComparison(op string) bool {
	return strings.HasSuffix(op, "Yesterday") || strings.HasSuffix(op, "LastWeek") || strings.HasSuffix(op, "LastPeriod")
}
