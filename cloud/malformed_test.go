package cloud_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
)

// TestMalformedAnswersAreClearErrors serves broken answers where the API
// should be: every one must come back as a clear error naming what went
// wrong, never a panic and never an empty success.
func TestMalformedAnswersAreClearErrors(t *testing.T) {
	cases := map[string]func(w http.ResponseWriter){
		"truncated JSON": func(w http.ResponseWriter) {
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`{"Instances":{"Instance":[{"InstanceId":"i-1"`))
		},
		"not JSON": func(w http.ResponseWriter) {
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`<html>gateway</html>`))
		},
		"array where an object belongs": func(w http.ResponseWriter) {
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`{"Instances":[1,2,3],"TotalCount":3}`))
		},
		"error body with a numeric Code": func(w http.ResponseWriter) {
			w.WriteHeader(400) // the SDK panics on this shape (API notes §2.2)
			_, _ = w.Write([]byte(`{"Code":400,"Message":"bad","RequestId":"R-1"}`))
		},
		"empty 500": func(w http.ResponseWriter) { w.WriteHeader(500) },
		"connection cut": func(w http.ResponseWriter) {
			hj, ok := w.(http.Hijacker)
			if !ok {
				return
			}
			conn, _, _ := hj.Hijack()
			_ = conn.Close()
		},
	}
	for name, answer := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { answer(w) }))
			defer srv.Close()
			c := newClient(t, srv.URL, func(cfg *cloud.Config) { cfg.Timeout = 2 * time.Second })
			cloud.SetRetryPolicyForTest(c, 10*time.Millisecond, 50*time.Millisecond, 500*time.Millisecond)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			list, err := c.Instances(ctx, testRegion)
			if err == nil {
				t.Fatalf("a broken answer was taken as %d instances", len(list))
			}
			if msg := err.Error(); msg == "" || strings.Contains(msg, "panic:") {
				t.Fatalf("unclear error: %q", msg)
			}
		})
	}
}
