package main

import (
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

const (
	profKeyID  = "LTAIprofiletest"
	profSecret = "PROF-SECRET-canary-5d41402abc4b2a76b9719d911017c592"
	profToken  = "PROF-TOKEN-canary-7215ee9c7d9dc229d2921a40e899ec5f"
)

// profileEnv is an isolated HOME with an aliyun CLI config (profiles dev,
// prod, temp, all accepted by the emulator at url) and ecsdash's config
// marking prod as production.
func profileEnv(t *testing.T) (url string) {
	t.Helper()
	clearCredentials(t)
	_, url = startEmulator(t, profKeyID, profSecret)
	writeJSON(t, filepath.Join(os.Getenv("HOME"), ".aliyun", "config.json"), map[string]any{
		"current": "dev",
		"profiles": []map[string]any{
			{"name": "dev", "mode": "AK", "access_key_id": profKeyID, "access_key_secret": profSecret, "region_id": "cn-shanghai"},
			{"name": "prod", "mode": "AK", "access_key_id": profKeyID, "access_key_secret": profSecret, "region_id": "cn-beijing"},
			{"name": "temp", "mode": "StsToken", "access_key_id": profKeyID, "access_key_secret": profSecret, "sts_token": profToken},
		},
	})
	writeJSON(t, filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "ecsdash", "config.json"), map[string]any{
		"production_profiles": []string{"prod"},
	})
	return url
}

func startEmulator(t *testing.T, id, secret string) (*emulator.Server, string) {
	t.Helper()
	srv := emulator.New(emulator.Options{Seed: 3, AccessKeyID: id, AccessKeySecret: secret})
	url, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	return srv, url
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

func TestProfilesRegionsAndProduction(t *testing.T) {
	url := profileEnv(t)
	cases := []struct {
		name                       string
		g                          globalFlags
		env                        map[string]string
		wantProfile, wantRegion    string
		wantProduction, wantReadOn bool
	}{
		{"current profile and its region", globalFlags{}, nil, "dev", "cn-shanghai", false, false},
		{"--profile of a production profile opens read-only", globalFlags{profile: "prod"}, nil, "prod", "cn-beijing", true, true},
		{"--read-only", globalFlags{readOnly: true}, nil, "dev", "cn-shanghai", false, true},
		{"ALIBABA_CLOUD_PROFILE", globalFlags{}, map[string]string{"ALIBABA_CLOUD_PROFILE": "prod"}, "prod", "cn-beijing", true, true},
		{"--profile beats ALIBABA_CLOUD_PROFILE", globalFlags{profile: "dev"}, map[string]string{"ALIBABA_CLOUD_PROFILE": "prod"}, "dev", "cn-shanghai", false, false},
		{"ALIBABA_CLOUD_REGION_ID beats the profile's region", globalFlags{}, map[string]string{"ALIBABA_CLOUD_REGION_ID": "eu-central-1"}, "dev", "eu-central-1", false, false},
		{"--region beats everything", globalFlags{region: "ap-southeast-1"}, map[string]string{"ALIBABA_CLOUD_REGION_ID": "eu-central-1"}, "dev", "ap-southeast-1", false, false},
		{"a profile without a region", globalFlags{profile: "temp"}, nil, "temp", "cn-hangzhou", false, false},
		{"env keys beat the current profile", globalFlags{}, map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": profKeyID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": profSecret}, "env", "cn-hangzhou", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			tc.g.endpoint = url
			s, err := connect(tc.g, discard())
			if err != nil {
				t.Fatal(err)
			}
			defer s.close()
			if s.profile != tc.wantProfile || s.region != tc.wantRegion || s.production != tc.wantProduction || s.readOnly != tc.wantReadOn {
				t.Fatalf("session %s/%s production=%v readOnly=%v, want %s/%s %v/%v",
					s.profile, s.region, s.production, s.readOnly, tc.wantProfile, tc.wantRegion, tc.wantProduction, tc.wantReadOn)
			}
			if s.client.ReadOnly() != tc.wantReadOn {
				t.Errorf("client.ReadOnly() = %v", s.client.ReadOnly())
			}
			if s.client.Region() != tc.wantRegion {
				t.Errorf("client region %s", s.client.Region())
			}
		})
	}
}

func TestConnectToSwitchesProfiles(t *testing.T) {
	url := profileEnv(t)
	s, err := connect(globalFlags{endpoint: url}, discard())
	if err != nil {
		t.Fatal(err)
	}
	c, region, production, err := s.connectTo("prod")
	if err != nil || region != "cn-beijing" || !production || !c.ReadOnly() {
		t.Fatalf("connectTo(prod) = %v, %s, %v, %v", c, region, production, err)
	}
	if _, err := c.Instances(t.Context(), region); err != nil {
		t.Fatalf("the new client works: %v", err)
	}
	c, region, production, err = s.connectTo("temp")
	if err != nil || region != "cn-hangzhou" || production || c.ReadOnly() || c.CredentialsProvider() != cloud.ProviderStaticSTS {
		t.Fatalf("connectTo(temp) = %s, %v, %v", region, production, err)
	}
	if s.profile != "dev" {
		t.Errorf("connectTo changed the session: %s", s.profile)
	}
	_, _, _, err = s.connectTo("nosuch")
	if err == nil || !strings.Contains(err.Error(), "known profiles: dev, prod, temp") {
		t.Fatalf("unknown profile: %v", err)
	}
	_, _, _, err = s.connectTo("env")
	if err == nil || !strings.Contains(err.Error(), "ALIBABA_CLOUD_ACCESS_KEY_ID") {
		t.Fatalf("env without keys: %v", err)
	}
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", profKeyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", profSecret)
	if _, _, _, err = s.connectTo("env"); err != nil {
		t.Fatalf("env with keys: %v", err)
	}
	// A profile added to the config meanwhile is found, and marking it
	// production in ecsdash's config takes effect too.
	writeJSON(t, filepath.Join(os.Getenv("HOME"), ".aliyun", "config.json"), map[string]any{
		"current":  "dev",
		"profiles": []map[string]any{{"name": "late", "mode": "AK", "access_key_id": profKeyID, "access_key_secret": profSecret}},
	})
	writeJSON(t, filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "ecsdash", "config.json"), map[string]any{"production_profiles": []string{"late"}})
	if _, _, production, err = s.connectTo("late"); err != nil || !production {
		t.Fatalf("late profile: %v %v", production, err)
	}

	demo, err := connect(globalFlags{demo: true, seed: 1}, discard())
	if err != nil {
		t.Fatal(err)
	}
	defer demo.close()
	if demo.profile != "demo" {
		t.Errorf("demo profile %q", demo.profile)
	}
	if _, _, _, err := demo.connectTo("prod"); err == nil {
		t.Error("the demo switched profiles")
	}
}

func TestProfileErrorsExitTwo(t *testing.T) {
	url := profileEnv(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"status", "--endpoint", url, "--profile", "nosuch"}, "known profiles: dev, prod, temp"},
		{[]string{"status", "--demo", "--profile", "dev"}, "--demo and --profile"},
	}
	for _, tc := range cases {
		code, _, stderr := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
	// A typo in ecsdash's config must not silently leave prod writable.
	writeJSON(t, filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "ecsdash", "config.json"), map[string]any{"production_profile": []string{"prod"}})
	code, _, stderr := runCLI(t, "status", "--endpoint", url, "--profile", "prod")
	if code != 2 || !strings.Contains(stderr, "production_profile") || !strings.Contains(stderr, "production_profiles") {
		t.Errorf("unknown key: exit %d, %s", code, stderr)
	}
}

func TestStatusWithProfile(t *testing.T) {
	url := profileEnv(t)
	code, stdout, stderr := runCLI(t, "status", "--endpoint", url, "--profile", "temp", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, `"instances"`) {
		t.Fatalf("no instances: %s", stdout)
	}
}

func TestAppConfigPaths(t *testing.T) {
	clearCredentials(t)
	c, err := loadAppConfig()
	if err != nil || c.path != "" {
		t.Fatalf("missing config: %v %v", c, err)
	}
	p, err := c.auditLogPath()
	if err != nil || p != filepath.Join(os.Getenv("XDG_STATE_HOME"), "ecsdash", "audit.jsonl") {
		t.Fatalf("default audit log %q %v", p, err)
	}
	writeJSON(t, filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "ecsdash", "config.json"), map[string]any{
		"audit_log": "~/audit/ecsdash.jsonl", "aliyun_config": "~/elsewhere.json", "production_profiles": []string{" prod "},
	})
	c, err = loadAppConfig()
	if err != nil {
		t.Fatal(err)
	}
	home := os.Getenv("HOME")
	if p, _ := c.auditLogPath(); p != filepath.Join(home, "audit", "ecsdash.jsonl") || c.AliyunConfig != filepath.Join(home, "elsewhere.json") || !c.isProduction("prod") || c.isProduction("dev") {
		t.Fatalf("config %+v", c)
	}
}
