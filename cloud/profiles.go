package cloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
)

// Profile modes: the aliyun CLI's names ("mode" in ~/.aliyun/config.json).
const (
	ModeAK                  = "AK"                  // AccessKey pair
	ModeStsToken            = "StsToken"            // AccessKey pair + STS token
	ModeRamRoleArn          = "RamRoleArn"          // assume a RAM role with an AccessKey pair
	ModeChainableRamRoleArn = "ChainableRamRoleArn" // assume a RAM role with another profile's credentials
	ModeEcsRamRole          = "EcsRamRole"          // the ECS instance's RAM role (instance metadata)
)

// SupportedModes are the profile modes ecsdash can sign with.
var SupportedModes = []string{ModeAK, ModeStsToken, ModeRamRoleArn, ModeChainableRamRoleArn, ModeEcsRamRole}

// EnvProfile names the profile to use, like --profile (the aliyun CLI's and
// the SDK's variable).
const EnvProfile = "ALIBABA_CLOUD_PROFILE"

// EnvProfileName is the Name of the profile ResolveProfile builds from the
// ALIBABA_CLOUD_ACCESS_KEY_* variables.
const EnvProfileName = "env"

// ErrNoCredentials: no --profile, no credentials in the environment and no
// current profile in the aliyun CLI's config.
var ErrNoCredentials = errors.New("no Alibaba Cloud credentials found")

// Default and bounds of a RAM role session (the STS AssumeRole limits).
const (
	defaultRoleSessionName = "ecsdash"
	minRoleSeconds         = 900
	maxRoleSeconds         = 43200
)

// maxSourceDepth bounds a chain of ChainableRamRoleArn profiles.
const maxSourceDepth = 5

// Profile is one set of credentials: a profile of the aliyun CLI's config or
// the environment's keys. Its secrets (AccessKeySecret, STS token) are
// unexported and never printed: String, GoString, Format, LogValue and
// MarshalJSON show the key ID and "<redacted>" only.
type Profile struct {
	Name     string
	Mode     string // one of SupportedModes
	RegionID string // the profile's default region ("" if none)
	// Production is set by ecsdash's own config (production_profiles), not
	// by the aliyun CLI's: such a profile opens read-only.
	Production bool

	AccessKeyID     string // AK, StsToken, RamRoleArn
	RoleArn         string // RamRoleArn, ChainableRamRoleArn
	RoleSessionName string // RamRoleArn, ChainableRamRoleArn ("" = "ecsdash")
	DurationSeconds int    // RamRoleArn, ChainableRamRoleArn (0 = 3600)
	StsRegion       string // RamRoleArn, ChainableRamRoleArn: regional STS endpoint
	RoleName        string // EcsRamRole ("" = the instance's role)
	SourceProfile   string // ChainableRamRoleArn

	accessKeySecret string
	securityToken   string
	source          *Profile // the resolved SourceProfile
	stsEndpoint     string   // tests only: host of a fake STS
	enableVpc       bool
}

// String shows what a person needs to recognise the profile, never a secret.
func (p Profile) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "profile %q mode=%s", p.Name, p.Mode)
	if p.RegionID != "" {
		b.WriteString(" region=" + p.RegionID)
	}
	if p.Production {
		b.WriteString(" production")
	}
	if p.AccessKeyID != "" {
		b.WriteString(" AccessKeyID=" + p.AccessKeyID)
	}
	if p.accessKeySecret != "" {
		b.WriteString(" AccessKeySecret=" + redacted(p.accessKeySecret))
	}
	if p.securityToken != "" {
		b.WriteString(" SecurityToken=" + redacted(p.securityToken))
	}
	if p.RoleArn != "" {
		b.WriteString(" RoleArn=" + p.RoleArn)
	}
	if p.RoleName != "" {
		b.WriteString(" RoleName=" + p.RoleName)
	}
	if p.SourceProfile != "" {
		b.WriteString(" SourceProfile=" + p.SourceProfile)
	}
	return b.String()
}

// GoString is String for %#v.
func (p Profile) GoString() string { return "cloud.Profile{" + p.String() + "}" }

// Format makes every verb (%v, %+v, %#v, %s, %d, %x, ...) print String:
// without it, a verb fmt has no method for would print the fields, secrets
// included.
func (p Profile) Format(f fmt.State, verb rune) { formatRedacted(f, verb, p.String(), p.GoString()) }

// LogValue keeps the secrets out of slog records.
func (p Profile) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("name", p.Name),
		slog.String("mode", p.Mode),
		slog.String("region", p.RegionID),
		slog.Bool("production", p.Production),
		slog.String("access_key_id", p.AccessKeyID),
	)
}

// MarshalJSON writes the public fields only.
func (p Profile) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Name, Mode, RegionID string
		Production           bool
		AccessKeyID          string `json:",omitempty"`
		RoleArn              string `json:",omitempty"`
		RoleName             string `json:",omitempty"`
		SourceProfile        string `json:",omitempty"`
	}{p.Name, p.Mode, p.RegionID, p.Production, p.AccessKeyID, p.RoleArn, p.RoleName, p.SourceProfile})
}

// IsZero reports whether p is the zero Profile (Config then uses its
// Credentials).
func (p Profile) IsZero() bool { return p.Name == "" && p.Mode == "" }

// Redact replaces every secret of p (and of its source profile) in s with
// "<redacted>": for text that may have picked one up, such as a panic value
// in a crash report.
func (p Profile) Redact(s string) string {
	return RedactSecrets(s, p.Secrets()...)
}

// Secrets returns p's secret values (and those of its source profile), for
// a caller that must scrub text of them (a crash report). Never print them.
func (p Profile) Secrets() []string {
	var out []string
	for q := &p; q != nil; q = q.source {
		for _, s := range []string{q.accessKeySecret, q.securityToken} {
			if s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// RedactSecrets replaces each non-empty secret in s with "<redacted>",
// longest first (so a secret that contains another is replaced whole).
func RedactSecrets(s string, secrets ...string) string {
	sorted := slices.Clone(secrets)
	slices.SortFunc(sorted, func(a, b string) int { return len(b) - len(a) })
	for _, sec := range sorted {
		if len(sec) >= 4 { // shorter would redact ordinary words; no real secret is that short
			s = strings.ReplaceAll(s, sec, "<redacted>")
		}
	}
	return s
}

// validate checks that p has the fields its mode needs.
func (p Profile) validate() error {
	need := func(fields ...[2]string) error {
		var missing []string
		for _, f := range fields {
			if f[1] == "" {
				missing = append(missing, f[0])
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("profile %q (mode %s) lacks %s", p.Name, p.Mode, strings.Join(missing, ", "))
		}
		return nil
	}
	id := [2]string{"access_key_id", p.AccessKeyID}
	secret := [2]string{"access_key_secret", p.accessKeySecret}
	roleSeconds := func() error {
		if d := p.DurationSeconds; d != 0 && (d < minRoleSeconds || d > maxRoleSeconds) {
			return fmt.Errorf("profile %q: expired_seconds %d is outside %d-%d (a RAM role session lasts 15 minutes to 12 hours)", p.Name, d, minRoleSeconds, maxRoleSeconds)
		}
		return nil
	}
	switch p.Mode {
	case ModeAK:
		return need(id, secret)
	case ModeStsToken:
		return need(id, secret, [2]string{"sts_token", p.securityToken})
	case ModeRamRoleArn:
		if err := need(id, secret, [2]string{"ram_role_arn", p.RoleArn}); err != nil {
			return err
		}
		return roleSeconds()
	case ModeChainableRamRoleArn:
		if err := need([2]string{"source_profile", p.SourceProfile}, [2]string{"ram_role_arn", p.RoleArn}); err != nil {
			return err
		}
		if p.source == nil {
			return fmt.Errorf("profile %q: source profile %q not resolved", p.Name, p.SourceProfile)
		}
		return roleSeconds()
	case ModeEcsRamRole:
		return nil // the role name is optional: the instance metadata names it
	case "":
		return fmt.Errorf("profile %q has no mode; supported modes: %s", p.Name, strings.Join(SupportedModes, ", "))
	default:
		return fmt.Errorf("profile %q has mode %q, which ecsdash does not support; supported modes: %s", p.Name, p.Mode, strings.Join(SupportedModes, ", "))
	}
}

// aliyunProfile is one entry of the aliyun CLI's "profiles" (the fields
// ecsdash reads; unknown ones are ignored).
type aliyunProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	StsToken        string `json:"sts_token"`
	StsRegion       string `json:"sts_region"`
	EnableVpc       bool   `json:"enable_vpc"`
	RAMRoleName     string `json:"ram_role_name"`
	RAMRoleArn      string `json:"ram_role_arn"`
	RAMSessionName  string `json:"ram_session_name"`
	SourceProfile   string `json:"source_profile"`
	ExpiredSeconds  int    `json:"expired_seconds"`
	RegionID        string `json:"region_id"`
}

// AliyunConfig is the aliyun CLI's config file (~/.aliyun/config.json). It
// holds secrets, so it prints as its path and profile names only.
type AliyunConfig struct {
	Path    string // the file read (or looked for)
	Exists  bool   // false when there was no file
	Current string // the "current" profile ("" in the file means "default")

	profiles []aliyunProfile
}

// Names lists the profiles in file order.
func (c AliyunConfig) Names() []string {
	names := make([]string, 0, len(c.profiles))
	for _, p := range c.profiles {
		names = append(names, p.Name)
	}
	return names
}

// String names the file, the current profile and the profiles, no secret.
func (c AliyunConfig) String() string {
	if !c.Exists {
		return fmt.Sprintf("aliyun config %s (none)", c.Path)
	}
	return fmt.Sprintf("aliyun config %s (current %q, profiles %s)", c.Path, c.Current, strings.Join(c.Names(), ", "))
}

// GoString is String for %#v.
func (c AliyunConfig) GoString() string { return "cloud.AliyunConfig{" + c.String() + "}" }

// Format prints String for every verb (see Profile.Format).
func (c AliyunConfig) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, c.String(), c.GoString())
}

// LogValue keeps the secrets out of slog records.
func (c AliyunConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }

// DefaultAliyunConfigPath is ~/.aliyun/config.json.
func DefaultAliyunConfigPath() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("locate the aliyun CLI config: %w", err)
	}
	return filepath.Join(home, ".aliyun", "config.json"), nil
}

// LoadAliyunConfig reads the aliyun CLI's config at path ("" means
// ~/.aliyun/config.json). A missing file is not an error: the result then
// has Exists false and no profiles. Errors never quote the file's content.
func LoadAliyunConfig(path string) (AliyunConfig, error) {
	if path == "" {
		p, err := DefaultAliyunConfigPath()
		if err != nil {
			return AliyunConfig{}, err
		}
		path = p
	}
	cfg := AliyunConfig{Path: path}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		return cfg, fmt.Errorf("read aliyun CLI config: %w", err)
	}
	var doc struct {
		Current  string          `json:"current"`
		Profiles []aliyunProfile `json:"profiles"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		// json's errors carry an offset or a field name, never a value.
		return cfg, fmt.Errorf("aliyun CLI config %s is not valid JSON: %v", path, err)
	}
	cfg.Exists = true
	cfg.Current = doc.Current
	cfg.profiles = doc.Profiles
	return cfg, nil
}

// ResolveProfile picks the credentials to use. Precedence, first match wins:
//
//  1. flagProfile (--profile NAME): that profile of cfg;
//  2. the environment: ALIBABA_CLOUD_ACCESS_KEY_ID and
//     ALIBABA_CLOUD_ACCESS_KEY_SECRET (plus ALIBABA_CLOUD_SECURITY_TOKEN for
//     STS) make a profile named "env"; else ALIBABA_CLOUD_PROFILE names a
//     profile of cfg;
//  3. cfg's current profile ("default" when the file names none).
//
// source says which rule chose it ("--profile", "ALIBABA_CLOUD_PROFILE", ...).
// The error is ErrNoCredentials when no rule applies; otherwise it names the
// rule and what is wrong (an unknown profile with the known names, an
// unsupported mode with the supported ones, missing fields by name). getenv
// nil means os.Getenv.
func ResolveProfile(cfg AliyunConfig, flagProfile string, getenv func(string) string) (Profile, string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if flagProfile != "" {
		p, err := cfg.profile(flagProfile, "--profile")
		return p, "--profile", err
	}
	id, secret, token := getenv(EnvAccessKeyID), getenv(EnvAccessKeySecret), getenv(EnvSecurityToken)
	switch {
	case id != "" && secret != "":
		p := Profile{Name: EnvProfileName, Mode: ModeAK, AccessKeyID: id, accessKeySecret: secret}
		if token != "" {
			p.Mode, p.securityToken = ModeStsToken, token
		}
		return p, "environment", nil
	case id != "" || secret != "":
		set, unset := EnvAccessKeyID, EnvAccessKeySecret
		if id == "" {
			set, unset = unset, set
		}
		return Profile{}, "environment", fmt.Errorf("%s is set but %s is not: set both, or neither to use a profile", set, unset)
	}
	if name := getenv(EnvProfile); name != "" {
		p, err := cfg.profile(name, EnvProfile)
		return p, EnvProfile, err
	}
	if !cfg.Exists || len(cfg.profiles) == 0 {
		return Profile{}, "", ErrNoCredentials
	}
	name, source := cfg.Current, "current profile of "+cfg.Path
	if name == "" {
		name = "default"
	}
	p, err := cfg.profile(name, source)
	return p, source, err
}

// Profile returns the named profile of cfg, checked.
func (c AliyunConfig) Profile(name string) (Profile, error) { return c.profile(name, "") }

// profile finds and checks a profile; rule names who asked for it.
func (c AliyunConfig) profile(name, rule string) (Profile, error) {
	p, err := c.build(name, 0)
	if err != nil && rule != "" {
		err = fmt.Errorf("%s: %w", rule, err)
	}
	return p, err
}

func (c AliyunConfig) build(name string, depth int) (Profile, error) {
	i := slices.IndexFunc(c.profiles, func(p aliyunProfile) bool { return p.Name == name })
	if i < 0 {
		if !c.Exists {
			return Profile{}, fmt.Errorf("no profile %q: there is no aliyun CLI config at %s (create one with `aliyun configure --profile %s`)", name, c.Path, name)
		}
		known := c.Names()
		list := "none"
		if len(known) > 0 {
			list = strings.Join(known, ", ")
		}
		return Profile{}, fmt.Errorf("no profile %q in %s; known profiles: %s", name, c.Path, list)
	}
	a := c.profiles[i]
	mode := a.Mode
	if mode == "" && a.AccessKeyID != "" {
		mode = ModeAK // the CLI's default mode
	}
	p := Profile{
		Name: a.Name, Mode: mode, RegionID: a.RegionID,
		AccessKeyID: a.AccessKeyID, accessKeySecret: a.AccessKeySecret, securityToken: a.StsToken,
		RoleArn: a.RAMRoleArn, RoleSessionName: a.RAMSessionName, DurationSeconds: a.ExpiredSeconds,
		StsRegion: a.StsRegion, enableVpc: a.EnableVpc, RoleName: a.RAMRoleName, SourceProfile: a.SourceProfile,
	}
	if mode != ModeStsToken && mode != ModeRamRoleArn {
		p.securityToken = "" // a leftover token of another mode is not used
	}
	if mode == ModeChainableRamRoleArn && a.SourceProfile != "" {
		if depth >= maxSourceDepth {
			return Profile{}, fmt.Errorf("profile %q: source_profile chain longer than %d (a loop?)", name, maxSourceDepth)
		}
		src, err := c.build(a.SourceProfile, depth+1)
		if err != nil {
			return Profile{}, fmt.Errorf("profile %q: source_profile: %w", name, err)
		}
		p.source = &src
	}
	if err := p.validate(); err != nil {
		return Profile{}, err
	}
	return p, nil
}

// formatRedacted prints s for every verb, gs for %#v.
func formatRedacted(f fmt.State, verb rune, s, gs string) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = f.Write([]byte(gs))
	case verb == 'q':
		fmt.Fprintf(f, "%q", s)
	default:
		_, _ = f.Write([]byte(s))
	}
}

// CodeCredentials: the credentials provider could not produce credentials
// (an AssumeRole refused, no instance metadata service, ...). The call was
// never sent to the API.
const CodeCredentials = "SDK.CredentialsUnavailable"

// Provider names Client.CredentialsProvider reports.
const (
	ProviderStaticAK   = "static_ak"
	ProviderStaticSTS  = "static_sts"
	ProviderRAMRoleARN = "ram_role_arn"
	ProviderECSRAMRole = "ecs_ram_role"
)

// credentialsProvider builds the SDK credentials provider cfg describes.
// One provider serves every SDK client of a Client: the role providers
// cache their session credentials, so a Client assumes a role once per
// session, not once per client pair.
func (cfg Config) credentialsProvider(timeout time.Duration) (credentials.CredentialsProvider, error) {
	if cfg.Auth.IsZero() {
		c := cfg.Credentials
		if c.SecurityToken != "" {
			return credentials.NewStaticSTSCredentialsProvider(c.AccessKeyID, c.AccessKeySecret, c.SecurityToken), nil
		}
		return credentials.NewStaticAKCredentialsProvider(c.AccessKeyID, c.AccessKeySecret), nil
	}
	inner, err := cfg.Auth.provider(timeout)
	if err != nil {
		return nil, fmt.Errorf("cloud: credentials of %s: %s", cfg.Auth, cfg.Auth.Redact(err.Error()))
	}
	return &guardedProvider{inner: inner, profile: cfg.Auth}, nil
}

// provider builds the SDK's own provider for p's mode.
func (p Profile) provider(timeout time.Duration) (credentials.CredentialsProvider, error) {
	httpOpts := &credentials.HttpOptions{ConnectTimeout: connectTimeout, ReadTimeout: timeout}
	switch p.Mode {
	case ModeAK:
		return credentials.NewStaticAKCredentialsProvider(p.AccessKeyID, p.accessKeySecret), nil
	case ModeStsToken:
		return credentials.NewStaticSTSCredentialsProvider(p.AccessKeyID, p.accessKeySecret, p.securityToken), nil
	case ModeRamRoleArn, ModeChainableRamRoleArn:
		b := credentials.NewRAMRoleARNCredentialsProviderBuilder()
		if p.Mode == ModeRamRoleArn {
			b = b.WithAccessKeyId(p.AccessKeyID).WithAccessKeySecret(p.accessKeySecret).WithSecurityToken(p.securityToken)
		} else {
			src, err := p.source.provider(timeout)
			if err != nil {
				return nil, err
			}
			b = b.WithCredentialsProvider(src)
		}
		name := p.RoleSessionName
		if name == "" {
			name = defaultRoleSessionName
		}
		b = b.WithRoleArn(p.RoleArn).WithRoleSessionName(name).WithDurationSeconds(p.DurationSeconds).
			WithStsRegion(p.StsRegion).WithEnableVpc(p.enableVpc).WithHttpOptions(httpOpts)
		if p.stsEndpoint != "" {
			b = b.WithStsEndpoint(p.stsEndpoint)
		}
		return b.Build()
	case ModeEcsRamRole:
		return credentials.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(p.RoleName).WithHttpOptions(httpOpts).Build()
	}
	return nil, p.validate()
}

// guardedProvider serialises a role provider (the SDK's refresh their
// cached session without a lock, and a Client calls from many goroutines)
// and turns its failures into an *APIError with a clean message: no signed
// URL, no string to sign, no secret of the profile.
type guardedProvider struct {
	mu      sync.Mutex
	inner   credentials.CredentialsProvider
	profile Profile
}

func (g *guardedProvider) GetCredentials() (*credentials.Credentials, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	cc, err := g.inner.GetCredentials()
	if err != nil {
		msg, requestID := describeCredentialsError(err)
		return nil, &APIError{
			Code:      CodeCredentials,
			Message:   fmt.Sprintf("%s profile %q: %s", g.profile.Mode, g.profile.Name, g.profile.Redact(msg)),
			RequestID: requestID,
		}
	}
	return cc, nil
}

func (g *guardedProvider) GetProviderName() string { return g.inner.GetProviderName() }

// describeCredentialsError renders a provider's failure: the STS code and
// message of an error answer (and its RequestId), the host of a transport
// failure; never the signed URL or a string to sign.
func describeCredentialsError(err error) (msg, requestID string) {
	var serverErr *sdkerrors.ServerError
	var urlErr *url.Error
	switch {
	case errors.As(err, &serverErr):
		msg = fmt.Sprintf("HTTP %d", serverErr.HttpStatus())
		if code := serverErr.ErrorCode(); code != "" {
			msg += " " + code
		}
		if m := oneLine(serverErr.Message()); m != "" {
			msg += ": " + m
		}
		return msg, serverErr.RequestId()
	case errors.As(err, &urlErr):
		host := ""
		if u, perr := url.Parse(urlErr.URL); perr == nil {
			host = u.Scheme + "://" + u.Host
		}
		return fmt.Sprintf("%s %s: %v", urlErr.Op, host, urlErr.Err), ""
	}
	return oneLine(err.Error()), ""
}
