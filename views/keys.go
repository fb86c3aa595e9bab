package views

import "charm.land/bubbles/v2/key"

// NavKeys move around a list or a detail pane.
type NavKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom, Mark, Open key.Binding
}

// DefaultNav is the navigation key map every list shares. It is data, read
// by the code that matches keys and by the help, so the two never disagree.
func DefaultNav() NavKeys {
	return NavKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
		Mark:     key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "mark")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
	}
}

// Bindings lists the navigation keys for the help.
func (n NavKeys) Bindings() []key.Binding {
	return []key.Binding{n.Up, n.Down, n.PageUp, n.PageDown, n.Top, n.Bottom, n.Mark}
}
