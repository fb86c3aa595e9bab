package cloud_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

// TestParseQuantity: a number in the unit it names, or a refusal that
// names the unit and the range; nothing reinterpreted.
func TestParseQuantity(t *testing.T) {
	for _, tc := range []struct {
		text, unit string
		min, max   int
		want       int
		says       string // the refusal, "" when accepted
	}{
		{"200", cloud.UnitGiB, 1, 32768, 200, ""},
		{" 200GiB ", cloud.UnitGiB, 1, 32768, 200, ""},
		{"200 GiB", cloud.UnitGiB, 1, 32768, 200, ""},
		{"200g", cloud.UnitGiB, 1, 32768, 200, ""},
		{"300MB", cloud.UnitGiB, 1, 32768, 0, `"300MB" is not a size in GiB: want 1-32768 GiB, e.g. 200 or 200GiB`},
		{"300GB", cloud.UnitGiB, 1, 32768, 0, "not a size in GiB"},
		{"70000", cloud.UnitGiB, 1, 32768, 0, "70000 GiB is outside 1-32768 GiB"},
		{"GiB", cloud.UnitGiB, 1, 32768, 0, "not a size in GiB"},
		{"1e6", cloud.UnitMbps, 0, 200, 0, `"1e6" is not a whole number of Mbit/s: want 0-200 Mbit/s, e.g. 5 or 5Mbit/s`},
		{"5Mbps", cloud.UnitMbps, 0, 200, 5, ""},
		{"5 Mbit/s", cloud.UnitMbps, 0, 200, 5, ""},
		{"0", cloud.UnitMbps, 0, 200, 0, ""},
		{"201", cloud.UnitMbps, 0, 200, 0, "201 Mbit/s is outside 0-200 Mbit/s"},
		{"0x12C", cloud.UnitCount, 1, 100, 0, `"0x12C" is not a whole number: want 1-100`},
		{"12", cloud.UnitCount, 1, 100, 12, ""},
		{"2.5", cloud.UnitCount, 1, 100, 0, "not a whole number"},
		{"-3", cloud.UnitCount, 1, 100, 0, "-3 is outside 1-100"},
		{"--3", cloud.UnitCount, 1, 100, 0, "not a whole number"},
		{"+3", cloud.UnitCount, 1, 100, 0, "not a whole number"},
		{"-1", cloud.UnitCount, -1, 100, -1, ""},
		{"", cloud.UnitCount, 1, 100, 0, "not a whole number"},
		{"٣", cloud.UnitCount, 1, 100, 0, "not a whole number"}, // an Arabic-Indic 3: digits are ASCII
		{"99999999999999999999", cloud.UnitCount, 1, 100, 0, "is outside 1-100"},
		{"60s", cloud.UnitSeconds, 10, 86400, 60, ""},
		{"1m", cloud.UnitSeconds, 10, 86400, 0, `"1m" is not a whole number of seconds: want 10-86400 s`},
		{"7 days", cloud.UnitDays, 1, 65536, 7, ""},
		{"7d", cloud.UnitDays, 1, 65536, 7, ""},
		{"100", cloud.UnitSeconds, 3600, cloud.NoMaximum, 0, "100 s is less than 3600 s"},
	} {
		n, err := cloud.ParseQuantity("size", tc.text, tc.unit, tc.min, tc.max)
		if tc.says == "" {
			// A whole number in range is a decimal too, and the same one.
			if f, err := cloud.ParseDecimal("size", strings.TrimSpace(tc.text)); tc.unit == cloud.UnitCount && (err != nil || f != float64(tc.want)) {
				t.Errorf("ParseDecimal(%q) = %v, %v", tc.text, f, err)
			}
		}
		if tc.says == "" {
			if err != nil || n != tc.want {
				t.Errorf("%q in %q: %d, %v; want %d", tc.text, tc.unit, n, err, tc.want)
			}
			continue
		}
		var ve *cloud.ValidationError
		if !errors.As(err, &ve) || ve.Field != "size" || !strings.Contains(ve.Rule, tc.says) {
			t.Errorf("%q in %q: %d, %v; want a refusal saying %q", tc.text, tc.unit, n, err, tc.says)
		}
	}
}

// TestParseDecimal: a threshold takes a fraction, never an exponent, hex
// or NaN.
func TestParseDecimal(t *testing.T) {
	for text, want := range map[string]float64{"80": 80, "0.5": 0.5, "-1.25": -1.25, " 99 ": 99} {
		if f, err := cloud.ParseDecimal("threshold", text); err != nil || f != want {
			t.Errorf("%q: %v, %v; want %v", text, f, err, want)
		}
	}
	for _, text := range []string{"1e6", "0x12C", "NaN", "Inf", "", ".5", "1.", "5%", "1,5"} {
		if _, err := cloud.ParseDecimal("threshold", text); err == nil || !strings.Contains(err.Error(), "threshold: ") {
			t.Errorf("%q: %v; want a refusal naming the threshold", text, err)
		}
	}
}
