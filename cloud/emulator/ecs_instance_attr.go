package emulator

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ModifyInstanceAttribute (notes §3.2, §4.1; the current API page's error
// table): InstanceName, Description, HostName, Password, DeletionProtection
// and SecurityGroupIds.N. Everything is checked before anything changes.
//
//   - Password: 8-30 characters, three of upper case, lower case, digits and
//     the specials ()`~!@#$%^&*-_+=|{}[]:;'<>,.?/; a Windows password may not
//     begin with "/" (InvalidPassword.Malformed 400). Refused while the
//     instance is Starting (or Pending): IncorrectInstanceStatus 403. The
//     new password is pending until the next console/API start or reboot
//     (booted -> applyLogin), never an in-guest reboot.
//   - SecurityGroupIds.N replaces the instance's groups: no repeats, at most
//     5 (the default quota), every group of the instance's region and VPC,
//     not normal and enterprise groups together. Codes: the page names only
//     InvalidSecurityGroupId.NotFound 404; for the others the emulator
//     borrows JoinSecurityGroup's (InvalidInstanceId.Mismatch 400 for
//     another VPC, InstanceSecurityGroupLimitExceeded 403 beyond 5) and
//     InvalidParameter 400 for repeats and mixed types (assumed).
//   - A security-locked instance refuses everything:
//     InstanceLockedForSecurity 403.
func modifyInstanceAttribute(r *request) (any, error) {
	st := r.server.store
	in, err := st.requireInstance(r)
	if err != nil {
		return nil, err
	}
	if in.securityLocked() {
		return nil, errLockedForSecurity()
	}
	name, desc, host := r.str("InstanceName"), r.str("Description"), r.str("HostName")
	if name != "" && !validInstanceName(name) {
		return nil, &APIError{Status: 400, Code: "InvalidInstanceName.Malformed", Message: `The specified parameter "InstanceName" is not valid.`}
	}
	if desc != "" && !validResourceDescription(desc) {
		return nil, &APIError{Status: 400, Code: "InvalidDescription.Malformed", Message: `The specified parameter "Description" is not valid.`}
	}
	if host != "" && !validHostName(host, in.OSType == "windows") {
		return nil, &APIError{Status: 400, Code: "InvalidHostName.Malformed", Message: `The specified parameter "HostName" is not valid.`}
	}
	protect, err := r.boolParam("DeletionProtection", in.DeletionProtection)
	if err != nil {
		return nil, err
	}
	pw := r.str("Password")
	if pw != "" {
		if !bkValidPassword(pw, in.OSType == "windows") {
			return nil, &APIError{Status: 400, Code: "InvalidPassword.Malformed", Message: `The specified parameter "Password" is not valid.`}
		}
		if in.Status == "Starting" || in.Status == "Pending" {
			return nil, errIncorrectInstanceStatus()
		}
	}
	groups := r.repeated("SecurityGroupIds")
	if len(groups) > 0 {
		if err := st.checkInstanceGroups(in, groups); err != nil {
			return nil, err
		}
	}

	if name != "" {
		in.Name = name
	}
	if desc != "" {
		in.Description = desc
	}
	if host != "" {
		in.HostName = host
	}
	in.DeletionProtection = protect
	if pw != "" {
		in.PendingPassword = pw
	}
	if len(groups) > 0 {
		in.SecurityGroupIDs = slices.Clone(groups)
	}
	return map[string]any{}, nil
}

// maxInstanceGroups is how many security groups an instance can be in
// (the default quota; the documented maximum is 16 once raised).
const maxInstanceGroups = 5

// checkInstanceGroups validates a whole new group list for in.
func (st *store) checkInstanceGroups(in *instance, groups []string) error {
	if in.Status != "Running" && in.Status != "Stopped" {
		return errIncorrectInstanceStatus()
	}
	if len(groups) > maxInstanceGroups {
		return &APIError{Status: 403, Code: "InstanceSecurityGroupLimitExceeded", Message: "The maximum number of security groups an instance can be in is exceeded."}
	}
	types := map[string]bool{}
	for i, id := range groups {
		if slices.Contains(groups[:i], id) {
			return errInvalidParam("SecurityGroupIds.N", "the security group "+id+" is given twice")
		}
		sg := st.securityGroups[id]
		if sg == nil || sg.RegionID != in.RegionID {
			return errNotFound("InvalidSecurityGroupId.NotFound", "SecurityGroupId")
		}
		if sg.VpcID != in.VpcID {
			return &APIError{Status: 400, Code: "InvalidInstanceId.Mismatch", Message: "The specified instance and security group are not in the same VPC."}
		}
		types[groupType(sg)] = true
	}
	if len(types) > 1 {
		return errInvalidParam("SecurityGroupIds.N", "normal and enterprise security groups cannot be used together")
	}
	return nil
}

func groupType(sg *securityGroup) string {
	if sg.Type == "" {
		return "normal"
	}
	return sg.Type
}

// applyLogin makes the pending password and key pair the ones the guest
// accepts: called when a console/API start or reboot finishes.
func (in *instance) applyLogin() {
	if in.PendingPassword != "" {
		in.LoginPassword, in.PendingPassword = in.PendingPassword, ""
	}
	in.KeyPairPending, in.GuestKeyPair = false, ""
}

// guestKeyPair is the key pair the guest accepts now: the one bound before
// the last Attach/DetachKeyPair until the instance restarts.
func (in *instance) guestKeyPair() string {
	if in.KeyPairPending {
		return in.GuestKeyPair
	}
	return in.KeyPairName
}

// setKeyPair binds name ("" to unbind); the guest keeps its old key until
// the next restart.
func (in *instance) setKeyPair(name string) {
	if !in.KeyPairPending {
		in.GuestKeyPair, in.KeyPairPending = in.KeyPairName, true
	}
	in.KeyPairName = name
}

// validInstanceName: 2-128 characters, starting with a letter, not
// http(s)://, letters, digits, '.', '_', ':' and '-'.
func validInstanceName(s string) bool {
	n := utf8.RuneCountInString(s)
	first, _ := utf8.DecodeRuneInString(s)
	lower := strings.ToLower(s)
	if n < 2 || n > 128 || !unicode.IsLetter(first) || strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._:-", r))
	}) < 0
}

// validResourceDescription: 2-256 characters, not http(s)://.
func validResourceDescription(s string) bool {
	n := utf8.RuneCountInString(s)
	lower := strings.ToLower(s)
	return n >= 2 && n <= 256 && !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://")
}

// validHostName: Windows 2-15 letters, digits and '-', not only digits;
// others 2-64, dot-separated labels of letters, digits and '-'; no label
// starts or ends with '-', no empty labels.
func validHostName(s string, windows bool) bool {
	if windows {
		if len(s) < 2 || len(s) > 15 || strings.Contains(s, ".") || strings.Trim(s, "0123456789") == "" {
			return false
		}
	} else if len(s) < 2 || len(s) > 64 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") || strings.Contains(label, "--") {
			return false
		}
		if strings.IndexFunc(label, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-')
		}) >= 0 {
			return false
		}
	}
	return true
}
