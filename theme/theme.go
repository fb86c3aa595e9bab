// Package theme holds every colour and style of the dashboard, named by
// meaning (Danger, Warn, Muted, ...) rather than by colour. Nothing else in
// the program builds a colour.
package theme

import (
	"image/color"
	"os"

	"charm.land/lipgloss/v2"
)

// Theme is the set of styles the views render with. It is a value handed to
// views, never a package global.
type Theme struct {
	NoColor bool

	Title     lipgloss.Style // app name in the header
	Badge     lipgloss.Style // DEMO / region badges
	Danger    lipgloss.Style // errors, stopped, risky
	Warn      lipgloss.Style // transient states, thresholds
	OK        lipgloss.Style // running, healthy
	Muted     lipgloss.Style // secondary text
	Accent    lipgloss.Style // emphasis (view name, filter)
	Header    lipgloss.Style // table column headings
	Selected  lipgloss.Style // the cursor row
	Marked    lipgloss.Style // rows marked for a bulk action
	StatusBar lipgloss.Style
	Key       lipgloss.Style // key names in help
	Desc      lipgloss.Style // descriptions in help
	Border    lipgloss.Style // panes
	Label     lipgloss.Style // field labels in detail panes
}

// palette, by meaning.
var (
	red    = lipgloss.Color("#ef4444")
	amber  = lipgloss.Color("#f59e0b")
	green  = lipgloss.Color("#22c55e")
	grey   = lipgloss.Color("#8b8b8b")
	cyan   = lipgloss.Color("#06b6d4")
	orange = lipgloss.Color("#ff6a00") // Alibaba Cloud orange
	white  = lipgloss.Color("#ffffff")
	ink    = lipgloss.Color("#1f2937")
	selBg  = lipgloss.Color("#374151")
	markBg = lipgloss.Color("#3b2f0b")
)

// Default returns the theme for this environment: plain when NO_COLOR is set.
func Default() Theme {
	_, noColor := os.LookupEnv("NO_COLOR")
	return New(noColor)
}

// New builds the theme; noColor keeps only bold, underline and reverse.
func New(noColor bool) Theme {
	fg := func(c color.Color) lipgloss.Style {
		if noColor {
			return lipgloss.NewStyle()
		}
		return lipgloss.NewStyle().Foreground(c)
	}
	t := Theme{
		NoColor:   noColor,
		Title:     fg(orange).Bold(true),
		Badge:     fg(ink).Bold(true),
		Danger:    fg(red),
		Warn:      fg(amber),
		OK:        fg(green),
		Muted:     fg(grey),
		Accent:    fg(cyan).Bold(true),
		Header:    fg(grey).Bold(true),
		Selected:  lipgloss.NewStyle().Bold(true),
		Marked:    fg(amber).Bold(true),
		StatusBar: fg(grey),
		Key:       fg(cyan),
		Desc:      fg(grey),
		Border:    fg(grey),
		Label:     fg(grey),
	}
	if noColor {
		t.Selected = lipgloss.NewStyle().Reverse(true)
		t.Badge = lipgloss.NewStyle().Reverse(true).Bold(true)
		t.Danger = lipgloss.NewStyle().Bold(true)
	} else {
		t.Selected = t.Selected.Background(selBg).Foreground(white)
		t.Badge = t.Badge.Background(orange)
		t.Marked = t.Marked.Background(markBg)
	}
	return t
}

// State colours a resource status word by what it means to an operator.
func (t Theme) State(status string) lipgloss.Style {
	switch status {
	case "Running", "In_use", "Available", "accomplished", "Normal", "running", "OK", "Accept":
		return t.OK
	case "Stopped", "failed", "CreateFailed", "UnAvailable", "Expire", "ALARM", "Drop", "not_installed", "install_faild", "abnormal":
		return t.Danger
	case "Starting", "Stopping", "Pending", "Attaching", "Detaching", "Creating", "ReIniting", "progressing", "Waiting", "installing", "INSUFFICIENT_DATA", "Deprecated":
		return t.Warn
	}
	return lipgloss.NewStyle()
}

// Level colours a utilisation percentage: warn from 80 %, danger from 90 %.
func (t Theme) Level(pct float64) lipgloss.Style {
	switch {
	case pct >= 90:
		return t.Danger
	case pct >= 80:
		return t.Warn
	}
	return lipgloss.NewStyle()
}
