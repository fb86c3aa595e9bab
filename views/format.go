package views

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/ecsdash/ecsdash/theme"
)

// age renders how long ago t was, compactly: 45s, 12m, 5h, 3d, 2y.
func age(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", max(int(d.Seconds()), 0))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	case d < 2*365*24*time.Hour:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	}
	return fmt.Sprintf("%dy", int(d.Hours()/24/365))
}

// ageKey is the sort key behind an age cell: seconds, compared numerically.
func ageKey(now, t time.Time) string { return fmt.Sprint(int64(now.Sub(t).Seconds())) }

// stamp renders a time for a detail pane.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// memory renders MiB as GiB.
func memory(mib int) string {
	gib := float64(mib) / 1024
	if gib == float64(int(gib)) {
		return fmt.Sprintf("%d GiB", int(gib))
	}
	return fmt.Sprintf("%.1f GiB", gib)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// stateStyle is a Column/Field style colouring a status by its meaning.
func stateStyle(th theme.Theme, s string) lipgloss.Style { return th.State(s) }

// joinIDs lists ids on one line.
func joinIDs(ids []string) string { return strings.Join(ids, ", ") }

// typedWord is what the user types to confirm a destructive action: the id
// itself for one resource, "N <noun>" for several (so a mistyped count
// cannot delete more than the user read).
func typedWord(ids []string, noun string) string {
	if len(ids) == 1 {
		return ids[0]
	}
	return fmt.Sprintf("%d %s", len(ids), noun)
}

// sortedKeys returns a map's keys in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// newModalID tells a form's or pane's answers from an earlier one's.
// Random, so that no counter is shared between views.
func newModalID() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}
