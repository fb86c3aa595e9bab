package tui

import "charm.land/bubbles/v2/key"

// GlobalKeys work in every view. The help renders from this same data.
type GlobalKeys struct {
	Palette, Filter, Help, Refresh, Sort, Reverse, Back, ClearMarks, Quit, ForceQuit, Suspend key.Binding
}

// DefaultGlobalKeys is the global key map.
func DefaultGlobalKeys() GlobalKeys {
	return GlobalKeys{
		Palette: key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "command")),
		Filter:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Sort:    key.NewBinding(key.WithKeys(">"), key.WithHelp(">", "sort by next column")),
		Reverse: key.NewBinding(key.WithKeys("<"), key.WithHelp("<", "reverse sort")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back/clear")),
		// ctrl+\ is k9s's "clear marks".
		ClearMarks: key.NewBinding(key.WithKeys("ctrl+\\"), key.WithHelp("ctrl+\\", "clear all marks")),
		Quit:       key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "back (quit in the first view)")),
		ForceQuit:  key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit now")),
		// As in any terminal program: back to the shell, fg resumes.
		Suspend: key.NewBinding(key.WithKeys("ctrl+z"), key.WithHelp("ctrl+z", "suspend (fg resumes)")),
	}
}

func (g GlobalKeys) bindings() []key.Binding {
	return []key.Binding{g.Palette, g.Filter, g.Sort, g.Reverse, g.Refresh, g.Back, g.ClearMarks, g.Help, g.Quit, g.ForceQuit, g.Suspend}
}

// short is the one-line help at the bottom; the shell puts the view's keys
// after the first two, so ? (the way to every other key) and : show at any
// width.
func (g GlobalKeys) short() []key.Binding {
	quit := g.Quit
	quit.SetHelp("q", "back/quit")
	return []key.Binding{g.Help, g.Palette, g.Filter, g.Sort, g.Refresh, quit}
}
