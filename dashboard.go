package main

import (
	"context"
	"fmt"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/tui"
)

// runDashboard starts the interactive dashboard.
func runDashboard(ctx context.Context, g globalFlags, stdout io.Writer) error {
	if g.refresh < minRefresh {
		return &usageError{msg: fmt.Sprintf("--refresh must be at least %s, not %s", minRefresh, g.refresh)}
	}
	if g.metricsRefresh < time.Minute || g.metricsRefresh%time.Minute != 0 {
		return &usageError{msg: fmt.Sprintf("--metrics-refresh must be a whole number of minutes (the CloudMonitor period is 60 s), not %s", g.metricsRefresh)}
	}
	zone, err := displayZone(g)
	if err != nil {
		return err
	}
	logger, closeLog, err := debugLogger(g)
	if err != nil {
		return err
	}
	defer closeLog()
	s, err := connect(g, logger)
	if err != nil {
		return err
	}
	defer s.close()
	sshCfg, err := s.app.viewSSH(g.sshJump)
	if err != nil {
		return &usageError{msg: "ssh settings: " + err.Error()}
	}
	model := tui.New(tui.Options{
		Client:   s.client,
		Region:   s.region,
		Demo:     s.demo,
		Profile:  dashboardProfile(s),
		Endpoint: g.endpoint,
		Refresh:  g.refresh,

		MetricsRefresh: g.metricsRefresh,
		Theme:          theme.Default(),
		Connect:        s.connectTo,
		Production:     s.production,
		ReadOnly:       s.readOnly,
		AuditLog:       s.auditLog,
		CoverageMaxAge: s.backupAge,
		SSH:            sshCfg,
		Zone:           zone,
	})
	// A panic in the dashboard stops it (restoring the terminal) and
	// becomes a crash report (crash.go).
	guard, rec := newCrashGuard(model)
	// SIGHUP, SIGTERM, SIGQUIT and SIGINT stop it the same way, and the
	// changes still running are audited as interrupted (signals.go).
	sigs := newSignalWatch()
	defer sigs.stop()
	p := tea.NewProgram(guard, tea.WithContext(ctx), tea.WithOutput(stdout),
		tea.WithoutSignalHandler(), tea.WithFilter(sigs.filter))
	rec.setStop(p.Kill)
	sigs.start(p)
	_, err = p.Run()
	stoppedBy := sigs.stop()
	if perr := dashboardPanic(rec, err); perr != nil {
		return perr
	}
	if stoppedBy != nil {
		// The program has stopped: the model is ours to read.
		n, aerr := model.Interrupted(signalName(stoppedBy))
		return &signalStop{sig: stoppedBy, interrupted: n, auditErr: aerr}
	}
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	return nil
}

// dashboardProfile is the profile name the status bar shows: none for the
// demo (its DEMO badge says it all).
func dashboardProfile(s *session) string {
	if s.demo {
		return ""
	}
	return s.profile
}
