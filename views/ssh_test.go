package views

import (
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

func TestSSHCommand(t *testing.T) {
	pub := cloud.Instance{ID: "i-1", PublicIP: "47.1.1.1", PrivateIP: "10.0.0.5", KeyPairName: "k", ImageID: "m-ecsuser-1"}
	priv := cloud.Instance{ID: "i-2", PrivateIP: "10.0.0.6"}
	cases := []struct {
		cfg  SSHConfig
		in   cloud.Instance
		want string
		err  string
	}{
		{SSHConfig{}, pub, "ssh root@47.1.1.1", ""},
		{SSHConfig{KeyFiles: map[string]string{"k": "/k.pem"}, ImageUsers: map[string]string{"m-ecsuser": "ecs-user"}}, pub, "ssh -i /k.pem ecs-user@47.1.1.1", ""},
		{SSHConfig{Jump: "ops@bastion"}, pub, "ssh -J ops@bastion root@10.0.0.5", ""},
		{SSHConfig{Private: true, User: "admin"}, pub, "ssh admin@10.0.0.5", ""},
		{SSHConfig{}, priv, "", "no public IP"},
		{SSHConfig{Jump: "bastion"}, priv, "ssh -J bastion root@10.0.0.6", ""},
		{SSHConfig{}, cloud.Instance{ID: "i-3"}, "", "no IP address"},
	}
	for _, c := range cases {
		argv, err := c.cfg.sshCommand(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%+v: err %v, want %q", c.cfg, err, c.err)
			}
			continue
		}
		if got := strings.Join(argv, " "); err != nil || got != c.want {
			t.Errorf("%+v on %s: %q (%v), want %q", c.cfg, c.in.ID, got, err, c.want)
		}
	}
}
