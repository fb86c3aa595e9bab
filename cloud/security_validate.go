package cloud

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Local checks of the security APIs' inputs (API notes §3.2 Password,
// §3.6, §3.7; addendum §3.6): every refusal is a *ValidationError that
// names the rule, and none ever repeats a password or key.

// PasswordSpecials are the special characters an instance password may
// contain (ModifyInstanceAttribute / RunInstances Password).
const PasswordSpecials = "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/"

// ValidateInstancePassword checks a Linux instance's password: see
// ValidateInstancePasswordFor.
func ValidateInstancePassword(pw string) error { return ValidateInstancePasswordFor(pw, false) }

// ValidateInstancePasswordFor checks an instance password as the API does
// and names EVERY rule it breaks, in one ValidationError ("password: needs
// 8-30 characters, has 5; needs at least three of upper case, lower case,
// digits, specials, has 1"):
//   - 8-30 characters;
//   - at least three of upper case, lower case, digits and specials;
//   - specials only from ()`~!@#$%^&*-_+=|{}[]:;'<>,.?/ (no spaces, no
//     other characters);
//   - on Windows, not beginning with "/".
//
// The error never contains the password or any character of it.
func ValidateInstancePasswordFor(pw string, windows bool) error {
	var broken []string
	n := utf8.RuneCountInString(pw)
	if n < 8 || n > 30 {
		broken = append(broken, fmt.Sprintf("needs 8-30 characters, has %d", n))
	}
	var upper, lower, digit, special, other bool
	for _, r := range pw {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		case strings.ContainsRune(PasswordSpecials, r):
			special = true
		default:
			other = true
		}
	}
	classes := 0
	for _, ok := range []bool{upper, lower, digit, special} {
		if ok {
			classes++
		}
	}
	if classes < 3 {
		broken = append(broken, fmt.Sprintf("needs at least three of upper case, lower case, digits, specials, has %d", classes))
	}
	if other {
		broken = append(broken, "may contain only letters, digits and the specials "+PasswordSpecials+" (no spaces or other characters)")
	}
	if windows && strings.HasPrefix(pw, "/") {
		broken = append(broken, `may not begin with "/" on Windows`)
	}
	if len(broken) == 0 {
		return nil
	}
	return &ValidationError{Field: "password", Rule: strings.Join(broken, "; ")}
}

// ValidateKeyPairName checks a key pair name (CreateKeyPair /
// ImportKeyPair): 2-128 characters, starting with a letter, letters,
// digits, ':', '_' and '-'.
func ValidateKeyPairName(name string) error {
	n := utf8.RuneCountInString(name)
	first, _ := utf8.DecodeRuneInString(name)
	switch {
	case n < 2 || n > 128:
		return invalid("key pair name", "%d characters, must be 2 to 128", n)
	case !unicode.IsLetter(first):
		return invalid("key pair name", "must start with a letter")
	case strings.IndexFunc(name, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(":_-", r))
	}) >= 0:
		return invalid("key pair name", "only letters, digits, ':', '_' and '-'")
	}
	return nil
}

// PublicKeyTypes are the OpenSSH public key types ImportKeyPair takes.
var PublicKeyTypes = []string{"ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-dss"}

// ValidatePublicKey checks an OpenSSH public key (an authorized_keys or
// ~/.ssh/*.pub line: "type base64 [comment]") before ImportKeyPair. The
// wire format is parsed by hand (golang.org/x/crypto/ssh is not a
// dependency): the base64 body's first field must repeat the type, and
// the key material must be complete: RSA e and n (n of at least 1024
// bits), a 32-byte Ed25519 key, an ECDSA curve name matching the type and
// an uncompressed point of the curve's size, DSA p, q, g, y. Nothing may
// follow the key material. A private key pasted by mistake is named as
// such (and never repeated).
func ValidatePublicKey(text string) error {
	_, err := parsePublicKey(text)
	return err
}

// parsePublicKey returns the key type of a valid public key line.
func parsePublicKey(text string) (string, error) {
	text = strings.TrimSpace(text)
	if strings.Contains(text, "PRIVATE KEY") {
		return "", invalid("public key", "this is a private key: give the public half (the .pub file)")
	}
	if strings.ContainsAny(text, "\r\n") {
		return "", invalid("public key", "give one key on one line")
	}
	fields := strings.Fields(text)
	if len(fields) < 2 {
		return "", invalid("public key", "want \"type base64-key [comment]\", e.g. the line in ~/.ssh/id_ed25519.pub")
	}
	typ := fields[0]
	if !slices.Contains(PublicKeyTypes, typ) {
		if utf8.RuneCountInString(typ) > maxQuotedKeyType {
			// A long first word is often the key body pasted without its
			// type: never repeat it.
			return "", invalid("public key", "the first word (%d characters) is not a key type: want one of %s", utf8.RuneCountInString(typ), strings.Join(PublicKeyTypes, ", "))
		}
		return "", invalid("public key", "type %q is not one of %s", typ, strings.Join(PublicKeyTypes, ", "))
	}
	blob, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil {
		return "", invalid("public key", "the key body is not valid base64")
	}
	w := wire(blob)
	name, ok := w.str()
	if !ok || string(name) != typ {
		return "", invalid("public key", "the key body does not start with its type %s", typ)
	}
	var bad string
	switch {
	case typ == "ssh-rsa":
		e, ok1 := w.mpint()
		n, ok2 := w.mpint()
		switch {
		case !ok1 || !ok2:
			bad = "incomplete RSA key"
		case len(e) == 0 || len(e) > 4:
			bad = "bad RSA exponent"
		case bitLen(n) < 1024:
			bad = fmt.Sprintf("RSA key of %d bits, at least 1024 are needed", bitLen(n))
		}
	case typ == "ssh-ed25519":
		if k, ok := w.str(); !ok || len(k) != 32 {
			bad = "an Ed25519 key is 32 bytes"
		}
	case typ == "ssh-dss":
		for range 4 {
			if _, ok := w.mpint(); !ok {
				bad = "incomplete DSA key"
			}
		}
	default: // ecdsa-sha2-nistpNNN
		curve := strings.TrimPrefix(typ, "ecdsa-sha2-")
		size := map[string]int{"nistp256": 32, "nistp384": 48, "nistp521": 66}[curve]
		c, ok1 := w.str()
		q, ok2 := w.str()
		switch {
		case !ok1 || !ok2:
			bad = "incomplete ECDSA key"
		case string(c) != curve:
			bad = "the curve does not match the type"
		case len(q) != 1+2*size || q[0] != 4:
			bad = "the ECDSA point is not an uncompressed point of the curve"
		}
	}
	if bad == "" && len(w) != 0 {
		bad = "extra bytes after the key"
	}
	if bad != "" {
		return "", invalid("public key", "%s", bad)
	}
	return typ, nil
}

// maxQuotedKeyType is the longest unknown key type a refusal repeats:
// shorter than any key body, so a refusal never shows one.
const maxQuotedKeyType = 16

// wire reads the SSH wire format.
type wire []byte

func (w *wire) str() ([]byte, bool) {
	if len(*w) < 4 {
		return nil, false
	}
	n := binary.BigEndian.Uint32(*w)
	if uint64(n) > uint64(len(*w)-4) {
		return nil, false
	}
	s := (*w)[4 : 4+n]
	*w = (*w)[4+n:]
	return s, true
}

func (w *wire) mpint() ([]byte, bool) {
	b, ok := w.str()
	for ok && len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	return b, ok
}

func bitLen(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	n := (len(b) - 1) * 8
	for x := b[0]; x != 0; x >>= 1 {
		n++
	}
	return n
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// ValidateSecurityGroupName checks a security group name: "" (none) or
// 2-128 characters, starting with a letter, not http(s)://, letters,
// digits, '.', '_', '-' and ':'.
func ValidateSecurityGroupName(name string) error {
	if name == "" {
		return nil
	}
	if err := checkName("security group name", name); err != nil {
		return err
	}
	if strings.IndexFunc(name, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-:", r))
	}) >= 0 {
		return invalid("security group name", "only letters, digits, '.', '_', '-' and ':'")
	}
	return nil
}

// Rule directions and policies.
const (
	Ingress = "ingress"
	Egress  = "egress"
	Accept  = "Accept"
	Drop    = "Drop"
)

// RuleProtocols are the protocols a security group rule takes.
var RuleProtocols = []string{"TCP", "UDP", "ICMP", "GRE", "ALL"}

// RuleSpec is a security group rule as the form edits it.
type RuleSpec struct {
	Direction   string // Ingress or Egress
	Protocol    string // TCP, UDP, ICMP, GRE, ALL (any case)
	PortRange   string // "22/22", "8000/8100"; "-1/-1" (or "") for ICMP, GRE, ALL
	CIDR        string // the source (ingress) or destination (egress): IPv4 or IPv6 block or address
	GroupID     string // or a security group instead of CIDR
	Policy      string // Accept (default) or Drop
	Priority    int    // 1 (highest) to 100; 0 = 1
	Description string // optional, up to 512 characters, not http(s)://
}

// normal returns spec with the defaults filled and the protocol and
// policy spelled as the API answers them.
func (s RuleSpec) normal() RuleSpec {
	s.Protocol = strings.ToUpper(strings.TrimSpace(s.Protocol))
	s.PortRange = strings.TrimSpace(s.PortRange)
	if s.PortRange == "" && s.Protocol != "TCP" && s.Protocol != "UDP" {
		s.PortRange = "-1/-1"
	}
	s.CIDR = strings.TrimSpace(s.CIDR)
	switch strings.ToLower(s.Policy) {
	case "", "accept":
		s.Policy = Accept
	case "drop":
		s.Policy = Drop
	}
	if s.Priority == 0 {
		s.Priority = 1
	}
	return s
}

// ValidatePortRange checks a port range for protocol: "from/to" with
// 1 <= from <= to <= 65535 for TCP and UDP; exactly "-1/-1" for ICMP, GRE
// and ALL.
func ValidatePortRange(protocol, portRange string) error {
	protocol = strings.ToUpper(protocol)
	whole := func() error {
		return invalid("port range", "%q: %s takes no ports, only -1/-1", clip(portRange, 20), protocol)
	}
	from, to, ok := strings.Cut(portRange, "/")
	a, err1 := strconv.Atoi(from)
	b, err2 := strconv.Atoi(to)
	numeric := ok && err1 == nil && err2 == nil && !strings.HasPrefix(from, "+") && !strings.HasPrefix(to, "+")
	switch protocol {
	case "TCP", "UDP":
		switch {
		case !numeric:
			return invalid("port range", "%q: want from/to, e.g. 22/22 or 8000/8100", clip(portRange, 20))
		case a < 1 || b > 65535:
			return invalid("port range", "%q: ports are 1 to 65535 for %s (-1/-1 is for ICMP, GRE and ALL)", clip(portRange, 20), protocol)
		case a > b:
			return invalid("port range", "%q: the first port is after the last", clip(portRange, 20))
		}
		return nil
	case "ICMP", "GRE", "ALL":
		if !numeric || a != -1 || b != -1 {
			return whole()
		}
		return nil
	}
	return invalid("protocol", "%q, must be one of %s", clip(protocol, 20), strings.Join(RuleProtocols, ", "))
}

// ValidateCIDR checks an IPv4 or IPv6 CIDR block ("10.0.0.0/8",
// "2001:db8::/32") or a single address, as a rule's source or destination.
func ValidateCIDR(s string) error {
	_, err := parseCIDR(s)
	return err
}

// parseCIDR parses a CIDR block or an address (as a /32 or /128).
func parseCIDR(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil || p.Addr().Is4In6() {
			return netip.Prefix{}, invalid("CIDR", "%q is not an IPv4 or IPv6 CIDR block such as 203.0.113.0/24 or 2001:db8::/32", clip(s, 50))
		}
		return p, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" || a.Is4In6() {
		return netip.Prefix{}, invalid("CIDR", "%q is not an IPv4 or IPv6 address or CIDR block", clip(s, 50))
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// ValidateRule checks a rule before AuthorizeSecurityGroup(Egress), naming
// the rule it breaks: the direction, the protocol, the port range for the
// protocol, a CIDR (v4 or v6) or a group (not both), the policy, the
// priority 1-100, the description.
func ValidateRule(spec RuleSpec) error {
	s := spec.normal()
	if s.Direction != Ingress && s.Direction != Egress {
		return invalid("direction", "%q, must be ingress or egress", clip(spec.Direction, 20))
	}
	if !slices.Contains(RuleProtocols, s.Protocol) {
		return invalid("protocol", "%q, must be one of %s", clip(spec.Protocol, 20), strings.Join(RuleProtocols, ", "))
	}
	if err := ValidatePortRange(s.Protocol, s.PortRange); err != nil {
		return err
	}
	peer := "source"
	if s.Direction == Egress {
		peer = "destination"
	}
	switch {
	case s.CIDR == "" && s.GroupID == "":
		return invalid(peer, "give a CIDR block or a security group")
	case s.CIDR != "" && s.GroupID != "":
		return invalid(peer, "give a CIDR block or a security group, not both")
	case s.CIDR != "":
		if _, err := parseCIDR(s.CIDR); err != nil {
			return &ValidationError{Field: peer + " CIDR", Rule: err.(*ValidationError).Rule}
		}
	case !strings.HasPrefix(s.GroupID, "sg-"):
		return invalid(peer+" group", "%q is not a security group id (sg-...)", clip(s.GroupID, 40))
	}
	if s.Policy != Accept && s.Policy != Drop {
		return invalid("policy", "%q, must be Accept or Drop", clip(spec.Policy, 20))
	}
	if s.Priority < 1 || s.Priority > 100 {
		return invalid("priority", "%d, must be 1 (highest) to 100", spec.Priority)
	}
	return validateRuleDescription(s.Description)
}

// validateRuleDescription: "" or up to 512 characters, not http(s)://.
func validateRuleDescription(d string) error {
	lower := strings.ToLower(d)
	switch {
	case utf8.RuneCountInString(d) > 512:
		return invalid("rule description", "%d characters, at most 512", utf8.RuneCountInString(d))
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
		return invalid("rule description", "must not start with http:// or https://")
	}
	return nil
}
