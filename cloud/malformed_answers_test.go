package cloud_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// TestMalformedAnswersNameTheActionAndEndpoint: an HTTP 200 whose body is
// an error, empty, cut short or not JSON is an error naming the action and
// the endpoint, never an empty list; the next, sound answer reads normally.
func TestMalformedAnswersNameTheActionAndEndpoint(t *testing.T) {
	srv, url := start(t, emulator.Options{})
	c := newClient(t, url, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cases := map[emulator.Malform]struct{ code, says string }{
		emulator.MalformErrorBody200: {emulator.MalformErrorCode, "answered HTTP 200 with an error: The request was refused by the gateway"},
		emulator.MalformEmpty:        {cloud.CodeMalformedAnswer, "answered HTTP 200 with an empty body"},
		emulator.MalformTruncated:    {cloud.CodeMalformedAnswer, "answered HTTP 200 with JSON cut short after"},
		emulator.MalformNotJSON:      {cloud.CodeMalformedAnswer, "answered HTTP 200 with a body that is not JSON (text/html"},
	}
	for kind, want := range cases {
		t.Run(string(kind), func(t *testing.T) {
			srv.MalformNext("DescribeInstances", kind, 1)
			list, err := c.Instances(ctx, testRegion)
			if err == nil {
				t.Fatalf("a %s answer was taken as %d instances", kind, len(list))
			}
			var apiErr *cloud.APIError
			if !errors.As(err, &apiErr) || apiErr.Code != want.code || apiErr.HTTPStatus != 200 || apiErr.Action != "DescribeInstances" {
				t.Fatalf("error %#v (%v), want code %s under HTTP 200 for DescribeInstances", apiErr, err, want.code)
			}
			msg := err.Error()
			for _, part := range []string{"DescribeInstances at " + url, want.says} {
				if !strings.Contains(msg, part) {
					t.Errorf("error %q does not say %q", msg, part)
				}
			}
			if cloud.Retryable(err) {
				t.Errorf("%s is retryable: a read would repeat it to no end", msg)
			}
			if list, err := c.Instances(ctx, testRegion); err != nil || len(list) == 0 {
				t.Fatalf("the next answer: %d instances, %v", len(list), err)
			}
		})
	}
}

// TestCloudMonitorSuccessIsNotAnError: CloudMonitor's success envelope
// ("Code":"200", "Success":true) passes the answer check.
func TestCloudMonitorSuccessIsNotAnError(t *testing.T) {
	_, c := env(t, emulator.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	list, err := c.Instances(ctx, testRegion)
	if err != nil || len(list) == 0 {
		t.Fatalf("instances: %d, %v", len(list), err)
	}
	if _, err := c.LatestMetrics(ctx, testRegion, cloud.MetricCPU, []string{list[0].ID}); err != nil {
		t.Fatalf("DescribeMetricLast: %v", err)
	}
}

// TestUnreadableWriteAnswerIsJudgedByReadBack: a stop answered HTTP 200
// with an empty, cut or non-JSON body reached the service, so it is not a
// plain failure: reading the instance back shows it stopping, and it is
// reported done, sent once. A 200 error body is the refusal it says.
func TestUnreadableWriteAnswerIsJudgedByReadBack(t *testing.T) {
	for _, kind := range []emulator.Malform{emulator.MalformEmpty, emulator.MalformTruncated, emulator.MalformNotJSON, emulator.MalformErrorBody200} {
		t.Run(string(kind), func(t *testing.T) {
			srv, c, _ := lostEnv(t)
			in := instancesWhere(t, c, 1, runningPostPaid)[0]
			p, err := c.PlanStopInstances(testRegion, []string{in.ID}, false, "")
			if err != nil {
				t.Fatal(err)
			}
			srv.MalformNext("StopInstances", kind, 1)
			_, err = c.Execute(opsCtx(t), p)
			if kind == emulator.MalformErrorBody200 {
				if !cloud.IsCode(err, emulator.MalformErrorCode) || cloud.Ambiguous(err) {
					t.Fatalf("a 200 error body gave %v, want the refusal %s", err, emulator.MalformErrorCode)
				}
				return
			}
			if err != nil {
				t.Fatalf("a stop answered with %s is reported as failed: %v", kind, err)
			}
			if n := srv.Stats().Calls["StopInstances"]; n != 1 {
				t.Errorf("StopInstances sent %d times, want once", n)
			}
		})
	}
}
