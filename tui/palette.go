package tui

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// command is one palette command. The palette's completion, its parser and
// the help all read this table.
type command struct {
	name string
	args string // usage of the arguments, for the help
	help string
	// view marks the view's own command (an action); viewHelp is its help
	// as the action table has it, which its key binding shares.
	view     bool
	viewHelp string
}

// commands lists the palette commands: the shell's own plus one per view.
func (m *Model) commands() []command {
	cmds := []command{
		{name: "region", args: "[ID|all]", help: "switch region (no argument: pick from a list)"},
		{name: "help", help: "show the keys"},
		{name: "activity", help: "what was done in this session, newest first"},
		{name: "arm", args: "DURATION|off", help: "allow changes in a read-only (production) session for a while, e.g. :arm 10m"},
		{name: "profile", args: "NAME", help: "switch to another profile of the aliyun CLI config"},
		{name: "quit", help: "quit ecsdash"},
		{name: "q", help: "quit ecsdash"},
	}
	for _, v := range m.views {
		if v.Hidden() {
			continue
		}
		c := command{name: v.Name(), help: "open the " + v.Name() + " view"}
		if hint := v.ScopeHint(); hint != "" {
			c.args = "[" + hint + "]"
			c.help += " (an id narrows it: " + hint + ")"
		}
		cmds = append(cmds, c)
	}
	for alias, target := range m.aliases {
		cmds = append(cmds, command{name: alias, help: "same as :" + target})
	}
	for _, c := range m.current().Commands() {
		cmds = append(cmds, command{name: c.Name, args: c.Args, help: c.Help + " (this view)", view: true, viewHelp: c.Help})
	}
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].name < cmds[j].name })
	return cmds
}

// suggestions are the completions offered while typing.
func (m *Model) suggestions() []string {
	var out []string
	for _, c := range m.commands() {
		out = append(out, c.name)
	}
	for _, r := range m.regionIDs {
		out = append(out, "region "+r)
	}
	return out
}

// nearest returns the command closest to an unknown word, for "did you mean".
func nearest(word string, cmds []command) string {
	best, bestDist := "", 1<<30
	for _, c := range cmds {
		d := levenshtein(word, c.name)
		if strings.HasPrefix(c.name, word) {
			d = 0
		}
		if d < bestDist {
			best, bestDist = c.name, d
		}
	}
	if bestDist > max(2, len(word)/2) {
		return ""
	}
	return best
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// unknownCommand builds the error for a word that is no command.
func unknownCommand(word string, cmds []command) error {
	if n := nearest(word, cmds); n != "" {
		return fmt.Errorf("unknown command %q: did you mean :%s?", word, n)
	}
	return fmt.Errorf("unknown command %q: type : and tab to see the commands", word)
}

// scopeKinds names the resources a scope id prefix stands for, so a refusal
// says what was expected in words.
var scopeKinds = map[string]string{"i-": "an instance", "d-": "a disk", "s-": "a snapshot", "sg-": "a security group", "m-": "an image"}

// checkScope refuses a view command's argument that is not an id of what
// the view can be narrowed to (hint, e.g. "i-…|d-…" or "i-…[,i-…]"), so a
// word such as a name never becomes a scope that matches nothing.
func checkScope(view, hint string, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if hint == "" {
		return fmt.Errorf(":%s takes no argument, not %q", view, strings.Join(args, " "))
	}
	var prefixes, words []string
	for _, alt := range strings.FieldsFunc(hint, func(r rune) bool { return r == '|' || r == '[' || r == ']' || r == ',' }) {
		p := strings.TrimSuffix(alt, "…")
		if p == "" || slices.Contains(prefixes, p) {
			continue
		}
		prefixes = append(prefixes, p)
		word := scopeKinds[p]
		if word == "" {
			word = "an id"
		}
		words = append(words, word+" ("+alt+")")
	}
	expected := strings.Join(words, " or ")
	if strings.Contains(hint, ",") {
		expected += ", or several joined by commas"
	}
	bad := func() error {
		return fmt.Errorf(":%s takes %s, not %q", view, expected, strings.Join(args, " "))
	}
	if len(args) > 1 {
		return bad()
	}
	ids := []string{args[0]}
	if strings.Contains(hint, ",") {
		ids = strings.Split(args[0], ",")
	}
	for _, id := range ids {
		ok := false
		for _, p := range prefixes {
			ok = ok || (strings.HasPrefix(id, p) && len(id) > len(p))
		}
		if !ok {
			return bad()
		}
	}
	return nil
}
