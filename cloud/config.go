package cloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"
)

// DefaultTimeout bounds one API call when Config.Timeout is zero.
const DefaultTimeout = 15 * time.Second

// Environment variables CredentialsFromEnv reads; the names the official
// Alibaba Cloud tools use.
const (
	EnvAccessKeyID     = "ALIBABA_CLOUD_ACCESS_KEY_ID"
	EnvAccessKeySecret = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
	EnvSecurityToken   = "ALIBABA_CLOUD_SECURITY_TOKEN"
)

// Credentials are an AccessKey pair, plus a token for STS credentials.
type Credentials struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string // set only for temporary (STS) credentials
}

// String shows the key ID only, so a Config or Credentials printed by
// mistake (%v, %+v) never leaks the secret or the token.
func (c Credentials) String() string {
	s := "AccessKeyID=" + c.AccessKeyID + " AccessKeySecret=" + redacted(c.AccessKeySecret)
	if c.SecurityToken != "" {
		s += " SecurityToken=" + redacted(c.SecurityToken)
	}
	return s
}

// GoString is String for %#v.
func (c Credentials) GoString() string { return "cloud.Credentials{" + c.String() + "}" }

// LogValue keeps the secret out of slog records.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Format prints String for every verb: without it %d or %x would print
// the fields, the secret included.
func (c Credentials) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, c.String(), c.GoString())
}

// MarshalJSON writes the key ID only.
func (c Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct{ AccessKeyID string }{c.AccessKeyID})
}

func redacted(s string) string {
	if s == "" {
		return `""`
	}
	return "<redacted>"
}

// CredentialsFromEnv reads ALIBABA_CLOUD_ACCESS_KEY_ID,
// ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_SECURITY_TOKEN.
// ok is true only if both the key ID and the secret are set.
func CredentialsFromEnv() (Credentials, bool) {
	c := Credentials{
		AccessKeyID:     os.Getenv(EnvAccessKeyID),
		AccessKeySecret: os.Getenv(EnvAccessKeySecret),
		SecurityToken:   os.Getenv(EnvSecurityToken),
	}
	return c, c.AccessKeyID != "" && c.AccessKeySecret != ""
}

// Config configures a Client.
type Config struct {
	// Endpoint is "" for the real cloud, else the base URL of a local cloud
	// such as the emulator ("http://127.0.0.1:8780"): its host:port serves
	// both ECS and CloudMonitor and its scheme (http or https) is used.
	Endpoint string
	// Region is the default region, e.g. "cn-hangzhou". Never AllRegions.
	Region string
	// Auth, when set (see ResolveProfile), says how to sign: AK, STS token,
	// a RAM role assumed through STS, the ECS instance's RAM role.
	// Credentials is then ignored.
	Auth Profile
	// Credentials are static keys, used when Auth is zero.
	Credentials Credentials
	// Logger receives one debug record per API call; nil discards them.
	Logger *slog.Logger
	// Timeout bounds each API call; 0 means DefaultTimeout.
	Timeout time.Duration

	// ReadOnly refuses every mutation (Execute) before any network call,
	// unless the client is armed (Client.Arm).
	ReadOnly bool
	// NoArm is --read-only: ReadOnly (implied) that Client.Arm cannot
	// lift, whatever the profile.
	NoArm bool
	// AuditLog is the path of the JSON Lines audit log every mutation is
	// appended to ("" = none); see DefaultAuditPath.
	AuditLog string
	// Profile is the profile name recorded in audit lines.
	Profile string
}

// regionPattern is the SDK's own check on region IDs; checking it here
// gives a clear error up front instead of an SDK one on the first call.
var regionPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)

// endpoint is a parsed Config.Endpoint.
type endpoint struct {
	host   string // host:port, the SDK's client.Domain
	scheme string // "HTTP" or "HTTPS", the SDK's config scheme
}

// validate checks cfg and parses its endpoint (nil for the real cloud).
func (cfg Config) validate() (*endpoint, error) {
	var errs []error
	if !cfg.Auth.IsZero() {
		if err := cfg.Auth.validate(); err != nil {
			errs = append(errs, err)
		}
	} else if cfg.Credentials.AccessKeyID == "" || cfg.Credentials.AccessKeySecret == "" {
		errs = append(errs, fmt.Errorf("credentials: AccessKeyID and AccessKeySecret are required (set %s and %s)", EnvAccessKeyID, EnvAccessKeySecret))
	}
	switch {
	case cfg.Region == "":
		errs = append(errs, errors.New("region is required (e.g. cn-hangzhou)"))
	case cfg.Region == AllRegions:
		errs = append(errs, fmt.Errorf("region %q cannot be the default region; pass it to a list method instead", AllRegions))
	case !regionPattern.MatchString(cfg.Region):
		errs = append(errs, fmt.Errorf("region %q: only letters, digits, '-' and '_' are allowed", cfg.Region))
	}
	if cfg.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %s is negative", cfg.Timeout))
	}
	ep, err := parseEndpoint(cfg.Endpoint)
	if err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("cloud: invalid config: %w", err)
	}
	return ep, nil
}

// parseEndpoint accepts "scheme://host[:port][/]" and nothing else: the SDK
// always talks to the path "/", so a path or query would be silently lost.
func parseEndpoint(raw string) (*endpoint, error) {
	if raw == "" {
		return nil, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("endpoint %q: %w", raw, err)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return nil, fmt.Errorf("endpoint %q: scheme must be http or https (e.g. http://127.0.0.1:8780)", raw)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("endpoint %q: no host (e.g. http://127.0.0.1:8780)", raw)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("endpoint %q: only scheme://host:port is allowed", raw)
	}
	return &endpoint{host: u.Host, scheme: strings.ToUpper(scheme)}, nil
}
