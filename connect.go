package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

const defaultRegion = "cn-hangzhou"

// envRegion is the standard variable for the default region.
const envRegion = "ALIBABA_CLOUD_REGION_ID"

// demoProfile is the profile name a --demo session shows.
const demoProfile = "demo"

// session is what a command works with: a client, the region asked for
// (possibly cloud.AllRegions), whether it is the built-in demo, and the
// profile it signs with.
type session struct {
	client *cloud.Client
	region string
	demo   bool

	profile    string        // profile name: a name in the aliyun CLI config, "env" or "demo"
	source     string        // which rule chose the profile ("--profile", "environment", ...)
	production bool          // listed in production_profiles of ecsdash's config
	readOnly   bool          // --read-only or production: the client refuses changes
	auditLog   string        // where the client records every change (:audit reads it)
	backupAge  time.Duration // backup_max_age_days: older newest snapshot = unprotected

	close func()

	// g, app and logger rebuild a client for another profile (connectTo).
	g      globalFlags
	app    appConfig
	logger *slog.Logger
}

// connect builds the cloud client the flags describe: the in-process
// emulator for --demo, else the profile chosen by --profile,
// ALIBABA_CLOUD_PROFILE, the ALIBABA_CLOUD_ACCESS_KEY_* variables or the
// aliyun CLI's current profile, talking to --endpoint or Alibaba Cloud.
func connect(g globalFlags, logger *slog.Logger) (*session, error) {
	if g.demo {
		if g.endpoint != "" {
			return nil, &usageError{msg: "--demo and --endpoint cannot be used together: --demo starts its own emulator"}
		}
		if g.profile != "" {
			return nil, &usageError{msg: "--demo and --profile cannot be used together: --demo uses its own emulator's credentials"}
		}
		region, homeRegion := pickRegion(g.region, "")
		return connectDemo(g, region, homeRegion, logger)
	}
	app, err := loadAppConfig()
	if err != nil {
		return nil, &usageError{msg: err.Error()}
	}
	s := &session{g: g, app: app, logger: logger, close: func() {}}
	if err := s.use(g.profile, true); err != nil {
		return nil, err
	}
	return s, nil
}

// use resolves profile (by the precedence rules when first is set, else
// exactly that profile) and makes it the session's client.
func (s *session) use(profile string, first bool) error {
	app := s.app
	acfg, err := cloud.LoadAliyunConfig(app.AliyunConfig)
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	var (
		p      cloud.Profile
		source string
	)
	switch {
	case first:
		p, source, err = cloud.ResolveProfile(acfg, profile, os.Getenv)
	case profile == cloud.EnvProfileName:
		// "env" is the environment's keys, not a profile of the file.
		p, source, err = cloud.ResolveProfile(acfg, "", func(k string) string {
			if k == cloud.EnvProfile {
				return ""
			}
			return os.Getenv(k)
		})
		if err == nil && p.Name != cloud.EnvProfileName {
			err = fmt.Errorf("profile %q: %s and %s are not set", cloud.EnvProfileName, cloud.EnvAccessKeyID, cloud.EnvAccessKeySecret)
		}
	default:
		p, err = acfg.Profile(profile)
		source = ":profile"
	}
	if errors.Is(err, cloud.ErrNoCredentials) {
		return &usageError{msg: noCredentialsMessage}
	}
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	p.Production = app.isProduction(p.Name)
	rememberSecrets(p.Secrets()...)
	region, homeRegion := pickRegion(s.g.region, p.RegionID)
	auditPath, err := app.auditLogPath()
	if err != nil {
		return err
	}
	readOnly := s.g.readOnly || p.Production
	client, err := cloud.New(cloud.Config{
		Endpoint: s.g.endpoint, Region: homeRegion, Auth: p, Logger: s.logger,
		ReadOnly: readOnly, NoArm: s.g.readOnly, AuditLog: auditPath, Profile: p.Name,
	})
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	s.logger.Info("profile", "profile", p, "source", source, "region", region, "read_only", readOnly,
		"credentials_provider", client.CredentialsProvider())
	s.client, s.region, s.profile, s.source, s.production, s.readOnly = client, region, p.Name, source, p.Production, readOnly
	s.auditLog = auditPath
	s.backupAge = app.backupMaxAge()
	return nil
}

// connectTo builds a client for another profile, for the dashboard's
// `:profile NAME`. It rereads ecsdash's config and the aliyun CLI's (a
// profile just added with `aliyun configure` is found), and picks the
// region as at start: --region, ALIBABA_CLOUD_REGION_ID, the profile's
// region_id, cn-hangzhou. The session itself is not changed. The client is
// read-only when --read-only was given or the profile is a production one.
func (s *session) connectTo(profile string) (client *cloud.Client, region string, production bool, err error) {
	if s.demo {
		return nil, "", false, errors.New("the demo has a single profile; quit and start without --demo to use your own")
	}
	if profile == "" {
		return nil, "", false, errors.New("which profile? (:profile NAME)")
	}
	app, err := loadAppConfig()
	if err != nil {
		return nil, "", false, err
	}
	next := &session{g: s.g, app: app, logger: s.logger}
	if err := next.use(profile, false); err != nil {
		var u *usageError
		if errors.As(err, &u) {
			return nil, "", false, errors.New(u.msg)
		}
		return nil, "", false, err
	}
	return next.client, next.region, next.production, nil
}

// pickRegion applies the region precedence: --region, then
// ALIBABA_CLOUD_REGION_ID, then the profile's region_id, then cn-hangzhou.
// homeRegion is the client's default region (never "all").
func pickRegion(flag, profileRegion string) (region, homeRegion string) {
	region = flag
	if region == "" {
		region = os.Getenv(envRegion)
	}
	if region == "" {
		region = profileRegion
	}
	if region == "" {
		region = defaultRegion
	}
	homeRegion = region
	if region == cloud.AllRegions {
		homeRegion = profileRegion
		if homeRegion == "" {
			homeRegion = defaultRegion
		}
	}
	return region, homeRegion
}

const noCredentialsMessage = `no Alibaba Cloud credentials found.
Use a profile of the aliyun CLI (~/.aliyun/config.json, see ` + "`aliyun configure`" + `):
  --profile NAME, or ALIBABA_CLOUD_PROFILE=NAME, or its current profile;
or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET
(and ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials); or run
  ecsdash --demo
to try ecsdash offline against its built-in emulator.`

// connectDemo starts the emulator in-process on a random loopback port with
// random credentials, so nothing else on the machine can drive it by accident.
func connectDemo(g globalFlags, region, homeRegion string, logger *slog.Logger) (*session, error) {
	creds := cloud.Credentials{AccessKeyID: "demo-" + randomHex(8), AccessKeySecret: randomHex(24)}
	rememberSecrets(creds.AccessKeySecret)
	srv := emulator.New(emulator.Options{
		Seed:            g.seed,
		AccessKeyID:     creds.AccessKeyID,
		AccessKeySecret: creds.AccessKeySecret,
	})
	url, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start demo emulator: %w", err)
	}
	// The demo's changes go to their own audit log, not the real one.
	auditPath, err := stateFilePath("audit-demo.jsonl")
	if err != nil {
		_ = stop()
		return nil, err
	}
	client, err := cloud.New(cloud.Config{
		Endpoint: url, Region: homeRegion, Credentials: creds, Logger: logger,
		ReadOnly: g.readOnly, NoArm: g.readOnly, AuditLog: auditPath, Profile: demoProfile,
	})
	if err != nil {
		_ = stop()
		return nil, fmt.Errorf("connect to demo emulator: %w", err)
	}
	return &session{
		client: client, region: region, demo: true, profile: demoProfile, source: "--demo", readOnly: g.readOnly, auditLog: auditPath,
		close: func() { _ = stop() }, g: g, logger: logger,
	}, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// riskyPorts is the config's risky_ports, else the built-in list.
func (s *session) riskyPorts() []int {
	if len(s.app.RiskyPorts) > 0 {
		return s.app.RiskyPorts
	}
	return cloud.DefaultRiskyPorts
}
