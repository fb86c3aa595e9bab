package views

import (
	"strings"

	"github.com/ecsdash/ecsdash/cloud"
)

// verdictOf turns cloud's precheck answer into what the confirmation
// shows: a refusal (the API said the call would fail) carries advice and
// takes y away; a precheck that could not run (throttled, timed out, the
// service failed) is not a refusal: the dialog says so and y stays.
func verdictOf(v cloud.Verdict) Verdict {
	out := Verdict{Text: v.String(), OK: v.OK}
	if v.OK || !v.Supported {
		out.OK = true // no DryRun: nothing was refused
		return out
	}
	if transientCode(v.Code) && !rateLimited(v) {
		out.Text = "precheck could not run (" + v.Code + "): the change was not checked; y sends it unchecked"
		return out
	}
	out.Refused = true
	out.Advice = adviceFor(v.Code)
	if rateLimited(v) {
		out.Advice = rateLimitAdvice
	}
	return out
}

// transientCode is a failure of the precheck itself, not a judgement of
// the call.
func transientCode(code string) bool {
	switch {
	case code == "", code == "Canceled",
		strings.HasPrefix(code, "Throttling"),
		code == "ServiceUnavailable", strings.HasPrefix(code, "InternalError"),
		code == "UnknownError", code == "RequestTimeout":
		return true
	}
	return false
}

// adviceFor says what an operator can do about a refusal with this code:
// only what can work, no "retry" for what will fail again.
func adviceFor(code string) string {
	switch {
	case strings.HasPrefix(code, "IncorrectInstanceStatus"):
		return "Wait until the instance settles (r refreshes), or stop or start it first."
	case strings.HasPrefix(code, "IncorrectDiskStatus"):
		return "Wait until the disk is free (a snapshot running?), or detach it first."
	case strings.HasPrefix(code, "IncorrectImageStatus"), strings.HasPrefix(code, "OperationDenied.ImageCopying"):
		return "Wait until the image is Available."
	case strings.HasPrefix(code, "DependencyViolation"):
		return "Something still uses it: remove what the message names first."
	case strings.HasPrefix(code, "QuotaExceed"):
		return "A quota is reached: delete what is not needed, or raise the quota."
	case strings.Contains(code, "NoStock"), strings.HasSuffix(code, "ResourceNotAvailable"):
		return "Out of stock in this zone: choose another type or zone."
	case strings.HasPrefix(code, "Forbidden"), strings.HasPrefix(code, "NoPermission"):
		return "This AccessKey may not do this: ask for the RAM permission, or :profile another."
	case strings.HasSuffix(code, ".NotFound"):
		return "It no longer exists: esc, then r to refresh the list."
	case strings.HasPrefix(code, "Invalid"), strings.HasPrefix(code, "MissingParameter"),
		strings.HasPrefix(code, "OperationDenied"), strings.HasPrefix(code, "Unsupported"):
		return "esc, change what the message names, and try again."
	}
	return "It would fail as it stands: esc, fix what the message names, try again."
}
