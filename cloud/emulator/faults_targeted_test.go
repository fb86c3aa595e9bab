package emulator

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// A FailNext fault answers the real service's error for its code, does not
// apply the call, spends itself on real calls only (not on a DryRun
// precheck) and then lets the action through again.
func TestFailNextAnswersTheErrorWithoutApplying(t *testing.T) {
	c, s := newOpsClient(t)
	id := pickInstances(t, s, 1, runningPostPaidLinux)[0]
	s.FailNext("StopInstance", "Throttling.User", 400, 2)

	stop := ecs.CreateStopInstanceRequest()
	stop.InstanceId = id
	stop.DryRun = requests.NewBoolean(true)
	_, err := c.StopInstance(stop)
	ecsExpectError(t, err, "DryRunOperation", 400) // the precheck is not hit

	stop.DryRun = requests.NewBoolean(false)
	for i := range 2 {
		_, err := c.StopInstance(stop)
		ecsExpectError(t, err, "Throttling.User", 400)
		var se *sdkerrors.ServerError
		errors.As(err, &se)
		if se.Message() != "Request was denied due to user flow control." || se.RequestId() == "" {
			t.Errorf("call %d: message %q, RequestId %q", i+1, se.Message(), se.RequestId())
		}
		wantStatus(t, c, id, "Running") // not applied
	}
	if p := s.PendingFaults(); len(p) != 0 {
		t.Fatalf("faults still pending after their count: %+v", p)
	}
	if _, err := c.StopInstance(stop); err != nil {
		t.Fatalf("third stop: %v", err)
	}
	wantStatus(t, c, id, "Stopping")
}

// A FailNext fault only hits its action: other actions pass.
func TestFailNextTargetsOneAction(t *testing.T) {
	c, s := newOpsClient(t)
	id := pickInstances(t, s, 1, runningPostPaidLinux)[0]
	s.FailNext("ModifyInstanceSpec", "InternalError", 500, 1)
	describeInstance(t, c, id) // DescribeInstances is untouched
	stop := ecs.CreateStopInstanceRequest()
	stop.InstanceId = id
	if _, err := c.StopInstance(stop); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if p := s.PendingFaults(); len(p) != 1 || p[0].Action != "ModifyInstanceSpec" || p[0].Count != 1 {
		t.Fatalf("pending %+v, want the ModifyInstanceSpec fault untouched", p)
	}
}

// A DropAnswerNext fault applies the call and closes the connection
// without an answer: the client sees a transport error, the state changed.
func TestDropAnswerNextAppliesAndLosesTheAnswer(t *testing.T) {
	c, s := newOpsClient(t)
	id := pickInstances(t, s, 1, runningPostPaidLinux)[0]
	s.DropAnswerNext("StopInstance", 1)

	stop := ecs.CreateStopInstanceRequest()
	stop.InstanceId = id
	_, err := c.StopInstance(stop)
	if err == nil {
		t.Fatal("the stop was answered; want the answer lost")
	}
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		t.Fatalf("got a server answer %v; want a transport error", err)
	}
	wantStatus(t, c, id, "Stopping") // applied
	_, err = c.StopInstance(stop)
	ecsExpectError(t, err, "IncorrectInstanceStatus", 403) // the retry is answered
}

// POST /_emulator/faults adds a fault, GET lists it, DELETE clears; bad
// bodies are refused with the reason.
func TestFaultsEndpoint(t *testing.T) {
	s := New(Options{Seed: 1, Instances: 10})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	call := func(method, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, ts.URL+"/_emulator/faults", strings.NewReader(body))
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
	if code, body := call("POST", `{"action":"ModifyInstanceSpec","code":"Throttling.User","status":400,"count":1}`); code != 200 {
		t.Fatalf("POST fail fault: %d %s", code, body)
	}
	if code, body := call("POST", `{"action":"StopInstances","drop_answer":true,"count":2}`); code != 200 {
		t.Fatalf("POST drop fault: %d %s", code, body)
	}
	code, body := call("GET", "")
	var got struct{ Pending []TargetedFault }
	if err := json.Unmarshal([]byte(body), &got); err != nil || code != 200 {
		t.Fatalf("GET: %d %s (%v)", code, body, err)
	}
	if len(got.Pending) != 2 || got.Pending[0].Message != "Request was denied due to user flow control." ||
		!got.Pending[1].DropAnswer || got.Pending[1].Count != 2 {
		t.Fatalf("pending %+v", got.Pending)
	}
	for _, bad := range []string{
		`{"code":"Throttling.User","status":400,"count":1}`,
		`{"action":"StopInstance","code":"Throttling.User","status":200,"count":1}`,
		`{"action":"StopInstance","code":"Throttling.User","status":400}`,
		`{"action":"StopInstance","drop_answer":true,"code":"X","status":400,"count":1}`,
		`{"action":"StopInstance","cout":1}`,
		`not json`,
	} {
		if code, body := call("POST", bad); code != 400 || !strings.Contains(body, "Message") {
			t.Errorf("POST %s: %d %s, want 400 with the reason", bad, code, body)
		}
	}
	if code, _ := call("DELETE", ""); code != 200 {
		t.Fatalf("DELETE: %d", code)
	}
	if p := s.PendingFaults(); len(p) != 0 {
		t.Fatalf("after DELETE: %+v", p)
	}
}
