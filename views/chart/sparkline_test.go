package chart

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/ecsdash/ecsdash/theme"
)

var nan = math.NaN()

func TestSparkline(t *testing.T) {
	for _, tc := range []struct {
		name     string
		values   []float64
		width    int
		min, max float64
		want     string
	}{
		{"eighths", []float64{0, 12.5, 25, 37.5, 50, 62.5, 75, 87.5, 100}, 9, 0, 100, "▁▂▃▄▅▆▇██"},
		{"just below each step", []float64{12.4, 24.9, 87.4}, 3, 0, 100, "▁▂▇"},
		{"fewer values pad left", []float64{0, 50, 100}, 6, 0, 100, "   ▁▅█"},
		{"more values keep the last", []float64{100, 100, 0, 50, 100}, 3, 0, 100, "▁▅█"},
		{"NaN is a gap", []float64{10, nan, nan, 90}, 4, 0, 100, "▁  █"},
		{"clamped", []float64{-50, 150, math.Inf(1), math.Inf(-1)}, 4, 0, 100, "▁██▁"},
		{"auto keeps zero at the bottom", []float64{1, 2, 3, 4}, 4, 0, 0, "▃▅▇█"},
		{"auto constant is full height", []float64{5, 5, 5}, 3, 0, 0, "███"},
		{"auto all zero is lowest", []float64{0, 0, 0}, 3, 0, 0, "▁▁▁"},
		{"auto negative", []float64{-4, -2, 0, 4}, 4, 0, 0, "▁▃▅█"},
		{"auto all negative", []float64{-8, -4, -1}, 3, 0, 0, "▁▅█"},
		{"auto ignores infinities", []float64{0, math.Inf(1), 8}, 3, 0, 0, "▁██"},
		{"auto all NaN", []float64{nan, nan}, 3, 0, 0, "   "},
		{"max below min is auto", []float64{0, 10}, 2, 100, 50, "▁█"},
		{"empty", nil, 4, 0, 100, "    "},
		{"zero width", []float64{1, 2}, 0, 0, 100, ""},
		{"negative width", []float64{1, 2}, -1, 0, 100, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Sparkline(tc.values, tc.width, tc.min, tc.max)
			if got != tc.want {
				t.Errorf("Sparkline(%v, %d, %v, %v) = %q; want %q", tc.values, tc.width, tc.min, tc.max, got, tc.want)
			}
		})
	}
}

// A styled sparkline shows the same blocks, with "·" for gaps.
func TestSparklineStyledMatchesPlain(t *testing.T) {
	th := theme.New(false)
	values := []float64{5, 50, 85, 95, 96, nan, 100, 20}
	got := ansi.Strip(SparklineStyled(th, values, 10, 0, 100, th.Level))
	want := strings.Replace(Sparkline(values, 10, 0, 100), "█ █", "█·█", 1)
	if got != want {
		t.Errorf("stripped styled = %q; want %q", got, want)
	}
	if got := SparklineStyled(th, values, 0, 0, 100, th.Level); got != "" {
		t.Errorf("width 0 = %q; want empty", got)
	}
}

// Each cell takes its own value's colour; neighbours sharing a style are
// one run (one escape sequence), and unstyled cells carry no sequence.
func TestSparklineStyledRuns(t *testing.T) {
	th := theme.New(false)
	out := SparklineStyled(th, []float64{10, 20, 91, 95, 99, 85, 30, 92}, 8, 0, 100, th.Level)
	danger := th.Danger.Render("███")
	warn := th.Warn.Render("▇")
	want := "▁▂" + danger + warn + "▃" + th.Danger.Render("█")
	if out != want {
		t.Errorf("styled = %q;\nwant %q", out, want)
	}
	golden.RequireEqual(t, out)
}

func TestSparklineStyledNilLevel(t *testing.T) {
	th := theme.New(false)
	out := SparklineStyled(th, []float64{0, 100}, 2, 0, 100, nil)
	if out != "▁█" {
		t.Errorf("nil level = %q; want plain blocks", out)
	}
}

func TestSparklineStyledNoColor(t *testing.T) {
	th := theme.New(true)
	out := SparklineStyled(th, []float64{10, 95}, 2, 0, 100, th.Level)
	if ansi.Strip(out) != "▁█" || !strings.Contains(out, th.Danger.Render("█")) {
		t.Errorf("no-color styled = %q; want the hot cell bold", out)
	}
}

// Whatever the input, a sparkline is exactly width cells on one line.
func TestSparklineWidthProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	th := theme.New(false)
	for i := range 2000 {
		values := randomValues(rng, rng.IntN(100))
		width := rng.IntN(80) - 2
		lo, hi := randomBound(rng), randomBound(rng)
		want := max(width, 0)
		for _, s := range []string{
			Sparkline(values, width, lo, hi),
			SparklineStyled(th, values, width, lo, hi, th.Level),
		} {
			if w := ansi.StringWidth(s); w != want || strings.Contains(s, "\n") {
				t.Fatalf("case %d: width %d, min %v, max %v, values %v: got %q (%d cells); want %d cells on one line",
					i, width, lo, hi, values, s, w, want)
			}
		}
	}
}

// randomValues mixes ordinary, NaN, infinite, negative and huge values.
func randomValues(rng *rand.Rand, n int) []float64 {
	vs := make([]float64, n)
	for i := range vs {
		switch rng.IntN(12) {
		case 0:
			vs[i] = math.NaN()
		case 1:
			vs[i] = math.Inf(1 - 2*rng.IntN(2))
		case 2:
			vs[i] = -rng.Float64() * 1e3
		case 3:
			vs[i] = rng.Float64() * 1e12
		case 4:
			vs[i] = 0
		default:
			vs[i] = rng.Float64() * 100
		}
	}
	return vs
}

func randomBound(rng *rand.Rand) float64 {
	switch rng.IntN(5) {
	case 0:
		return 0
	case 1:
		return math.NaN()
	case 2:
		return -rng.Float64() * 100
	}
	return rng.Float64() * 200
}

// levelByThreshold is a level function for tests: Danger from 50.
func levelByThreshold(th theme.Theme) func(float64) lipgloss.Style {
	return func(v float64) lipgloss.Style {
		if v >= 50 {
			return th.Danger
		}
		return lipgloss.NewStyle()
	}
}

func TestSparklineStyledCustomLevel(t *testing.T) {
	th := theme.New(false)
	out := SparklineStyled(th, []float64{10, 60, 70}, 3, 0, 100, levelByThreshold(th))
	if want := "▁" + th.Danger.Render("▅▆"); out != want {
		t.Errorf("custom level = %q; want %q", out, want)
	}
}
