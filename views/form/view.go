package form

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/views/textsafe"
)

// Layout limits.
const (
	marker      = "› " // before the focused field
	gap         = "  " // between label and value
	maxBoxWidth = 48   // a text box stops growing here on wide screens
)

// View renders the form into exactly width x height cells: the title, the
// fields as "Label  [value]" (the focused one marked), each field's help
// and error under it, the form-level error and a key hint line. Help,
// errors and descriptions wrap at spaces; other lines are truncated; when
// the fields do not fit they scroll to keep the focused one in view.
func (m Model) View(width, height int) string {
	if height <= 0 {
		return ""
	}
	var top, bottom []string
	switch {
	case height >= 5:
		top = []string{m.titleLine(), ""}
		if height >= 8 {
			top = append(m.titleLines(width, 2), "") // a long title wraps once
		}
		// The error wraps to up to a third of the height: read whole.
		bottom = append(m.errorLines(width, max(1, height/3)), m.hintLine(width))
	case height == 4:
		top = []string{m.titleLine()}
		bottom = []string{m.errorLine(), m.hintLine(width)}
	case height == 3:
		top = []string{m.titleLine()}
		bottom = []string{m.hintLine(width)}
	case height == 2:
		bottom = []string{m.hintLine(width)}
	}
	lines := append(top, m.body(width, height-len(top)-len(bottom))...)
	lines = append(lines, bottom...)
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, max(0, width), "…")
	}
	return strings.Join(lines, "\n")
}

// titleLine is the form's title.
func (m Model) titleLine() string { return m.th.Title.Render(m.title) }

// titleLines is the title wrapped to at most n lines (the last is cut).
func (m Model) titleLines(width, n int) []string {
	ls := wrapWords(m.title, max(10, width))
	if len(ls) > n {
		ls[n-1] = strings.Join(ls[n-1:], " ")
		ls = ls[:n]
	}
	for i, l := range ls {
		ls[i] = m.th.Title.Render(l)
	}
	return ls
}

// errorLine is the form-level error, or blank.
func (m Model) errorLine() string {
	if m.err == nil {
		return ""
	}
	return m.th.Danger.Render(m.redact(m.err.Error()))
}

// errorLines is the form-level error wrapped to at most n lines (one
// blank line when there is none).
func (m Model) errorLines(width, n int) []string {
	if m.err == nil {
		return []string{""}
	}
	ls := wrapWords(m.redact(m.err.Error()), max(10, width))
	if len(ls) > n {
		ls = ls[:n] // the last is cut by View, with its "…"
		ls[n-1] += " …"
	}
	for i, l := range ls {
		ls[i] = m.th.Danger.Render(l)
	}
	return ls
}

// hintLine says what the keys do here, from the key map, in at most
// width cells: when they do not all fit, the least needed go first
// (ctrl+s, then the filter and choice hints, then tab), so esc and enter
// always show.
func (m Model) hintLine(width int) string {
	if m.submitted {
		return m.th.Muted.Render("submitting…")
	}
	k := m.KeyMap
	type hint struct {
		keys, desc string
		drop       int // higher goes first when the line is too long
	}
	var hs []hint
	if m.focus < len(m.fields) {
		switch f := m.fields[m.focus]; {
		case f.Kind == Choice:
			hs = append(hs, hint{k.ChoiceFw.Help().Key, k.ChoiceFw.Help().Desc, 2})
		case f.Kind == Picker && f.Multi && f.query() != "":
			hs = append(hs, hint{k.ChoiceFw.Help().Key, k.ChoiceFw.Help().Desc, 2}, hint{k.Enter.Help().Key, "adds", 0})
		case f.Kind == Picker && f.Multi:
			hs = append(hs, hint{"type", "filters", 3}, hint{"⌫", "removes", 3})
		case f.Kind == Picker:
			hs = append(hs, hint{"type", "filters", 3}, hint{k.ChoiceFw.Help().Key, k.ChoiceFw.Help().Desc, 2})
		case f.suggested:
			hs = append(hs, hint{"type", "replaces", 3})
		}
	}
	hs = append(hs, hint{k.Next.Help().Key, k.Next.Help().Desc, 1})
	if m.focus >= len(m.fields)-1 {
		hs = append(hs, hint{k.Enter.Help().Key, k.Submit.Help().Desc, 0})
	} else {
		hs = append(hs, hint{k.Enter.Help().Key, k.Enter.Help().Desc, 0}, hint{k.Submit.Help().Key, k.Submit.Help().Desc, 4})
	}
	hs = append(hs, hint{k.Cancel.Help().Key, k.Cancel.Help().Desc, 0})
	if m.multiFocused() && m.fields[m.focus].query() != "" { // enter adds: it neither moves on nor submits
		hs = slices.DeleteFunc(hs, func(h hint) bool { return h.keys == k.Enter.Help().Key && h.desc != "adds" })
	}
	render := func() string {
		parts := make([]string, len(hs))
		for i, h := range hs {
			parts[i] = m.th.Key.Render(h.keys) + " " + m.th.Desc.Render(h.desc)
		}
		return strings.Join(parts, m.th.Muted.Render(" · "))
	}
	for level := 4; level > 0 && ansi.StringWidth(render()) > width; level-- {
		hs = slices.DeleteFunc(hs, func(h hint) bool { return h.drop == level })
	}
	return render()
}

// body renders the fields into exactly height lines, scrolled so the
// focused field shows. Fields are spaced by a blank line when all fit.
func (m Model) body(width, height int) []string {
	if height <= 0 {
		return nil
	}
	lw := m.labelWidth(width)
	blocks := make([][]string, len(m.fields))
	total := 0
	for i := range m.fields {
		blocks[i] = m.block(i, lw, width)
		total += len(blocks[i])
	}
	spaced := len(blocks) > 0 && total+len(blocks)-1 <= height
	var lines []string
	start, end := 0, 0
	for i, b := range blocks {
		if spaced && i > 0 {
			lines = append(lines, "")
		}
		if i == m.focus {
			start = len(lines)
		}
		lines = append(lines, b...)
		if i == m.focus {
			end = len(lines)
		}
	}
	offset := 0
	if end > height {
		offset = min(start, end-height)
	}
	lines = lines[offset:]
	if len(lines) > height {
		lines = lines[:height]
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return lines
}

// labelWidth is the label column: the widest label, at most a third of the
// width (longer labels are truncated).
func (m Model) labelWidth(width int) int {
	w := 0
	for _, f := range m.fields {
		w = max(w, ansi.StringWidth(f.Label))
	}
	return max(1, min(w, width/3))
}

// block is one field's lines: the field, its help, its error.
func (m Model) block(i, labelWidth, width int) []string {
	f := m.fields[i]
	focused := i == m.focus && !m.submitted && !m.cancelled
	lead, label := "  ", m.th.Label
	if focused {
		lead, label = m.th.Accent.Render(marker), m.th.Accent
	}
	name := ansi.Truncate(f.Label, labelWidth, "…")
	name = label.Render(name) + strings.Repeat(" ", labelWidth-ansi.StringWidth(name))
	indent := strings.Repeat(" ", ansi.StringWidth(marker)+labelWidth+len(gap))
	boxWidth := min(maxBoxWidth, width-len(indent)-2)

	var value, desc string
	switch {
	case f.Kind == Choice, f.Kind == Picker && !focused:
		value, desc = m.choiceView(f, focused)
	case f.Kind == Picker:
		count := matchCount(f) // the box gives way to it on narrow screens
		bw := min(boxWidth, pickerBoxWidth, max(8, width-len(indent)-2-2-ansi.StringWidth(count)))
		value = m.boxView(f, focused, bw) + "  " + m.th.Muted.Render(count)
	default:
		value = m.boxView(f, focused, boxWidth)
	}
	lines := []string{lead + name + gap + value}
	if desc != "" { // beside the value when it fits whole, else under it
		if ansi.StringWidth(lines[0])+2+ansi.StringWidth(desc) <= width {
			lines[0] += "  " + m.th.Muted.Render(desc)
		} else {
			for _, d := range wrapWords(desc, max(10, width-len(indent))) {
				lines = append(lines, indent+m.th.Muted.Render(d))
			}
		}
	}
	if f.Kind == Picker && focused {
		lines = append(lines, m.matchLines(f, indent, width)...)
	}
	help := f.Help
	if f.Optional {
		help = strings.TrimSpace(help + " (optional)")
	}
	if help != "" {
		// Wrapped, not cut: a help line often says why a choice is absent.
		for _, h := range wrapWords(help, max(10, width-len(indent))) {
			lines = append(lines, indent+m.th.Muted.Render(h))
		}
	}
	if f.Kind != Choice && f.atLimit() {
		lines = append(lines, indent+m.th.Warn.Render(fmt.Sprintf("at most %d characters", f.input.CharLimit)))
	}
	if f.err != nil {
		for _, e := range wrapWords(m.redact(f.err.Error()), max(10, width-len(indent))) {
			lines = append(lines, indent+m.th.Danger.Render(e))
		}
	}
	return lines
}

// wrapWords breaks s into lines of at most limit cells at spaces (and at
// its own newlines); a word longer than limit stays whole, to be cut.
func wrapWords(s string, limit int) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			switch {
			case line == "":
				line = w
			case ansi.StringWidth(line)+1+ansi.StringWidth(w) <= limit:
				line += " " + w
			default:
				out = append(out, line)
				line = w
			}
		}
		out = append(out, line)
	}
	return out
}

// choiceView is "‹ value ›", and the value's description apart (the
// block puts it beside the value or under it).
func (m Model) choiceView(f *fieldState, focused bool) (value, desc string) {
	arrow := m.th.Border
	if focused {
		arrow = m.th.Accent
	}
	v := f.value()
	switch {
	case f.Multi && len(f.picked) > 0:
		v = strings.Join(f.pickedLabels(), ", ")
	case f.Multi && len(f.Options) > 0:
		v = ""
	case f.choice >= 0 && f.choice < len(f.Options):
		v = f.label(f.choice)
	}
	switch {
	case v == "" && f.Kind == Picker && len(f.Options) > 0:
		v = m.th.Muted.Render("none")
	case v == "":
		v = m.th.Muted.Render(placeholderOr(f.Placeholder, "no options"))
	}
	s := arrow.Render("‹") + " " + v + " " + arrow.Render("›")
	if f.Multi {
		return s, ""
	}
	return s, f.description()
}

// pickerBoxWidth is a Picker's filter box: short, so the match count
// and the matches under it have room.
const pickerBoxWidth = 24

// pickerRows is how many matches a focused Picker lists under its box.
const pickerRows = 4

// matchCount is "3 of 12": how many options the filter matches (and,
// for a Multi Picker, how many are picked).
func matchCount(f *fieldState) string {
	if len(f.Options) == 0 {
		if f.Multi {
			return "type values, comma-separated"
		}
		return "type a value"
	}
	n := fmt.Sprintf("%d of %d", len(f.matches()), len(f.Options))
	if f.Multi {
		n = fmt.Sprintf("%d picked · %s", len(f.picked), n)
	}
	return n
}

// matchLines list a focused Picker's matches, a window of pickerRows
// around the highlighted one, which is marked. A description shows only
// when it fits whole in width.
func (m Model) matchLines(f *fieldState, indent string, width int) []string {
	if len(f.Options) == 0 {
		return nil
	}
	var out []string
	if f.Multi && len(f.picked) > 0 { // wrapped: every pick shows whole
		for _, l := range wrapWords("picked: "+strings.Join(f.pickedLabels(), ", "), max(10, width-len(indent))) {
			out = append(out, indent+l)
		}
	}
	ms := f.matches()
	switch {
	case len(ms) == 0 && f.Free:
		return append(out, indent+m.th.Muted.Render("no match: taken as typed"))
	case len(ms) == 0:
		return append(out, indent+m.th.Warn.Render("nothing matches: change the filter"))
	}
	pos := max(0, slices.Index(ms, f.choice))
	start := max(0, min(pos-pickerRows/2, len(ms)-pickerRows))
	window := ms[start:min(len(ms), start+pickerRows)]
	for _, i := range window { // narrow: the matches get the label column too
		if ansi.StringWidth(indent)+2+ansi.StringWidth(f.label(i))+2 > width {
			indent = "  "
			break
		}
	}
	for _, i := range window {
		mark, label := "  ", f.label(i)
		if f.Multi && slices.Contains(f.picked, f.Options[i]) {
			label = "✓ " + label
		}
		if i == f.choice {
			mark, label = m.th.Accent.Render("› "), m.th.Selected.Render(label)
		}
		line := indent + mark + label
		if d := f.descriptionOf(i); d != "" && ansi.StringWidth(line)+2+ansi.StringWidth(d) <= width {
			line += "  " + m.th.Muted.Render(d)
		}
		out = append(out, line)
	}
	return out
}

// placeholderOr is the placeholder, or def when there is none.
func placeholderOr(p, def string) string {
	if p != "" {
		return p
	}
	return def
}

// boxView is "[value]" of a text, secret or number field, boxWidth cells
// inside the brackets, with the cursor when focused. A secret shows one
// mask character per typed character, never the characters.
func (m Model) boxView(f *fieldState, focused bool, boxWidth int) string {
	bracket := m.th.Border
	if focused {
		bracket = m.th.Accent
	}
	boxWidth = max(1, boxWidth)
	runes := []rune(f.input.Value())
	pos := max(0, min(f.input.Position(), len(runes)))
	if !focused || f.suggested {
		pos = 0 // shown from its start
	}
	// Only the runes that show are made printable and measured, so a
	// long value costs the box's width, not its length, to draw.
	start, end := window(runes, pos, boxWidth, f.Kind == Secret)
	shown := make([]rune, end-start)
	for i, r := range runes[start:end] { // a value from the API (a name to edit) may hold bidi controls
		shown[i] = textsafe.Glyph(r)
		if f.Kind == Secret {
			shown[i] = '•' // one mask per typed character, never the character
		}
	}
	cut := "" // the value goes on past the box
	if end < len(runes) {
		cut = "…"
	}
	placeholder := f.Placeholder
	if f.Kind == Picker && len(f.Options) > 0 {
		placeholder = "type to filter"
	}
	var inner string
	switch {
	case len(runes) == 0 && placeholder != "":
		ph := ansi.Truncate(placeholder, boxWidth, "…")
		if focused {
			first, rest := []rune(ph)[:1], []rune(ph)[1:]
			inner = m.th.Selected.Render(string(first)) + m.th.Muted.Render(string(rest))
		} else {
			inner = m.th.Muted.Render(ph)
		}
	case focused && f.suggested:
		// Shown selected: the first typed character replaces it.
		inner = m.th.Selected.Render(ansi.Truncate(string(shown)+cut, boxWidth, "…"))
	case focused:
		under, after := " ", ""
		if pos < end {
			under, after = string(shown[pos-start]), string(shown[pos-start+1:])
		}
		inner = ansi.Truncate(string(shown[:pos-start])+m.th.Selected.Render(under)+after, boxWidth, "")
	default:
		inner = ansi.Truncate(string(shown)+cut, boxWidth, "…")
	}
	pad := max(0, boxWidth-ansi.StringWidth(inner))
	return bracket.Render("[") + inner + strings.Repeat(" ", pad) + bracket.Render("]")
}

// window is the runes [start, end) that show in width cells with the
// cursor at pos: as many before the cursor as fit with the cursor's
// cell, then as many after as fill the rest. It measures only those
// runes: O(width), whatever the value's length.
func window(runes []rune, pos, width int, masked bool) (start, end int) {
	cell := func(r rune) int {
		if masked {
			return 1
		}
		return max(0, ansi.StringWidth(string(textsafe.Glyph(r))))
	}
	used := 1 // the cursor's cell
	if pos < len(runes) {
		used = max(1, cell(runes[pos]))
	}
	start = pos
	for start > 0 && used+cell(runes[start-1]) <= width {
		start--
		used += cell(runes[start])
	}
	end = min(pos+1, len(runes))
	for end < len(runes) && used+cell(runes[end]) <= width {
		used += cell(runes[end])
		end++
	}
	return start, end
}

// redact masks any secret value that an error message repeats.
func (m Model) redact(s string) string {
	for _, f := range m.fields {
		if v := f.input.Value(); f.Kind == Secret && len(v) >= 2 {
			s = strings.ReplaceAll(s, v, "••••")
		}
	}
	return textsafe.Text(s) // an error may quote the API's text: shown, not obeyed
}
