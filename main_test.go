package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/adrg/xdg"

	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// clearCredentials makes sure the developer's own credentials never leak
// into a test: no credential variables, and a fresh HOME (no
// ~/.aliyun/config.json), XDG_CONFIG_HOME and XDG_STATE_HOME.
func clearCredentials(t *testing.T) {
	t.Cleanup(xdg.Reload) // registered first, so it runs after the variables are restored
	for _, k := range []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_REGION_ID", "ALIBABA_CLOUD_PROFILE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	xdg.Reload()
}

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestNoCredentialsExitsTwoAndMentionsDemo(t *testing.T) {
	clearCredentials(t)
	code, _, stderr := runCLI(t, "status")
	if code != 2 {
		t.Fatalf("exit code %d, want 2", code)
	}
	for _, want := range []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "--demo"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("message lacks %q:\n%s", want, stderr)
		}
	}
}

func TestBadFlagsExitTwo(t *testing.T) {
	clearCredentials(t)
	for _, args := range [][]string{
		{"status", "--demo", "-o", "yaml"},
		{"emulator", "--throttle-rate", "2"},
		{"emulator", "--listen", "nonsense"},
		{"status", "--no-such-flag"},
		{"--demo", "--endpoint", "http://127.0.0.1:1", "status"},
	} {
		if code, _, stderr := runCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d (stderr %q), want 2", args, code, stderr)
		}
	}
}

func TestStatusJSONShape(t *testing.T) {
	clearCredentials(t)
	code, stdout, stderr := runCLI(t, "status", "--demo", "--region", "all", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Instances []map[string]any `json:"instances"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if len(doc.Instances) != emulator.DefaultFleetSize {
		t.Fatalf("%d instances, want %d", len(doc.Instances), emulator.DefaultFleetSize)
	}
	keys := []string{"InstanceId", "InstanceName", "RegionId", "ZoneId", "Status", "InstanceType", "PublicIp", "PrivateIp", "CPUUtilization", "MemoryUtilization", "DiskUtilization"}
	regions := map[any]bool{}
	var withCPU, stoppedWithCPU int
	for _, in := range doc.Instances {
		for _, k := range keys {
			if _, ok := in[k]; !ok {
				t.Fatalf("instance lacks %s: %v", k, in)
			}
		}
		regions[in["RegionId"]] = true
		if cpu, ok := in["CPUUtilization"].(float64); ok {
			withCPU++
			if cpu < 0 || cpu > 100 {
				t.Errorf("CPU %v out of range", cpu)
			}
			if in["Status"] != "Running" {
				stoppedWithCPU++
			}
		}
	}
	if len(regions) < 5 {
		t.Errorf("region all covered %d regions", len(regions))
	}
	if withCPU == 0 {
		t.Error("no instance has a CPU value")
	}
	if stoppedWithCPU > 0 {
		t.Errorf("%d stopped instances report a current CPU value", stoppedWithCPU)
	}
}

func TestStatusTableSaysDemo(t *testing.T) {
	clearCredentials(t)
	code, stdout, stderr := runCLI(t, "status", "--demo")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "DEMO") || !strings.Contains(stdout, "i-bp1") || !strings.Contains(stdout, "CPU") {
		t.Fatalf("unexpected table:\n%s", stdout)
	}
}

// TestDebugLogNeverHoldsTheSecret runs a session with a distinctive secret
// and --debug, then searches every byte written under the state dir.
func TestDebugLogNeverHoldsTheSecret(t *testing.T) {
	clearCredentials(t)
	const secret = "S3cr3t-XYZZY-do-not-leak-0123456789"
	state := os.Getenv("XDG_STATE_HOME") // a fresh one, from clearCredentials

	srv := emulator.New(emulator.Options{Seed: 3, AccessKeyID: "debug-test-key", AccessKeySecret: secret})
	url, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "debug-test-key")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)

	code, stdout, stderr := runCLI(t, "status", "--endpoint", url, "--debug")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// A failing call too: its error must not carry the secret either.
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret+"-wrong")
	_, _, stderr2 := runCLI(t, "status", "--endpoint", url, "--debug")

	var logText string
	err = filepath.WalkDir(state, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		logText += string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logText, "DescribeInstances") || !strings.Contains(logText, "DescribeMetricLast") {
		t.Fatalf("debug log lacks the calls:\n%s", logText)
	}
	if !strings.Contains(logText, "SignatureDoesNotMatch") {
		t.Errorf("debug log lacks the failed call's code:\n%s", logText)
	}
	for name, text := range map[string]string{"debug log": logText, "stdout": stdout, "stderr": stderr + stderr2} {
		if strings.Contains(text, secret) {
			t.Errorf("%s contains the secret", name)
		}
	}
}

// TestNoSecretAnywhere is the secret-leak proof: a session with a
// distinctive AccessKeySecret and security token, from a config-file
// profile and from the environment, with --debug: status through each,
// a failing call (wrong secret), a profile error, the emulator's banner
// and a crash. Then every byte the program wrote (stdout, stderr, every
// file under XDG_STATE_HOME and XDG_CONFIG_HOME) is searched for the
// secrets and for every 8-character piece of them.
func TestNoSecretAnywhere(t *testing.T) {
	clearCredentials(t)
	const (
		keyID    = "LTAIleakproof"
		secret   = "Lk9zQ7wR2vX8pN4mT6yB1cF5hJ3uE0oIq"
		token    = "Tk4aA8sD2fG6hJ0kL4zX7cV1bN5mQ9wE3rTyU"
		envToken = "Ev2pO9iU8yT7rE6wQ5aS4dF3gH2jK1lZ0xWc"
	)
	home, state, config := os.Getenv("HOME"), os.Getenv("XDG_STATE_HOME"), os.Getenv("XDG_CONFIG_HOME")
	aliyunConfig := filepath.Join(home, ".aliyun", "config.json") // the one file allowed to hold them
	writeJSON(t, aliyunConfig, map[string]any{
		"current": "main",
		"profiles": []map[string]any{
			{"name": "main", "mode": "AK", "access_key_id": keyID, "access_key_secret": secret, "region_id": "cn-shanghai"},
			{"name": "sts", "mode": "StsToken", "access_key_id": keyID, "access_key_secret": secret, "sts_token": token},
			{"name": "bad", "mode": "AK", "access_key_id": keyID, "access_key_secret": secret + "-wrong"},
		},
	})
	writeJSON(t, filepath.Join(config, "ecsdash", "config.json"), map[string]any{"production_profiles": []string{"sts"}})
	_, url := startEmulator(t, keyID, secret)

	var written strings.Builder // every byte of stdout and stderr
	cli := func(ctx context.Context, args ...string) int {
		var out, errb bytes.Buffer
		code := run(ctx, args, &out, &errb)
		written.WriteString(out.String())
		written.WriteString(errb.String())
		return code
	}
	bg := context.Background()
	if code := cli(bg, "status", "--endpoint", url, "--debug"); code != 0 { // current profile
		t.Fatalf("status with the current profile: exit %d\n%s", code, written.String())
	}
	if code := cli(bg, "status", "--endpoint", url, "--debug", "--profile", "sts", "--region", "all", "-o", "json"); code != 0 {
		t.Fatalf("status with the STS profile: exit %d\n%s", code, written.String())
	}
	if code := cli(bg, "status", "--endpoint", url, "--debug", "--profile", "bad"); code != 1 {
		t.Fatalf("wrong secret: exit %d, want 1", code)
	}
	if code := cli(bg, "status", "--endpoint", url, "--debug", "--profile", "nosuch"); code != 2 {
		t.Fatalf("unknown profile: exit %d, want 2", code)
	}
	// The environment, with a token and a wrong secret: env beats the file.
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", keyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret+"-env-wrong")
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", envToken)
	if code := cli(bg, "status", "--endpoint", url, "--debug"); code != 1 {
		t.Fatalf("wrong env secret: exit %d, want 1", code)
	}
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
	if code := cli(bg, "status", "--endpoint", url, "--debug", "-o", "json"); code != 0 {
		t.Fatalf("env credentials: exit %d", code)
	}
	// The emulator's banner, run by a user whose real credentials are in
	// the environment, with its default keys and with theirs given.
	for _, extra := range [][]string{nil, {"--access-key-id", keyID, "--access-key-secret", secret}} {
		ctx, cancel := context.WithTimeout(bg, 300*time.Millisecond)
		args := append([]string{"emulator", "--listen", "127.0.0.1:0", "--debug"}, extra...)
		if code := cli(ctx, args...); code != 0 {
			t.Fatalf("emulator %v: exit %d", extra, code)
		}
		cancel()
	}
	if !strings.Contains(written.String(), emulator.DefaultAccessKeySecret) {
		t.Error("the emulator's banner no longer shows its default credentials")
	}
	// A crash with all of it in play.
	if code := cli(panicCtx{bg, "boom with " + secret + " " + token + " " + envToken}, "status", "--endpoint", url, "--profile", "sts", "--debug"); code != exitCrash {
		t.Fatalf("crash: exit %d", code)
	}

	files := map[string]string{}
	for _, root := range []string{state, config} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			files[p] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	files["stdout+stderr"] = written.String()
	// Not vacuous: the log, the crash report and the outputs are there.
	all := strings.Join(slices.Collect(maps.Values(files)), "\n")
	for _, want := range []string{"DescribeInstances", "SignatureDoesNotMatch", "ecsdash crash report", `"sts"`, "known profiles: main, sts, bad", "emulator listening"} {
		if !strings.Contains(all, want) {
			t.Errorf("nothing written mentions %q", want)
		}
	}
	if len(crashFiles(t)) != 1 {
		t.Errorf("%d crash reports", len(crashFiles(t)))
	}
	for _, s := range []string{secret, token, envToken} {
		for i := 0; i+8 <= len(s); i++ {
			piece := s[i : i+8]
			for name, text := range files {
				if strings.Contains(text, piece) {
					t.Errorf("%s contains %q, a piece of a secret", name, piece)
				}
			}
		}
	}
	if _, err := os.Stat(aliyunConfig); err != nil {
		t.Fatal(err)
	}
}

// TestStatusUnderFaults: a throttling, failing, slow API still gives the
// status of every instance (reads retry with back-off).
func TestStatusUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("fault run")
	}
	clearCredentials(t)
	srv := emulator.New(emulator.Options{Seed: 1, ThrottleRate: 0.3, ErrorRate: 0.05, Latency: 200 * time.Millisecond})
	url, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", emulator.DefaultAccessKeyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", emulator.DefaultAccessKeySecret)
	code, stdout, stderr := runCLI(t, "status", "--endpoint", url, "--region", "all", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Instances []map[string]any `json:"instances"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Instances) != emulator.DefaultFleetSize {
		t.Fatalf("%d instances under faults, want %d", len(doc.Instances), emulator.DefaultFleetSize)
	}
	if srv.Stats().Faults["Throttling.User"] == 0 {
		t.Fatal("no fault injected")
	}
}

func TestAuditFindsTheSeededOpenPorts(t *testing.T) {
	clearCredentials(t)
	code, stdout, stderr := runCLI(t, "audit", "--demo", "--region", "all", "-o", "json")
	if code != 1 {
		t.Fatalf("exit %d (%s), want 1: findings exist", code, stderr)
	}
	var doc struct {
		Findings []struct {
			RegionID            string `json:"RegionId"`
			SecurityGroupID     string `json:"SecurityGroupId"`
			SecurityGroupRuleID string `json:"SecurityGroupRuleId"`
			IpProtocol          string
			PortRange           string
			SourceCidrIp        string
			Ports               []int
			Instances           []string
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	found := map[int]bool{}
	for i, f := range doc.Findings {
		for _, p := range f.Ports {
			found[p] = true
		}
		if f.SourceCidrIp != "0.0.0.0/0" && f.SourceCidrIp != "::/0" {
			t.Errorf("finding %d is not open to the world: %+v", i, f)
		}
		if i > 0 && len(f.Instances) > len(doc.Findings[i-1].Instances) {
			t.Errorf("findings not sorted by exposure at %d", i)
		}
	}
	for _, p := range []int{22, 3389, 6379} {
		if !found[p] {
			t.Errorf("port %d not found: %s", p, stdout)
		}
	}
	if code, stdout, _ := runCLI(t, "audit", "--demo", "--ports", "11211"); code != 0 || !strings.Contains(stdout, "no risky port") {
		t.Errorf("clean audit: exit %d, %q", code, stdout)
	}
	if code, _, _ := runCLI(t, "audit", "--demo", "--ports", "99999"); code != 2 {
		t.Errorf("a bad port: exit %d, want 2", code)
	}
}
