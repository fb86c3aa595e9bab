package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

const defaultRegion = "cn-hangzhou"

// session is what a command works with: a client, the region asked for
// (possibly cloud.AllRegions), and whether it is the built-in demo.
type session struct {
	client *cloud.Client
	region string
	demo   bool
	close  func()
}

// connect builds the cloud client the flags describe: the in-process
// emulator for --demo, the given --endpoint, or Alibaba Cloud itself.
func connect(g globalFlags, logger *slog.Logger) (*session, error) {
	region := g.region
	if region == "" {
		region = os.Getenv("ALIBABA_CLOUD_REGION_ID")
	}
	if region == "" {
		region = defaultRegion
	}
	homeRegion := region
	if region == cloud.AllRegions {
		homeRegion = defaultRegion
	}
	if g.demo {
		if g.endpoint != "" {
			return nil, &usageError{msg: "--demo and --endpoint cannot be used together: --demo starts its own emulator"}
		}
		return connectDemo(g, region, homeRegion, logger)
	}
	creds, ok := cloud.CredentialsFromEnv()
	if !ok {
		return nil, &usageError{msg: noCredentialsMessage}
	}
	client, err := cloud.New(cloud.Config{Endpoint: g.endpoint, Region: homeRegion, Credentials: creds, Logger: logger})
	if err != nil {
		return nil, &usageError{msg: err.Error()}
	}
	return &session{client: client, region: region, close: func() {}}, nil
}

const noCredentialsMessage = `no Alibaba Cloud credentials found.
Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET
(and ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials), or run
  ecsdash --demo
to try ecsdash offline against its built-in emulator.`

// connectDemo starts the emulator in-process on a random loopback port with
// random credentials, so nothing else on the machine can drive it by accident.
func connectDemo(g globalFlags, region, homeRegion string, logger *slog.Logger) (*session, error) {
	creds := cloud.Credentials{AccessKeyID: "demo-" + randomHex(8), AccessKeySecret: randomHex(24)}
	srv := emulator.New(emulator.Options{
		Seed:            g.seed,
		AccessKeyID:     creds.AccessKeyID,
		AccessKeySecret: creds.AccessKeySecret,
	})
	url, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start demo emulator: %w", err)
	}
	client, err := cloud.New(cloud.Config{Endpoint: url, Region: homeRegion, Credentials: creds, Logger: logger})
	if err != nil {
		_ = stop()
		return nil, fmt.Errorf("connect to demo emulator: %w", err)
	}
	return &session{client: client, region: region, demo: true, close: func() { _ = stop() }}, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
