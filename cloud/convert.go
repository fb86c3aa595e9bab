package cloud

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// timeLayouts are the shapes the APIs use: instances use minute precision
// ("2017-12-10T04:04Z"), disks, snapshots and images seconds.
var timeLayouts = []string{time.RFC3339, "2006-01-02T15:04Z", "2006-01-02T15:04:05Z", "2006-01-02 15:04:05"}

// parseTime reads an API timestamp; "" or an unknown shape gives the zero
// time rather than failing a whole listing over one field.
func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// parsePercent reads "100%" or "100" as 100; anything else is 0.
func parsePercent(s string) int {
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if err != nil {
		return 0
	}
	return n
}

// atoi reads a number the API sends as a string; anything else is 0.
func atoi(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return n
}

// parseIntList reads a JSON array held in a string, of numbers or of
// numeric strings (`["0","12"]`, as DescribeAutoSnapshotPolicyEx sends it).
func parseIntList(s string) []int {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return nil
	}
	out := make([]int, 0, len(raw))
	for _, r := range raw {
		var n json.Number
		var str string
		switch {
		case json.Unmarshal(r, &n) == nil:
			if v, err := n.Int64(); err == nil {
				out = append(out, int(v))
			}
		case json.Unmarshal(r, &str) == nil:
			if v, err := strconv.Atoi(str); err == nil {
				out = append(out, v)
			}
		}
	}
	return out
}

// jsonList renders ids as the JSON-array-in-a-string several ECS filters
// take (InstanceIds, DiskIds, ...).
func jsonList(ids []string) string {
	b, _ := json.Marshal(ids) // []string always marshals
	return string(b)
}

// first returns the first element, or "".
func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
