package views

import (
	"errors"
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
)

// loadErrorHint says what to do about a list that could not load, judged
// from the error: only advice that can work. "Press r to retry" is right
// for a passing failure and wrong for a region that does not exist or
// credentials that are refused, which no retry mends.
func loadErrorHint(err error, region string) string {
	var e *cloud.APIError
	if !errors.As(err, &e) {
		return "Press r to retry."
	}
	code := e.Code
	if e.Region != "" {
		region = e.Region
	}
	switch {
	case strings.HasPrefix(code, "InvalidRegionId"), code == "InvalidRegion":
		if region == "" {
			return "The region is unknown to the API: :region lists the regions to pick from."
		}
		return "Region " + region + " is unknown to the API: :region lists the regions to pick from."
	case strings.HasPrefix(code, "Forbidden"), strings.HasPrefix(code, "NoPermission"),
		code == "InvalidAccessKeyId.Inactive", e.HTTPStatus == 403 && !cloud.Retryable(err):
		return "The credentials may not read this (" + code + "): ask for the RAM permission, or :profile another profile."
	case code == "InvalidAccessKeyId.NotFound", code == "SignatureDoesNotMatch", code == "IncompleteSignature",
		strings.HasPrefix(code, "InvalidSecurityToken"):
		return "The credentials were refused (" + code + "): check the profile's AccessKey (:profile switches)."
	case cloud.HasCodePrefix(err, "Throttling"), code == "Rejected.Throttling":
		return "The API is throttling requests: the list loads again at the next refresh (r sooner)."
	case code == cloud.CodeServerUnreachable, code == cloud.CodeTimeout:
		return "The endpoint did not answer: check the network, then press r to retry."
	case cloud.Retryable(err):
		return "The service failed for now: the list loads again at the next refresh (r sooner)."
	}
	return "The API refused the request (" + code + "): see the status bar."
}

// noActionNotice answers a printable key that means nothing in a list, so
// a mistyped key says so instead of doing nothing; other keys (arrows,
// ctrl chords) stay silent.
func noActionNotice(k tea.KeyPressMsg) tea.Cmd {
	r := []rune(k.Text)
	if len(r) != 1 || !unicode.IsPrint(r[0]) || unicode.IsSpace(r[0]) || k.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModSuper) != 0 {
		return nil
	}
	text := k.Text + ": no action in this view (? lists the keys)"
	return func() tea.Msg { return Notice{Text: text, Err: true} }
}
