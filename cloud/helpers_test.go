package cloud_test

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// testRegion is the default region of every test client.
const testRegion = "cn-hangzhou"

// start serves an emulator on 127.0.0.1:0 for the test's lifetime.
func start(t testing.TB, opts emulator.Options) (*emulator.Server, string) {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	srv := emulator.New(opts)
	url, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatalf("emulator: %v", err)
	}
	t.Cleanup(func() { _ = stop() })
	return srv, url
}

// newClient builds a client for url with the emulator's default keys,
// adjusted by edit.
func newClient(t testing.TB, url string, edit func(*cloud.Config)) *cloud.Client {
	t.Helper()
	cfg := cloud.Config{
		Endpoint:    url,
		Region:      testRegion,
		Credentials: cloud.Credentials{AccessKeyID: emulator.DefaultAccessKeyID, AccessKeySecret: emulator.DefaultAccessKeySecret},
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := cloud.New(cfg)
	if err != nil {
		t.Fatalf("cloud.New: %v", err)
	}
	return c
}

// env is an emulator and a client talking to it.
func env(t testing.TB, opts emulator.Options) (*emulator.Server, *cloud.Client) {
	t.Helper()
	srv, url := start(t, opts)
	return srv, newClient(t, url, nil)
}

// logBuffer is a goroutine-safe buffer for a JSON slog handler.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func debugLogger(b *logBuffer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
