package cloud_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// Distinctive secrets: a test fails if any of them shows up where it must not.
const (
	akSecret    = "AKSECRET-quux-7f3a9c1e5b2d8f4a6c0e"
	stsSecret   = "STSSECRET-zork-1a2b3c4d5e6f7a8b9c0d"
	stsToken    = "STSTOKEN-plugh-CAIS9f8e7d6c5b4a3f2e1d0c"
	roleSecret  = "ROLESECRET-frob-0f1e2d3c4b5a69788796"
	roleToken   = "ROLETOKEN-xyzzy-aabbccddeeff00112233"
	envSecret   = "ENVSECRET-grue-99887766554433221100"
	envToken    = "ENVTOKEN-gnusto-ffeeddccbbaa99887766"
	allSecrets  = akSecret + "|" + stsSecret + "|" + stsToken + "|" + roleSecret + "|" + roleToken + "|" + envSecret + "|" + envToken
	testRoleArn = "acs:ram::1234567890123456:role/ecsdash-ops"
)

// aliyunConfigJSON is an aliyun CLI config with one profile of each mode,
// in the CLI's own format (extra fields it writes included).
var aliyunConfigJSON = `{
	"current": "default",
	"profiles": [
		{"name": "default", "mode": "AK", "access_key_id": "LTAIdefault", "access_key_secret": "` + akSecret + `",
		 "sts_token": "", "ram_role_name": "", "ram_role_arn": "", "ram_session_name": "", "private_key": "",
		 "key_pair_name": "", "expired_seconds": 0, "verified": "", "region_id": "cn-shanghai",
		 "output_format": "json", "language": "en", "site": "", "retry_timeout": 0, "retry_count": 0},
		{"name": "temp", "mode": "StsToken", "access_key_id": "STS.tempkey", "access_key_secret": "` + stsSecret + `",
		 "sts_token": "` + stsToken + `", "region_id": "cn-beijing"},
		{"name": "ops", "mode": "RamRoleArn", "access_key_id": "LTAIrolebase", "access_key_secret": "` + roleSecret + `",
		 "ram_role_arn": "` + testRoleArn + `", "ram_session_name": "alice", "expired_seconds": 1800, "region_id": "eu-central-1"},
		{"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "default", "ram_role_arn": "` + testRoleArn + `"},
		{"name": "onecs", "mode": "EcsRamRole", "ram_role_name": "EcsDashRole", "region_id": "cn-hangzhou"},
		{"name": "rsa", "mode": "RsaKeyPair", "private_key": "-----BEGIN RSA PRIVATE KEY-----", "key_pair_name": "kp"},
		{"name": "halfak", "mode": "AK", "access_key_id": "LTAIhalf"},
		{"name": "nomode", "mode": ""},
		{"name": "loop1", "mode": "ChainableRamRoleArn", "source_profile": "loop2", "ram_role_arn": "` + testRoleArn + `"},
		{"name": "loop2", "mode": "ChainableRamRoleArn", "source_profile": "loop1", "ram_role_arn": "` + testRoleArn + `"},
		{"name": "shortrole", "mode": "RamRoleArn", "access_key_id": "LTAIx", "access_key_secret": "` + roleSecret + `",
		 "ram_role_arn": "` + testRoleArn + `", "expired_seconds": 60}
	],
	"meta_path": ""
}`

func writeAliyunConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func loadTestConfig(t *testing.T) cloud.AliyunConfig {
	t.Helper()
	cfg, err := cloud.LoadAliyunConfig(writeAliyunConfig(t, aliyunConfigJSON))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// envOf is a getenv over a fixed map.
func envOf(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// assertNoSecret fails if text holds any test secret.
func assertNoSecret(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range strings.Split(allSecrets, "|") {
		if strings.Contains(text, s) {
			t.Errorf("%s shows the secret %q:\n%s", what, s, text)
		}
	}
}

func TestLoadAliyunConfigMissingFileIsNoError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope", "config.json")
	cfg, err := cloud.LoadAliyunConfig(path)
	if err != nil {
		t.Fatalf("missing file: %v", err)
	}
	if cfg.Exists || len(cfg.Names()) != 0 || cfg.Path != path {
		t.Fatalf("missing file gave %v", cfg)
	}
	_, _, err = cloud.ResolveProfile(cfg, "", envOf())
	if !errors.Is(err, cloud.ErrNoCredentials) {
		t.Fatalf("no config, no env: err = %v, want ErrNoCredentials", err)
	}
	_, _, err = cloud.ResolveProfile(cfg, "prod", envOf())
	if err == nil || !strings.Contains(err.Error(), "--profile") || !strings.Contains(err.Error(), path) {
		t.Fatalf("--profile without a config: %v", err)
	}
}

func TestLoadAliyunConfigDefaultPath(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	if err := os.MkdirAll(filepath.Join(home, ".aliyun"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aliyun", "config.json"), []byte(aliyunConfigJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := cloud.LoadAliyunConfig("")
	if err != nil || !cfg.Exists || cfg.Current != "default" {
		t.Fatalf("LoadAliyunConfig(\"\") = %v, %v", cfg, err)
	}
}

func TestLoadAliyunConfigBadJSONDoesNotQuoteTheFile(t *testing.T) {
	path := writeAliyunConfig(t, `{"profiles": [{"name": "x", "access_key_secret": "`+akSecret+`", "expired_seconds": "`+stsToken+`"}]}`)
	_, err := cloud.LoadAliyunConfig(path)
	if err == nil {
		t.Fatal("a wrongly typed field was accepted")
	}
	assertNoSecret(t, "error", err.Error())
	path = writeAliyunConfig(t, `{"profiles": [{"name": "x", "access_key_secret": "`+akSecret)
	_, err = cloud.LoadAliyunConfig(path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("truncated file: %v", err)
	}
	assertNoSecret(t, "error", err.Error())
}

func TestResolveProfilePrecedence(t *testing.T) {
	cfg := loadTestConfig(t)
	envKeys := []string{cloud.EnvAccessKeyID, "LTAIenv", cloud.EnvAccessKeySecret, envSecret}
	cases := []struct {
		name       string
		flag       string
		env        []string
		wantName   string
		wantMode   string
		wantRegion string
		wantSource string
	}{
		{"flag beats env keys and ALIBABA_CLOUD_PROFILE", "temp", append(envKeys, cloud.EnvProfile, "ops"), "temp", cloud.ModeStsToken, "cn-beijing", "--profile"},
		{"env keys beat ALIBABA_CLOUD_PROFILE", "", append(envKeys, cloud.EnvProfile, "ops"), cloud.EnvProfileName, cloud.ModeAK, "", "environment"},
		{"env keys with a token are STS", "", append(envKeys, cloud.EnvSecurityToken, envToken), cloud.EnvProfileName, cloud.ModeStsToken, "", "environment"},
		{"ALIBABA_CLOUD_PROFILE beats current", "", []string{cloud.EnvProfile, "ops"}, "ops", cloud.ModeRamRoleArn, "eu-central-1", cloud.EnvProfile},
		{"current profile last", "", nil, "default", cloud.ModeAK, "cn-shanghai", "current profile of " + cfg.Path},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, source, err := cloud.ResolveProfile(cfg, tc.flag, envOf(tc.env...))
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != tc.wantName || p.Mode != tc.wantMode || p.RegionID != tc.wantRegion || source != tc.wantSource {
				t.Fatalf("got %v from %q, want %s/%s/%s from %q", p, source, tc.wantName, tc.wantMode, tc.wantRegion, tc.wantSource)
			}
		})
	}

	// An empty "current" means "default", as in the aliyun CLI.
	noCurrent, err := cloud.LoadAliyunConfig(writeAliyunConfig(t, strings.Replace(aliyunConfigJSON, `"current": "default"`, `"current": ""`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if p, _, err := cloud.ResolveProfile(noCurrent, "", envOf()); err != nil || p.Name != "default" {
		t.Fatalf("empty current: %v, %v", p, err)
	}
}

func TestResolveProfileErrorsNameTheRule(t *testing.T) {
	cfg := loadTestConfig(t)
	cases := []struct {
		name string
		flag string
		env  []string
		want []string
	}{
		{"unknown profile lists the known ones", "nosuch", nil, []string{"--profile", `"nosuch"`, "known profiles: default, temp, ops"}},
		{"unknown ALIBABA_CLOUD_PROFILE", "", []string{cloud.EnvProfile, "nosuch"}, []string{cloud.EnvProfile, "known profiles"}},
		{"unsupported mode names the supported", "rsa", nil, []string{`mode "RsaKeyPair"`, "AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole"}},
		{"no mode", "nomode", nil, []string{"no mode", "supported modes"}},
		{"missing secret", "halfak", nil, []string{`"halfak"`, "lacks access_key_secret"}},
		{"source loop", "loop1", nil, []string{"source_profile", "loop"}},
		{"role session too short", "shortrole", nil, []string{"expired_seconds 60", "900"}},
		{"key id without secret", "", []string{cloud.EnvAccessKeyID, "LTAIenv"}, []string{cloud.EnvAccessKeyID + " is set but " + cloud.EnvAccessKeySecret + " is not"}},
		{"secret without key id", "", []string{cloud.EnvAccessKeySecret, envSecret}, []string{cloud.EnvAccessKeySecret + " is set but " + cloud.EnvAccessKeyID + " is not"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := cloud.ResolveProfile(cfg, tc.flag, envOf(tc.env...))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q: %v", w, err)
				}
			}
			assertNoSecret(t, "error", err.Error())
		})
	}
	// A "current" naming a missing profile says so.
	bad, err := cloud.LoadAliyunConfig(writeAliyunConfig(t, `{"current": "gone", "profiles": [{"name": "a", "mode": "AK", "access_key_id": "x", "access_key_secret": "`+akSecret+`"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	_, source, err := cloud.ResolveProfile(bad, "", envOf())
	if err == nil || !strings.Contains(err.Error(), "current profile") || !strings.Contains(err.Error(), "known profiles: a") || !strings.Contains(source, "current") {
		t.Fatalf("dangling current: %v (source %q)", err, source)
	}
}

func TestProfileModeSelectsTheSDKProvider(t *testing.T) {
	_, url := start(t, emulator.Options{})
	cfg := loadTestConfig(t)
	cases := map[string]string{
		"default": cloud.ProviderStaticAK,
		"temp":    cloud.ProviderStaticSTS,
		"ops":     cloud.ProviderRAMRoleARN,
		"chain":   cloud.ProviderRAMRoleARN,
		"onecs":   cloud.ProviderECSRAMRole,
	}
	for name, want := range cases {
		p, err := cfg.Profile(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c, err := cloud.New(cloud.Config{Endpoint: url, Region: testRegion, Auth: p})
		if err != nil {
			t.Fatalf("%s: New: %v", name, err)
		}
		if got := c.CredentialsProvider(); got != want {
			t.Errorf("%s: provider %q, want %q", name, got, want)
		}
		if c.AuthProfile().Name != name {
			t.Errorf("%s: AuthProfile %v", name, c.AuthProfile())
		}
	}
	// No Auth: the static Credentials, as before profiles existed.
	c := newClient(t, url, nil)
	if got := c.CredentialsProvider(); got != cloud.ProviderStaticAK {
		t.Errorf("static credentials: provider %q", got)
	}
	c = newClient(t, url, func(cfg *cloud.Config) { cfg.Credentials.SecurityToken = "tok-tok-tok" })
	if got := c.CredentialsProvider(); got != cloud.ProviderStaticSTS {
		t.Errorf("static STS credentials: provider %q", got)
	}
}

// TestAKAndSTSProfilesSignCalls: a profile's keys reach the wire (the
// emulator checks the signature) and a wrong secret fails cleanly.
func TestAKAndSTSProfilesSignCalls(t *testing.T) {
	_, url := start(t, emulator.Options{AccessKeyID: "LTAIdefault", AccessKeySecret: akSecret})
	cfg := loadTestConfig(t)
	p, err := cfg.Profile("default")
	if err != nil {
		t.Fatal(err)
	}
	c, err := cloud.New(cloud.Config{Endpoint: url, Region: testRegion, Auth: p})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Instances(context.Background(), testRegion); err != nil {
		t.Fatalf("AK profile: %v", err)
	}

	_, url2 := start(t, emulator.Options{AccessKeyID: "STS.tempkey", AccessKeySecret: stsSecret})
	p, _ = cfg.Profile("temp")
	c, err = cloud.New(cloud.Config{Endpoint: url2, Region: testRegion, Auth: p})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Instances(context.Background(), testRegion); err != nil {
		t.Fatalf("StsToken profile: %v", err)
	}

	// The StsToken profile against the AK emulator: wrong key.
	var logs logBuffer
	c, err = cloud.New(cloud.Config{Endpoint: url, Region: testRegion, Auth: p, Logger: debugLogger(&logs)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Instances(context.Background(), testRegion)
	if err == nil {
		t.Fatal("wrong key accepted")
	}
	assertNoSecret(t, "error", err.Error())
	assertNoSecret(t, "error %+v", fmt.Sprintf("%+v", err))
	assertNoSecret(t, "debug log", logs.String())
}

// fakeSTS is an STS endpoint that checks AssumeRole's signature with the
// base profile's secret and hands out the emulator's keys as the role's.
type fakeSTS struct {
	srv      *httptest.Server
	calls    atomic.Int32
	keyID    string
	secret   string
	fail     bool
	mu       sync.Mutex
	lastForm url.Values
}

func startFakeSTS(t *testing.T, keyID, secret string) *fakeSTS {
	t.Helper()
	f := &fakeSTS{keyID: keyID, secret: secret}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	// The SDK's STS client clones http.DefaultTransport: make it trust the
	// test server's certificate for this test only.
	dt := http.DefaultTransport.(*http.Transport)
	old := dt.TLSClientConfig
	pool := x509.NewCertPool()
	pool.AddCert(f.srv.Certificate())
	dt.TLSClientConfig = &tls.Config{RootCAs: pool}
	t.Cleanup(func() { dt.TLSClientConfig = old })
	return f
}

func (f *fakeSTS) host() string { return f.srv.Listener.Addr().String() }

func (f *fakeSTS) serve(w http.ResponseWriter, r *http.Request) {
	f.calls.Add(1)
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	q := r.URL.Query()
	f.mu.Lock()
	f.lastForm = form
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if f.fail {
		// A hostile answer: it echoes the signed query, token included.
		w.WriteHeader(http.StatusForbidden)
		_ = json.NewEncoder(w).Encode(map[string]string{
			"RequestId": "sts-fail-1", "Code": "NoPermission",
			"Message": "You are not authorized to assume this role. server string to sign is:" + r.URL.RawQuery + " secret " + f.secret,
		})
		return
	}
	params := url.Values{}
	for k, v := range q {
		if k != "Signature" {
			params[k] = v
		}
	}
	for k, v := range form {
		params[k] = v
	}
	enc := strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(params.Encode())
	mac := hmac.New(sha1.New, []byte(f.secret+"&"))
	mac.Write([]byte("POST&%2F&" + url.QueryEscape(enc)))
	if q.Get("Action") != "AssumeRole" || q.Get("AccessKeyId") != f.keyID || q.Get("Signature") != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"RequestId": "sts-bad", "Code": "SignatureDoesNotMatch", "Message": "bad signature"})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"RequestId": "sts-ok-1",
		"Credentials": map[string]string{
			"AccessKeyId": emulator.DefaultAccessKeyID, "AccessKeySecret": emulator.DefaultAccessKeySecret,
			"SecurityToken": roleToken, "Expiration": "2099-01-01T00:00:00Z",
		},
	})
}

// TestRamRoleArnProfileAssumesTheRoleOnce drives the SDK's own RAM role
// provider end to end: AssumeRole (signed with the profile's AccessKey) on a
// fake STS, then ECS calls signed with the role's keys, which the emulator
// accepts while it would refuse the profile's own. Many concurrent calls
// share one assumed session.
func TestRamRoleArnProfileAssumesTheRoleOnce(t *testing.T) {
	_, url := start(t, emulator.Options{})
	sts := startFakeSTS(t, "LTAIrolebase", roleSecret)
	cfg := loadTestConfig(t)
	p, err := cfg.Profile("ops")
	if err != nil {
		t.Fatal(err)
	}
	cloud.SetSTSEndpointForTest(&p, sts.host())
	var logs logBuffer
	c, err := cloud.New(cloud.Config{Endpoint: url, Region: testRegion, Auth: p, Logger: debugLogger(&logs)})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Instances(context.Background(), testRegion)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("call with the assumed role: %v", err)
		}
	}
	if n := sts.calls.Load(); n != 1 {
		t.Errorf("AssumeRole called %d times, want 1 (a shared, cached session)", n)
	}
	sts.mu.Lock()
	form := sts.lastForm
	sts.mu.Unlock()
	if form.Get("RoleArn") != testRoleArn || form.Get("RoleSessionName") != "alice" || form.Get("DurationSeconds") != "1800" {
		t.Errorf("AssumeRole form %v", form)
	}
	assertNoSecret(t, "debug log", logs.String())

	// Chainable: the source profile's AK assumes the role.
	sts2 := startFakeSTS(t, "LTAIdefault", akSecret)
	p, err = cfg.Profile("chain")
	if err != nil {
		t.Fatal(err)
	}
	cloud.SetSTSEndpointForTest(&p, sts2.host())
	c, err = cloud.New(cloud.Config{Endpoint: url, Region: testRegion, Auth: p})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Instances(context.Background(), testRegion); err != nil {
		t.Fatalf("chainable role: %v", err)
	}
	sts2.mu.Lock()
	if got := sts2.lastForm.Get("RoleSessionName"); got != "ecsdash" {
		t.Errorf("default session name %q, want ecsdash", got)
	}
	sts2.mu.Unlock()
}

// TestRamRoleArnFailureIsCleanAndSecretFree: STS refuses, echoing the
// signed request; the error names the profile and STS's code, and holds no
// secret, token or string to sign.
func TestRamRoleArnFailureIsCleanAndSecretFree(t *testing.T) {
	_, url := start(t, emulator.Options{})
	sts := startFakeSTS(t, "LTAIrolebase", roleSecret)
	sts.fail = true
	cfg := loadTestConfig(t)
	p, _ := cfg.Profile("ops")
	cloud.SetSTSEndpointForTest(&p, sts.host())
	c, err := cloud.New(cloud.Config{Endpoint: url, Region: testRegion, Auth: p})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Instances(context.Background(), testRegion)
	if !cloud.IsCode(err, cloud.CodeCredentials) {
		t.Fatalf("err = %v, want %s", err, cloud.CodeCredentials)
	}
	for _, want := range []string{`RamRoleArn profile "ops"`, "HTTP 403", "NoPermission", "sts-fail-1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "Signature=") || strings.Contains(err.Error(), "string to sign") {
		t.Errorf("error echoes the signed request: %v", err)
	}
	assertNoSecret(t, "error", err.Error())

	// STS unreachable: a transport error without the signed URL.
	sts.srv.Close()
	p2, _ := cfg.Profile("ops")
	cloud.SetSTSEndpointForTest(&p2, sts.host())
	c, err = cloud.New(cloud.Config{Endpoint: url, Region: testRegion, Auth: p2})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Instances(context.Background(), testRegion)
	if !cloud.IsCode(err, cloud.CodeCredentials) || strings.Contains(err.Error(), "Signature") || strings.Contains(err.Error(), "AccessKeyId") {
		t.Fatalf("unreachable STS: %v", err)
	}
	assertNoSecret(t, "error", err.Error())
}

// TestEcsRamRoleProfileBuilds: the ECS RAM role provider needs the instance
// metadata service (100.100.100.200), which exists only on an ECS instance,
// so offline only its construction is checked; the SDK's switch to disable
// it is honoured with a clear error.
func TestEcsRamRoleProfileBuilds(t *testing.T) {
	cfg := loadTestConfig(t)
	p, _ := cfg.Profile("onecs")
	c, err := cloud.New(cloud.Config{Region: testRegion, Auth: p})
	if err != nil || c.CredentialsProvider() != cloud.ProviderECSRAMRole {
		t.Fatalf("New: %v", err)
	}
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	if _, err := cloud.New(cloud.Config{Region: testRegion, Auth: p}); err == nil || !strings.Contains(err.Error(), `"onecs"`) {
		t.Fatalf("metadata disabled: %v", err)
	}
}

// TestProfilesNeverPrintSecrets: every way a Profile, an AliyunConfig, a
// Config or Credentials can be printed, logged or marshalled.
func TestProfilesNeverPrintSecrets(t *testing.T) {
	cfg := loadTestConfig(t)
	var values []any
	for _, name := range []string{"default", "temp", "ops", "chain"} {
		p, err := cfg.Profile(name)
		if err != nil {
			t.Fatal(err)
		}
		p.Production = true
		values = append(values, p, &p, cloud.Config{Region: testRegion, Auth: p}, []cloud.Profile{p}, map[string]cloud.Profile{"p": p})
	}
	envP, _, err := cloud.ResolveProfile(cfg, "", envOf(cloud.EnvAccessKeyID, "LTAIenv", cloud.EnvAccessKeySecret, envSecret, cloud.EnvSecurityToken, envToken))
	if err != nil {
		t.Fatal(err)
	}
	creds := cloud.Credentials{AccessKeyID: "LTAIcreds", AccessKeySecret: akSecret, SecurityToken: stsToken}
	values = append(values, envP, cfg, &cfg, creds, cloud.Config{Region: testRegion, Credentials: creds})
	for i, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t", "%10.3v"} {
			assertNoSecret(t, fmt.Sprintf("value %d with %s", i, verb), fmt.Sprintf(verb, v))
		}
		b, err := json.Marshal(v)
		if err == nil {
			assertNoSecret(t, fmt.Sprintf("value %d as JSON", i), string(b))
		}
		var buf bytes.Buffer
		slog.New(slog.NewTextHandler(&buf, nil)).Info("m", "v", v)
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "v", v)
		assertNoSecret(t, fmt.Sprintf("value %d in slog", i), buf.String())
	}
	// Yet the public parts are there, so a person can tell profiles apart.
	p, _ := cfg.Profile("temp")
	if s := fmt.Sprint(p); !strings.Contains(s, `"temp"`) || !strings.Contains(s, "STS.tempkey") || !strings.Contains(s, "StsToken") {
		t.Errorf("String lost the public fields: %s", s)
	}
	if s := fmt.Sprint(cfg); !strings.Contains(s, "default, temp, ops") {
		t.Errorf("AliyunConfig String: %s", s)
	}
	// Redact scrubs text that picked a secret up.
	if got := p.Redact("boom " + stsSecret + " and " + stsToken); strings.Contains(got, stsSecret) || strings.Contains(got, stsToken) {
		t.Errorf("Redact: %s", got)
	}
}
