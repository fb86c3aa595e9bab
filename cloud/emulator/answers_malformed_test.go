package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// POST /_emulator/malform queues spoiled answers, GET lists, DELETE
// clears; a bad body is refused with the reason. (What a spoiled answer
// does to a client: cloud/malformed_answers_test.go.)
func TestMalformEndpoint(t *testing.T) {
	s := New(Options{Seed: 1, Instances: 10})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	call := func(method, path, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := call("POST", "/_emulator/malform", `{"action":"DescribeRegions","kind":"empty","count":2}`); code != 200 {
		t.Fatalf("POST: %d %s", code, body)
	}
	code, body := call("GET", "/_emulator/malform", "")
	var got struct{ Pending []MalformedAnswer }
	if err := json.Unmarshal([]byte(body), &got); err != nil || code != 200 || len(got.Pending) != 1 || got.Pending[0].Count != 2 {
		t.Fatalf("GET: %d %s (%v)", code, body, err)
	}
	for _, bad := range []string{`{"kind":"empty","count":1}`, `{"action":"X","kind":"garbage","count":1}`, `{"action":"X","kind":"empty"}`, `not json`} {
		if code, body := call("POST", "/_emulator/malform", bad); code != 400 || !strings.Contains(body, "Message") {
			t.Errorf("POST %s: %d %s, want 400 with the reason", bad, code, body)
		}
	}
	if code, _ := call("DELETE", "/_emulator/malform", ""); code != 200 {
		t.Fatalf("DELETE: %d", code)
	}
	if _, body := call("GET", "/_emulator/malform", ""); !strings.Contains(body, `"pending":[]`) {
		t.Fatalf("after DELETE: %s", body)
	}
}
