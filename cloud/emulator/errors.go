package emulator

import (
	"errors"
	"fmt"
)

// APIError is an error answered in the real service's shape:
// {"RequestId","HostId","Code","Message","Recommend"} with an HTTP status.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

func (e *APIError) body(requestID, product string) map[string]any {
	productName, host := "Ecs", "ecs.aliyuncs.com"
	switch product {
	case productCMS:
		productName, host = "Cms", "metrics.aliyuncs.com"
	case productOOS:
		productName, host = "oos", "oos.aliyuncs.com"
	}
	b := map[string]any{
		"RequestId": requestID,
		"HostId":    host,
		"Code":      e.Code,
		"Message":   e.Message,
		"Recommend": fmt.Sprintf("https://api.aliyun.com/troubleshoot?q=%s&product=%s", e.Code, productName),
	}
	if product == productCMS {
		b["Success"] = false
	}
	return b
}

// asAPIError turns any handler error into an APIError; a plain error is a bug
// in the emulator and is answered as InternalError, as the real service would.
func asAPIError(err error) *APIError {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr
	}
	return &APIError{Status: 500, Code: "InternalError", Message: "The request processing has failed due to some unknown error, exception or failure. (" + err.Error() + ")"}
}

// Constructors for the errors many handlers share.

func errMissing(name string) *APIError {
	return &APIError{Status: 400, Code: "MissingParameter", Message: fmt.Sprintf("The input parameter %q that is mandatory for processing this request is not supplied.", name)}
}

func errInvalidParam(name, why string) *APIError {
	return &APIError{Status: 400, Code: "InvalidParameter", Message: fmt.Sprintf("The specified parameter %q is not valid: %s", name, why)}
}

func errNotFound(code, what string) *APIError {
	return &APIError{Status: 404, Code: code, Message: fmt.Sprintf("The specified %s does not exist.", what)}
}

func errDryRun() *APIError {
	return &APIError{Status: 400, Code: "DryRunOperation", Message: "Request validation has been passed with DryRun flag set."}
}

func errIncorrectInstanceStatus() *APIError {
	return &APIError{Status: 403, Code: "IncorrectInstanceStatus", Message: "The current status of the resource does not support this operation."}
}
