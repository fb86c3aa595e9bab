package views

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// timeKey is the sort key behind a "created" cell: Unix seconds, compared
// numerically, so a descending sort puts the newest first.
func timeKey(t time.Time) string {
	if t.IsZero() {
		return "0"
	}
	return strconv.FormatInt(t.Unix(), 10)
}

// intKey is the numeric sort key of a count or a size.
func intKey(n int) string { return strconv.Itoa(n) }

// gib renders a size in GiB; 0 (unknown) is "-".
func gib(n int) string {
	if n <= 0 {
		return "-"
	}
	return fmt.Sprintf("%d GiB", n)
}

// category renders a disk category without the redundant "cloud_" prefix,
// with the ESSD performance level: "essd PL1", "efficiency".
func category(cat, pl string) string {
	c := strings.TrimPrefix(cat, "cloud_")
	if strings.Contains(cat, "essd") && pl != "" {
		c += " " + pl
	}
	return orDash(c)
}

// retention renders a retention in days; zero or negative means kept
// until deleted.
func retention(days int) string {
	if days <= 0 {
		return "forever"
	}
	if days == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", days)
}

var weekdayNames = [...]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// weekdays renders 1 (Monday) .. 7 (Sunday) as "Mon,Wed,Fri"; every day is
// "daily".
func weekdays(days []int) string {
	if len(days) == 7 {
		return "daily"
	}
	names := make([]string, 0, len(days))
	for _, d := range days {
		if d >= 1 && d <= 7 {
			names = append(names, weekdayNames[d-1])
		} else {
			names = append(names, strconv.Itoa(d))
		}
	}
	return orDash(strings.Join(names, ","))
}

// hours renders hours of the day as "02:00,14:00".
func hours(hs []int) string {
	out := make([]string, 0, len(hs))
	for _, h := range hs {
		out = append(out, fmt.Sprintf("%02d:00", h))
	}
	return orDash(strings.Join(out, ","))
}

// percent renders a progress.
func percent(p int) string { return fmt.Sprintf("%d%%", p) }
