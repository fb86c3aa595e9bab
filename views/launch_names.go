package views

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ecsdash/ecsdash/cloud"
)

// The names a launch gives its instances. The default pattern (from the
// instance the image was made from, e.g. web-[1,2]) is moved past the
// names the region already has, so that a launch the user did not name
// never repeats one; a pattern the user typed is taken as typed. The
// confirmation lists the names the API will give.

// namePattern is a parsed InstanceName: prefix[begin,bits]suffix, or a
// plain name (seq false).
type namePattern struct {
	prefix, suffix string
	begin, bits    int
	seq            bool
}

// parseNamePattern reads p the way RunInstances does (bits 6 when unset,
// or when begin has more digits than bits).
func parseNamePattern(p string) (namePattern, bool) {
	open, end := strings.IndexByte(p, '['), strings.IndexByte(p, ']')
	if open < 0 || end < open {
		return namePattern{prefix: p}, true
	}
	np := namePattern{prefix: p[:open], suffix: p[end+1:], bits: 6, seq: true}
	inner := p[open+1 : end]
	if inner == "" {
		return np, true
	}
	begin, bits, hasBits := strings.Cut(inner, ",")
	var err error
	if begin != "" {
		if np.begin, err = strconv.Atoi(begin); err != nil || np.begin < 0 {
			return np, false
		}
	}
	if hasBits && bits != "" {
		if np.bits, err = strconv.Atoi(bits); err != nil || np.bits < 1 || np.bits > 6 {
			return np, false
		}
	}
	if len(begin) > np.bits {
		np.bits = 6
	}
	return np, true
}

func (np namePattern) String() string {
	if !np.seq {
		return np.prefix
	}
	return fmt.Sprintf("%s[%d,%d]%s", np.prefix, np.begin, np.bits, np.suffix)
}

func (np namePattern) name(n int) string {
	return fmt.Sprintf("%s%0*d%s", np.prefix, np.bits, n, np.suffix)
}

// launchNames are the names RunInstances gives count instances named by
// pattern: numbered from begin for a sequential pattern; a plain name
// numbered 001, 002, ... when there are several (PlanRunInstances asks for
// UniqueSuffix). Nil when the API names them ("") or the pattern is not
// one the API takes.
func launchNames(pattern string, count int) []string {
	if pattern == "" || count < 1 {
		return nil
	}
	np, ok := parseNamePattern(pattern)
	if !ok {
		return nil
	}
	out := make([]string, count)
	for i := range out {
		switch {
		case np.seq:
			out[i] = np.name(np.begin + i)
		case count > 1:
			out[i] = fmt.Sprintf("%s%03d", np.prefix, i+1)
		default:
			out[i] = np.prefix
		}
	}
	return out
}

// freeNamePattern moves a sequential pattern's begin past every number the
// taken names already use with its prefix and suffix (web-[1,2] with web-01
// and web-04 taken gives web-[5,2]), so that no count of instances repeats
// a name. A plain pattern, or one whose numbers are all free, is returned
// as it is.
func freeNamePattern(pattern string, taken []string) string {
	np, ok := parseNamePattern(pattern)
	if !ok || !np.seq {
		return pattern
	}
	next := np.begin
	for _, name := range taken {
		digits, ok := strings.CutPrefix(name, np.prefix)
		if !ok {
			continue
		}
		if digits, ok = strings.CutSuffix(digits, np.suffix); !ok || digits == "" {
			continue
		}
		if n, err := strconv.Atoi(digits); err == nil && strings.Trim(digits, "0123456789") == "" {
			next = max(next, n+1)
		}
	}
	if next == np.begin {
		return pattern
	}
	np.begin = next
	return np.String()
}

// namesLine says the names a launch gives: all of a few, the first and the
// last of many. taken names that the user typed anyway are pointed out.
func namesLine(pattern string, count int, taken []string) string {
	names := launchNames(pattern, count)
	if len(names) == 0 {
		return "(the API names them)"
	}
	line := strings.Join(names, ", ")
	if len(names) > 4 {
		line = fmt.Sprintf("%s, %s … %s (%d names)", names[0], names[1], names[len(names)-1], len(names))
	}
	in := make(map[string]bool, len(taken))
	for _, t := range taken {
		in[t] = true
	}
	var dup []string
	for _, n := range names {
		if in[n] {
			dup = append(dup, n)
		}
	}
	switch {
	case len(dup) == 1:
		line += "; " + dup[0] + " already exists (as typed)"
	case len(dup) > 1:
		line += fmt.Sprintf("; %d of them already exist (as typed)", len(dup))
	}
	return line
}

// instanceNames are the names of the region's instances.
func instanceNames(ctx context.Context, c *cloud.Client, region string) ([]string, error) {
	list, err := c.Instances(ctx, region)
	if err != nil {
		return nil, fmt.Errorf("the instance names in %s: %w", region, err)
	}
	names := make([]string, 0, len(list))
	for _, in := range list {
		names = append(names, in.Name)
	}
	return names, nil
}
