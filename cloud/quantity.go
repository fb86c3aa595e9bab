package cloud

import (
	"fmt"
	"strconv"
	"strings"
)

// Units a quantity is typed in. Each takes the suffixes listed in
// unitSuffixes after its digits, and no other.
const (
	UnitCount   = ""       // a plain count: no suffix
	UnitGiB     = "GiB"    // disk sizes: "200", "200G", "200GiB", "200 GiB"
	UnitMbps    = "Mbit/s" // bandwidth: "5", "5M", "5Mbps", "5 Mbit/s"
	UnitSeconds = "s"      // timeouts: "60", "60s", "60 seconds"
	UnitDays    = "days"   // retention: "7", "7d", "7 days"
)

// unitSuffixes are the suffixes each unit accepts, lower case. Nothing
// else: "300MB" in a GiB field is refused, never read as 300 GiB.
var unitSuffixes = map[string][]string{
	UnitGiB:     {"gib", "g"},
	UnitMbps:    {"mbit/s", "mbps", "m"},
	UnitSeconds: {"s", "sec", "seconds"},
	UnitDays:    {"d", "day", "days"},
}

// unitNoun is how a refusal names what was wanted.
func unitNoun(unit string) string {
	switch unit {
	case UnitGiB:
		return "a size in GiB"
	case UnitCount:
		return "a whole number"
	case UnitSeconds:
		return "a whole number of seconds"
	}
	return "a whole number of " + unit
}

// ParseQuantity is the one parser of a number the user types, in a form
// field or a `:` command: decimal digits (a leading "-" reads as a
// number below the range, not as a typo), optionally followed by the unit's suffix ("200", "200GiB",
// "200 GiB" for UnitGiB), between min and max inclusive. Anything else
// is a ValidationError for field naming the unit and the range: nothing
// is reinterpreted ("1e6" is not 16 or 1000000, "0x12C" is not 12,
// "300MB" is not 300 GiB, "2.5" is not 2).
func ParseQuantity(field, text, unit string, min, max int) (int, error) {
	s := strings.TrimSpace(text)
	digits := s
	lower := strings.ToLower(s)
	for _, suf := range unitSuffixes[unit] {
		if rest, ok := strings.CutSuffix(lower, suf); ok && rest != "" {
			digits = strings.TrimSpace(s[:len(rest)])
			break
		}
	}
	body := strings.TrimPrefix(digits, "-")
	if body == "" || strings.Trim(body, "0123456789") != "" {
		return 0, &ValidationError{Field: field, Rule: fmt.Sprintf("%q is not %s: want %s%s",
			clip(s, 24), unitNoun(unit), rangeText(min, max, unit), example(min, max, unit))}
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < min || n > max { // too many digits for an int is out of range too
		within := "outside " + rangeText(min, max, unit)
		if max >= NoMaximum {
			within = fmt.Sprintf("less than %d%s", min, spaced(unit))
		}
		return 0, &ValidationError{Field: field, Rule: fmt.Sprintf("%s%s is %s", clip(digits, 24), spaced(unit), within)}
	}
	return n, nil
}

// spaced is " GiB" for a unit, "" for a count.
func spaced(unit string) string {
	if unit == UnitCount {
		return ""
	}
	return " " + unit
}

// rangeText is "1-100", or "at least 3600" when there is no real top.
func rangeText(min, max int, unit string) string {
	if max >= NoMaximum {
		return fmt.Sprintf("at least %d%s", min, spaced(unit))
	}
	return fmt.Sprintf("%d-%d%s", min, max, spaced(unit))
}

// example is ", e.g. 200 or 200GiB": the bare number and one with the
// unit's short suffix, so the refusal shows what is accepted.
func example(min, max int, unit string) string {
	typical, ok := map[string]int{UnitGiB: 200, UnitMbps: 5, UnitSeconds: 60, UnitDays: 7}[unit]
	if !ok {
		return ""
	}
	n := typical
	if n < min || n > max {
		n = min
	}
	return fmt.Sprintf(", e.g. %d or %d%s", n, n, unit)
}

// NoMaximum is ParseQuantity's max for a quantity with only a minimum:
// the refusal then says "at least N".
const NoMaximum = 1 << 31

// MaxDiskGiB is the largest disk of any category (32 TiB), the range a
// size parses in before the disk's own category range is checked.
const MaxDiskGiB = 32768

// ParseDecimal reads a decimal number the user types where a fraction
// makes sense (an alarm threshold): digits, optionally a "-" and a
// fractional part. An exponent, hex, "NaN" or "Inf" is refused naming
// the rule, as ParseQuantity refuses them.
func ParseDecimal(field, text string) (float64, error) {
	s := strings.TrimSpace(text)
	whole, frac, dot := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	digits := func(d string) bool { return d != "" && strings.Trim(d, "0123456789") == "" }
	if !digits(whole) || dot && !digits(frac) {
		return 0, &ValidationError{Field: field, Rule: fmt.Sprintf("%q is not a decimal number: want digits, e.g. 80 or 0.5", clip(s, 24))}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, &ValidationError{Field: field, Rule: fmt.Sprintf("%q is too large", clip(s, 24))}
	}
	return f, nil
}
