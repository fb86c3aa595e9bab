package chart

import (
	"image/color"
	"strings"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// styleKey identifies what a style does to a one-row run of text: its
// colours and text attributes. lipgloss.Style is not comparable, so runs are
// merged by this key instead. Two styles differing only in layout (padding,
// width, borders) compare equal; the level functions used here never set
// those.
type styleKey struct {
	fg, bg                               colorKey
	bold, faint, italic, underline       bool
	reverse, blink, strikethrough, plain bool
}

// colorKey is a colour reduced to a comparable value; set is false for
// lipgloss.NoColor.
type colorKey struct {
	set        bool
	r, g, b, a uint32
}

func keyOfColor(c color.Color) colorKey {
	if c == nil {
		return colorKey{}
	}
	if _, ok := c.(lipgloss.NoColor); ok {
		return colorKey{}
	}
	r, g, b, a := c.RGBA()
	return colorKey{true, r, g, b, a}
}

func keyOf(s *lipgloss.Style) styleKey {
	k := styleKey{
		fg:            keyOfColor(s.GetForeground()),
		bg:            keyOfColor(s.GetBackground()),
		bold:          s.GetBold(),
		faint:         s.GetFaint(),
		italic:        s.GetItalic(),
		underline:     s.GetUnderline(),
		reverse:       s.GetReverse(),
		blink:         s.GetBlink(),
		strikethrough: s.GetStrikethrough(),
	}
	k.plain = k == styleKey{}
	return k
}

// runWriter builds one row of cells (or several: its cache lives as long
// as the writer), rendering each run of cells that share a style as one
// styled string, and plain runs with no escape sequences at all.
//
// The first run in a style is rendered by lipgloss; the SGR sequences around
// the text are kept and reused for later runs with the same key, since a
// colour-and-attribute style wraps any single-line text the same way. That
// keeps a 100x20 chart with many short runs to a handful of Render calls.
type runWriter struct {
	out   *strings.Builder
	run   []byte
	style lipgloss.Style
	key   styleKey
	open  bool
	wraps []wrap
}

// wrap is what a style puts around a run: pre + text + post.
type wrap struct {
	key       styleKey
	pre, post string
	ok        bool // false: the style changes the text or its width; Render each run
}

// newRunWriter writes to out.
func newRunWriter(out *strings.Builder) *runWriter {
	return &runWriter{out: out}
}

// write appends text in style s.
func (w *runWriter) write(text string, s *lipgloss.Style) {
	w.start(s)
	if w.key.plain {
		w.out.WriteString(text)
		return
	}
	w.run = append(w.run, text...)
}

// writeRune is write for one rune.
func (w *runWriter) writeRune(r rune, s *lipgloss.Style) {
	w.start(s)
	if w.key.plain {
		w.out.WriteRune(r)
		return
	}
	w.run = utf8.AppendRune(w.run, r)
}

// start continues the current run when s has the same key as its style,
// and otherwise ends it and opens one in s.
func (w *runWriter) start(s *lipgloss.Style) {
	k := keyOf(s)
	if w.open && k == w.key {
		return
	}
	w.flush()
	w.style, w.key, w.open = *s, k, true
}

// flush ends the current run.
func (w *runWriter) flush() {
	if w.open && !w.key.plain && len(w.run) > 0 {
		wr := w.wrapOf(w.key, w.style)
		if wr.ok {
			w.out.WriteString(wr.pre)
			w.out.Write(w.run)
			w.out.WriteString(wr.post)
		} else {
			w.out.WriteString(w.style.Render(string(w.run)))
		}
	}
	w.run = w.run[:0]
	w.open = false
}

// probe is rendered once per style to find the sequences around text.
const probe = "x"

// wrapOf returns the cached wrap for k, rendering s around a probe the first
// time.
func (w *runWriter) wrapOf(k styleKey, s lipgloss.Style) wrap {
	for _, wr := range w.wraps {
		if wr.key == k {
			return wr
		}
	}
	wr := wrap{key: k}
	if r := s.Render(probe); strings.Count(r, probe) == 1 && ansi.StringWidth(r) == len(probe) {
		i := strings.Index(r, probe)
		wr.pre, wr.post, wr.ok = r[:i], r[i+len(probe):], true
	}
	w.wraps = append(w.wraps, wr)
	return wr
}
