// Package textsafe makes text that came from outside the program (the API:
// names, descriptions, error messages, command output; config files) safe
// to put on a terminal: no byte of it can be read by the terminal as a
// control sequence or reorder what is shown around it.
//
// What is replaced, and by what (visible, one or a few cells each):
//
//   - C0 controls U+0000–U+001F: the Unicode Control Pictures U+2400–U+241F
//     (ESC is "␛", a tab in a single line "␉", a newline "␊", CR "␍");
//   - DEL U+007F: "␡";
//   - C1 controls U+0080–U+009F, the bidirectional controls (U+061C,
//     U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and the line and
//     paragraph separators U+2028/U+2029: their code point in guillemets,
//     e.g. "‹U+202E›", so a reader learns what was hidden there;
//   - a byte that is not UTF-8: "�" (U+FFFD).
//
// Everything else, including U+FFFD itself, passes unchanged, and text with
// nothing to replace is returned as is without allocating, so the table
// can call Line on every visible cell of every frame.
//
// It is for what is shown only: a value sent back to the API (a name in a
// rename, an id in a call) is always the original string.
package textsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// tabWidth is the tab stop Text expands tabs to.
const tabWidth = 8

// Line is s for one line of the screen (a table cell, a field, a notice):
// every control, newlines and tabs included, becomes its placeholder.
func Line(s string) string { return clean(s, false) }

// Text is s for a block of lines (a command's output): newlines are kept
// ("\r\n" becomes "\n"), a tab becomes spaces to the next tab stop, and
// every other control becomes its placeholder.
func Text(s string) string { return clean(s, true) }

// Unsafe reports whether r is replaced by Line (a rune Text keeps, '\n' or
// '\t', is still reported).
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// Placeholder is what Line shows in place of an unsafe rune r ("" for a
// safe one).
func Placeholder(r rune) string {
	switch {
	case r < 0x20:
		return string(rune(0x2400 + r))
	case r == 0x7f:
		return "\u2421"
	case Unsafe(r):
		return fmt.Sprintf("‹U+%04X›", r)
	}
	return ""
}

// Glyph is r as one cell of an editable field, where a placeholder must be
// one rune so the cursor keeps its place: a C0 control or DEL is its
// Control Picture, another unsafe rune "�"; a safe rune is itself.
func Glyph(r rune) rune {
	switch {
	case r < 0x20:
		return 0x2400 + r
	case r == 0x7f:
		return 0x2421
	case Unsafe(r):
		return utf8.RuneError
	}
	return r
}

// clean replaces what is unsafe; multiline keeps newlines and expands tabs.
func clean(s string, multiline bool) string {
	i := firstUnsafe(s, multiline)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	col := utf8.RuneCountInString(s[strings.LastIndexByte(s[:i], '\n')+1 : i]) // for tab stops
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
			col++
		case multiline && r == '\n':
			b.WriteByte('\n')
			col = 0
		case multiline && r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
			// "\r\n" is a newline: the '\n' is written next.
		case multiline && r == '\t':
			n := tabWidth - col%tabWidth
			b.WriteString(strings.Repeat(" ", n))
			col += n
		case Unsafe(r):
			p := Placeholder(r)
			b.WriteString(p)
			col += utf8.RuneCountInString(p)
		default:
			b.WriteString(s[i : i+size])
			col++
		}
		i += size
	}
	return b.String()
}

// firstUnsafe is the index of the first byte clean must change, or -1.
func firstUnsafe(s string, multiline bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		if c < 0x80 { // C0 or DEL
			if multiline && c == '\n' {
				i++
				continue
			}
			return i
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || Unsafe(r) {
			return i
		}
		i += size
	}
	return -1
}

// EscapeJSON makes encoded JSON safe to print without changing the values
// it holds: encoding/json already escapes C0 controls and U+2028/U+2029,
// and this writes every other unsafe rune (DEL, C1, the bidirectional
// controls) as its \uXXXX escape, which decodes to the same string. b must
// be valid JSON from encoding/json (so valid UTF-8).
func EscapeJSON(b []byte) []byte {
	i := firstUnsafe(string(b), true)
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:i]...)
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			out = append(out, byte(r)) // JSON whitespace between tokens
		case Unsafe(r):
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}
