package chart

import (
	"math"
	"testing"
)

func TestFormatValue(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		unit string
		want string
	}{
		{42.4, "%", "42%"},
		{42.5, "%", "42%"}, // round half to even, as strconv does
		{4.5, "%", "4.5%"},
		{9.96, "%", "10%"},
		{0, "%", "0%"},
		{100, "%", "100%"},
		{-0.01, "%", "0%"},
		{1.2e6, "bit/s", "1.2 Mbit/s"},
		{850e3, "bit/s", "850 kbit/s"},
		{999.6e3, "bit/s", "1 Mbit/s"},
		{1e6, "bit/s", "1 Mbit/s"},
		{12.34e9, "bit/s", "12 Gbit/s"},
		{512, "bit/s", "512 bit/s"},
		{0, "bit/s", "0 bit/s"},
		{0.5, "bit/s", "0.5 bit/s"},
		{-2.5e6, "bit/s", "-2.5 Mbit/s"},
		{3.4e6, "B/s", "3.4 MB/s"},
		{0.7312, "", "0.73"},
		{0.7, "", "0.7"},
		{2, "", "2"},
		{12.34, "", "12.3"},
		{123.4, "", "123"},
		{-1.5, "", "-1.5"},
		{12, "ms", "12 ms"},
		{math.NaN(), "%", "-"},
		{math.Inf(1), "bit/s", "∞"},
		{math.Inf(-1), "", "-∞"},
	} {
		if got := FormatValue(tc.v, tc.unit); got != tc.want {
			t.Errorf("FormatValue(%v, %q) = %q; want %q", tc.v, tc.unit, got, tc.want)
		}
	}
}

func TestCompactValue(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		unit string
		want string
	}{
		{1.5e6, "bit/s", "1.5M"},
		{850e3, "bit/s", "850k"},
		{0, "bit/s", "0"},
		{75, "%", "75"},
		{0.73, "", "0.73"},
	} {
		if got := compactValue(tc.v, tc.unit); got != tc.want {
			t.Errorf("compactValue(%v, %q) = %q; want %q", tc.v, tc.unit, got, tc.want)
		}
	}
}
