package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

const (
	productECS = "ecs"
	productCMS = "cms"
	productOOS = "oos"
)

// request is one parsed API call: its action and all parameters, merged from
// the query string and a form body, as the real gateway merges them.
type request struct {
	method  string
	host    string
	header  http.Header
	body    []byte
	query   url.Values // query string only (V3 signs it separately)
	params  url.Values // query + form body
	action  string
	version string
	product string
	v3      bool // signed with ACS3-HMAC-SHA256
	server  *Server
}

func (s *Server) parse(hr *http.Request) (*request, error) {
	if hr.Method != http.MethodGet && hr.Method != http.MethodPost {
		return nil, &APIError{Status: 403, Code: "UnsupportedHTTPMethod", Message: "This http method is not supported."}
	}
	body, err := io.ReadAll(io.LimitReader(hr.Body, 8<<20))
	if err != nil {
		return nil, &APIError{Status: 400, Code: "InvalidParameter", Message: "The request body could not be read."}
	}
	query, err := url.ParseQuery(hr.URL.RawQuery)
	if err != nil {
		return nil, &APIError{Status: 400, Code: "InvalidParameter", Message: "The query string is malformed."}
	}
	params := url.Values{}
	for k, v := range query {
		params[k] = append([]string(nil), v...)
	}
	if len(body) > 0 && strings.HasPrefix(hr.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, &APIError{Status: 400, Code: "InvalidParameter", Message: "The form body is malformed."}
		}
		for k, v := range form {
			params[k] = append(params[k], v...)
		}
	}
	r := &request{
		method: hr.Method, host: hr.Host, header: hr.Header, body: body,
		query: query, params: params, server: s,
	}
	if strings.HasPrefix(hr.Header.Get("Authorization"), "ACS3-") {
		r.v3 = true
		r.action = hr.Header.Get("x-acs-action")
		r.version = hr.Header.Get("x-acs-version")
	} else {
		r.action = params.Get("Action")
		r.version = params.Get("Version")
	}
	r.product = productECS
	switch r.version {
	case VersionCMS:
		r.product = productCMS
	case VersionOOS:
		r.product = productOOS
	}
	if r.action == "" {
		return r, errMissing("Action")
	}
	if r.version == "" {
		return r, errMissing("Version")
	}
	return r, nil
}

// str returns a parameter's value ("" when absent).
func (r *request) str(name string) string { return r.params.Get(name) }

// has reports whether the caller sent a non-empty value for name.
func (r *request) has(name string) bool { return r.params.Get(name) != "" }

// required returns a parameter or a MissingParameter error naming it.
func (r *request) required(name string) (string, error) {
	v := r.params.Get(name)
	if v == "" {
		return "", errMissing(name)
	}
	return v, nil
}

// regionID is the RegionId parameter; the snapshot-policy APIs' metadata
// spells it regionId, so both are accepted.
func (r *request) regionID() string {
	if v := r.str("RegionId"); v != "" {
		return v
	}
	return r.str("regionId")
}

// intParam parses an integer parameter, def when absent.
func (r *request) intParam(name string, def int) (int, error) {
	v := r.params.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, errInvalidParam(name, "must be an integer")
	}
	return n, nil
}

// boolParam parses a boolean parameter ("true"/"false"), def when absent.
func (r *request) boolParam(name string, def bool) (bool, error) {
	v := r.params.Get(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, errInvalidParam(name, "must be true or false")
	}
	return b, nil
}

// dryRun reports whether the caller asked for a DryRun precheck.
func (r *request) dryRun() bool { b, _ := r.boolParam("DryRun", false); return b }

// jsonList parses a parameter holding a JSON array of strings (InstanceIds,
// DiskIds, ...). present is false when the parameter was not sent; an empty
// array is present and matches nothing, as on the real service.
func (r *request) jsonList(name string, max int) (list []string, present bool, err error) {
	v := r.params.Get(name)
	if v == "" {
		return nil, false, nil
	}
	if err := json.Unmarshal([]byte(v), &list); err != nil {
		return nil, true, errInvalidParam(name, "must be a JSON array of strings")
	}
	if max > 0 && len(list) > max {
		return nil, true, errInvalidParam(name, fmt.Sprintf("at most %d values", max))
	}
	return list, true, nil
}

// repeated collects Name.1, Name.2, ... in order.
func (r *request) repeated(name string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := r.params[fmt.Sprintf("%s.%d", name, i)]
		if !ok || len(v) == 0 {
			return out
		}
		out = append(out, v[0])
	}
}

// commaList splits a comma-separated parameter, dropping blanks.
func (r *request) commaList(name string) []string {
	var out []string
	for _, p := range strings.Split(r.params.Get(name), ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
