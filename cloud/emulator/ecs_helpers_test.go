package emulator

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// newECSTestClient starts an emulator with opts and returns an ECS SDK
// client (region cn-hangzhou) pointed at it, plus the server.
func newECSTestClient(t *testing.T, opts Options) (*ecs.Client, *Server) {
	t.Helper()
	s := New(opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	u, err := url.Parse(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	cfg := sdk.NewConfig()
	c, err := ecs.NewClientWithOptions("cn-hangzhou", cfg, credentials.NewStaticAKCredentialsProvider(DefaultAccessKeyID, DefaultAccessKeySecret))
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = u.Host
	c.SetNoProxy(u.Hostname())
	return c, s
}

// ecsExpectError asserts err is an SDK ServerError with code and HTTP status.
func ecsExpectError(t *testing.T, err error, code string, status int) {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("want ServerError %s, got %v", code, err)
	}
	if se.ErrorCode() != code || se.HttpStatus() != status {
		t.Fatalf("want %d %s, got %d %s (%s)", status, code, se.HttpStatus(), se.ErrorCode(), se.Message())
	}
}

// ecsStoreInstances lists the ids of a region's instances straight from the store.
func ecsStoreInstances(s *Server, regionID string, keep func(*instance) bool) map[string]bool {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	out := map[string]bool{}
	for _, in := range s.store.instances {
		if in.RegionID == regionID && (keep == nil || keep(in)) {
			out[in.ID] = true
		}
	}
	return out
}
