package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// hostileName clears the screen and reverses the rest of the line when a
// terminal obeys it.
const hostileName = "evil\x1b[2J\u202Egpj.exe"

// statusEndpoint serves an emulator and points the CLI's credentials at it.
func statusEndpoint(t *testing.T) (*emulator.Server, string) {
	t.Helper()
	clearCredentials(t)
	srv := emulator.New(emulator.Options{Seed: 1})
	url, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", emulator.DefaultAccessKeyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", emulator.DefaultAccessKeySecret)
	return srv, url
}

// TestStatusSaysItCouldNotReadTheFleet: an endpoint that answers HTTP 200
// with an error body makes status fail (exit 1), saying it could not read
// the fleet and which call at which endpoint answered what, rather than
// printing an empty fleet.
func TestStatusSaysItCouldNotReadTheFleet(t *testing.T) {
	srv, url := statusEndpoint(t)
	for _, output := range []string{"table", "json"} {
		srv.MalformNext("DescribeInstances", emulator.MalformErrorBody200, 1000)
		code, stdout, stderr := runCLI(t, "status", "--endpoint", url, "-o", output)
		if code != 1 {
			t.Fatalf("-o %s: exit %d, want 1\nstdout: %s\nstderr: %s", output, code, stdout, stderr)
		}
		t.Logf("-o %s: %s", output, stderr)
		for _, want := range []string{"could not read the fleet", "DescribeInstances at " + url, "HTTP 200", emulator.MalformErrorCode} {
			if !strings.Contains(stderr, want) {
				t.Errorf("-o %s: stderr does not say %q:\n%s", output, want, stderr)
			}
		}
		if strings.Contains(stdout, "instances") {
			t.Errorf("-o %s: a fleet was printed anyway:\n%s", output, stdout)
		}
	}
}

// TestStatusPrintsHostileNamesAsPlaceholders: a name holding ESC [ 2 J and
// U+202E reaches the table as visible placeholders, with no ESC byte or
// bidi control left, and the JSON as escapes that decode to the exact name.
func TestStatusPrintsHostileNamesAsPlaceholders(t *testing.T) {
	srv, url := statusEndpoint(t)
	code, stdout, stderr := runCLI(t, "status", "--endpoint", url, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Instances []struct{ InstanceId, InstanceName string } `json:"instances"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || len(doc.Instances) == 0 {
		t.Fatalf("no instances (%v):\n%s", err, stdout)
	}
	id := doc.Instances[0].InstanceId
	if err := srv.SetInstanceNameUnchecked(id, hostileName); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr = runCLI(t, "status", "--endpoint", url)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "evil␛[2J‹U+202E›gpj.exe") {
		t.Errorf("the table lacks the placeholders:\n%s", stdout)
	}
	assertNoControls(t, "table", stdout)

	code, stdout, stderr = runCLI(t, "status", "--endpoint", url, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	assertNoControls(t, "json", stdout)
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, in := range doc.Instances {
		found = found || (in.InstanceId == id && in.InstanceName == hostileName)
	}
	if !found {
		t.Errorf("the JSON does not give the exact name of %s:\n%s", id, stdout)
	}
}

func assertNoControls(t *testing.T, what, out string) {
	t.Helper()
	if i := strings.IndexFunc(out, func(r rune) bool {
		return r == 0x1b || r == 0x202e || (r < 0x20 && r != '\n') || (r >= 0x80 && r <= 0x9f)
	}); i >= 0 {
		t.Errorf("%s holds a control at byte %d: %q", what, i, out[max(0, i-20):min(len(out), i+20)])
	}
}
