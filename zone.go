package main

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // time_zone takes IANA names even where the system has no zone database
)

// parseTimeZone reads the config's time_zone: "local" (or nothing) for the
// machine's zone, "UTC", or an IANA zone name such as "Asia/Shanghai".
func parseTimeZone(name string) (*time.Location, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "local":
		return time.Local, nil
	case "utc":
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(strings.TrimSpace(name))
	if err != nil {
		return nil, fmt.Errorf("time_zone %q: must be \"local\", \"UTC\" or an IANA zone name such as \"Asia/Shanghai\" or \"Europe/Berlin\"", name)
	}
	return loc, nil
}

// displayZone is where the dashboard shows times: UTC with --utc, else the
// config's time_zone, else the local zone. It reads the config even for
// --demo (which reads nothing else of it): the zone is the user's, not the
// account's.
func displayZone(g globalFlags) (*time.Location, error) {
	if g.utc {
		return time.UTC, nil
	}
	app, err := loadAppConfig()
	if err != nil {
		return nil, &usageError{msg: err.Error()}
	}
	return app.zone, nil
}
