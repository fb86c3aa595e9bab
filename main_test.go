package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adrg/xdg"

	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// clearCredentials makes sure the developer's own credentials never leak
// into a test.
func clearCredentials(t *testing.T) {
	for _, k := range []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_REGION_ID"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
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
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	xdg.Reload()
	t.Cleanup(xdg.Reload)

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
