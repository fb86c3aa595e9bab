package emulator

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzServeRequest throws arbitrary query strings, bodies and headers at the
// emulator: whatever arrives, it must answer (never panic) with a JSON body
// carrying a RequestId, and a 4xx for what it cannot authenticate.
func FuzzServeRequest(f *testing.F) {
	f.Add("Action=DescribeRegions&Version=2014-05-26&AccessKeyId=x&Signature=y&Timestamp=2026-11-25T08:00:00Z", "", "")
	f.Add("", "Action=DescribeInstances&Version=2014-05-26&RegionId=cn-hangzhou", "application/x-www-form-urlencoded")
	f.Add("Action=DescribeMetricLast&Version=2019-01-01&Dimensions=%5B%7B", "", "")
	f.Add("%zz=&&&==", "\x00\xff", "application/x-www-form-urlencoded")
	f.Add("Action=X&Version=2014-05-26", "", "ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=00")
	srv := New(Options{Seed: 1, Instances: 10, Now: func() time.Time { return time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC) }})
	f.Fuzz(func(t *testing.T, query, body, header string) {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.URL.RawQuery = query
		if strings.HasPrefix(header, "ACS3-") {
			req.Header.Set("Authorization", header)
		} else if header != "" {
			req.Header.Set("Content-Type", header)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code == http.StatusOK {
			t.Fatalf("an unsigned request was answered 200: %s", rec.Body.String())
		}
		if !bytes.Contains(rec.Body.Bytes(), []byte(`"RequestId"`)) {
			t.Fatalf("answer without RequestId: %d %s", rec.Code, rec.Body.String())
		}
	})
}

// FuzzPercentEncode checks the V1 canonical encoding keeps only RFC 3986
// unreserved characters literal, for any input.
func FuzzPercentEncode(f *testing.F) {
	for _, s := range []string{"", "a b", "*~/", "ünï©ødé", "%7E+%20", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := percentEncode(s)
		for i := 0; i < len(e); i++ {
			c := e[i]
			unreserved := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-_.~%", c) >= 0
			if !unreserved {
				t.Fatalf("percentEncode(%q) = %q keeps %q literal", s, e, c)
			}
		}
	})
}
