package cloud_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

func TestValidateInstancePasswordRules(t *testing.T) {
	for _, tc := range []struct {
		pw      string
		windows bool
		broken  []string // "" = valid
	}{
		{"Abcdef1!", false, nil},
		{"abcdef1!", false, nil},                   // lower, digit, special
		{"ABCDEFGH1", false, []string{"three of"}}, // two classes
		{"/Abcdef12", false, nil},
		{"/Abcdef12", true, []string{`begin with "/"`}},
		{"Abcdef12/", true, nil},
		{"Ab1!", false, []string{"8-30 characters, has 4"}},
		{strings.Repeat("Ab1!", 8), false, []string{"has 32"}},
		{"ab", true, []string{"8-30", "three of", ""}},
		{"Abc def12", false, []string{"only letters, digits"}},
		{"Abcdéf12", false, []string{"only letters, digits"}},
		{"/a", true, []string{"8-30", "three of", `begin with "/"`}},
	} {
		err := cloud.ValidateInstancePasswordFor(tc.pw, tc.windows)
		if tc.broken == nil {
			if err != nil {
				t.Errorf("%q (windows %v): %v", tc.pw, tc.windows, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%q (windows %v) accepted", tc.pw, tc.windows)
			continue
		}
		for _, b := range tc.broken {
			if !strings.Contains(err.Error(), b) {
				t.Errorf("%q: %v does not name %q", tc.pw, err, b)
			}
		}
		if len(tc.pw) > 2 && strings.Contains(err.Error(), tc.pw) {
			t.Errorf("%q: the refusal repeats the password", tc.pw)
		}
	}
	if err := cloud.ValidateInstancePassword("/Abcdef12"); err != nil {
		t.Errorf("Linux rules: %v", err)
	}
}

func TestValidateRuleParts(t *testing.T) {
	for _, tc := range []struct {
		proto, pr string
		ok        bool
	}{
		{"TCP", "22/22", true}, {"tcp", "1/65535", true}, {"UDP", "53/53", true},
		{"TCP", "0/22", false}, {"TCP", "22/65536", false}, {"TCP", "23/22", false}, {"TCP", "-1/-1", false},
		{"TCP", "22", false}, {"TCP", "+22/22", false}, {"TCP", "", false},
		{"ICMP", "-1/-1", true}, {"GRE", "-1/-1", true}, {"ALL", "-1/-1", true}, {"ALL", "1/65535", false}, {"ICMP", "8/8", false},
		{"SCTP", "1/2", false},
	} {
		if err := cloud.ValidatePortRange(tc.proto, tc.pr); (err == nil) != tc.ok {
			t.Errorf("%s %q: %v", tc.proto, tc.pr, err)
		}
	}
	for _, tc := range []struct {
		cidr string
		ok   bool
	}{
		{"0.0.0.0/0", true}, {"10.0.0.0/8", true}, {"192.0.2.7", true}, {"::/0", true}, {"2001:db8::/32", true}, {"2001:db8::1", true},
		{"10.0.0.0/33", false}, {"10.0.0.256/8", false}, {"010.0.0.0/8", false}, {"fe80::1%eth0", false}, {"::ffff:10.0.0.1/128", false},
		{"", false}, {"10.0.0.0/", false}, {"any", false},
	} {
		if err := cloud.ValidateCIDR(tc.cidr); (err == nil) != tc.ok {
			t.Errorf("%q: %v", tc.cidr, err)
		}
	}
	ok := cloud.RuleSpec{Direction: cloud.Ingress, Protocol: "TCP", PortRange: "22/22", CIDR: "203.0.113.0/24"}
	if err := cloud.ValidateRule(ok); err != nil {
		t.Fatal(err)
	}
	grp := cloud.RuleSpec{Direction: cloud.Egress, Protocol: "ICMP", GroupID: "sg-bp1x", Policy: "drop", Priority: 100}
	if err := cloud.ValidateRule(grp); err != nil {
		t.Fatal(err)
	}
	both := ok
	both.GroupID = "sg-bp1x"
	wantValidation(t, cloud.ValidateRule(both), "source", "not both")
	long := ok
	long.Description = strings.Repeat("d", 513)
	wantValidation(t, cloud.ValidateRule(long), "rule description", "512")
}

func rsaLine(t testing.TB, bits int) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	mp := func(n *big.Int) []byte {
		b := n.Bytes()
		if b[0]&0x80 != 0 {
			b = append([]byte{0}, b...)
		}
		return b
	}
	return sshLine("ssh-rsa", mp(big.NewInt(int64(k.E))), mp(k.N))
}

func ecdsaLine(t testing.TB) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := k.PublicKey.ECDH()
	if err != nil {
		t.Fatal(err)
	}
	return sshLine("ecdsa-sha2-nistp256", []byte("nistp256"), pub.Bytes())
}

func TestValidatePublicKey(t *testing.T) {
	good := []string{rsaLine(t, 1024), ed25519Line(t), ecdsaLine(t), "  " + ed25519Line(t) + "  \n"}
	for _, k := range good {
		if err := cloud.ValidatePublicKey(k); err != nil {
			t.Errorf("%.30s...: %v", k, err)
		}
	}
	ed := strings.Fields(ed25519Line(t))
	blob, _ := base64.StdEncoding.DecodeString(ed[1])
	for _, tc := range []struct{ key, says string }{
		{"", "type base64-key"},
		{"ssh-ed25519", "type base64-key"},
		{"ssh-foo " + ed[1], "is not one of"},
		{"ssh-rsa " + ed[1], "does not start with its type"},
		{"ssh-ed25519 " + ed[1][:20] + "!!", "base64"},
		{"ssh-ed25519 " + base64.StdEncoding.EncodeToString(blob[:len(blob)-1]), "32 bytes"},
		{"ssh-ed25519 " + base64.StdEncoding.EncodeToString(append(blob, 0)), "extra bytes"},
		{sshLine("ssh-rsa", []byte{1, 0, 1}, append([]byte{0x80}, make([]byte, 63)...)), "512 bits, at least 1024"},
		{sshLine("ecdsa-sha2-nistp384", []byte("nistp256"), make([]byte, 65)), "curve"},
		{"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "private key"},
		{ed25519Line(t) + "\n" + ed25519Line(t), "one key"},
		// Found by FuzzValidatePublicKey: a long first word (a body pasted
		// without its type) is counted, never repeated.
		{"00000000000000000 00000000000000000", "the first word (17 characters) is not a key type"},
		{ed[1] + " me@host", "is not a key type"},
	} {
		err := cloud.ValidatePublicKey(tc.key)
		if err == nil {
			t.Errorf("%.40q accepted", tc.key)
			continue
		}
		wantValidation(t, err, "public key", tc.says)
	}
}
