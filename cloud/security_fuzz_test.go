package cloud_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ecsdash/ecsdash/cloud"
)

// passwordTexts are the fixed words of a password refusal: a fuzzed
// password found in the refusal only because it is part of them is not a
// leak.
const passwordTexts = "password: needs 8-30 characters, has ; needs at least three of upper case, lower case, digits, specials, has ; may contain only letters, digits and the specials " +
	cloud.PasswordSpecials + ` (no spaces or other characters); may not begin with "/" on Windows 0123456789`

// FuzzValidateInstancePassword: no panic; a refusal is a ValidationError
// that never repeats the password; an accepted password has 8-30
// characters, and what Windows accepts Linux accepts too.
func FuzzValidateInstancePassword(f *testing.F) {
	for _, s := range []string{"Abcdef1!", "/Abcdef12", "ab", "", "Abc def12", "Abcdéf12", strings.Repeat("Ab1!", 8), "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/", "\x00\xff", "PASSWORD1234"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, pw string, windows bool) {
		err := cloud.ValidateInstancePasswordFor(pw, windows)
		if err == nil {
			if n := utf8.RuneCountInString(pw); n < 8 || n > 30 {
				t.Fatalf("%q accepted with %d characters", pw, n)
			}
			if windows && cloud.ValidateInstancePassword(pw) != nil {
				t.Fatalf("%q: Windows accepts what Linux refuses", pw)
			}
			return
		}
		var ve *cloud.ValidationError
		if !errors.As(err, &ve) || ve.Field != "password" || ve.Rule == "" {
			t.Fatalf("refusal %#v", err)
		}
		if len(pw) >= 3 && strings.Contains(err.Error(), pw) && !strings.Contains(passwordTexts, pw) {
			t.Fatalf("refusal %q repeats the password %q", err, pw)
		}
	})
}

// FuzzValidateRule: no panic; an accepted rule has an accepted port range
// for its protocol and an accepted CIDR; a refusal names a field.
func FuzzValidateRule(f *testing.F) {
	f.Add("ingress", "TCP", "22/22", "0.0.0.0/0", "", "Accept", 1)
	f.Add("egress", "udp", "53/53", "2001:db8::/32", "", "drop", 100)
	f.Add("ingress", "ICMP", "-1/-1", "", "sg-bp1x", "", 0)
	f.Add("ingress", "ALL", "1/65535", "10.0.0.0/33", "", "accept", 101)
	f.Add("egress", "TCP", "0/0", "::ffff:1.2.3.4", "sg-", "x", -1)
	f.Add("ingress", "GRE", "", "fe80::1%eth0", "", "", 50)
	f.Fuzz(func(t *testing.T, dir, proto, ports, cidr, group, policy string, prio int) {
		spec := cloud.RuleSpec{Direction: dir, Protocol: proto, PortRange: ports, CIDR: cidr, GroupID: group, Policy: policy, Priority: prio}
		err := cloud.ValidateRule(spec)
		_ = cloud.ValidatePortRange(proto, ports)
		_ = cloud.ValidateCIDR(cidr)
		if err != nil {
			var ve *cloud.ValidationError
			if !errors.As(err, &ve) || ve.Field == "" || ve.Rule == "" {
				t.Fatalf("refusal %#v", err)
			}
			return
		}
		p := ports
		if p == "" {
			p = "-1/-1"
		}
		if perr := cloud.ValidatePortRange(strings.ToUpper(strings.TrimSpace(proto)), strings.TrimSpace(p)); perr != nil {
			t.Fatalf("rule accepted with port range %q/%q: %v", proto, ports, perr)
		}
		if strings.TrimSpace(cidr) != "" && cloud.ValidateCIDR(strings.TrimSpace(cidr)) != nil {
			t.Fatalf("rule accepted with CIDR %q", cidr)
		}
		if prio < 0 || prio > 100 {
			t.Fatalf("priority %d accepted", prio)
		}
	})
}

// FuzzValidatePublicKey: no panic, and a refusal never repeats the key's
// body.
func FuzzValidatePublicKey(f *testing.F) {
	f.Add("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx0bGl0dGxlIGtleSBmb3IgdGhlIGZ1enplciAhIQ== me@host")
	f.Add("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQ== x")
	f.Add("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBA==")
	f.Add("ssh-dss AAAAB3NzaC1kc3MAAAAA")
	f.Add("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5////")
	f.Add("-----BEGIN RSA PRIVATE KEY-----")
	f.Add("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP////8=")
	f.Fuzz(func(t *testing.T, key string) {
		err := cloud.ValidatePublicKey(key)
		if err == nil {
			return
		}
		var ve *cloud.ValidationError
		if !errors.As(err, &ve) || ve.Field != "public key" {
			t.Fatalf("refusal %#v", err)
		}
		// The key types are the refusal's fixed words: a body found only
		// inside one of them ("ecdsa-sha2-nistp2") is not repeated.
		said := err.Error()
		for _, typ := range cloud.PublicKeyTypes {
			said = strings.ReplaceAll(said, typ, "")
		}
		if fs := strings.Fields(key); len(fs) > 1 && len(fs[1]) > 16 && strings.Contains(said, fs[1]) {
			t.Fatalf("refusal %q repeats the key body", err)
		}
	})
}
