package emulator

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// signatureWindow is how far a request's timestamp may be from the server's
// clock, and how long a SignatureNonce is remembered (replay protection).
const signatureWindow = 15 * time.Minute

// authenticator checks both signature kinds real clients send: V1
// (HMAC-SHA1 over the canonical query: alibaba-cloud-sdk-go, aliyun CLI) and
// V3 (ACS3-HMAC-SHA256 in the Authorization header: the Tea SDKs).
type authenticator struct {
	keyID, secret string
	now           func() time.Time // wall clock: clients sign with theirs

	mu     sync.Mutex
	nonces map[string]time.Time // nonce -> when first seen
}

func newAuthenticator(keyID, secret string, _ func() time.Time) *authenticator {
	return &authenticator{keyID: keyID, secret: secret, now: time.Now, nonces: map[string]time.Time{}}
}

func (a *authenticator) verify(r *request) error {
	if r.v3 {
		return a.verifyV3(r)
	}
	return a.verifyV1(r)
}

func (a *authenticator) verifyV1(r *request) error {
	for _, name := range []string{"AccessKeyId", "Signature", "Timestamp"} {
		if !r.has(name) {
			return errMissing(name)
		}
	}
	if m := r.str("SignatureMethod"); m != "" && m != "HMAC-SHA1" {
		return &APIError{Status: 400, Code: "InvalidParamater", Message: "The specified parameter \"SignatureMethod\" is not valid."}
	}
	if v := r.str("SignatureVersion"); v != "" && v != "1.0" {
		return &APIError{Status: 400, Code: "InvalidParamater", Message: "The specified parameter \"SignatureVersion\" is not valid."}
	}
	if err := a.checkKey(r.str("AccessKeyId")); err != nil {
		return err
	}
	if err := a.checkTime(r.str("Timestamp")); err != nil {
		return err
	}
	sts := stringToSignV1(r.method, r.params)
	mac := hmac.New(sha1.New, []byte(a.secret+"&"))
	mac.Write([]byte(sts))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(r.str("Signature"))) {
		return errSignature(sts)
	}
	return a.checkNonce(r.str("SignatureNonce"))
}

// stringToSignV1 is METHOD&%2F&pe(canonical query), the canonical query
// holding every parameter but Signature, empty ones included.
func stringToSignV1(method string, params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, v := range params[k] {
			parts = append(parts, percentEncode(k)+"="+percentEncode(v))
		}
	}
	return method + "&%2F&" + percentEncode(strings.Join(parts, "&"))
}

// percentEncode is RFC 3986 encoding: only A-Z a-z 0-9 - _ . ~ stay literal.
func percentEncode(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	return strings.ReplaceAll(e, "%7E", "~")
}

func (a *authenticator) verifyV3(r *request) error {
	auth := strings.TrimPrefix(r.header.Get("Authorization"), "ACS3-HMAC-SHA256 ")
	if auth == r.header.Get("Authorization") {
		return &APIError{Status: 400, Code: "IncompleteSignature", Message: "The request signature does not conform to Aliyun standards: unsupported signature algorithm."}
	}
	fields := map[string]string{}
	for _, part := range strings.Split(auth, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		fields[k] = v
	}
	if fields["Credential"] == "" || fields["SignedHeaders"] == "" || fields["Signature"] == "" {
		return &APIError{Status: 400, Code: "IncompleteSignature", Message: "The request signature does not conform to Aliyun standards: Authorization needs Credential, SignedHeaders and Signature."}
	}
	if err := a.checkKey(fields["Credential"]); err != nil {
		return err
	}
	if r.header.Get("x-acs-date") == "" {
		return errMissing("x-acs-date")
	}
	if err := a.checkTime(r.header.Get("x-acs-date")); err != nil {
		return err
	}
	payloadHash := r.header.Get("x-acs-content-sha256")
	sum := sha256.Sum256(r.body)
	if payloadHash != hex.EncodeToString(sum[:]) {
		return &APIError{Status: 400, Code: "IncompleteSignature", Message: "The x-acs-content-sha256 header does not match the request body."}
	}
	signed := strings.Split(fields["SignedHeaders"], ";")
	var canonHeaders strings.Builder
	for _, name := range signed {
		value := r.header.Get(name)
		if name == "host" {
			value = r.host
		}
		canonHeaders.WriteString(name + ":" + strings.TrimSpace(value) + "\n")
	}
	canonical := strings.Join([]string{
		r.method, "/", canonicalQueryV3(r.query), canonHeaders.String(), fields["SignedHeaders"], payloadHash,
	}, "\n")
	reqHash := sha256.Sum256([]byte(canonical))
	sts := "ACS3-HMAC-SHA256\n" + hex.EncodeToString(reqHash[:])
	mac := hmac.New(sha256.New, []byte(a.secret))
	mac.Write([]byte(sts))
	if !hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(fields["Signature"])) {
		return errSignature(sts)
	}
	return a.checkNonce(r.header.Get("x-acs-signature-nonce"))
}

func canonicalQueryV3(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, v := range q[k] {
			parts = append(parts, percentEncode(k)+"="+percentEncode(v))
		}
	}
	return strings.Join(parts, "&")
}

func (a *authenticator) checkKey(id string) error {
	if id != a.keyID {
		return &APIError{Status: 404, Code: "InvalidAccessKeyId.NotFound", Message: "Specified access key is not found."}
	}
	return nil
}

func (a *authenticator) checkTime(ts string) error {
	t, err := time.Parse("2006-01-02T15:04:05Z", ts)
	if err != nil {
		return &APIError{Status: 400, Code: "IllegalTimestamp", Message: "The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied or is not in the format YYYY-MM-DDThh:mm:ssZ."}
	}
	if d := a.now().Sub(t); d > signatureWindow || d < -signatureWindow {
		return &APIError{Status: 400, Code: "InvalidTimeStamp.Expired", Message: "Specified time stamp or date value is expired."}
	}
	return nil
}

// checkNonce refuses a SignatureNonce seen within the window (a replay).
func (a *authenticator) checkNonce(nonce string) error {
	if nonce == "" {
		return nil
	}
	now := a.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	if seen, ok := a.nonces[nonce]; ok && now.Sub(seen) < signatureWindow {
		return &APIError{Status: 400, Code: "SignatureNonceUsed", Message: "Specified signature nonce was used already."}
	}
	if len(a.nonces) > 100_000 {
		for n, t := range a.nonces {
			if now.Sub(t) >= signatureWindow {
				delete(a.nonces, n)
			}
		}
	}
	a.nonces[nonce] = now
	return nil
}

func errSignature(stringToSign string) *APIError {
	return &APIError{Status: 400, Code: "SignatureDoesNotMatch", Message: "Specified signature is not matched with our calculation. server string to sign is:" + stringToSign}
}
