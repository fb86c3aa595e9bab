package table

import (
	"fmt"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/theme"
)

var testCols = []Column{
	{Title: "ID", Width: 6},
	{Title: "NAME", Width: 8, Flex: 1},
	{Title: "SIZE", Width: 8, Right: true, Drop: 1},
}

func row(id, name, size string) Row { return Row{ID: id, Cells: []string{id, name, size}} }

func newTable(rows ...Row) Model {
	m := New(theme.New(true), testCols)
	m.SetSize(40, 20)
	m.SetRows(rows)
	return m
}

// lines renders the table and returns its data lines without escapes.
func lines(m Model) []string {
	out := strings.Split(ansi.Strip(m.View()), "\n")
	return out[1:]
}

// ids returns the first cell of each rendered row.
func ids(m Model) []string {
	var out []string
	for _, l := range lines(m) {
		out = append(out, strings.Fields(strings.TrimLeft(l, " *"))[0])
	}
	return out
}

func TestFilterIsCaseInsensitiveOverEveryCell(t *testing.T) {
	m := newTable(row("a1", "web-01", "40 GiB"), row("b2", "DB-01", "100 GiB"), row("c3", "web-02", "8 GiB"))
	m.SetFilter("WEB")
	if got := ids(m); strings.Join(got, ",") != "a1,c3" {
		t.Errorf("filter WEB = %v", got)
	}
	if m.Len() != 2 || m.Total() != 3 {
		t.Errorf("Len/Total = %d/%d", m.Len(), m.Total())
	}
	m.SetFilter("100 gib")
	if got := ids(m); strings.Join(got, ",") != "b2" {
		t.Errorf("filter on the size cell = %v", got)
	}
	m.SetFilter("nothing")
	if m.Len() != 0 || len(lines(m)) != 0 {
		t.Errorf("no match still shows %d rows", m.Len())
	}
	if _, ok := m.Selected(); ok {
		t.Error("Selected with no rows shown")
	}
	m.SetFilter("")
	if m.Len() != 3 {
		t.Errorf("clearing the filter shows %d rows", m.Len())
	}
}

func TestSortNumericVersusText(t *testing.T) {
	m := newTable(row("a", "b-name", "100 GiB"), row("b", "A-name", "8 GiB"), row("c", "c-name", "40 GiB"))
	m.SortBy("SIZE", false)
	if got := strings.Join(ids(m), ","); got != "b,c,a" {
		t.Errorf("numeric sort = %s, want b,c,a (8 < 40 < 100)", got)
	}
	if m.SortLabel() != "SIZE ↑" {
		t.Errorf("SortLabel = %q", m.SortLabel())
	}
	m.ReverseSort()
	if got := strings.Join(ids(m), ","); got != "a,c,b" {
		t.Errorf("reversed = %s", got)
	}
	m.SortBy("NAME", false)
	if got := strings.Join(ids(m), ","); got != "b,a,c" {
		t.Errorf("text sort (case-insensitive) = %s, want b,a,c", got)
	}
	// Sort keys win over cells.
	rows := []Row{
		{ID: "x", Cells: []string{"x", "5m", ""}, SortKeys: []string{"", "300", ""}},
		{ID: "y", Cells: []string{"y", "2h", ""}, SortKeys: []string{"", "7200", ""}},
		{ID: "z", Cells: []string{"z", "10s", ""}, SortKeys: []string{"", "10", ""}},
	}
	m.SetRows(rows)
	if got := strings.Join(ids(m), ","); got != "z,x,y" {
		t.Errorf("sort by keys = %s, want z,x,y", got)
	}
	// Cycling past the last column returns to the loader's order.
	m.CycleSort()
	if m.SortLabel() != "SIZE ↑" {
		t.Errorf("after NAME comes %q", m.SortLabel())
	}
	m.CycleSort()
	if m.SortLabel() != "" || strings.Join(ids(m), ",") != "x,y,z" {
		t.Errorf("unsorted = %q %v", m.SortLabel(), ids(m))
	}
}

func TestCursorStaysOnItsRowAcrossSetRows(t *testing.T) {
	m := newTable(row("a", "n", "1"), row("b", "n", "2"), row("c", "n", "3"))
	m.Move(2)
	if r, _ := m.Selected(); r.ID != "c" {
		t.Fatalf("cursor on %s", r.ID)
	}
	// A refresh inserts rows before it: the cursor follows c.
	m.SetRows([]Row{row("0", "n", "0"), row("a", "n", "1"), row("b", "n", "2"), row("c", "n", "3")})
	if r, _ := m.Selected(); r.ID != "c" {
		t.Errorf("after SetRows the cursor is on %s, want c", r.ID)
	}
	// Its row disappears: the cursor stays in range.
	m.SetRows([]Row{row("a", "n", "1")})
	if r, ok := m.Selected(); !ok || r.ID != "a" {
		t.Errorf("after its row went: %v %v", r.ID, ok)
	}
	// The filter keeps the cursor on the row when it still matches.
	m = newTable(row("a", "web", "1"), row("b", "db", "2"), row("c", "web", "3"))
	m.Move(2)
	m.SetFilter("web")
	if r, _ := m.Selected(); r.ID != "c" {
		t.Errorf("after filter the cursor is on %s, want c", r.ID)
	}
}

func TestMarks(t *testing.T) {
	m := newTable(row("a", "n", "1"), row("b", "n", "2"), row("c", "n", "3"))
	m.ToggleMark() // a, moves to b
	m.Move(1)
	m.ToggleMark() // c
	if got := strings.Join(m.Marked(), ","); got != "a,c" {
		t.Errorf("Marked = %s", got)
	}
	if l := lines(m); !strings.HasPrefix(l[0], "*") || strings.HasPrefix(l[1], "*") {
		t.Errorf("mark column:\n%s", strings.Join(l, "\n"))
	}
	m.Top()
	m.ToggleMark() // unmark a
	if got := strings.Join(m.Marked(), ","); got != "c" {
		t.Errorf("after unmarking a: %s", got)
	}
	// Marks of rows that are gone are dropped.
	m.SetRows([]Row{row("a", "n", "1"), row("b", "n", "2")})
	if len(m.Marked()) != 0 {
		t.Errorf("mark of a removed row kept: %v", m.Marked())
	}
	m.ToggleMark()
	m.ClearMarks()
	if len(m.Marked()) != 0 {
		t.Error("ClearMarks kept marks")
	}
}

func TestLongCellsEndInEllipsisAndKeepTheWidth(t *testing.T) {
	m := New(theme.New(true), testCols)
	m.SetSize(30, 5)
	m.SetRows([]Row{row("a", "a-very-long-name-that-does-not-fit", "10 GiB"), row("b", "short", "2 GiB")})
	for _, l := range lines(m) {
		if w := ansi.StringWidth(l); w > 30 {
			t.Errorf("line %d cells wide > 30: %q", w, l)
		}
	}
	l := lines(m)
	if !strings.Contains(l[0], "…") || strings.Contains(l[0], "does-not-fit") {
		t.Errorf("long name not truncated with an ellipsis: %q", l[0])
	}
	if !strings.Contains(l[1], "short") || strings.Contains(l[1], "…") {
		t.Errorf("short name changed: %q", l[1])
	}
	// Right-aligned column: the number ends at the column's edge.
	if !strings.HasSuffix(strings.TrimRight(l[1], " "), "2 GiB") {
		t.Errorf("size not right-aligned: %q", l[1])
	}
}

func TestOnlyVisibleRowsAreRendered(t *testing.T) {
	rows := make([]Row, 1000)
	for i := range rows {
		id := fmt.Sprintf("r%04d", i)
		rows[i] = row(id, "name", "1")
	}
	m := New(theme.New(true), testCols)
	m.SetSize(40, 11) // header + 10 rows
	m.SetRows(rows)
	got := ids(m)
	if len(got) != 10 || got[0] != "r0000" || got[9] != "r0009" {
		t.Fatalf("first screen = %v", got)
	}
	m.Move(15)
	got = ids(m)
	if len(got) != 10 || got[9] != "r0015" {
		t.Errorf("after moving to r0015 the screen is %v", got)
	}
	m.Bottom()
	got = ids(m)
	if got[len(got)-1] != "r0999" || len(got) != 10 {
		t.Errorf("bottom screen = %v", got)
	}
	if r, _ := m.Selected(); r.ID != "r0999" {
		t.Errorf("bottom selected %s", r.ID)
	}
	m.Page(-1)
	if r, _ := m.Selected(); r.ID != "r0990" {
		t.Errorf("page up selected %s, want r0990", r.ID)
	}
}

func TestNarrowScreenDropsLastColumns(t *testing.T) {
	m := New(theme.New(true), testCols)
	m.SetSize(17, 5) // room for ID and NAME only
	m.SetRows([]Row{row("a", "name", "99 GiB")})
	s := ansi.Strip(m.View())
	if strings.Contains(s, "SIZE") || strings.Contains(s, "99") {
		t.Errorf("SIZE should be dropped at 17 cells:\n%s", s)
	}
	if !strings.Contains(s, "NAME") {
		t.Errorf("NAME should remain:\n%s", s)
	}
}

// benchRows builds n rows shaped like the instances view.
func benchRows(n int) []Row {
	rows := make([]Row, n)
	for i := range rows {
		id := fmt.Sprintf("i-bp1%017d", i)
		rows[i] = Row{ID: id, Cells: []string{
			id, fmt.Sprintf("web-%05d", i), []string{"Running", "Stopped", "Starting"}[i%3],
			"cn-hangzhou-" + string(rune('h'+i%3)), "ecs.g7.large", fmt.Sprintf("%d GiB", 20+i%500),
			fmt.Sprintf("10.0.%d.%d", i/256%256, i%256), fmt.Sprintf("%dd", i%900),
		}}
	}
	return rows
}

var benchCols = []Column{
	{Title: "ID", Width: 22}, {Title: "NAME", Width: 12, Flex: 2},
	{Title: "STATUS", Width: 8, Style: func(th theme.Theme, s string) lipgloss.Style { return th.State(s) }},
	{Title: "ZONE", Width: 14}, {Title: "TYPE", Width: 16, Flex: 1},
	{Title: "SIZE", Width: 8, Right: true}, {Title: "PRIVATE IP", Width: 15}, {Title: "AGE", Width: 5, Right: true},
}

// BenchmarkFilterKeystroke is one keystroke of the filter over 10,000 rows:
// the filter runs and the screen (120x40) is rendered.
func BenchmarkFilterKeystroke(b *testing.B) {
	m := New(theme.New(false), benchCols)
	m.SetSize(120, 40)
	m.SetRows(benchRows(10000))
	filters := []string{"w", "we", "web", "web-", "web-0", "web-00", "web-0", "web-", "web", "we", "w", ""}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.SetFilter(filters[i%len(filters)])
		_ = m.View()
	}
}

// BenchmarkScroll is one cursor move down over 10,000 rows plus a render.
func BenchmarkScroll(b *testing.B) {
	m := New(theme.New(false), benchCols)
	m.SetSize(120, 40)
	m.SetRows(benchRows(10000))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%9999 == 0 {
			m.Top()
		}
		m.Move(1)
		_ = m.View()
	}
}
