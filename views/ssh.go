package views

import (
	"fmt"
	"os/exec"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
)

// SSHConfig is how the dashboard opens ssh to an instance (config file
// "ssh" section and --ssh-jump).
type SSHConfig struct {
	Program    string            // the ssh binary (default "ssh" on PATH)
	User       string            // login user (default root)
	ImageUsers map[string]string // image id prefix -> login user (e.g. images that use ecs-user)
	Jump       string            // a jump host for -J, "" = direct
	Private    bool              // prefer the private IP (inside the VPC, or through Jump)
	KeyFiles   map[string]string // key pair name -> private key file
}

// sshCommand builds the user's own ssh command line for an instance: the
// public IP (or the private one, directly or through the jump host), the
// login user, and the key pair's private key file when one is configured.
func (c SSHConfig) sshCommand(in cloud.Instance) ([]string, error) {
	host := in.PublicIP
	if c.Private || c.Jump != "" || host == "" {
		host = in.PrivateIP
	}
	if host == "" {
		return nil, fmt.Errorf("%s has no IP address to connect to", in.ID)
	}
	if host == in.PrivateIP && in.PublicIP == "" && c.Jump == "" && !c.Private {
		return nil, fmt.Errorf("%s has no public IP: set a jump host (--ssh-jump or \"jump\" in the config's ssh section) to reach %s", in.ID, host)
	}
	user := c.User
	if user == "" {
		user = "root"
	}
	for prefix, u := range c.ImageUsers {
		if strings.HasPrefix(in.ImageID, prefix) {
			user = u
		}
	}
	program := c.Program
	if program == "" {
		program = "ssh"
	}
	args := []string{program}
	if key := c.KeyFiles[in.KeyPairName]; key != "" && in.KeyPairName != "" {
		args = append(args, "-i", key)
	}
	if c.Jump != "" {
		args = append(args, "-J", c.Jump)
	}
	return append(args, user+"@"+host), nil
}

// sshAction is `s` / :ssh on an instance: it shows the exact command (c
// copies it) and, on yes, suspends the dashboard and runs the user's ssh;
// the dashboard comes back as it was when ssh exits.
func sshAction(cfg SSHConfig) Action[cloud.Instance] {
	return Action[cloud.Instance]{
		Name: "ssh", Help: "ssh into the instance", Keys: []string{"s"},
		Run: func(l *List[cloud.Instance], ctx Context, _ []string) tea.Cmd {
			in, ok := l.Selected()
			if !ok {
				return nil
			}
			argv, err := cfg.sshCommand(in)
			if err != nil {
				return reportErr("ssh "+in.ID, err)
			}
			line := strings.Join(argv, " ")
			run := tea.ExecProcess(exec.Command(argv[0], argv[1:]...), func(err error) tea.Msg {
				r := Report{Action: "ssh " + in.Name + " (" + line + ")"}
				if err != nil {
					r.Err = fmt.Errorf("ssh ended: %w", err)
				}
				return r
			})
			return func() tea.Msg {
				return Confirm{
					Title: fmt.Sprintf("ssh into %s (%s)?", in.Name, in.ID),
					Lines: []string{line, "", "The dashboard is suspended while ssh runs and comes back as it was."},
					CLI:   []string{line},
					Run:   run,
				}
			}
		},
	}
}
