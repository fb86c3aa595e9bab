package main

import (
	"fmt"
	"path/filepath"

	"github.com/adrg/xdg"
)

// debugLogPath is $XDG_STATE_HOME/ecsdash/debug.log (created if missing).
func debugLogPath() (string, error) {
	p, err := xdg.StateFile("ecsdash/debug.log")
	if err != nil {
		return "", fmt.Errorf("locate state dir: %w", err)
	}
	return p, nil
}

// appConfigPath is $XDG_CONFIG_HOME/ecsdash/config.json (not created).
func appConfigPath() (string, error) {
	if xdg.ConfigHome == "" {
		return "", fmt.Errorf("locate config dir: no XDG_CONFIG_HOME and no home directory")
	}
	return filepath.Join(xdg.ConfigHome, "ecsdash", "config.json"), nil
}

// stateFilePath is $XDG_STATE_HOME/ecsdash/NAME (nothing created).
func stateFilePath(name string) (string, error) {
	if xdg.StateHome == "" {
		return "", fmt.Errorf("locate state dir: no XDG_STATE_HOME and no home directory")
	}
	return filepath.Join(xdg.StateHome, "ecsdash", name), nil
}

// crashReportPath is $XDG_STATE_HOME/ecsdash/crash-<stamp>.txt, its
// directory created.
func crashReportPath(stamp string) (string, error) {
	p, err := xdg.StateFile("ecsdash/crash-" + stamp + ".txt")
	if err != nil {
		return "", fmt.Errorf("locate state dir: %w", err)
	}
	return p, nil
}
