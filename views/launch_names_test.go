package views

import (
	"slices"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

func TestLaunchNamesExpandAsTheAPIDoes(t *testing.T) {
	for _, c := range []struct {
		pattern string
		count   int
		want    []string
	}{
		{"web-[1,2]", 2, []string{"web-01", "web-02"}},
		{"web-[7,2]-hz", 2, []string{"web-07-hz", "web-08-hz"}},
		{"node[]", 1, []string{"node000000"}},
		{"web", 1, []string{"web"}},
		{"web", 3, []string{"web001", "web002", "web003"}}, // UniqueSuffix
		{"", 2, nil},
	} {
		if got := launchNames(c.pattern, c.count); !slices.Equal(got, c.want) {
			t.Errorf("launchNames(%q, %d) = %q, want %q", c.pattern, c.count, got, c.want)
		}
	}
}

func TestFreeNamePatternStartsPastTakenNames(t *testing.T) {
	taken := []string{"web-01", "web-04", "web-x9", "web-", "api-07", "web-02-old"}
	for _, c := range []struct{ pattern, want string }{
		{"web-[1,2]", "web-[5,2]"}, // past web-04, whatever the count
		{"web-[9,2]", "web-[9,2]"}, // already past them
		{"api-[1,2]", "api-[8,2]"}, //
		{"db-[1,2]", "db-[1,2]"},   // none taken
		{"web", "web"},             // a plain name is not renumbered
		{"web-[1,2]-old", "web-[3,2]-old"},
	} {
		if got := freeNamePattern(c.pattern, taken); got != c.want {
			t.Errorf("freeNamePattern(%q) = %q, want %q", c.pattern, got, c.want)
		}
	}
}

func TestNamesLineListsNamesAndTypedRepeats(t *testing.T) {
	taken := []string{"web-01", "web-02"}
	if got := namesLine("web-[3,2]", 2, taken); got != "web-03, web-04" {
		t.Errorf("got %q", got)
	}
	if got := namesLine("web-[1,2]", 1, taken); got != "web-01; web-01 already exists (as typed)" {
		t.Errorf("typed repeat: got %q", got)
	}
	if got := namesLine("w-[1,2]", 10, nil); got != "w-01, w-02 … w-10 (10 names)" {
		t.Errorf("many: got %q", got)
	}
	if got := namesLine("", 2, taken); got != "(the API names them)" {
		t.Errorf("unnamed: got %q", got)
	}
}

// TestLaunchNeverRepeatsANameByDefault: an image made from web-01 defaults
// to web-NN names; :launch 2 gives two names the region does not have,
// listed in the confirmation, and the instances get exactly them.
func TestLaunchNeverRepeatsANameByDefault(t *testing.T) {
	e := newOpsEnv(t)
	ctx := e.ctx
	before, _ := e.fleet(t)
	i := slices.IndexFunc(before, func(in cloud.Instance) bool { return in.Name == "web-01" })
	if i < 0 {
		t.Fatal("no web-01 in the fleet")
	}
	src := before[i]
	v := load(t, ctx, findView(t, ctx, "images"))
	noErrors(t, command(t, ctx, v, "image", "web-names", src.ID))
	self, err := e.check.Images(bg(t), "cn-hangzhou", cloud.OwnerSelf)
	if err != nil {
		t.Fatal(err)
	}
	j := slices.IndexFunc(self, func(im cloud.Image) bool { return im.Name == "web-names" })
	if j < 0 {
		t.Fatal("the image was not made")
	}
	v = load(t, ctx, v)
	selectRow(t, v, self[j].ID)

	tr := command(t, ctx, v, "launch", "2")
	if len(tr.confirms) != 1 {
		t.Fatalf("confirms %+v reports %+v", tr.confirms, tr.reports)
	}
	var names []string
	for _, l := range tr.confirms[0].Lines {
		if rest, ok := strings.CutPrefix(l, "Names:"); ok {
			names = strings.Split(strings.TrimSpace(rest), ", ")
		}
	}
	if len(names) != 2 || !strings.HasPrefix(names[0], "web-") {
		t.Fatalf("the confirmation names %q, want two web-NN names:\n%s", names, strings.Join(tr.confirms[0].Lines, "\n"))
	}
	for _, n := range names {
		if slices.ContainsFunc(before, func(in cloud.Instance) bool { return in.Name == n }) {
			t.Errorf("the default name %s already exists in the region", n)
		}
	}
	noErrors(t, tr)
	after, _ := e.fleet(t)
	var got []string
	for _, in := range after {
		if in.ImageID == self[j].ID {
			got = append(got, in.Name)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, names) {
		t.Errorf("launched instances are named %q, the confirmation said %q", got, names)
	}
}
