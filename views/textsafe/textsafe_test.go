package textsafe

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLineReplacesEveryControlWithAVisiblePlaceholder(t *testing.T) {
	cases := map[string]string{
		"web-1":                        "web-1",
		"web\x1b[2J-1":                 "web␛[2J-1",
		"a\tb\nc\rd":                   "a␉b␊c␍d",
		"nul\x00del\x7f":               "nul␀del␡",
		"csi\u009b2J":                  "csi‹U+009B›2J",
		"txt.exe\u202Egpj":             "txt.exe‹U+202E›gpj",
		"\u2066iso\u2069 \u200e\u061c": "‹U+2066›iso‹U+2069› ‹U+200E›‹U+061C›",
		"line\u2028sep":                "line‹U+2028›sep",
		"bad\xffbyte":                  "bad\uFFFDbyte",
		"日本語 ✓ �":                      "日本語 ✓ �",
	}
	for in, want := range cases {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextKeepsLinesAndExpandsTabs(t *testing.T) {
	in := "a\tb\r\nname\x1b]0;pwned\x07\n\tx\rlone"
	want := "a       b\nname␛]0;pwned␇\n        x␍lone"
	if got := Text(in); got != want {
		t.Fatalf("Text = %q, want %q", got, want)
	}
}

func TestSafeTextIsNotCopied(t *testing.T) {
	s := strings.Repeat("web-1 i-bp1 日本 ", 100)
	if n := testing.AllocsPerRun(100, func() { _ = Line(s) }); n != 0 {
		t.Fatalf("Line allocates %v times on safe text", n)
	}
}

func TestEscapeJSONKeepsTheValue(t *testing.T) {
	name := "web\x1b[2J\u202E\u009b\x7f-1"
	raw, err := json.Marshal(map[string]string{"InstanceName": name})
	if err != nil {
		t.Fatal(err)
	}
	out := EscapeJSON(raw)
	if firstUnsafe(string(out), false) >= 0 {
		t.Fatalf("escaped JSON still holds a control: %q", out)
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil || back["InstanceName"] != name {
		t.Fatalf("escaped JSON reads back as %q (%v), want %q", back["InstanceName"], err, name)
	}
}

// FuzzLine: whatever the input, Line's output holds no control, bidi or
// separator rune and is valid UTF-8; Text's holds none but newlines; and
// safe input comes back unchanged.
func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "web-1", "\x1b[2J", "a\u202Eb", "\u009b", "x\ty\r\nz", "\xff\xfe", "日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		line, text := Line(s), Text(s)
		for name, out := range map[string]string{"Line": line, "Text": text} {
			if !utf8.ValidString(out) {
				t.Fatalf("%s(%q) is not UTF-8: %q", name, s, out)
			}
			for _, r := range out {
				if Unsafe(r) && !(name == "Text" && r == '\n') {
					t.Fatalf("%s(%q) = %q holds %U", name, s, out, r)
				}
			}
		}
		for _, r := range s {
			if g := Glyph(r); Unsafe(g) || (!Unsafe(r) && g != r) {
				t.Fatalf("Glyph(%U) = %U", r, g)
			}
		}
		safe := utf8.ValidString(s) && !strings.ContainsFunc(s, Unsafe)
		if safe && (line != s || text != s) {
			t.Fatalf("safe %q changed: Line %q, Text %q", s, line, text)
		}
		if !safe && line == s {
			t.Fatalf("unsafe %q unchanged", s)
		}
	})
}
