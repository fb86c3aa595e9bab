package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// Targeted faults: unlike the random ThrottleRate/ErrorRate, a targeted fault
// hits the next calls of one named action, so a test (or a person at the
// demo, over POST /_emulator/faults) can make exactly the step it wants go
// wrong — the modify of a type change throttled, the answer of a stop lost.
//
// A fault never hits a DryRun precheck unless it asks to (DryRun true): the
// precheck changes nothing, and a fault meant for the real call should not be
// spent on it.

// TargetedFault is one pending fault: the next Count calls of Action fail with
// Code (HTTP Status) without being applied, or — with DropAnswer — are applied
// and their answer lost (the connection closed without a response).
type TargetedFault struct {
	Action     string `json:"action"`
	Code       string `json:"code,omitempty"`
	Status     int    `json:"status,omitempty"`
	Message    string `json:"message,omitempty"` // default: the real service's message for Code
	DropAnswer bool   `json:"drop_answer,omitempty"`
	DryRun     bool   `json:"dry_run,omitempty"` // hit DryRun prechecks instead of real calls
	Count      int    `json:"count"`
}

// targetedFaults is the queue of pending faults, in the order they were added.
type targetedFaults struct {
	mu      sync.Mutex
	pending []TargetedFault
}

// errAnswerDropped tells ServeHTTP that the call was applied and its answer
// must be lost: it closes the connection without writing anything.
var errAnswerDropped = errors.New("emulator: answer dropped by a targeted fault")

// FailNext makes the next count calls of action answer code with HTTP status
// (the real service's message for that code, a fresh RequestId) without
// applying them.
func (s *Server) FailNext(action, code string, status, count int) {
	_ = s.InjectFault(TargetedFault{Action: action, Code: code, Status: status, Count: count})
}

// DropAnswerNext makes the next count calls of action apply (state changes as
// usual) and then lose their answer: the connection is closed without a
// response, as a timeout or a connection reset looks to a client.
func (s *Server) DropAnswerNext(action string, count int) {
	_ = s.InjectFault(TargetedFault{Action: action, DropAnswer: true, Count: count})
}

// InjectFault queues a targeted fault after checking it.
func (s *Server) InjectFault(f TargetedFault) error {
	if err := f.check(); err != nil {
		return err
	}
	if !f.DropAnswer && f.Message == "" {
		f.Message = faultMessage(f.Code)
	}
	s.targeted.mu.Lock()
	s.targeted.pending = append(s.targeted.pending, f)
	s.targeted.mu.Unlock()
	return nil
}

// PendingFaults lists the targeted faults not yet spent.
func (s *Server) PendingFaults() []TargetedFault {
	s.targeted.mu.Lock()
	defer s.targeted.mu.Unlock()
	return append([]TargetedFault{}, s.targeted.pending...)
}

// ClearFaults drops every pending targeted fault.
func (s *Server) ClearFaults() {
	s.targeted.mu.Lock()
	s.targeted.pending = nil
	s.targeted.mu.Unlock()
}

func (f TargetedFault) check() error {
	switch {
	case f.Action == "":
		return errors.New("a fault needs an action")
	case f.Count <= 0:
		return errors.New("a fault needs a count of at least 1")
	case f.DropAnswer && f.Code != "":
		return errors.New("give drop_answer or code, not both")
	case !f.DropAnswer && f.Code == "":
		return errors.New("a fault needs a code (or drop_answer)")
	case !f.DropAnswer && (f.Status < 400 || f.Status > 599):
		return fmt.Errorf("status %d is not an error status (400-599)", f.Status)
	}
	return nil
}

// take spends one matching pending fault for r, if any: the first fault for
// r's action (and r's kind, precheck or real call).
func (t *targetedFaults) take(r *request) (TargetedFault, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	dry := r.dryRun()
	for i := range t.pending {
		f := &t.pending[i]
		if f.Action != r.action || f.DryRun != dry {
			continue
		}
		hit := *f
		f.Count--
		if f.Count == 0 {
			t.pending = append(t.pending[:i], t.pending[i+1:]...)
		}
		return hit, true
	}
	return TargetedFault{}, false
}

// faultMessage is the real service's message for the codes a fault is
// usually asked for; any other code gets a neutral one naming it.
func faultMessage(code string) string {
	switch code {
	case "Throttling.User":
		return errThrottled().Message
	case "Throttling":
		return "Request was denied due to request throttling."
	case "Throttling.Resource":
		return "The request throttle by resource operation."
	case "InternalError":
		return "The request processing has failed due to some unknown error, exception or failure."
	case "ServiceUnavailable":
		return "The request has failed due to a temporary failure of the server."
	case "IncorrectInstanceStatus":
		return errIncorrectInstanceStatus().Message
	case "IncorrectDiskStatus":
		return "The current disk status does not support this operation."
	case "OperationConflict":
		return "Request was denied due to conflict with a previous request, please try again later."
	case "LastTokenProcessing":
		return "The last token request is processing."
	case "OperationDenied.NoStock":
		return "The requested resource is sold out in the specified zone; try other types of resources or other regions and zones."
	case "InvalidInstanceType.ValueNotSupported":
		return "The specified InstanceType does not exist or beyond the permitted range."
	case "Forbidden.RAM":
		return "User not authorized to operate on the specified resource, or this API doesn't support RAM."
	}
	return fmt.Sprintf("The request has failed: %s.", code)
}

// dropAnswer loses the answer of an applied call: the connection is taken
// over and closed without a byte written, as a timeout or a reset looks to
// the client. A writer that cannot be hijacked (HTTP/2) is aborted instead.
func dropAnswer(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// serveFaults answers /_emulator/faults: GET lists the pending faults, POST
// adds one ({"action":"ModifyInstanceSpec","code":"Throttling.User",
// "status":400,"count":1} or {"action":"StopInstances","drop_answer":true,
// "count":1}), DELETE clears them.
func (s *Server) serveFaults(w http.ResponseWriter, hr *http.Request) {
	fail := func(status int, msg string) {
		writeJSON(w, status, map[string]any{"Code": "InvalidParameter", "Message": msg})
	}
	switch hr.Method {
	case http.MethodGet:
	case http.MethodPost:
		body, err := io.ReadAll(io.LimitReader(hr.Body, 1<<16))
		if err != nil {
			fail(http.StatusBadRequest, "the body could not be read")
			return
		}
		var f TargetedFault
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			fail(http.StatusBadRequest, `want JSON {"action":"StopInstances","code":"Throttling.User","status":400,"count":1} or {"action":"StopInstances","drop_answer":true,"count":1}: `+err.Error())
			return
		}
		if err := s.InjectFault(f); err != nil {
			fail(http.StatusBadRequest, err.Error())
			return
		}
	case http.MethodDelete:
		s.ClearFaults()
	default:
		fail(http.StatusMethodNotAllowed, "use GET, POST or DELETE")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"pending": s.PendingFaults()})
}
