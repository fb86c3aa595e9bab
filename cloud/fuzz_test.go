package cloud_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
)

// FuzzAlarmRuleSpecValidate: any spec is either accepted or refused with a
// *SpecError that names the field; never a panic, and never accepted with a
// value the API would refuse (NaN threshold, out-of-range times...).
func FuzzAlarmRuleSpecValidate(f *testing.F) {
	f.Add("r1", "CPU high", string(cloud.MetricCPU), "Average", "GreaterThanThreshold", 90.0, 3, int64(60), int64(86400), "ops", "i-1")
	f.Add("", "", "", "", "", math.NaN(), 0, int64(0), int64(0), "", "")
	f.Add("r,2", strings.Repeat("x", 65), "memory_usedutilization", "Maximum", "LessThanYesterday", -5.0, 101, int64(59), int64(3599), "dba", "i-2,i-3")
	f.Fuzz(func(t *testing.T, id, name, metric, stat, cmp string, threshold float64, times int, periodS, silenceS int64, group, instances string) {
		spec := cloud.AlarmRuleSpec{
			ID: id, Name: name, Metric: cloud.Metric(metric), Statistic: stat, Comparison: cmp,
			Threshold: threshold, Times: times,
			Period: time.Duration(periodS) * time.Second, SilenceTime: time.Duration(silenceS) * time.Second,
			ContactGroups: strings.Split(group, ","), InstanceIDs: strings.Split(instances, ","),
		}
		err := spec.Validate()
		if err == nil {
			if math.IsNaN(threshold) || math.IsInf(threshold, 0) || times < 1 || name == "" || id == "" {
				t.Fatalf("accepted an invalid spec: %+v", spec)
			}
			return
		}
		var se *cloud.SpecError
		if !errors.As(err, &se) || se.Field == "" {
			t.Fatalf("refusal does not name the field: %v", err)
		}
	})
}
