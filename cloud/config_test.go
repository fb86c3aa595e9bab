package cloud_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

func TestNewRejectsBadConfig(t *testing.T) {
	good := cloud.Config{Region: testRegion, Credentials: cloud.Credentials{AccessKeyID: "id", AccessKeySecret: "secret"}}
	cases := []struct {
		name string
		edit func(*cloud.Config)
		want string
	}{
		{"no credentials", func(c *cloud.Config) { c.Credentials = cloud.Credentials{} }, "AccessKeyID and AccessKeySecret are required"},
		{"no secret", func(c *cloud.Config) { c.Credentials.AccessKeySecret = "" }, "AccessKeyID and AccessKeySecret are required"},
		{"no region", func(c *cloud.Config) { c.Region = "" }, "region is required"},
		{"region all", func(c *cloud.Config) { c.Region = cloud.AllRegions }, "cannot be the default region"},
		{"bad region", func(c *cloud.Config) { c.Region = "cn hangzhou" }, "only letters"},
		{"negative timeout", func(c *cloud.Config) { c.Timeout = -1 }, "negative"},
		{"no scheme", func(c *cloud.Config) { c.Endpoint = "127.0.0.1:8780" }, "endpoint"},
		{"ftp scheme", func(c *cloud.Config) { c.Endpoint = "ftp://127.0.0.1:8780" }, "scheme must be http or https"},
		{"no host", func(c *cloud.Config) { c.Endpoint = "http://" }, "no host"},
		{"path", func(c *cloud.Config) { c.Endpoint = "http://127.0.0.1:8780/api" }, "only scheme://host:port"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := good
			tc.edit(&cfg)
			_, err := cloud.New(cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New: err = %v, want one containing %q", err, tc.want)
			}
		})
	}
	for _, ep := range []string{"", "http://127.0.0.1:8780", "https://localhost:8443/", "HTTP://127.0.0.1:1"} {
		cfg := good
		cfg.Endpoint = ep
		if _, err := cloud.New(cfg); err != nil {
			t.Errorf("New with endpoint %q: %v", ep, err)
		}
	}
}

func TestCredentialsFromEnv(t *testing.T) {
	t.Setenv(cloud.EnvAccessKeyID, "")
	t.Setenv(cloud.EnvAccessKeySecret, "")
	t.Setenv(cloud.EnvSecurityToken, "")
	if _, ok := cloud.CredentialsFromEnv(); ok {
		t.Fatal("ok with nothing set")
	}
	t.Setenv(cloud.EnvAccessKeyID, "LTAIexample")
	if _, ok := cloud.CredentialsFromEnv(); ok {
		t.Fatal("ok without a secret")
	}
	t.Setenv(cloud.EnvAccessKeySecret, "s3cr3t")
	t.Setenv(cloud.EnvSecurityToken, "tok")
	c, ok := cloud.CredentialsFromEnv()
	if !ok || c != (cloud.Credentials{AccessKeyID: "LTAIexample", AccessKeySecret: "s3cr3t", SecurityToken: "tok"}) {
		t.Fatalf("CredentialsFromEnv = %+v, %v", c, ok)
	}
}

func TestCredentialsNeverPrinted(t *testing.T) {
	cfg := cloud.Config{Region: testRegion, Credentials: cloud.Credentials{AccessKeyID: "LTAIvisible", AccessKeySecret: "hunter2-secret", SecurityToken: "sts-token-xyz"}}
	for _, s := range []string{fmt.Sprintf("%v", cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg.Credentials), cfg.Credentials.String()} {
		if strings.Contains(s, "hunter2-secret") || strings.Contains(s, "sts-token-xyz") {
			t.Errorf("secret printed: %s", s)
		}
		if !strings.Contains(s, "LTAIvisible") {
			t.Errorf("key id missing: %s", s)
		}
	}
}

// TestNewConcurrently: building clients from several goroutines (a profile
// switch while a status glance starts) must not race inside the SDK.
func TestNewConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_, err := cloud.New(cloud.Config{Region: testRegion, Credentials: cloud.Credentials{AccessKeyID: "id", AccessKeySecret: "secret"}})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}
