package form

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// A Picker's text box holds its filter, not its value: the value is the
// highlighted option among those the filter matches. A Suggestion's text
// box holds the value, marked as suggested until the first edit.

// query is a Picker's filter as typed ("" for other kinds).
func (f *fieldState) query() string {
	if f.Kind != Picker {
		return ""
	}
	return strings.TrimSpace(f.input.Value())
}

// matches are the indices of the options the filter matches, in option
// order: every word of the filter appears (case-insensitively) in the
// option, its label or its description.
func (f *fieldState) matches() []int {
	words := strings.Fields(strings.ToLower(f.query()))
	out := make([]int, 0, len(f.Options))
	for i := range f.Options {
		text := strings.ToLower(f.Options[i] + " " + f.label(i) + " " + f.descriptionOf(i))
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(text, w) }) {
			out = append(out, i)
		}
	}
	return out
}

// refilter highlights the best match after the filter changed: an option
// (or label) equal to the filter, else the first match; none when nothing
// matches.
func (f *fieldState) refilter() {
	ms := f.matches()
	f.choice = -1
	q := strings.ToLower(f.query())
	if q == "" && f.Optional {
		return // an emptied filter picks nothing
	}
	for _, i := range ms {
		if strings.ToLower(f.Options[i]) == q || strings.ToLower(f.label(i)) == q {
			f.choice = i
			break
		}
	}
	// Free text stays text unless a match is chosen; in a Free Multi picker
	// enter adds the first match, and the text only when nothing matches.
	if f.choice < 0 && len(ms) > 0 && (!f.Free || f.Multi) {
		f.choice = ms[0]
	}
	if f.choice >= 0 && !f.Multi {
		f.want = f.Options[f.choice]
	}
}

// isText reports a key press that types text (a character, not a motion).
func isText(msg tea.Msg) bool {
	k, ok := msg.(tea.KeyPressMsg)
	return ok && k.Text != "" && k.Mod&^tea.ModShift == 0
}

// takeSuggestion handles the first edit of a suggested value before the
// text input sees it: typed or pasted text replaces the suggestion,
// backspace or delete clears it, and anything else (←/→, home, end)
// keeps it as ordinary text to edit.
func (f *fieldState) takeSuggestion(msg tea.Msg) {
	if !f.suggested {
		return
	}
	switch msg := msg.(type) {
	case tea.PasteMsg:
		f.input.SetValue("")
	case tea.KeyPressMsg:
		switch {
		case isText(msg):
			f.input.SetValue("")
		case msg.Code == tea.KeyBackspace || msg.Code == tea.KeyDelete:
			f.input.SetValue("")
			f.suggested = false
			return // the key's work is done: nothing left to delete
		}
	default:
		return // not an edit: the suggestion stays
	}
	f.suggested = false
}

// repick keeps the picked options (or, before any were picked, those the
// initial Value lists) that are among the options; with no options yet
// they wait in want.
func (f *fieldState) repick() {
	wanted := f.picked
	if len(wanted) == 0 {
		wanted = splitList(cmpOr(f.want, f.Value))
	}
	if len(f.Options) == 0 {
		return
	}
	f.picked = slices.Clone(wanted)
	if !f.Free { // a Free picker keeps what was given that is not listed (an id from elsewhere)
		f.picked = slices.DeleteFunc(f.picked, func(v string) bool { return !slices.Contains(f.Options, v) })
	}
	f.want = ""
	f.choice = -1
}

// splitList splits "a, b" into its items.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// pickHighlighted adds a Multi Picker's highlighted match to the picked
// (or removes it when it already is) and clears the filter.
func (f *fieldState) pickHighlighted() {
	if f.choice < 0 || f.choice >= len(f.Options) || !slices.Contains(f.matches(), f.choice) {
		if q := strings.TrimSpace(f.query()); f.Free && q != "" && !slices.Contains(f.picked, q) {
			f.picked = append(f.picked, q) // no match: a Free picker takes the text as typed
			f.input.SetValue("")
			f.edited()
		}
		return
	}
	v := f.Options[f.choice]
	if i := slices.Index(f.picked, v); i >= 0 {
		f.picked = slices.Delete(f.picked, i, i+1)
	} else {
		f.picked = append(f.picked, v)
	}
	f.input.SetValue("")
	f.choice = -1
	f.edited()
}

// unpickLast removes the last picked option of a Multi Picker.
func (f *fieldState) unpickLast() {
	if n := len(f.picked); n > 0 {
		f.picked = f.picked[:n-1]
		f.edited()
	}
}

// pickedLabels are the picked options as they show.
func (f *fieldState) pickedLabels() []string {
	out := make([]string, len(f.picked))
	for i, v := range f.picked {
		out[i] = f.label(slices.Index(f.Options, v))
		if out[i] == "" {
			out[i] = v
		}
	}
	return out
}
