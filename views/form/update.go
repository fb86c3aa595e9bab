package form

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Update handles a key or a message for the focused field: tab/shift+tab
// and down/up move between fields (wrapping), enter moves on or, on the last
// field, submits; ctrl+s submits from anywhere; esc cancels; ←/→ or space
// cycle a Choice, ←/→ the matches of a Picker (whose typed text filters
// it). Everything else goes to the focused text field; the first
// character typed over a Suggestion replaces it. A submitted or cancelled
// form ignores input.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if m.submitted || m.cancelled {
		return m, nil
	}
	m.own()
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, m.KeyMap.Cancel):
			m.cancelled = true
			m.setFocus(m.focus)
			return m, nil
		case key.Matches(k, m.KeyMap.Submit):
			m.submit()
			return m, nil
		case m.multiFocused() && key.Matches(k, m.KeyMap.Enter) && m.fields[m.focus].query() != "":
			m.fields[m.focus].pickHighlighted() // enter adds; with no filter it moves on
			return m, nil
		case m.multiFocused() && k.Code == tea.KeyBackspace && m.fields[m.focus].input.Value() == "":
			m.fields[m.focus].unpickLast()
			return m, nil
		case key.Matches(k, m.KeyMap.Enter):
			if m.focus >= len(m.fields)-1 {
				m.submit()
			} else {
				m.move(1)
			}
			return m, nil
		case key.Matches(k, m.KeyMap.Next):
			m.move(1)
			return m, nil
		case key.Matches(k, m.KeyMap.Prev):
			m.move(-1)
			return m, nil
		}
	}
	if len(m.fields) == 0 {
		return m, nil
	}
	f := m.fields[m.focus]
	if k, ok := msg.(tea.KeyPressMsg); ok && f.choosing() && !(f.Kind == Picker && isText(k)) {
		// A Choice takes only its keys; a Picker's typed text (space
		// included) goes to its filter instead.
		switch {
		case key.Matches(k, m.KeyMap.ChoiceFw):
			f.cycle(1)
			return m, nil
		case key.Matches(k, m.KeyMap.ChoiceBk):
			f.cycle(-1)
			return m, nil
		}
		if f.Kind == Choice {
			return m, nil
		}
	}
	if f.Kind == Choice {
		return m, nil
	}
	f.takeSuggestion(msg)
	before := f.input.Value()
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	if f.Kind == Picker && f.input.Value() != before {
		f.refilter()
	}
	f.edited()
	return m, cmd
}

// move leaves the focused field (validating it) for the one delta away,
// wrapping at either end.
func (m *Model) move(delta int) {
	n := len(m.fields)
	if n == 0 {
		return
	}
	m.fields[m.focus].leave()
	m.setFocus(((m.focus+delta)%n + n) % n)
}

// submit validates every field; on success the form is submitted, else the
// first failing field is focused and every failure shows under its field.
func (m *Model) submit() {
	first := -1
	for i, f := range m.fields {
		f.err = f.check()
		if f.err != nil && first < 0 {
			first = i
		}
	}
	m.err = nil
	if first >= 0 {
		m.setFocus(first)
		return
	}
	m.submitted = true
	m.setFocus(m.focus)
}

// multiFocused reports that the focused field is a Multi Picker.
func (m Model) multiFocused() bool {
	return m.focus < len(m.fields) && m.fields[m.focus].Kind == Picker && m.fields[m.focus].Multi
}
