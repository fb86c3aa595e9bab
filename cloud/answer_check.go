package cloud

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// CodeMalformedAnswer: the service answered HTTP 2xx but not with a result
// the SDK can read: an empty body, a body cut short, one that is not JSON,
// or JSON of another shape. The message names the action and the endpoint.
// For a write it means the request reached the service: the change may
// have been made.
const CodeMalformedAnswer = "SDK.MalformedAnswer"

// The SDK takes any 2xx answer for a success and decodes whatever body
// came, so an empty or error body would read as an empty list (API notes
// §2.2). checkAnswer is the one place every answer passes before the SDK
// sees it (leaseTransport.RoundTrip).

// badAnswer is a 2xx answer that is not a readable success.
type badAnswer struct {
	endpoint string // scheme://host, never the signed query
	status   int
	what     string // what arrived, e.g. "an empty body"
	// An error body's fields, when the answer was one.
	code, message, requestID, recommend string
}

func (b *badAnswer) Error() string {
	return fmt.Sprintf("%s answered HTTP %d with %s", b.endpoint, b.status, b.what)
}

// apiError is the answer as the *APIError the call returns, naming the
// action: an error body keeps its own code (a retryable one stays so).
func (b *badAnswer) apiError(action string) *APIError {
	e := &APIError{HTTPStatus: b.status, Code: CodeMalformedAnswer, RequestID: b.requestID, Recommend: b.recommend,
		Message: fmt.Sprintf("%s at %s answered HTTP %d with %s", action, b.endpoint, b.status, b.what)}
	if b.code != "" {
		e.Code = b.code
		if b.message != "" {
			e.Message += ": " + oneLine(b.message)
		}
	}
	return e
}

// errorBody is the part of an answer that tells an error from a result.
type errorBody struct {
	Code      json.RawMessage // a string, or a number in some CloudMonitor answers
	Message   string
	RequestID string `json:"RequestId"`
	Recommend string
	Success   *bool // CloudMonitor: false on an error
}

// checkAnswer reads a 2xx answer's body and returns it, or a *badAnswer
// when it is empty, not JSON, cut short or an error body. Other statuses
// pass unread: the SDK turns them into a ServerError.
func checkAnswer(r *http.Request, resp *http.Response) (*http.Response, error) {
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp, nil
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err // a cut connection: a transport failure
	}
	if bad := judge(body, resp); bad != nil {
		bad.endpoint, bad.status = r.URL.Scheme+"://"+r.URL.Host, resp.StatusCode
		return nil, bad
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// judge says what is wrong with a 2xx body, nil when it looks like a result.
func judge(body []byte, resp *http.Response) *badAnswer {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return &badAnswer{what: "an empty body"}
	}
	var eb errorBody
	err := json.Unmarshal(trimmed, &eb)
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil && bytes.Equal(trimmed, []byte("null")):
		return &badAnswer{what: "JSON that is not an object (null)"}
	case errors.As(err, &typeErr) && typeErr.Field == "":
		return &badAnswer{what: fmt.Sprintf("JSON that is not an object (%s)", typeErr.Value)}
	case err != nil && typeErr == nil && cutShort(trimmed, err):
		return &badAnswer{what: fmt.Sprintf("JSON cut short after %d bytes", len(body))}
	case err != nil && typeErr == nil:
		return &badAnswer{what: fmt.Sprintf("a body that is not JSON (%s, %d bytes)", mediaType(resp), len(body))}
	}
	// Decoded (a field of an odd type is skipped: the SDK's decoder, which
	// reads every field, says which if it matters).
	if code := errorCode(eb); code != "" {
		return &badAnswer{what: "an error", code: code, message: eb.Message, requestID: eb.RequestID, recommend: eb.Recommend}
	}
	return nil
}

// errorCode is an answer's error code: "" for a success. A top-level Code
// marks an error unless it is CloudMonitor's "200" or Success is true.
func errorCode(eb errorBody) string {
	if len(eb.Code) == 0 || (eb.Success != nil && *eb.Success) {
		return ""
	}
	var code string
	if json.Unmarshal(eb.Code, &code) != nil {
		code = string(eb.Code) // a number, or null
	}
	if code == "" || code == "200" || code == "null" {
		return ""
	}
	return code
}

// cutShort reports whether a JSON syntax error is the input ending early.
func cutShort(b []byte, err error) bool {
	var syn *json.SyntaxError
	return (b[0] == '{' || b[0] == '[') && errors.As(err, &syn) && syn.Offset >= int64(len(b))
}

// mediaType is the answer's Content-Type without parameters, or "no
// Content-Type".
func mediaType(resp *http.Response) string {
	ct := resp.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		return mt
	}
	if ct = strings.TrimSpace(ct); ct != "" && len(ct) < 64 {
		return ct
	}
	return "no Content-Type"
}
