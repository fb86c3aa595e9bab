package cloud

import "testing"

// TestRateLimitInMinutesIsNotRetried: ModifyInstanceSpec's "try again after
// 5 minutes" is a limit on the instance, not flow control: retrying within
// the retry budget would only delay the failure (and a restore after it).
func TestRateLimitInMinutesIsNotRetried(t *testing.T) {
	for _, c := range []struct {
		err  *APIError
		want bool
	}{
		{&APIError{Code: "Throttling", Message: "Request was denied due to request throttling, please try again after 5 minutes.", HTTPStatus: 400}, false},
		{&APIError{Code: "Throttling.User", Message: "Request was denied due to user flow control.", HTTPStatus: 400}, true},
		{&APIError{Code: "Throttling", Message: "Request was denied due to request throttling.", HTTPStatus: 400}, true},
	} {
		if got := Retryable(c.err); got != c.want {
			t.Errorf("Retryable(%s: %s) = %v, want %v", c.err.Code, c.err.Message, got, c.want)
		}
	}
}
