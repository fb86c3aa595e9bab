package cloud

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Codes this package sets itself for failures that never reached the API
// or got no answer; server codes are passed through unchanged.
const (
	// CodeServerUnreachable: the request could not be sent or its answer
	// not read (connection refused, DNS failure, reset).
	CodeServerUnreachable = "SDK.ServerUnreachable"
	// CodeTimeout: no answer within Config.Timeout.
	CodeTimeout = "SDK.TimeoutError"
	// CodeSDKPanic: the SDK panicked decoding an answer (e.g. a numeric
	// error Code, API notes §2.2); the call failed, the program did not.
	CodeSDKPanic = "SDK.Panic"
)

// APIError is the one error type for every failed API call: an error answer
// from ECS or CloudMonitor, or a client-side failure (Code "SDK.*").
type APIError struct {
	Code       string // e.g. "InvalidRegionId.NotFound", "Throttling.User", "SDK.ServerUnreachable"
	Message    string // one line
	RequestID  string // "" when no answer arrived
	Recommend  string // troubleshooting hint or URL, if any
	Action     string // API action, e.g. "DescribeInstances"
	Region     string // region the call was for
	HTTPStatus int    // 0 when no answer arrived

	err error // underlying client-side error, for errors.Is/As
}

// Error names the code first: "Code: Message (RequestId X)".
func (e *APIError) Error() string {
	var b strings.Builder
	code, msg := e.Code, e.Message
	if code == "" {
		// An answer with no error body (a bare 5xx from a proxy or a
		// gateway): say what arrived rather than nothing.
		code = "HTTP " + strconv.Itoa(e.HTTPStatus)
		if e.HTTPStatus == 0 {
			code = "NoAnswer"
		}
		if msg == "" {
			msg = "the answer had no error code or message"
		}
	}
	b.WriteString(code)
	if msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (RequestId %s)", e.RequestID)
	}
	return b.String()
}

// Unwrap returns the client-side cause (e.g. context.DeadlineExceeded or a
// *net.OpError), nil for an error answer from the API.
func (e *APIError) Unwrap() error { return e.err }

// IsCode reports whether err is (or wraps) an *APIError with exactly code.
func IsCode(err error, code string) bool {
	var e *APIError
	return errors.As(err, &e) && e.Code == code
}

// HasCodePrefix reports whether err is (or wraps) an *APIError whose code is
// prefix or a dotted refinement of it: "Throttling" matches "Throttling" and
// "Throttling.User" but not "ThrottlingX".
func HasCodePrefix(err error, prefix string) bool {
	var e *APIError
	if !errors.As(err, &e) {
		return false
	}
	return e.Code == prefix || strings.HasPrefix(e.Code, prefix+".")
}

// signatureTail starts the part of a SignatureDoesNotMatch message that
// echoes the server's string to sign: long, and it carries the AccessKeyId
// and any SecurityToken, so it is cut.
const signatureTail = "server string to sign is:"

// oneLine makes a server message fit a status bar: the string-to-sign echo
// cut, newlines folded.
func oneLine(msg string) string {
	if i := strings.Index(msg, signatureTail); i >= 0 {
		msg = msg[:i]
	}
	msg = strings.Join(strings.Fields(msg), " ")
	return strings.TrimSpace(msg)
}
