package main

import (
	"fmt"
	"io"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/ecsdash/ecsdash/cloud/emulator"
)

func newEmulatorCommand(g *globalFlags, stdout io.Writer) *cobra.Command {
	var (
		listen    string
		opts      emulator.Options
		transient time.Duration
	)
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Serve a local Alibaba Cloud (ECS, CloudMonitor and OOS APIs) until interrupted",
		Long: `Serve a local emulator of the Alibaba Cloud ECS (2014-05-26), CloudMonitor
(2019-01-01) and OOS (2019-06-01) APIs, with a deterministic demo fleet. Point ecsdash (--endpoint),
the aliyun CLI or any Alibaba Cloud SDK at it to rehearse changes offline.

Endpoints beside the APIs:
  GET /_emulator/stats     calls per action, faults injected, most requests in flight
  GET|POST /_emulator/clock  the emulated time; POST {"advance":"2h"} jumps ahead
  GET|POST|DELETE /_emulator/faults  targeted faults: POST
      {"action":"ModifyInstanceSpec","code":"Throttling.User","status":400,"count":1}
      fails the next call(s) of an action without applying them;
      {"action":"StopInstances","drop_answer":true,"count":1} applies them and
      closes the connection without an answer; GET lists, DELETE clears
  GET|POST|DELETE /_emulator/malform  spoiled answers: POST
      {"action":"DescribeInstances","kind":"empty","count":1} applies the next
      call(s) and answers HTTP 200 with kind: error-body-200, empty,
      truncated or not-json; GET lists, DELETE clears

Default credentials: AccessKeyId ` + emulator.DefaultAccessKeyID + `
                     AccessKeySecret ` + emulator.DefaultAccessKeySecret,
		Example: `  ecsdash emulator --seed 7 --instances 200
  ecsdash emulator --latency 80ms --throttle-rate 0.1 --error-rate 0.02`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := validateEmulatorFlags(listen, opts); err != nil {
				return err
			}
			logger, closeLog, err := debugLogger(*g)
			if err != nil {
				return err
			}
			defer closeLog()
			opts.Logger = logger
			opts.TransitionDelay = transient
			srv := emulator.New(opts)
			url, stop, err := srv.Listen(listen)
			if err != nil {
				return err
			}
			defer stop()
			fmt.Fprintf(stdout, "ecsdash emulator listening on %s\n", url)
			fmt.Fprintf(stdout, "  credentials: %s\n", emulatorCredentialsLine(opts))
			fmt.Fprintf(stdout, "  try: ecsdash status --endpoint %s --region all\n", url)
			fmt.Fprintf(stdout, "  stats: %s/_emulator/stats\n", url)
			fmt.Fprintf(stdout, "  faults: %s/_emulator/faults (see --help)\n", url)
			ctx, cancel := withSignals(cmd.Context())
			defer cancel()
			<-ctx.Done()
			fmt.Fprintln(stdout, "emulator stopped")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:8780", "address to listen on (loopback only unless you say otherwise)")
	f.Uint64Var(&opts.Seed, "seed", 1, "seed of the generated fleet and metrics")
	f.IntVar(&opts.Instances, "instances", emulator.DefaultFleetSize, "number of instances across all regions")
	f.DurationVar(&opts.Latency, "latency", 0, "latency added to every answer, e.g. 50ms")
	f.Float64Var(&opts.ThrottleRate, "throttle-rate", 0, "share of calls answered with Throttling.User (0-1)")
	f.Float64Var(&opts.ErrorRate, "error-rate", 0, "share of calls answered with InternalError/ServiceUnavailable (0-1)")
	f.StringVar(&opts.AccessKeyID, "access-key-id", emulator.DefaultAccessKeyID, "AccessKeyId the emulator accepts")
	f.StringVar(&opts.AccessKeySecret, "access-key-secret", emulator.DefaultAccessKeySecret, "AccessKeySecret the emulator accepts")
	f.DurationVar(&transient, "transition", 3*time.Second, "how long transient states (Starting, Stopping, Attaching...) last")
	f.Float64Var(&opts.TimeScale, "time-scale", 1, "emulated seconds per real second: transitions, progress and automatic snapshot policies run this much faster (POST /_emulator/clock jumps ahead)")
	return cmd
}

func validateEmulatorFlags(listen string, opts emulator.Options) error {
	if _, _, err := net.SplitHostPort(listen); err != nil {
		return &usageError{msg: fmt.Sprintf("--listen must be HOST:PORT, e.g. 127.0.0.1:8780 (%v)", err)}
	}
	for name, v := range map[string]float64{"--throttle-rate": opts.ThrottleRate, "--error-rate": opts.ErrorRate} {
		if v < 0 || v > 1 {
			return &usageError{msg: fmt.Sprintf("%s must be between 0 and 1, not %g", name, v)}
		}
	}
	if opts.ThrottleRate+opts.ErrorRate > 1 {
		return &usageError{msg: "--throttle-rate plus --error-rate must not exceed 1"}
	}
	if opts.Instances < 1 || opts.Instances > 100000 {
		return &usageError{msg: fmt.Sprintf("--instances must be between 1 and 100000, not %d", opts.Instances)}
	}
	if opts.Latency < 0 {
		return &usageError{msg: "--latency must not be negative"}
	}
	if opts.AccessKeyID == "" || opts.AccessKeySecret == "" {
		return &usageError{msg: "--access-key-id and --access-key-secret must not be empty"}
	}
	return nil
}

// emulatorCredentialsLine says which credentials the emulator accepts. The
// built-in defaults are public and printed in full; a secret given with
// --access-key-secret is not echoed: it may be a real one by mistake (or
// on purpose), and the banner ends up in terminals, logs and CI output.
func emulatorCredentialsLine(opts emulator.Options) string {
	secret := opts.AccessKeySecret
	if secret != emulator.DefaultAccessKeySecret {
		rememberSecrets(secret)
		secret = "<the --access-key-secret you gave>"
	}
	return fmt.Sprintf("ALIBABA_CLOUD_ACCESS_KEY_ID=%s ALIBABA_CLOUD_ACCESS_KEY_SECRET=%s", opts.AccessKeyID, secret)
}
