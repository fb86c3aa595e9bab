package main

import (
	"context"
	"fmt"
	"io"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/tui"
)

// runDashboard starts the interactive dashboard.
func runDashboard(ctx context.Context, g globalFlags, stdout io.Writer) error {
	if g.refresh < minRefresh {
		return &usageError{msg: fmt.Sprintf("--refresh must be at least %s, not %s", minRefresh, g.refresh)}
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
	model := tui.New(tui.Options{
		Client:   s.client,
		Region:   s.region,
		Demo:     s.demo,
		Endpoint: g.endpoint,
		Refresh:  g.refresh,
		Theme:    theme.Default(),
	})
	p := tea.NewProgram(model, tea.WithContext(ctx), tea.WithOutput(stdout))
	if _, err := p.Run(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	return nil
}
