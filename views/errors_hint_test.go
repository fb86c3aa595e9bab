package views

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

// A list's load error says what can work, judged from the error.
func TestLoadErrorHintSaysWhatCanWork(t *testing.T) {
	for _, c := range []struct {
		err       error
		want, not string
	}{
		{&cloud.APIError{Code: "InvalidRegionId.NotFound", Region: "cn-nowhere"}, "Region cn-nowhere is unknown to the API: :region lists", "retry"},
		{fmt.Errorf("instances: %w", &cloud.APIError{Code: "Forbidden.RAM", HTTPStatus: 403}), "may not read this (Forbidden.RAM)", "retry"},
		{&cloud.APIError{Code: "InvalidAccessKeyId.NotFound"}, "credentials were refused", "retry"},
		{&cloud.APIError{Code: "Throttling.User", HTTPStatus: 400}, "throttling requests: the list loads again at the next refresh", ""},
		{&cloud.APIError{Code: cloud.CodeServerUnreachable}, "did not answer", ""},
		{&cloud.APIError{Code: "ServiceUnavailable", HTTPStatus: 503}, "loads again at the next refresh", ""},
		{&cloud.APIError{Code: "InvalidParameter", HTTPStatus: 400}, "refused the request (InvalidParameter)", "retry"},
		{errors.New("something else"), "Press r to retry.", ""},
	} {
		got := loadErrorHint(c.err, "cn-hangzhou")
		if !strings.Contains(got, c.want) || (c.not != "" && strings.Contains(got, c.not)) {
			t.Errorf("%v: hint %q, want %q without %q", c.err, got, c.want, c.not)
		}
	}
}
