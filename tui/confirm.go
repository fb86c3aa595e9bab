package tui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/views"
)

// confirmation is an action waiting for the user's yes. For what cannot be
// undone the user types the resource's id (or its unique name) instead,
// then enter. It is the one confirmation dialog: every action's facts, its
// settings, the DryRun verdict and the prompt are laid out here so that they
// fit the terminal whatever the view asked for.
type confirmation struct {
	req     views.Confirm
	typed   string // what the user has typed so far
	verdict *views.Verdict
	copied  bool
	// hidden are marked rows the filter hides: named, never acted on.
	hidden []string
	focus  int    // the option ←/→ changes
	scroll int    // first line of the scrolled part when it does not fit
	optErr string // why the last option change was refused
}

func newConfirmation(req views.Confirm, hidden []string) *confirmation {
	return &confirmation{req: req, hidden: hidden}
}

// typedMode: the action cannot be undone, a word must be typed.
func (c *confirmation) typedMode() bool { return c.req.Typed != "" }

// refused: the DryRun precheck said the call would fail.
func (c *confirmation) refused() bool { return c.verdict != nil && c.verdict.Refused }

// accepted are the words that confirm a typed action.
func (c *confirmation) accepted() []string {
	return append([]string{c.req.Typed}, c.req.Accept...)
}

// matches reports whether what is typed is one of the accepted words.
func (c *confirmation) matches() bool {
	return c.typed != "" && slices.Contains(c.accepted(), c.typed)
}

// confirmKey is the result of a key in the dialog.
type confirmKey struct {
	done    bool    // close the dialog
	run     tea.Cmd // the action to start (nil when cancelled)
	changed bool    // an option changed: the request (and its precheck) is new
	copy    tea.Cmd // copy the CLI to the clipboard
}

func (c *confirmation) handleKey(k tea.KeyPressMsg) confirmKey {
	switch s := k.String(); s {
	case "esc":
		return confirmKey{done: true}
	case "ctrl+y":
		return c.copyCLI()
	case "ctrl+s": // the second, explicit key after a refused precheck
		if c.refused() && (!c.typedMode() || c.matches()) {
			return confirmKey{done: true, run: c.req.Run}
		}
		return confirmKey{}
	case "pgup":
		c.scroll = max(c.scroll-5, 0)
		return confirmKey{}
	case "pgdown":
		c.scroll += 5
		return confirmKey{}
	case "up", "down":
		if len(c.req.Options) > 1 {
			c.focus = (c.focus + len(c.req.Options) + map[string]int{"up": -1, "down": 1}[s]) % len(c.req.Options)
		} else if s == "up" {
			c.scroll = max(c.scroll-1, 0)
		} else {
			c.scroll++
		}
		return confirmKey{}
	case "left", "right":
		return confirmKey{changed: c.changeOption(map[string]int{"left": -1, "right": 1}[s])}
	}
	if c.typedMode() {
		return c.typeKey(k)
	}
	switch k.String() {
	case "n":
		return confirmKey{done: true}
	case "y":
		if c.refused() {
			return confirmKey{}
		}
		return confirmKey{done: true, run: c.req.Run}
	case "c":
		return c.copyCLI()
	case "h", "l":
		return confirmKey{changed: c.changeOption(map[string]int{"h": -1, "l": 1}[k.String()])}
	}
	return confirmKey{}
}

// typeKey edits the typed word: letters append, backspace and ctrl+w
// delete, tab completes the expected word, enter confirms a match.
func (c *confirmation) typeKey(k tea.KeyPressMsg) confirmKey {
	switch k.String() {
	case "enter":
		if c.matches() && !c.refused() {
			return confirmKey{done: true, run: c.req.Run}
		}
		return confirmKey{} // enter alone never confirms
	case "tab":
		c.typed = c.completion()
	case "backspace":
		if r := []rune(c.typed); len(r) > 0 {
			c.typed = string(r[:len(r)-1])
		}
	case "ctrl+u", "ctrl+w":
		c.typed = ""
	default:
		if t := k.Key().Text; t != "" {
			c.typed += t
		}
	}
	return confirmKey{}
}

// paste adds pasted text to the typed word (one line of it).
func (c *confirmation) paste(text string) {
	if c.typedMode() {
		c.typed += strings.TrimSpace(strings.SplitN(text, "\n", 2)[0])
	}
}

// completion is the accepted word what is typed begins (the id first).
func (c *confirmation) completion() string {
	for _, w := range c.accepted() {
		if strings.HasPrefix(w, c.typed) {
			return w
		}
	}
	return c.typed
}

func (c *confirmation) copyCLI() confirmKey {
	if len(c.req.CLI) == 0 {
		return confirmKey{}
	}
	c.copied = true
	return confirmKey{copy: tea.SetClipboard(strings.Join(c.req.CLI, "\n"))}
}

// changeOption moves the focused option's choice by delta and asks the
// view for the confirmation of the new choice.
func (c *confirmation) changeOption(delta int) bool {
	if len(c.req.Options) == 0 || c.req.Change == nil {
		return false
	}
	opts := slices.Clone(c.req.Options)
	o := &opts[c.focus]
	o.Selected = (o.Selected + delta + len(o.Choices)) % len(o.Choices)
	next, err := c.req.Change(opts)
	if err != nil {
		c.optErr = fmt.Sprintf("%s %s: %v", o.Label, o.Value(), err)
		return false
	}
	c.req, c.verdict, c.copied, c.optErr = next, nil, false, ""
	c.focus = min(c.focus, max(len(next.Options)-1, 0)) // a change may bring or take settings
	return true
}
