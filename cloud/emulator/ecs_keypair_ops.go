package emulator

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SSH key pair mutations (notes §3.7, §4.1; addendum §3.7; the current API
// pages' error tables):
//
//   - CreateKeyPair makes a 2048-bit RSA key (crypto/rand), keeps only the
//     public half and answers the private key once, PEM "RSA PRIVATE KEY"
//     (PKCS#1: the page's sample body starts MIIEpAIBAAKCAQEA, which is
//     PKCS#1, though the notes say PKCS#8). KeyPairFingerPrint: the SHA-1
//     of the private key's DER, 20 colon-separated octets as in the sample
//     (an imported key's is the MD5 of the public key blob, RFC 4716, 16
//     octets, like the seeded ones). Name rules: InvalidKeyPairName.Malformed
//     400; a taken name KeyPair.AlreadyExist 400; 500 per region
//     QuotaExceed.KeyPair 403.
//   - ImportKeyPair takes an OpenSSH public key line (ssh-rsa, ssh-dss,
//     ssh-ed25519, ecdsa-sha2-nistp256/384/521, and their
//     -cert-v01@openssh.com forms) whose base64 blob names the same type:
//     InvalidPublicKeyBody.Malformed 400.
//   - Attach/DetachKeyPair take InstanceIds (JSON array, 1-50; else
//     InvalidInstanceIds.ValueNotSupported 400). An unknown key pair is
//     InvalidKeyPairName.NotFound 400 (current page; older pages say 404). A
//     Windows instance among them refuses the whole call:
//     DependencyViolation.WindowsInstance 403. Each other instance gets its
//     own result (Results.Result[] with Success/Code/Message, counts in
//     TotalCount/FailCount, strings as the SDK types them): an unknown id
//     fails with InvalidInstanceId.NotFound, an instance not Running or
//     Stopped with IncorrectInstanceStatus. DescribeInstances shows the new
//     KeyPairName at once; the guest accepts the key only after the next
//     console/API restart (booted -> applyLogin). Detaching a key pair that
//     is not bound to the instance succeeds and changes nothing (assumed).
//   - DeleteKeyPairs takes KeyPairNames (JSON array, 1-100; malformed:
//     InvalidKeyPairNames.ValueNotSupported 400). Bound key pairs are
//     deleted too (notes §3.7: bound instances keep working and still show
//     the name); unknown names are ignored (assumed).

// maxKeyPairsPerRegion is the documented quota.
const maxKeyPairsPerRegion = 500

// validKeyPairName: 2-128 characters, starting with a letter, letters,
// digits, ':', '_' and '-' (no http(s)://, which the first rule already
// excludes).
func validKeyPairName(s string) bool {
	n := utf8.RuneCountInString(s)
	first, _ := utf8.DecodeRuneInString(s)
	if n < 2 || n > 128 || !unicode.IsLetter(first) {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(":_-", r))
	}) < 0
}

// newKeyPairName checks the KeyPairName of a create or import.
func (st *store) newKeyPairName(r *request, rg *region) (string, error) {
	name, err := r.required("KeyPairName")
	if err != nil {
		return "", err
	}
	if !validKeyPairName(name) {
		return "", &APIError{Status: 400, Code: "InvalidKeyPairName.Malformed", Message: "Specified Key Pair name is not valid."}
	}
	if st.keyPairs[rg.ID+"/"+name] != nil {
		return "", &APIError{Status: 400, Code: "KeyPair.AlreadyExist", Message: "The key pair already exist."}
	}
	n := 0
	for _, kp := range st.keyPairs {
		if kp.RegionID == rg.ID {
			n++
		}
	}
	if n >= maxKeyPairsPerRegion {
		return "", &APIError{Status: 403, Code: "QuotaExceed.KeyPair", Message: "The key pair quota exceeds."}
	}
	return name, nil
}

func colonHex(sum []byte) string {
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02x", b)
	}
	return strings.Join(parts, ":")
}

// sshString appends an SSH wire-format string (uint32 length + bytes).
func sshString(b, s []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// sshMpint appends an SSH mpint (two's complement, big-endian, a leading
// zero when the top bit is set).
func sshMpint(b []byte, n *big.Int) []byte {
	raw := n.Bytes()
	if len(raw) > 0 && raw[0]&0x80 != 0 {
		raw = append([]byte{0}, raw...)
	}
	return sshString(b, raw)
}

// sshRSAPublicKey renders an RSA public key as an authorized_keys line.
func sshRSAPublicKey(pub *rsa.PublicKey, comment string) string {
	blob := sshString(nil, []byte("ssh-rsa"))
	blob = sshMpint(blob, big.NewInt(int64(pub.E)))
	blob = sshMpint(blob, pub.N)
	return "ssh-rsa " + base64.StdEncoding.EncodeToString(blob) + " " + comment
}

// createKeyPair: CreateKeyPair.
func createKeyPair(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	name, err := st.newKeyPairName(r, rg)
	if err != nil {
		return nil, err
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	der := x509.MarshalPKCS1PrivateKey(key)
	sum := sha1.Sum(der)
	kp := &keyPair{
		ID: st.mintID("ssh", rg.ID), Name: name, RegionID: rg.ID, FingerPrint: colonHex(sum[:]),
		PublicKey: sshRSAPublicKey(&key.PublicKey, name), CreationTime: st.now().UTC().Truncate(1e9),
	}
	st.keyPairs[rg.ID+"/"+name] = kp
	private := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der}))
	return map[string]any{
		"KeyPairName": kp.Name, "KeyPairId": kp.ID, "KeyPairFingerPrint": kp.FingerPrint, "PrivateKeyBody": private,
	}, nil
}

// sshKeyTypes are the public key types ImportKeyPair accepts.
var sshKeyTypes = []string{
	"ssh-rsa", "ssh-dss", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
	"ssh-rsa-cert-v01@openssh.com", "ssh-dss-cert-v01@openssh.com", "ssh-ed25519-cert-v01@openssh.com",
	"ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp521-cert-v01@openssh.com",
}

// parsePublicKeyBody checks an authorized_keys line: a known type, a
// base64 blob whose first field is that type again, then key material.
// It returns the blob.
func parsePublicKeyBody(body string) ([]byte, bool) {
	fields := strings.Fields(body)
	if len(fields) < 2 || !slices.Contains(sshKeyTypes, fields[0]) {
		return nil, false
	}
	blob, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil || len(blob) < 4 {
		return nil, false
	}
	n := binary.BigEndian.Uint32(blob)
	if uint64(n) > uint64(len(blob)-4) || string(blob[4:4+n]) != fields[0] || len(blob) < int(4+n)+8 {
		return nil, false
	}
	return blob, true
}

// importKeyPair: ImportKeyPair.
func importKeyPair(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	name, err := st.newKeyPairName(r, rg)
	if err != nil {
		return nil, err
	}
	body, err := r.required("PublicKeyBody")
	if err != nil {
		return nil, err
	}
	blob, ok := parsePublicKeyBody(body)
	if !ok {
		return nil, &APIError{Status: 400, Code: "InvalidPublicKeyBody.Malformed", Message: "The PublicKeyBody format is not supported."}
	}
	sum := md5.Sum(blob)
	kp := &keyPair{
		Name: name, RegionID: rg.ID, FingerPrint: colonHex(sum[:]),
		PublicKey: strings.TrimSpace(body), CreationTime: st.now().UTC().Truncate(1e9),
	}
	st.keyPairs[rg.ID+"/"+name] = kp
	return map[string]any{"KeyPairName": kp.Name, "KeyPairFingerPrint": kp.FingerPrint}, nil
}

// keyPairResultJSON is one Results.Result[] of Attach/DetachKeyPair.
type keyPairResultJSON struct {
	InstanceId string `json:"InstanceId"`
	Success    string `json:"Success"`
	Code       string `json:"Code"`
	Message    string `json:"Message"`
}

// bindKeyPair runs Attach/DetachKeyPair: attach true binds the key pair,
// false unbinds it.
func bindKeyPair(r *request, attach bool) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	name, err := r.required("KeyPairName")
	if err != nil {
		return nil, err
	}
	ids, present, err := r.jsonList("InstanceIds", 50)
	if !present && err == nil {
		return nil, errMissing("InstanceIds")
	}
	if err != nil || len(ids) == 0 {
		return nil, &APIError{Status: 400, Code: "InvalidInstanceIds.ValueNotSupported", Message: "The specified parameter InstanceIds is not valid."}
	}
	if st.keyPairs[rg.ID+"/"+name] == nil {
		return nil, &APIError{Status: 400, Code: "InvalidKeyPairName.NotFound", Message: "The specified KeyPairName does not exist in our records."}
	}
	for _, id := range ids {
		if in := st.instances[id]; in != nil && in.RegionID == rg.ID && in.OSType == "windows" {
			return nil, &APIError{Status: 403, Code: "DependencyViolation.WindowsInstance", Message: "The instance creating is windows, cannot use ssh key pair to login"}
		}
	}
	var out []keyPairResultJSON
	fails := 0
	var seen []string
	for _, id := range ids {
		if slices.Contains(seen, id) {
			continue
		}
		seen = append(seen, id)
		res := keyPairResultJSON{InstanceId: id, Success: "true", Code: "200", Message: "successful"}
		in := st.instances[id]
		switch {
		case in == nil || in.RegionID != rg.ID:
			res.Success, res.Code, res.Message = "false", "InvalidInstanceId.NotFound", "The specified InstanceId does not exist."
		case in.securityLocked():
			e := errLockedForSecurity()
			res.Success, res.Code, res.Message = "false", e.Code, e.Message
		case in.Status != "Running" && in.Status != "Stopped":
			e := errIncorrectInstanceStatus()
			res.Success, res.Code, res.Message = "false", e.Code, e.Message
		case attach:
			in.setKeyPair(name)
		case in.KeyPairName == name:
			in.setKeyPair("")
		}
		if res.Success != "true" {
			fails++
		}
		out = append(out, res)
	}
	return map[string]any{
		"KeyPairName": name, "TotalCount": strconv.Itoa(len(out)), "FailCount": strconv.Itoa(fails),
		"Results": map[string]any{"Result": out},
	}, nil
}

func attachKeyPair(r *request) (any, error) { return bindKeyPair(r, true) }
func detachKeyPair(r *request) (any, error) { return bindKeyPair(r, false) }

// deleteKeyPairs: DeleteKeyPairs.
func deleteKeyPairs(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	names, present, err := r.jsonList("KeyPairNames", 100)
	if !present && err == nil {
		return nil, errMissing("KeyPairNames")
	}
	if err != nil || len(names) == 0 || slices.Contains(names, "") {
		return nil, &APIError{Status: 400, Code: "InvalidKeyPairNames.ValueNotSupported", Message: "The specified parameter KeyPairNames is not valid."}
	}
	for _, name := range names {
		delete(st.keyPairs, rg.ID+"/"+name)
	}
	return map[string]any{}, nil
}
