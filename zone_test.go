package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseTimeZone(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want *time.Location
	}{{"", time.Local}, {"local", time.Local}, {"Local", time.Local}, {"UTC", time.UTC}, {" utc ", time.UTC}} {
		if got, err := parseTimeZone(tc.in); err != nil || got != tc.want {
			t.Errorf("%q = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	got, err := parseTimeZone("Asia/Shanghai")
	if err != nil || got.String() != "Asia/Shanghai" {
		t.Fatalf("Asia/Shanghai = %v, %v", got, err)
	}
	if _, off := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC).In(got).Zone(); off != 8*3600 {
		t.Errorf("Asia/Shanghai offset %d", off)
	}
	for _, bad := range []string{"Mars/Olympus_Mons", "+08", "CST8", "../etc/passwd"} {
		_, err := parseTimeZone(bad)
		if err == nil || !strings.Contains(err.Error(), `"local", "UTC" or an IANA zone name`) {
			t.Errorf("%q: err %v, want the rule named", bad, err)
		}
	}
}

func TestTimeZoneFromConfigAndUTCFlag(t *testing.T) {
	clearCredentials(t)
	if z, err := displayZone(globalFlags{}); err != nil || z != time.Local {
		t.Fatalf("no config: %v %v, want Local", z, err)
	}
	path := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "ecsdash", "config.json")
	writeJSON(t, path, map[string]any{"time_zone": "Europe/Berlin"})
	if z, err := displayZone(globalFlags{}); err != nil || z.String() != "Europe/Berlin" {
		t.Fatalf("time_zone Europe/Berlin: %v %v", z, err)
	}
	if z, err := displayZone(globalFlags{utc: true}); err != nil || z != time.UTC {
		t.Fatalf("--utc: %v %v, want UTC over the config", z, err)
	}
	// The flag exists on the dashboard's command and sets utc.
	root := newRootCommand(io.Discard, io.Discard)
	if err := root.ParseFlags([]string{"--utc"}); err != nil {
		t.Fatal(err)
	}
	if on, err := root.Flags().GetBool("utc"); err != nil || !on {
		t.Fatalf("--utc parsed as %v, %v", on, err)
	}
	// A bad zone stops the dashboard at once (exit 2), naming the file and the rule.
	writeJSON(t, path, map[string]any{"time_zone": "Europe/Atlantis"})
	code, _, stderr := runCLI(t, "--demo")
	if code != 2 || !strings.Contains(stderr, path) || !strings.Contains(stderr, `time_zone "Europe/Atlantis": must be "local", "UTC" or an IANA zone name`) {
		t.Errorf("bad time_zone: exit %d, %s", code, stderr)
	}
}
