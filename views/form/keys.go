package form

import "charm.land/bubbles/v2/key"

// KeyMap is the form's bindings. The hint line renders from them, so what it
// says and what the form does never drift.
type KeyMap struct {
	Next     key.Binding // next field, wrapping
	Prev     key.Binding // previous field, wrapping
	Enter    key.Binding // next field; submit on the last
	Submit   key.Binding // submit from any field
	Cancel   key.Binding // close without submitting
	ChoiceFw key.Binding // next option of a Choice
	ChoiceBk key.Binding // previous option of a Choice
}

// DefaultKeyMap is tab/shift+tab (or down/up) to move, enter to go on or
// submit, ctrl+s to submit, esc to cancel, ←/→ or space to choose.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Next:     key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next")),
		Prev:     key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "back")),
		Enter:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
		Submit:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "submit")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		ChoiceFw: key.NewBinding(key.WithKeys("right", "space"), key.WithHelp("←/→", "choose")),
		ChoiceBk: key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "previous option")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Next, k.Prev, k.Submit, k.Cancel}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Next, k.Prev, k.Enter}, {k.Submit, k.Cancel, k.ChoiceFw, k.ChoiceBk}}
}
