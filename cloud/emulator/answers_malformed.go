package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
)

// Malformed answers: the call is applied as usual and its answer is then
// spoiled the ways a broken proxy, a gateway or a cut connection spoil one,
// always under HTTP 200, so a client that trusts the status would take it
// for an empty success. (Targeted faults, faults_targeted.go, fail a call or
// lose its answer; these answer it badly.)

// Malform is how an answer is spoiled.
type Malform string

const (
	// MalformErrorBody200: HTTP 200 with an error body ("Code",
	// "Message", "RequestId") instead of the result.
	MalformErrorBody200 Malform = "error-body-200"
	// MalformEmpty: HTTP 200 with no body at all.
	MalformEmpty Malform = "empty"
	// MalformTruncated: HTTP 200 with the real answer cut in the middle.
	MalformTruncated Malform = "truncated"
	// MalformNotJSON: HTTP 200 with an HTML page, as a captive portal or a
	// misconfigured proxy answers.
	MalformNotJSON Malform = "not-json"
)

// MalformErrorCode is the code of a MalformErrorBody200 answer: a refusal,
// not a transient failure, so a client does not retry it.
const MalformErrorCode = "Forbidden.Gateway"

// malformedAnswers is the queue of answers to spoil, per action.
type malformedAnswers struct {
	mu      sync.Mutex
	pending []malformed
}

type malformed struct {
	action string
	kind   Malform
	count  int
}

// MalformNext spoils the answers of the next count calls of action (not
// DryRun prechecks) the way kind says; the calls themselves are applied. It panics on an
// unknown kind: a test asked for something that does not exist.
func (s *Server) MalformNext(action string, kind Malform, count int) {
	switch kind {
	case MalformErrorBody200, MalformEmpty, MalformTruncated, MalformNotJSON:
	default:
		panic(fmt.Sprintf("emulator: unknown malformed answer %q", kind))
	}
	if count <= 0 {
		return
	}
	s.malformed.mu.Lock()
	s.malformed.pending = append(s.malformed.pending, malformed{action: action, kind: kind, count: count})
	s.malformed.mu.Unlock()
}

// take spends one spoiled answer for r, if one is pending for its action.
// A DryRun precheck is never spoiled: the answers meant are the real call's.
func (q *malformedAnswers) take(r *request) (Malform, bool) {
	if r == nil || r.dryRun() {
		return "", false
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	for i := range q.pending {
		m := &q.pending[i]
		if m.action != r.action {
			continue
		}
		kind := m.kind
		if m.count--; m.count == 0 {
			q.pending = append(q.pending[:i], q.pending[i+1:]...)
		}
		return kind, true
	}
	return "", false
}

// writeMalformed writes body (the answer the call would have had) spoiled
// as kind says, under HTTP 200.
func writeMalformed(w http.ResponseWriter, kind Malform, body any, requestID string) {
	switch kind {
	case MalformErrorBody200:
		writeJSON(w, http.StatusOK, map[string]any{
			"RequestId": requestID,
			"Code":      MalformErrorCode,
			"Message":   "The request was refused by the gateway in front of the service.",
		})
	case MalformEmpty:
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
	case MalformTruncated:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(body)
		b := bytes.TrimSpace(buf.Bytes())
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(b[:max(1, len(b)/2)]) // an object cut before its last '}'
	case MalformNotJSON:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>\n"))
	}
}

// MalformedAnswer is one pending spoiled answer, as /_emulator/malform
// shows and takes it.
type MalformedAnswer struct {
	Action string  `json:"action"`
	Kind   Malform `json:"kind"`
	Count  int     `json:"count"`
}

// serveMalform answers /_emulator/malform: POST
// {"action":"DescribeInstances","kind":"empty","count":1} spoils the next
// answers of an action, GET lists the pending ones, DELETE clears them.
func (s *Server) serveMalform(w http.ResponseWriter, hr *http.Request) {
	fail := func(status int, msg string) {
		writeJSON(w, status, map[string]any{"Code": "InvalidParameter", "Message": msg})
	}
	switch hr.Method {
	case http.MethodGet:
	case http.MethodPost:
		var m MalformedAnswer
		dec := json.NewDecoder(http.MaxBytesReader(w, hr.Body, 1<<16))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&m); err != nil {
			fail(http.StatusBadRequest, `want JSON {"action":"DescribeInstances","kind":"empty","count":1}: `+err.Error())
			return
		}
		switch {
		case m.Action == "" || m.Count <= 0:
			fail(http.StatusBadRequest, "give an action and a count of at least 1")
			return
		case m.Kind != MalformErrorBody200 && m.Kind != MalformEmpty && m.Kind != MalformTruncated && m.Kind != MalformNotJSON:
			fail(http.StatusBadRequest, fmt.Sprintf("kind %q is not one of error-body-200, empty, truncated, not-json", m.Kind))
			return
		}
		s.MalformNext(m.Action, m.Kind, m.Count)
	case http.MethodDelete:
		s.malformed.mu.Lock()
		s.malformed.pending = nil
		s.malformed.mu.Unlock()
	default:
		fail(http.StatusMethodNotAllowed, "use GET, POST or DELETE")
		return
	}
	s.malformed.mu.Lock()
	pending := make([]MalformedAnswer, 0, len(s.malformed.pending))
	for _, m := range s.malformed.pending {
		pending = append(pending, MalformedAnswer{Action: m.action, Kind: m.kind, Count: m.count})
	}
	s.malformed.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"pending": pending})
}
