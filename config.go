package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/ecsdash/ecsdash/views"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// appConfig is ecsdash's own config file, $XDG_CONFIG_HOME/ecsdash/config.json
// (usually ~/.config/ecsdash/config.json). It holds no credentials: those
// stay in the aliyun CLI's config or the environment. Every key is optional:
//
//	{
//	  "production_profiles": ["prod", "prod-eu"],
//	  "audit_log": "~/.local/state/ecsdash/audit.jsonl",
//	  "aliyun_config": "~/.aliyun/config.json",
//	  "backup_max_age_days": 7,
//	  "risky_ports": [22, 3389, 6379],
//	  "time_zone": "Asia/Shanghai",
//	  "ssh": {"user": "root", "jump": "bastion.example.com",
//	          "image_users": {"m-bp1abc": "ecs-user"},
//	          "keys": {"ops-2024": "~/.ssh/ops-2024.pem"}}
//	}
//
// production_profiles: profiles that open read-only and show their name in
// a warning colour; changes need `:arm DURATION` first.
// audit_log: where every change is recorded (default
// $XDG_STATE_HOME/ecsdash/audit.jsonl).
// aliyun_config: the aliyun CLI config to read profiles from (default
// ~/.aliyun/config.json).
// ssh: how `s` on an instance runs your ssh: login user (default root),
// per-image users by image id prefix, a jump host (-J), "private": true to
// use private IPs, and the private key file of each key pair.
// backup_max_age_days: a disk with no automatic snapshot policy whose
// newest snapshot is older than this is marked unprotected (default 7).
// time_zone: where the dashboard shows times: "local" (the default), "UTC"
// or an IANA name; --utc overrides it.
//
// A missing file means all defaults; an unknown key is an error, so a typo
// (say "production_profile") cannot silently leave a production profile
// writable.
type appConfig struct {
	ProductionProfiles []string  `json:"production_profiles"`
	AuditLog           string    `json:"audit_log"`
	AliyunConfig       string    `json:"aliyun_config"`
	BackupMaxAgeDays   int       `json:"backup_max_age_days"`
	RiskyPorts         []int     `json:"risky_ports"`
	SSH                sshConfig `json:"ssh"`
	TimeZone           string    `json:"time_zone"`

	path string         // the file read ("" if none)
	zone *time.Location // time_zone, parsed (Local when unset)
}

// loadAppConfig reads ecsdash's config file; a missing file is no error.
func loadAppConfig() (appConfig, error) {
	path, err := appConfigPath()
	if err != nil {
		return appConfig{}, err
	}
	return readAppConfig(path)
}

func readAppConfig(path string) (appConfig, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return appConfig{zone: time.Local}, nil
	}
	if err != nil {
		return appConfig{}, fmt.Errorf("ecsdash config: %w", err)
	}
	var c appConfig
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return appConfig{}, fmt.Errorf("ecsdash config %s: %v (keys: production_profiles, audit_log, aliyun_config)", path, err)
	}
	for i, p := range c.ProductionProfiles {
		c.ProductionProfiles[i] = strings.TrimSpace(p)
	}
	c.path = path
	if c.AuditLog, err = expandHome(c.AuditLog); err != nil {
		return appConfig{}, err
	}
	if c.AliyunConfig, err = expandHome(c.AliyunConfig); err != nil {
		return appConfig{}, err
	}
	if c.zone, err = parseTimeZone(c.TimeZone); err != nil {
		return appConfig{}, fmt.Errorf("ecsdash config %s: %w", path, err)
	}
	return c, nil
}

// isProduction reports whether profile is listed in production_profiles.
func (c appConfig) isProduction(profile string) bool {
	return profile != "" && slices.Contains(c.ProductionProfiles, profile)
}

// auditLogPath is audit_log, or $XDG_STATE_HOME/ecsdash/audit.jsonl.
func (c appConfig) auditLogPath() (string, error) {
	if c.AuditLog != "" {
		return c.AuditLog, nil
	}
	return stateFilePath("audit.jsonl")
}

// expandHome turns a leading "~/" into the home directory.
func expandHome(p string) (string, error) {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("expand %s: %w", p, err)
	}
	return filepath.Join(home, strings.TrimPrefix(p, "~")), nil
}

// backupMaxAge is backup_max_age_days as a duration (0 = the default).
func (c appConfig) backupMaxAge() time.Duration {
	return time.Duration(c.BackupMaxAgeDays) * 24 * time.Hour
}

// sshConfig is the config file's "ssh" section.
type sshConfig struct {
	User       string            `json:"user"`
	Jump       string            `json:"jump"`
	Private    bool              `json:"private"`
	ImageUsers map[string]string `json:"image_users"`
	Keys       map[string]string `json:"keys"`
}

// viewSSH turns the section (and --ssh-jump, which wins) into the
// dashboard's ssh settings, expanding ~ in key paths.
func (c appConfig) viewSSH(jumpFlag string) (views.SSHConfig, error) {
	out := views.SSHConfig{User: c.SSH.User, Jump: c.SSH.Jump, Private: c.SSH.Private, ImageUsers: c.SSH.ImageUsers, KeyFiles: map[string]string{}}
	if jumpFlag != "" {
		out.Jump = jumpFlag
	}
	for name, path := range c.SSH.Keys {
		p, err := expandHome(path)
		if err != nil {
			return views.SSHConfig{}, err
		}
		out.KeyFiles[name] = p
	}
	return out, nil
}
