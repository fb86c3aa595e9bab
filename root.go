package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"
)

// globalFlags are the flags every command shares.
type globalFlags struct {
	endpoint string
	region   string
	profile  string // --profile: a profile of the aliyun CLI config
	readOnly bool   // --read-only: refuse every change
	demo     bool
	debug    bool
	seed     uint64
	refresh  time.Duration
	// metricsRefresh is the CloudMonitor period the dashboard polls at.
	metricsRefresh time.Duration
	// sshJump is --ssh-jump: the host ssh goes through (-J).
	sshJump string
	// utc is --utc: show times in UTC instead of the local zone (or the
	// config's time_zone).
	utc bool
}

// minRefresh keeps automatic refreshes from burning the API quota.
const minRefresh = 2 * time.Second

func newRootCommand(stdout, stderr io.Writer) *cobra.Command {
	var g globalFlags
	root := &cobra.Command{
		Use:   "ecsdash",
		Short: "A terminal dashboard for Alibaba Cloud ECS",
		Long: `ecsdash is a keyboard-driven terminal dashboard for Alibaba Cloud ECS:
instances, metrics, disks, images, snapshots and security groups in one place.

Try it offline:   ecsdash --demo
Quick glance:     ecsdash status --demo --region all
A CLI profile:    ecsdash --profile prod --read-only
Local emulator:   ecsdash emulator

Credentials come from --profile NAME, then the environment
(ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET/_SECURITY_TOKEN, else ALIBABA_CLOUD_PROFILE),
then the current profile of the aliyun CLI config (~/.aliyun/config.json).
ecsdash's own config is $XDG_CONFIG_HOME/ecsdash/config.json.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDashboard(cmd.Context(), g, stdout)
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{msg: err.Error()} })
	pf := root.PersistentFlags()
	pf.StringVar(&g.endpoint, "endpoint", "", "API endpoint to use instead of Alibaba Cloud, e.g. http://127.0.0.1:8780 (an ecsdash emulator)")
	pf.StringVar(&g.region, "region", "", "region id, or \"all\" for every region (default $ALIBABA_CLOUD_REGION_ID, else the profile's region_id, else cn-hangzhou)")
	pf.StringVar(&g.profile, "profile", "", "profile of the aliyun CLI config (~/.aliyun/config.json) to use (default $ALIBABA_CLOUD_PROFILE, else its current profile)")
	pf.BoolVar(&g.readOnly, "read-only", false, "refuse every change for the whole session (:arm cannot lift it; production profiles are read-only until :arm)")
	pf.BoolVar(&g.demo, "demo", false, "run against a built-in emulator with a demo fleet (no account needed)")
	pf.BoolVar(&g.debug, "debug", false, "write a debug log of every API call to $XDG_STATE_HOME/ecsdash/debug.log")
	pf.Uint64Var(&g.seed, "demo-seed", 1, "seed of the --demo fleet")
	root.Flags().DurationVar(&g.refresh, "refresh", 10*time.Second, "how often resource lists refresh themselves")
	root.Flags().StringVar(&g.sshJump, "ssh-jump", "", "jump host for `s` (ssh into an instance), e.g. ops@bastion.example.com")
	root.Flags().BoolVar(&g.utc, "utc", false, "show every time in UTC (default: the config's time_zone, else the local zone)")
	root.Flags().DurationVar(&g.metricsRefresh, "metrics-refresh", time.Minute, "how often live metrics refresh (a multiple of the 60 s CloudMonitor period)")
	root.AddCommand(newStatusCommand(&g, stdout), newEmulatorCommand(&g, stdout), newAuditCommand(&g, stdout))
	return root
}

// debugLogger opens the debug log when --debug is set; otherwise it discards.
func debugLogger(g globalFlags) (*slog.Logger, func(), error) {
	if !g.debug {
		return slog.New(slog.DiscardHandler), func() {}, nil
	}
	path, err := debugLogPath()
	if err != nil {
		return nil, nil, fmt.Errorf("debug log: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("debug log: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug}))
	logger.Info("ecsdash started", "pid", os.Getpid(), "time", time.Now().UTC().Format(time.RFC3339))
	return logger, func() { _ = f.Close() }, nil
}

// withSignals returns a context cancelled on interrupt.
func withSignals(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx == nil {
		ctx = context.Background()
	}
	return signalContext(ctx)
}
