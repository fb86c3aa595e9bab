package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views"
)

// View implements tea.Model: header, the active view, status bar, short help.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "ecsdash"
	return v
}

func (m *Model) render() string {
	th := m.opts.Theme
	bodyHeight := max(m.height-3, 1)
	var body string
	switch {
	case m.confirm != nil:
		body = m.renderConfirm(m.width, bodyHeight)
	case m.mode == modeHelp:
		lines := strings.Split(m.renderHelp(bodyHeight), "\n")
		m.helpOffset = min(m.helpOffset, max(len(lines)-bodyHeight, 0))
		body = strings.Join(lines[m.helpOffset:], "\n")
	case m.mode == modeActivity:
		body = m.renderActivity(m.width, bodyHeight)
	default:
		body = m.current().View(m.ctx(), m.width, bodyHeight)
	}
	body = fitHeight(body, m.width, bodyHeight)
	bottom := m.help.ShortHelpView(append(m.current().Keys(), m.keys.short()...))
	if m.mode == modeFilter || m.mode == modePalette {
		bottom = m.input.View()
	} else if m.notice != "" {
		style := th.OK
		if m.noticeErr {
			style = th.Warn
		}
		bottom = style.Render(m.notice)
	}
	return strings.Join([]string{
		m.renderHeader(),
		body,
		m.renderStatusBar(),
		ansi.Truncate(bottom, m.width, "…"),
	}, "\n")
}

func (m *Model) renderHeader() string {
	th := m.opts.Theme
	st := m.current().Status()
	left := th.Title.Render("ecsdash") + " " + th.Accent.Render(st.Title)
	if !m.current().InDetail() && !st.NoCount {
		left += th.Muted.Render(fmt.Sprintf(" %d", st.Shown))
		if st.Shown != st.Total {
			left += th.Muted.Render(fmt.Sprintf("/%d", st.Total))
		}
	}
	if st.Scope != "" {
		left += "  " + th.Muted.Render("of ") + st.Scope
	}
	if st.Filter != "" {
		left += "  " + th.Muted.Render("filter ") + th.Accent.Render("/"+st.Filter)
	}
	if st.Sort != "" {
		left += "  " + th.Muted.Render("sort ") + st.Sort
	}
	if st.Busy {
		left += " " + m.spinner.View()
	}
	right := th.Badge.Render(" " + m.regionLabel() + " ")
	if m.opts.Production {
		right = th.Danger.Bold(true).Render(" "+m.opts.Profile+" (production) ") + " " + right
	}
	if b := m.safetyBadge(); b != "" {
		right = b + " " + right
	}
	if m.opts.Demo {
		right = th.Badge.Render(" DEMO ") + " " + right
	}
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return ansi.Truncate(left, m.width-lipgloss.Width(right)-1, "…") + " " + right
	}
	return left + strings.Repeat(" ", gap) + right
}

func (m *Model) regionLabel() string {
	if m.opts.Region == cloud.AllRegions {
		return "all regions"
	}
	return m.opts.Region
}

func (m *Model) renderStatusBar() string {
	th := m.opts.Theme
	st := m.current().Status()
	parts := []string{m.regionLabel()}
	switch {
	case m.opts.Demo:
		parts = append(parts, "DEMO (built-in emulator)")
	case m.opts.Production:
		parts = append(parts, th.Danger.Render("PRODUCTION profile "+m.opts.Profile))
	case m.opts.Profile != "":
		parts = append(parts, "profile "+m.opts.Profile)
	}
	if m.opts.Endpoint != "" && !m.opts.Demo {
		parts = append(parts, m.opts.Endpoint)
	}
	if !st.LastRefresh.IsZero() {
		parts = append(parts, "refreshed "+st.LastRefresh.Format("15:04:05"))
	}
	line := th.StatusBar.Render(strings.Join(parts, " │ "))
	if c := m.opts.Client; c != nil {
		if n := c.Usage(time.Now()).Retries; n > 0 {
			line += th.StatusBar.Render(" │ ") + th.Warn.Render(fmt.Sprintf("%d retries", n))
		}
	}
	if act := m.activitySummary(); act != "" {
		line += th.StatusBar.Render(" │ ") + th.Warn.Render(act)
	}
	if ms := m.metricsStatus(); ms != "" {
		line += th.StatusBar.Render(" │ ") + ms
	}
	if st.Err != nil {
		line += th.StatusBar.Render(" │ ") + th.Danger.Render(oneLine(st.Err.Error()))
	}
	return ansi.Truncate(line, m.width, "…")
}

func (m *Model) renderHelp(height int) string {
	th := m.opts.Theme
	groups := [][]key.Binding{m.keys.bindings(), views.DefaultNav().Bindings()}
	// The view's own keys get their own block, in columns of six, so a view
	// with many actions still fits the width.
	var viewGroups [][]key.Binding
	for vk := m.current().Keys(); len(vk) > 0; {
		n := min(6, len(vk))
		viewGroups = append(viewGroups, vk[:n])
		vk = vk[n:]
	}
	var b strings.Builder
	b.WriteString(th.Accent.Render("Keys") + th.Muted.Render(" (j/k/pgdn scroll, any other key closes)") + "\n\n")
	full := m.help
	full.ShowAll = true
	b.WriteString(full.FullHelpView(groups))
	if len(viewGroups) > 0 {
		b.WriteString("\n\n" + th.Accent.Render("This view") + "\n\n" + full.FullHelpView(viewGroups))
	}
	b.WriteString("\n\n" + th.Accent.Render("Commands") + th.Muted.Render(" (type : then the command)") + "\n")
	// Commands in as many columns as fit, so the whole list shows at 80x24
	// up; long descriptions are cut (the README has them in full).
	var cells []string
	for _, c := range m.commands() {
		if strings.HasPrefix(c.help, "same as") {
			continue
		}
		cells = append(cells, th.Key.Render(strings.TrimSpace(":"+c.name+" "+c.args))+" "+th.Desc.Render(c.help))
	}
	cols := 1
	if m.width >= 150 {
		cols = 3
	} else if m.width >= 100 {
		cols = 2
	}
	colW := m.width/cols - 2
	rows := (len(cells) + cols - 1) / cols
	for r := range rows {
		var line strings.Builder
		for c := range cols {
			i := c*rows + r
			if i >= len(cells) {
				break
			}
			cell := ansi.Truncate(cells[i], colW, "…")
			line.WriteString("  " + cell + strings.Repeat(" ", max(0, colW-lipgloss.Width(cell))))
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	return b.String()
}

// fitHeight pads or cuts s to exactly height lines, each no wider than width.
func fitHeight(s string, width, height int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		if lipgloss.Width(l) > width {
			lines[i] = ansi.Truncate(l, width, "…")
		}
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func matches(k tea.KeyPressMsg, b key.Binding) bool { return key.Matches(k, b) }
