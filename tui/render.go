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
	"github.com/ecsdash/ecsdash/views/textsafe"
)

// View implements tea.Model: header, the active view, status bar, short help.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "ecsdash"
	return v
}

// noticeLines and errorLines are how many lines the notice and the view's
// last error may take: enough for a whole API error (Code, Message,
// RequestId) at 60 columns and up, never most of the screen. The notice
// goes at the next key; the error stays, so it gets fewer.
func (m *Model) noticeLines() int { return max(2, min(6, m.height/3)) }

func (m *Model) errorLines() int { return max(2, min(4, m.height/4)) }

func (m *Model) render() string {
	th := m.opts.Theme
	if m.confirm != nil {
		// The dialog is modal and has its own key line: it takes every row
		// under the header (which keeps the profile and region badges).
		body := fitHeight(m.renderConfirm(m.width, max(m.height-1, 1)), m.width, max(m.height-1, 1))
		return m.renderHeader() + "\n" + body
	}
	errLines := m.renderError()
	bottom := m.renderBottom()
	bodyHeight := max(m.height-2-len(errLines)-len(bottom), 1)
	var body string
	switch {
	case m.mode == modeHelp:
		lines := strings.Split(strings.TrimRight(m.renderHelp(bodyHeight), "\n"), "\n")
		m.helpOffset = min(m.helpOffset, max(len(lines)-bodyHeight, 0))
		lines = lines[m.helpOffset:]
		if len(lines) > bodyHeight { // say there is more rather than stop mid-list
			lines = append(lines[:bodyHeight-1], th.Muted.Render("↓ more: j / pgdn"))
		}
		body = strings.Join(lines, "\n")
	case m.mode == modeActivity:
		body = m.renderActivity(m.width, bodyHeight)
	default:
		body = m.current().View(m.ctx(), m.width, bodyHeight)
	}
	parts := []string{m.renderHeader(), fitHeight(body, m.width, bodyHeight)}
	parts = append(parts, errLines...)
	parts = append(parts, m.renderStatusBar())
	parts = append(parts, bottom...)
	return strings.Join(parts, "\n")
}

// renderBottom is the last line(s): the palette or filter being typed, else
// the notice (wrapped, so it is read whole), else the short help.
func (m *Model) renderBottom() []string {
	th := m.opts.Theme
	switch {
	case m.mode == modeFilter || m.mode == modePalette:
		line := []string{ansi.Truncate(m.input.View(), m.width, "…")}
		if len([]rune(m.input.Value())) >= maxInputLine {
			line = append(line, th.Warn.Render(fmt.Sprintf("the line takes at most %d characters", maxInputLine)))
		}
		return line
	case m.notice != "":
		style := th.OK
		if m.noticeErr {
			style = th.Warn
		}
		return styleLines(style, capLines(wrap(textsafe.Text(m.notice), m.width), m.noticeLines(), m.width))
	}
	if m.confirm == nil && m.current().Capturing() {
		return []string{""} // a form is open: its own key line says what works
	}
	keys := m.keys.short()
	keys = append(append(keys[:2:2], m.current().Keys()...), keys[2:]...) // ? and : first, then the view's own
	return []string{ansi.Truncate(m.help.ShortHelpView(keys), m.width, "…")}
}

// renderError is the view's last error on lines of its own above the status
// bar, whole (Code, Message, RequestId), rather than cut at its end.
func (m *Model) renderError() []string {
	err := m.current().Status().Err
	if err == nil {
		return nil
	}
	return styleLines(m.opts.Theme.Danger, capLines(wrap("✗ "+oneLine(err.Error()), m.width), m.errorLines(), m.width))
}

func (m *Model) renderHeader() string {
	th := m.opts.Theme
	st := m.current().Status()
	right := th.Badge.Render(" " + m.regionLabel() + " ")
	if m.opts.Production {
		right = th.Danger.Bold(true).Render(" "+textsafe.Line(m.opts.Profile)+" (production) ") + " " + right
	}
	if b := m.safetyBadge(); b != "" {
		right = b + " " + right
	}
	demo := right
	if m.opts.Demo {
		demo = th.Badge.Render(" DEMO ") + " " + right
	}
	// From the fullest form to the most compact: what the rows are (the
	// view, its counts, its marks, scope and filter) goes last; the DEMO
	// badge gives way before them (the status bar says DEMO too).
	var left string
	for level := range 5 {
		r := demo
		if level == 4 {
			r = right
		}
		if left = m.headerLeft(st, min(level, 3)); lipgloss.Width(left)+1+lipgloss.Width(r) <= m.width || level == 4 {
			right = r
			break
		}
	}
	room := m.width - lipgloss.Width(right) - 1
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return ansi.Truncate(left, max(room, 0), "…") + " " + right
	}
	return left + strings.Repeat(" ", gap) + right
}

// headerLeft is the header's left side; compact 1 drops the sort, 2 the
// app's name, 3 the words before scope and filter and the double spaces.
func (m *Model) headerLeft(st views.Status, compact int) string {
	th := m.opts.Theme
	left := th.Accent.Render(textsafe.Line(st.Title)) // a detail's title names the resource
	if compact < 2 {
		left = th.Title.Render("ecsdash") + " " + left
	}
	if !m.current().InDetail() && !st.NoCount {
		left += th.Muted.Render(fmt.Sprintf(" %d", st.Shown))
		if st.Shown != st.Total {
			left += th.Muted.Render(fmt.Sprintf("/%d", st.Total))
		}
	}
	of, filter, sep := th.Muted.Render("of "), th.Muted.Render("filter "), "  "
	if compact >= 3 {
		of, filter, sep = "", "", " "
	}
	if st.Marked > 0 || st.MarkedHidden > 0 {
		left += sep + th.Accent.Render(fmt.Sprintf("%d marked", st.Marked))
		if st.MarkedHidden > 0 {
			left += th.Muted.Render(", ") + th.Warn.Render(fmt.Sprintf("%d not shown", st.MarkedHidden))
		}
	}
	if st.Scope != "" {
		left += sep + of + textsafe.Line(st.Scope)
	}
	if st.Filter != "" {
		left += sep + filter + th.Accent.Render("/"+st.Filter)
	}
	if st.Sort != "" && compact < 1 {
		left += "  " + th.Muted.Render("sort ") + st.Sort
	}
	if st.Busy {
		left += " " + m.spinner.View()
	}
	return left
}

func (m *Model) regionLabel() string {
	if m.opts.Region == cloud.AllRegions {
		return "all regions"
	}
	return textsafe.Line(m.opts.Region) // from the config or a flag: shown, not obeyed
}

// renderStatusBar is one line: from the fullest form to the most compact
// (the region is in the header badge, so it goes first), then cut.
func (m *Model) renderStatusBar() string {
	var line string
	for compact := range 5 {
		if line = m.statusLine(compact); lipgloss.Width(line) <= m.width {
			return line
		}
	}
	return ansi.Truncate(line, m.width, "…")
}

// statusLine is the status bar; compact 1 shortens DEMO's words, 2 drops
// the region, 3 the word "refreshed", 4 the pointer to :activity.
func (m *Model) statusLine(compact int) string {
	th := m.opts.Theme
	st := m.current().Status()
	var parts []string
	if compact < 2 {
		parts = append(parts, m.regionLabel())
	}
	switch {
	case m.opts.Demo && compact < 1:
		parts = append(parts, "DEMO (built-in emulator)")
	case m.opts.Demo:
		parts = append(parts, "DEMO")
	case m.opts.Production:
		parts = append(parts, th.Danger.Render("PRODUCTION profile "+textsafe.Line(m.opts.Profile)))
	case m.opts.Profile != "":
		parts = append(parts, "profile "+textsafe.Line(m.opts.Profile))
	}
	if m.opts.Endpoint != "" && !m.opts.Demo {
		parts = append(parts, m.opts.Endpoint)
	}
	if !st.LastRefresh.IsZero() {
		refreshed := "refreshed "
		if compact >= 3 {
			refreshed = "↻ "
		}
		parts = append(parts, refreshed+views.Clock(m.ctx().Location(), st.LastRefresh))
	}
	line := th.StatusBar.Render(strings.Join(parts, " │ "))
	if c := m.opts.Client; c != nil {
		if n := c.Usage(time.Now()).Retries; n > 0 {
			line += th.StatusBar.Render(" │ ") + th.Warn.Render(fmt.Sprintf("%d retries", n))
		}
	}
	if act := m.activitySummary(); act != "" {
		if compact >= 4 {
			act = strings.TrimSuffix(act, " (:activity)")
		}
		line += th.StatusBar.Render(" │ ") + th.Warn.Render(act)
	}
	if ms := m.metricsStatus(); ms != "" {
		line += th.StatusBar.Render(" │ ") + ms
	}
	return line
}

// helpEntry is one line of the help: a key (or command) and what it does.
type helpEntry struct{ key, desc string }

func bindingEntries(bs []key.Binding) []helpEntry {
	out := make([]helpEntry, 0, len(bs))
	for _, b := range bs {
		if h := b.Help(); h.Key != "" && b.Enabled() {
			out = append(out, helpEntry{key: h.Key, desc: h.Desc})
		}
	}
	return out
}

// renderHelp lists every key and command of the view on screen, whole:
// in columns where they fit the width, else one a line with the
// description wrapped under itself. A view's action is one entry, its key
// with its command; the Commands block has the rest. A long help scrolls
// (render).
func (m *Model) renderHelp(int) string {
	th := m.opts.Theme
	global := bindingEntries(append(m.keys.bindings(), views.DefaultNav().Bindings()...))
	own := bindingEntries(m.current().Keys())
	viewCmds := map[string]string{} // an action's help -> its command
	for _, c := range m.current().Commands() {
		viewCmds[c.Help] = strings.TrimSpace(":" + c.Name + " " + c.Args)
	}
	paired := map[string]bool{}
	for i, e := range own {
		if c, ok := viewCmds[e.desc]; ok {
			own[i].desc += " · " + c
			paired[e.desc] = true
		}
	}
	var cmds []helpEntry
	for _, c := range m.commands() {
		if strings.HasPrefix(c.help, "same as") || (c.view && paired[c.viewHelp]) {
			continue
		}
		cmds = append(cmds, helpEntry{key: strings.TrimSpace(":" + c.name + " " + c.args), desc: c.help})
	}
	var b strings.Builder
	b.WriteString(th.Accent.Render("Keys") + th.Muted.Render(" (j/k/pgdn scroll, any other key closes)") + "\n\n")
	b.WriteString(strings.Join(m.helpColumns(global), "\n"))
	if len(own) > 0 {
		b.WriteString("\n\n" + th.Accent.Render("This view") + th.Muted.Render(" (key · command)") + "\n\n" + strings.Join(m.helpColumns(own), "\n"))
	}
	b.WriteString("\n\n" + th.Accent.Render("Commands") + th.Muted.Render(" (type : then the command)") + "\n")
	b.WriteString(strings.Join(m.helpColumns(cmds), "\n"))
	return b.String()
}

// helpColumns lays entries out in as many columns (up to 3) as leave each
// description room; a description longer than its column wraps under
// itself, so nothing is ever cut.
func (m *Model) helpColumns(entries []helpEntry) []string {
	width := m.width - 2 // an indent of two
	maxKey := 0
	for _, e := range entries {
		maxKey = max(maxKey, ansi.StringWidth(e.key))
	}
	// The fewest lines win; columns that leave a description less than
	// minDesc cells, or too many keys wider than the key column, are not
	// tried.
	const minDesc = 20
	var best []string
	for cols := 1; cols <= 3; cols++ {
		colW := (width - 2*(cols-1)) / cols
		keyW := min(maxKey, colW*2/5)
		over := 0
		for _, e := range entries {
			if ansi.StringWidth(e.key) > keyW {
				over++
			}
		}
		if cols > 1 && (colW-keyW-1 < minDesc || over*8 > len(entries)) {
			break // too cramped: the fewer columns stand
		}
		blocks := make([][]string, len(entries))
		for i, e := range entries {
			blocks[i] = m.helpCell(e, keyW, colW)
		}
		if lines := joinColumns(blocks, cols, colW); best == nil || len(lines) < len(best) {
			best = lines
		}
	}
	return best
}

// helpCell is one entry within colW: the key padded to keyW, then the
// description, wrapped with a hanging indent.
func (m *Model) helpCell(e helpEntry, keyW, colW int) []string {
	th := m.opts.Theme
	k := th.Key.Render(e.key) + strings.Repeat(" ", max(keyW-ansi.StringWidth(e.key), 0)) + " "
	return hangWrap(k, e.desc, colW, keyW+1, th.Desc)
}

// joinColumns sets blocks (an entry's lines each) side by side in cols
// columns of colW, filled top to bottom with about as many lines each.
func joinColumns(blocks [][]string, cols, colW int) []string {
	total := 0
	for _, b := range blocks {
		total += len(b)
	}
	target := (total + cols - 1) / cols
	columns := make([][]string, cols)
	c := 0
	for _, b := range blocks {
		if c < cols-1 && len(columns[c]) > 0 && len(columns[c])+len(b) > target {
			c++
		}
		columns[c] = append(columns[c], b...)
	}
	rows := 0
	for _, col := range columns {
		rows = max(rows, len(col))
	}
	out := make([]string, 0, rows)
	for r := range rows {
		var line strings.Builder
		for _, col := range columns {
			cell := ""
			if r < len(col) {
				cell = col[r]
			}
			line.WriteString(cell + strings.Repeat(" ", max(colW-lipgloss.Width(cell), 0)+2))
		}
		out = append(out, "  "+strings.TrimRight(line.String(), " "))
	}
	return out
}

// hangWrap puts text (plain) after prefix, wrapped to width and each line
// in style; continuation lines start at column indent (a hanging indent).
// When the prefix leaves too little room, the text starts under it.
func hangWrap(prefix, text string, width, indent int, style lipgloss.Style) []string {
	pw := lipgloss.Width(prefix)
	indent = min(indent, pw)
	pad := strings.Repeat(" ", indent)
	rest := max(width-indent, 1)
	var out []string
	if width-pw < 10 {
		out = strings.Split(ansi.Hardwrap(prefix, width, true), "\n")
		for _, l := range wrap(text, rest) {
			out = append(out, pad+style.Render(l))
		}
		return out
	}
	lines := wrap(text, width-pw)
	out = append(out, prefix+style.Render(lines[0]))
	if len(lines) > 1 {
		for _, l := range wrap(strings.Join(lines[1:], " "), rest) {
			out = append(out, pad+style.Render(l))
		}
	}
	return out
}

// capLines keeps at most n lines; when it cuts, the last kept line says
// so, and :activity holds the action's message whole.
func capLines(lines []string, n, width int) []string {
	if len(lines) <= n {
		return lines
	}
	lines = lines[:n]
	lines[n-1] = ansi.Truncate(lines[n-1], max(width-13, 1), "") + "… :activity"
	return lines
}

func styleLines(style lipgloss.Style, lines []string) []string {
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
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

// oneLine is s on one line and printable: an error's text may carry the
// API's (or a guest's) escapes and controls.
func oneLine(s string) string { return textsafe.Line(strings.Join(strings.Fields(s), " ")) }

func matches(k tea.KeyPressMsg, b key.Binding) bool { return key.Matches(k, b) }
