package cloud_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

func apiError(t *testing.T, err error) *cloud.APIError {
	t.Helper()
	var e *cloud.APIError
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want *cloud.APIError", err, err)
	}
	return e
}

func TestBadSecret(t *testing.T) {
	_, url := start(t, emulator.Options{Instances: 10})
	c := newClient(t, url, func(cfg *cloud.Config) { cfg.Credentials.AccessKeySecret = "not-the-secret" })
	_, err := c.Regions(context.Background())
	e := apiError(t, err)
	if e.Code != "SignatureDoesNotMatch" || !cloud.IsCode(err, "SignatureDoesNotMatch") {
		t.Fatalf("Code = %q, want SignatureDoesNotMatch", e.Code)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "SignatureDoesNotMatch: ") {
		t.Errorf("Error() = %q, want the code first", msg)
	}
	if strings.Contains(msg, "string to sign") || strings.Contains(msg, "\n") || strings.Contains(msg, emulator.DefaultAccessKeyID) {
		t.Errorf("Error() = %q: want one line without the string-to-sign echo", msg)
	}
	if e.RequestID == "" || !strings.Contains(msg, e.RequestID) {
		t.Errorf("Error() = %q: want the RequestId %q", msg, e.RequestID)
	}
	if e.HTTPStatus != 400 || e.Action != "DescribeRegions" || e.Region != testRegion {
		t.Errorf("HTTPStatus, Action, Region = %d, %q, %q", e.HTTPStatus, e.Action, e.Region)
	}
}

func TestUnknownRegion(t *testing.T) {
	_, c := env(t, emulator.Options{Instances: 10})
	_, err := c.Zones(context.Background(), "xx-nowhere-1")
	if !cloud.IsCode(err, "InvalidRegionId.NotFound") {
		t.Fatalf("err = %v, want InvalidRegionId.NotFound", err)
	}
	if e := apiError(t, err); e.HTTPStatus != 404 || e.Region != "xx-nowhere-1" {
		t.Errorf("HTTPStatus %d, Region %q", e.HTTPStatus, e.Region)
	}
}

func TestThrottled(t *testing.T) {
	srv, c := env(t, emulator.Options{Instances: 10, ThrottleRate: 1})
	cloud.SetRetryPolicyForTest(c, time.Millisecond, 10*time.Millisecond, 200*time.Millisecond)
	_, err := c.Regions(context.Background())
	if !cloud.IsCode(err, "Throttling.User") {
		t.Fatalf("err = %v, want Throttling.User", err)
	}
	if !cloud.HasCodePrefix(err, "Throttling") || cloud.HasCodePrefix(err, "Throttl") {
		t.Error("HasCodePrefix: want a dotted-prefix match only")
	}
	// A read is retried until the retry budget is spent; each retry counted.
	got := srv.Stats().Faults["Throttling.User"]
	if u := c.Usage(time.Now()); got < 2 || u.Retries != got-1 {
		t.Errorf("emulator counted %d throttled calls, client %d retries: want retries, all counted", got, u.Retries)
	}
}

func TestServerErrors(t *testing.T) {
	_, c := env(t, emulator.Options{Instances: 10, ErrorRate: 1})
	cloud.SetRetryPolicyForTest(c, 0, 0, 0) // one attempt: see the error itself
	for range 4 {
		_, err := c.Regions(context.Background())
		e := apiError(t, err)
		switch {
		case e.Code == "InternalError" && e.HTTPStatus == 500:
		case e.Code == "ServiceUnavailable" && e.HTTPStatus == 503:
		default:
			t.Fatalf("err = %v (HTTP %d), want InternalError/500 or ServiceUnavailable/503", err, e.HTTPStatus)
		}
	}
}

func TestDebugLogNeverHasTheSecret(t *testing.T) {
	const id, secret = "LTAI-log-test-id", "Zq9-very-distinctive-secret-7Hk"
	_, url := start(t, emulator.Options{Instances: 10, AccessKeyID: id, AccessKeySecret: secret})
	var logs logBuffer
	c := newClient(t, url, func(cfg *cloud.Config) {
		cfg.Credentials = cloud.Credentials{AccessKeyID: id, AccessKeySecret: secret}
		cfg.Logger = debugLogger(&logs)
	})
	if _, err := c.Regions(context.Background()); err != nil {
		t.Fatalf("Regions: %v", err)
	}
	if _, err := c.Zones(context.Background(), "xx-nowhere-1"); err == nil {
		t.Fatal("Zones in an unknown region: no error")
	}
	bad := newClient(t, url, func(cfg *cloud.Config) {
		cfg.Credentials = cloud.Credentials{AccessKeyID: id, AccessKeySecret: secret + "-wrong"}
		cfg.Logger = debugLogger(&logs)
	})
	if _, err := bad.Regions(context.Background()); err == nil {
		t.Fatal("bad secret: no error")
	}

	out := logs.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d log records, want one per call (3):\n%s", len(lines), out)
	}
	for i, want := range []string{`"action":"DescribeRegions"`, `"action":"DescribeZones"`, `"action":"DescribeRegions"`} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("record %d = %s, want %s", i, lines[i], want)
		}
	}
	for i, want := range []string{`"code":"OK"`, `"code":"InvalidRegionId.NotFound"`, `"code":"SignatureDoesNotMatch"`} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("record %d = %s, want %s", i, lines[i], want)
		}
	}
	for _, l := range lines {
		if !strings.Contains(l, `"request_id":"`) || strings.Contains(l, `"request_id":""`) {
			t.Errorf("record without a RequestId: %s", l)
		}
		if !strings.Contains(l, `"duration":`) || !strings.Contains(l, `"region":"`) {
			t.Errorf("record without duration or region: %s", l)
		}
	}
	if strings.Contains(out, secret) || strings.Contains(out, "Signature=") {
		t.Errorf("the log leaks the secret or a signature:\n%s", out)
	}
}

func TestContextAndTimeout(t *testing.T) {
	_, url := start(t, emulator.Options{Instances: 10, Latency: 300 * time.Millisecond})

	c := newClient(t, url, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(30 * time.Millisecond); cancel() }()
	began := time.Now()
	_, err := c.Regions(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: err = %v, want context.Canceled", err)
	}
	if d := time.Since(began); d > 200*time.Millisecond {
		t.Errorf("cancelled call returned after %s, want promptly", d)
	}

	short := newClient(t, url, func(cfg *cloud.Config) { cfg.Timeout = 50 * time.Millisecond })
	cloud.SetRetryPolicyForTest(short, time.Millisecond, 10*time.Millisecond, 200*time.Millisecond)
	_, err = short.Regions(context.Background())
	if !cloud.IsCode(err, cloud.CodeTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("timeout: err = %v, want %s wrapping context.DeadlineExceeded", err, cloud.CodeTimeout)
	}
}

func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there now
	c := newClient(t, url, nil)
	cloud.SetRetryPolicyForTest(c, time.Millisecond, 10*time.Millisecond, 100*time.Millisecond)
	_, err = c.Regions(context.Background())
	e := apiError(t, err)
	if u := c.Usage(time.Now()); u.Retries == 0 {
		t.Error("a transport failure was not retried")
	}
	if e.Code != cloud.CodeServerUnreachable || e.RequestID != "" {
		t.Fatalf("err = %v, want %s", err, cloud.CodeServerUnreachable)
	}
	if strings.Contains(err.Error(), "Signature") || strings.Contains(err.Error(), "AccessKeyId") {
		t.Errorf("Error() leaks the signed URL: %s", err)
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("want the *net.OpError cause, got %T", errors.Unwrap(err))
	}
}

func TestProxyCannotCaptureTheEndpoint(t *testing.T) {
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:1")
	t.Setenv("http_proxy", "http://127.0.0.1:1")
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")
	_, c := env(t, emulator.Options{Instances: 10})
	if _, err := c.Regions(context.Background()); err != nil {
		t.Fatalf("Regions through a dead HTTP_PROXY: %v", err)
	}
}
