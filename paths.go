package main

import (
	"fmt"

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
