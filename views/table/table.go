// Package table is the one resource table every view uses: columns that
// share the width, rows rendered only when visible (so 10,000 rows cost what
// a screenful costs), a filter, a sort column, marks for bulk actions, and a
// cursor that stays on its row across refreshes.
package table

import (
	"sort"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/views/textsafe"
)

// Column describes one column.
type Column struct {
	Title string
	Width int  // minimum width in cells
	Flex  int  // share of the spare width (0 = fixed)
	Right bool // right-aligned (numbers)
	// SortLabel names the order this column's sort keys give (e.g.
	// "hottest first"); "" = the title and an arrow.
	SortLabel string
	// Drop orders which columns give way on a narrow screen: the highest
	// goes first; 0 = always shown.
	Drop int
	// Style colours a cell by its value (e.g. a status); nil = plain.
	Style func(th theme.Theme, cell string) lipgloss.Style
	// Styled says the view renders this column's cells itself, styles
	// included (a sparkline, a coloured figure), from its own values: the
	// table shows them as they are. Every other cell is made printable
	// (textsafe.Line), since it may hold the API's text.
	Styled bool
}

// Row is one resource. ID identifies it across refreshes.
type Row struct {
	ID    string
	Cells []string
	// SortKeys, when set for a column, is compared instead of the cell
	// (e.g. an RFC 3339 time behind an "age" cell).
	SortKeys []string
}

// Model is the table state. Its methods with pointer receivers change it.
type Model struct {
	th      theme.Theme
	cols    []Column
	rows    []Row
	lower   []string // lower-cased cells per row, for the filter
	order   []int    // row indices in sort order
	visible []int    // order, filtered
	filter  string
	sortCol int  // -1 = the loader's order
	desc    bool // sort direction
	cursor  int  // index into visible
	offset  int  // first visible row on screen
	width   int
	height  int // rows available for data (header excluded)
	marks   map[string]bool
}

// New builds an empty table.
func New(th theme.Theme, cols []Column) Model {
	return Model{th: th, cols: cols, sortCol: -1, marks: map[string]bool{}}
}

// SetRows replaces the rows, keeping the filter, the sort, the marks that
// still exist and the cursor on the same row ID when it is still there.
func (m *Model) SetRows(rows []Row) {
	current, _ := m.Selected()
	m.rows = rows
	m.lower = make([]string, len(rows))
	for i, r := range rows {
		m.lower[i] = lowerCells(r)
	}
	ids := make(map[string]bool, len(rows))
	for _, r := range rows {
		ids[r.ID] = true
	}
	for id := range m.marks {
		if !ids[id] {
			delete(m.marks, id)
		}
	}
	m.resort()
	m.refilter()
	m.selectID(current.ID)
}

// Upsert replaces the rows with the same IDs and appends the others,
// keeping the filter, the sort, the marks and the cursor on its row: what
// an action touched changes without the whole table being replaced.
func (m *Model) Upsert(rows []Row) {
	if len(rows) == 0 {
		return
	}
	current, _ := m.Selected()
	index := make(map[string]int, len(m.rows))
	for i, r := range m.rows {
		index[r.ID] = i
	}
	for _, r := range rows {
		if i, ok := index[r.ID]; ok {
			m.rows[i], m.lower[i] = r, lowerCells(r)
			continue
		}
		index[r.ID] = len(m.rows)
		m.rows = append(m.rows, r)
		m.lower = append(m.lower, lowerCells(r))
	}
	m.resort()
	m.refilter()
	m.selectID(current.ID)
}

func lowerCells(r Row) string { return strings.ToLower(strings.Join(r.Cells, "\x00")) }

// SetColumns replaces the columns (a list that gains a REGION column),
// keeping the sort on the column of the same title; the rows must be set
// again to match.
func (m *Model) SetColumns(cols []Column) {
	title := ""
	if m.sortCol >= 0 && m.sortCol < len(m.cols) {
		title = m.cols[m.sortCol].Title
	}
	m.cols = cols
	m.sortCol = -1
	for i, c := range cols {
		if title != "" && c.Title == title {
			m.sortCol = i
		}
	}
	m.resort()
	m.refilter()
}

// SetSize sets the width and the height available to the table, header included.
func (m *Model) SetSize(width, height int) {
	m.width = width
	m.height = max(1, height-1)
	m.clampOffset()
}

// Len is the number of rows shown (after the filter); Total all rows.
func (m Model) Len() int   { return len(m.visible) }
func (m Model) Total() int { return len(m.rows) }

// Filter returns the current filter text.
func (m Model) Filter() string { return m.filter }

// SetFilter keeps only rows containing text (case-insensitive, any column).
func (m *Model) SetFilter(text string) {
	current, _ := m.Selected()
	m.filter = text
	m.refilter()
	if !m.selectID(current.ID) {
		m.cursor, m.offset = 0, 0
	}
}

// CycleSort moves the sort to the next column (after the last: unsorted).
func (m *Model) CycleSort() {
	current, _ := m.Selected()
	m.sortCol++
	if m.sortCol >= len(m.cols) {
		m.sortCol = -1
	}
	m.desc = false
	m.resort()
	m.refilter()
	m.selectID(current.ID)
}

// ReverseSort flips the sort direction.
func (m *Model) ReverseSort() {
	if m.sortCol < 0 {
		m.sortCol = 0
	}
	current, _ := m.Selected()
	m.desc = !m.desc
	m.resort()
	m.refilter()
	m.selectID(current.ID)
}

// SortBy sorts on the named column (used for a view's default order).
func (m *Model) SortBy(title string, desc bool) {
	for i, c := range m.cols {
		if c.Title == title {
			m.sortCol, m.desc = i, desc
			m.resort()
			m.refilter()
			return
		}
	}
}

// SortLabel describes the sort for the header, e.g. "NAME ↑"; "" when unsorted.
func (m Model) SortLabel() string {
	if m.sortCol < 0 {
		return ""
	}
	arrow := "↑"
	if m.desc {
		arrow = "↓"
	}
	if l := m.cols[m.sortCol].SortLabel; l != "" {
		return l + " " + arrow
	}
	return m.cols[m.sortCol].Title + " " + arrow
}

// Selected returns the row under the cursor.
func (m Model) Selected() (Row, bool) {
	if m.cursor < 0 || m.cursor >= len(m.visible) {
		return Row{}, false
	}
	return m.rows[m.visible[m.cursor]], true
}

// Select puts the cursor on the row with the given ID, if shown.
func (m *Model) Select(id string) bool { return m.selectID(id) }

// Move moves the cursor by delta rows (negative = up), clamped.
func (m *Model) Move(delta int) {
	if len(m.visible) == 0 {
		return
	}
	m.cursor = min(max(m.cursor+delta, 0), len(m.visible)-1)
	m.clampOffset()
}

// Page moves by a screenful.
func (m *Model) Page(dir int) { m.Move(dir * max(1, m.height-1)) }

// Top and Bottom jump to the ends.
func (m *Model) Top()    { m.Move(-len(m.visible)) }
func (m *Model) Bottom() { m.Move(len(m.visible)) }

// ToggleMark marks or unmarks the row under the cursor and moves down.
func (m *Model) ToggleMark() {
	r, ok := m.Selected()
	if !ok {
		return
	}
	if m.marks[r.ID] {
		delete(m.marks, r.ID)
	} else {
		m.marks[r.ID] = true
	}
	m.Move(1)
}

// Marked returns the IDs of the marked rows the filter shows, in display
// order: what a bulk action may act on.
func (m Model) Marked() []string {
	var out []string
	for _, i := range m.visible {
		if m.marks[m.rows[i].ID] {
			out = append(out, m.rows[i].ID)
		}
	}
	return out
}

// MarkedHidden returns the IDs of marked rows the filter hides, in display
// order: they stay marked but no action applies to them.
func (m Model) MarkedHidden() []string {
	shown := make(map[int]bool, len(m.visible))
	for _, i := range m.visible {
		shown[i] = true
	}
	var out []string
	for _, i := range m.order {
		if m.marks[m.rows[i].ID] && !shown[i] {
			out = append(out, m.rows[i].ID)
		}
	}
	return out
}

// ClearMarks unmarks every row.
func (m *Model) ClearMarks() { clear(m.marks) }

func (m *Model) selectID(id string) bool {
	if id == "" {
		m.clampCursor()
		return false
	}
	for i, ri := range m.visible {
		if m.rows[ri].ID == id {
			m.cursor = i
			m.clampOffset()
			return true
		}
	}
	m.clampCursor()
	return false
}

func (m *Model) clampCursor() {
	m.cursor = min(max(m.cursor, 0), max(len(m.visible)-1, 0))
	m.clampOffset()
}

func (m *Model) clampOffset() {
	if m.height <= 0 {
		return
	}
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+m.height {
		m.offset = m.cursor - m.height + 1
	}
	m.offset = min(max(m.offset, 0), max(len(m.visible)-m.height, 0))
}

func (m *Model) resort() {
	m.order = make([]int, len(m.rows))
	for i := range m.order {
		m.order[i] = i
	}
	if m.sortCol < 0 {
		return
	}
	col := m.sortCol
	key := func(i int) string {
		r := m.rows[i]
		if col < len(r.SortKeys) && r.SortKeys[col] != "" {
			return r.SortKeys[col]
		}
		if col < len(r.Cells) {
			return r.Cells[col]
		}
		return ""
	}
	sort.SliceStable(m.order, func(a, b int) bool {
		ka, kb := key(m.order[a]), key(m.order[b])
		if m.desc {
			return less(kb, ka)
		}
		return less(ka, kb)
	})
}

// less compares numerically when both values start with a number
// ("12%", "40 GiB"), else as case-insensitive text.
func less(a, b string) bool {
	na, aok := leadingNumber(a)
	nb, bok := leadingNumber(b)
	if aok && bok && na != nb {
		return na < nb
	}
	return strings.ToLower(a) < strings.ToLower(b)
}

func leadingNumber(s string) (float64, bool) {
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' || (end == 0 && s[end] == '-')) {
		end++
	}
	if end == 0 {
		return 0, false
	}
	n, err := strconv.ParseFloat(s[:end], 64)
	return n, err == nil
}

func (m *Model) refilter() {
	f := strings.ToLower(m.filter)
	m.visible = m.visible[:0]
	if f == "" {
		m.visible = append(m.visible, m.order...)
	} else {
		for _, i := range m.order {
			if strings.Contains(m.lower[i], f) {
				m.visible = append(m.visible, i)
			}
		}
	}
	m.clampCursor()
}

// widths shares the table width among the columns: every shown column gets
// its minimum, flexible ones share what is left; when the minimums do not
// fit, columns give way in Drop order rather than wrapping.
func (m Model) widths() []int {
	const gap = 1
	w := make([]int, len(m.cols))
	used, flex := 1, 0 // the mark column
	for i, c := range m.cols {
		w[i] = c.Width
		used += c.Width + gap
	}
	for used > m.width {
		drop := -1
		for i, c := range m.cols {
			if w[i] > 0 && c.Drop > 0 && (drop < 0 || c.Drop > m.cols[drop].Drop) {
				drop = i
			}
		}
		if drop < 0 {
			break // only undroppable columns left: the line is truncated
		}
		used -= w[drop] + gap
		w[drop] = 0
	}
	for i, c := range m.cols {
		if w[i] > 0 {
			flex += c.Flex
		}
	}
	return m.spread(w, used, flex)
}

func (m Model) spread(w []int, used, flex int) []int {
	spare := m.width - used
	if spare <= 0 || flex == 0 {
		return w
	}
	given := 0
	last := -1
	for i, c := range m.cols {
		if w[i] == 0 || c.Flex == 0 {
			continue
		}
		extra := spare * c.Flex / flex
		w[i] += extra
		given += extra
		last = i
	}
	if last >= 0 {
		w[last] += spare - given
	}
	return w
}

// View renders the header and the rows on screen (only those).
func (m Model) View() string {
	widths := m.widths()
	var b strings.Builder
	b.WriteString(" ") // the header lines up with the mark column
	b.WriteString(m.renderLine(widths, m.headerCells(), func(int, string) lipgloss.Style { return m.th.Header }))
	end := min(m.offset+m.height, len(m.visible))
	for vi := m.offset; vi < end; vi++ {
		r := m.rows[m.visible[vi]]
		b.WriteByte('\n')
		line := m.renderRow(widths, r, vi == m.cursor)
		b.WriteString(line)
	}
	return b.String()
}

func (m Model) headerCells() []string {
	cells := make([]string, len(m.cols))
	for i, c := range m.cols {
		cells[i] = c.Title
		if i == m.sortCol {
			if m.desc {
				cells[i] += "↓"
			} else {
				cells[i] += "↑"
			}
		}
	}
	return cells
}

func (m Model) renderRow(widths []int, r Row, selected bool) string {
	marked := m.marks[r.ID]
	prefix := " "
	if marked {
		prefix = "*"
	}
	if selected {
		// One style over the whole line so the cursor bar is unbroken.
		plain := m.plainLine(widths, r.Cells)
		return m.th.Selected.Render(ansi.Truncate(prefix+plain, m.width, "…") + strings.Repeat(" ", max(0, m.width-1-lipgloss.Width(plain))))
	}
	line := m.renderLine(widths, r.Cells, func(i int, cell string) lipgloss.Style {
		if m.cols[i].Style != nil {
			return m.cols[i].Style(m.th, cell)
		}
		return lipgloss.NewStyle()
	})
	if marked {
		return m.th.Marked.Render(prefix) + line
	}
	return prefix + line
}

func (m Model) plainLine(widths []int, cells []string) string {
	var b strings.Builder
	for i, w := range widths {
		if w == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		cell := ""
		if i < len(cells) {
			cell = cells[i]
		}
		b.WriteString(fit(m.printable(i, cell), w, m.cols[i].Right))
	}
	return b.String()
}

func (m Model) renderLine(widths []int, cells []string, style func(int, string) lipgloss.Style) string {
	var b strings.Builder
	first := true
	for i, w := range widths {
		if w == 0 {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		cell := ""
		if i < len(cells) {
			cell = cells[i]
		}
		// The style sees the value; the screen sees it made printable.
		b.WriteString(style(i, cell).Render(fit(m.printable(i, cell), w, m.cols[i].Right)))
	}
	return b.String()
}

// printable is cell as the screen shows it: a name or description from the
// API may hold escapes or bidi controls, shown as placeholders; a Styled
// column's cell is the view's own rendering.
func (m Model) printable(col int, cell string) string {
	if col < len(m.cols) && m.cols[col].Styled {
		return cell
	}
	return textsafe.Line(cell)
}

// fit pads or truncates (with an ellipsis) s to exactly w cells.
func fit(s string, w int, right bool) string {
	if lipgloss.Width(s) > w {
		return ansi.Truncate(s, w, "…")
	}
	pad := strings.Repeat(" ", w-lipgloss.Width(s))
	if right {
		return pad + s
	}
	return s + pad
}
