package chart

import (
	"math"
	"strconv"
	"strings"
)

// Units the formatting understands. Any other unit is printed after the
// number, separated by a space.
const (
	UnitPercent  = "%"     // utilisation: "42%", "4.5%"
	UnitBitRate  = "bit/s" // network: "850 kbit/s", "1.2 Mbit/s"
	UnitByteRate = "B/s"   // disk throughput: "3.4 MB/s"
	UnitNone     = ""      // load average and other plain numbers: "0.73"
)

// siPrefixes are the decimal prefixes rates are scaled by.
const siPrefixes = " kMGTPE"

// FormatValue renders v in unit compactly, for table cells and chart axes:
//
//	FormatValue(42.4, "%")        == "42%"   (one decimal below 10 %: "4.5%")
//	FormatValue(1.2e6, "bit/s")   == "1.2 Mbit/s"
//	FormatValue(850e3, "bit/s")   == "850 kbit/s"
//	FormatValue(0.7312, "")       == "0.73"
//	FormatValue(12, "ms")         == "12 ms"
//
// Rates ("bit/s", "B/s") take decimal (SI) prefixes k, M, G, T; numbers keep
// about two significant digits below 10 and trailing zeros are dropped
// ("1 Mbit/s", not "1.0 Mbit/s"). NaN (no data) renders as "-".
func FormatValue(v float64, unit string) string {
	switch {
	case math.IsNaN(v):
		return "-"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "-∞"
	}
	switch unit {
	case UnitPercent:
		return number(v, 1, 0) + "%"
	case UnitBitRate, UnitByteRate:
		return rate(v, unit)
	case UnitNone:
		return number(v, 2, 1)
	}
	return number(v, 2, 1) + " " + unit
}

// compactValue is FormatValue without the unit, for narrow axes: "42",
// "1.5M", "850k", "0.73".
func compactValue(v float64, unit string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return FormatValue(v, unit)
	}
	switch unit {
	case UnitPercent:
		return number(v, 1, 0)
	case UnitBitRate, UnitByteRate:
		return strings.ReplaceAll(rate(v, ""), " ", "")
	}
	return number(v, 2, 1)
}

// rate scales v by SI prefixes so the mantissa stays below 1000 once rounded.
func rate(v float64, unit string) string {
	a := math.Abs(v)
	i := 0
	for a >= 999.5 && i < len(siPrefixes)-1 {
		a /= 1000
		i++
	}
	s := number(math.Copysign(a, v), 1, 0)
	if i == 0 {
		return s + " " + unit
	}
	return s + " " + siPrefixes[i:i+1] + unit
}

// number formats v with small decimals below 10, mid decimals below 100 and
// none above, then drops trailing zeros and a negative zero's sign.
func number(v float64, small, mid int) string {
	a := math.Abs(v)
	prec := 0
	switch {
	case a < 9.95:
		prec = small
	case a < 99.5:
		prec = mid
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.ContainsRune(s, '.') {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}
