package views

import (
	"errors"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

// TestNumberFieldAndCommandRefuseAlike: a number the form field refuses
// is refused by the matching `:` command with the same words, and
// neither reinterprets it ("1e6" is not 16, "300MB" is not 300 GiB,
// "0x12C" is not 12). Nothing is sent.
func TestNumberFieldAndCommandRefuseAlike(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	d, _ := attachedData(t, e)
	ins, _ := e.fleet(t)
	in := pick(ins, 1, func(in cloud.Instance) bool { return running(in) })[0]
	for _, tc := range []struct {
		view, id, command string
		key               rune
		text, says        string
	}{
		{"disks", d.ID, "resize", 'Z', "300MB", `"300MB" is not a size in GiB`},
		{"disks", d.ID, "resize", 'Z', "0x12C", `"0x12C" is not a size in GiB`},
		{"instances", in.ID, "bandwidth", 'W', "1e6", `"1e6" is not a whole number of Mbit/s`},
	} {
		v := load(t, ctx, findView(t, ctx, tc.view))
		selectRow(t, v, tc.id)
		tr := command(t, ctx, v, tc.command, tc.text)
		errs := tr.errs()
		var ve *cloud.ValidationError
		if len(tr.confirms) != 0 || len(errs) != 1 || !errors.As(errs[0], &ve) || !strings.Contains(ve.Rule, tc.says) {
			t.Fatalf(":%s %s: confirms %d, errors %v; want a refusal saying %q", tc.command, tc.text, len(tr.confirms), errs, tc.says)
		}
		keyFlow(t, ctx, v, runeKey(tc.key))
		if !v.Capturing() {
			t.Fatalf("%c opened no form", tc.key)
		}
		if tc.command == "bandwidth" {
			v.Update(ctx, tabKey) // past the billing choice
		}
		for range 8 {
			v.Update(ctx, bsKey)
		}
		typeText(t, ctx, v, tc.text)
		if tr := keyFlow(t, ctx, v, submitKy); len(tr.confirms) != 0 || !v.Capturing() {
			t.Fatalf("the %s form took %q", tc.command, tc.text)
		}
		// The same refusal, whole, under the field (wide enough not to wrap).
		mustContain(t, strings.Join(strings.Fields(screen(ctx, v, 200, 40)), " "), strings.Join(strings.Fields(errs[0].Error()), " "))
		v.Update(ctx, escKey)
	}
	if n := e.calls("ResizeDisk", "ModifyInstanceNetworkSpec"); n != 0 {
		t.Errorf("the refusals made %d changes", n)
	}
}
