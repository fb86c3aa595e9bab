package cloud

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ValidationError is a local refusal: the input breaks a rule of the API
// (or of ecsdash) and nothing was sent. Field names the input, Rule says
// what it must be.
type ValidationError struct {
	Field string // e.g. "image name", "retention days"
	Rule  string // e.g. "must start with a letter"
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Rule }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Rule: fmt.Sprintf(format, args...)}
}

// Limits of the backup APIs (API notes §3.4, §3.5; addendum §3).
const (
	MaxRetentionDays      = 65536 // CreateSnapshot / policies retentionDays
	MaxSnapshotGroupDisks = 16    // CreateSnapshotGroup DiskId.N
	MaxImageShares        = 50    // accounts one image can be shared with
	MaxLaunchCount        = 100   // RunInstances Amount
	MaxBandwidthOut       = 100   // RunInstances InternetMaxBandwidthOut, Mbit/s
)

// ValidateRetentionDays checks a manual snapshot's retention: 1-65536 days,
// or 0 to keep it until it is deleted.
func ValidateRetentionDays(n int) error {
	if n == 0 || n >= 1 && n <= MaxRetentionDays {
		return nil
	}
	return invalid("retention days", "%d, must be 1 to %d, or 0 to keep the snapshot until it is deleted", n, MaxRetentionDays)
}

// checkName applies the rules shared by snapshot, group, image and family
// names: 2-128 characters, starting with a letter, not with http:// or
// https://.
func checkName(field, name string) error {
	n := utf8.RuneCountInString(name)
	first, _ := utf8.DecodeRuneInString(name)
	lower := strings.ToLower(name)
	switch {
	case n < 2 || n > 128:
		return invalid(field, "%d characters, must be 2 to 128", n)
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
		return invalid(field, "must not start with http:// or https://")
	case !unicode.IsLetter(first):
		return invalid(field, "must start with a letter")
	}
	return nil
}

// ValidateSnapshotGroupName checks a snapshot-consistent group's name
// (CreateSnapshotGroup Name): 2-128 characters, starting with a letter,
// not http:// or https://. "" is valid: the name is optional.
func ValidateSnapshotGroupName(name string) error {
	if name == "" {
		return nil
	}
	return checkName("snapshot group name", name)
}

// ValidateImageName checks a custom image's name as CreateImage does (API
// notes §3.4): 2-128 characters, starting with a letter, not http:// or
// https://, and unique among existing (the names of the region's own
// images).
func ValidateImageName(name string, existing []string) error {
	if err := checkName("image name", name); err != nil {
		return err
	}
	if slices.Contains(existing, name) {
		return invalid("image name", "%q is already used by another image in the region; names must be unique", name)
	}
	return nil
}

// ValidateImageFamily checks an image family name: "" (none) or 2-128
// characters, starting with a letter, not http(s)://, and not starting
// with "aliyun" or "acs:" (kept for system families).
func ValidateImageFamily(family string) error {
	if family == "" {
		return nil
	}
	if err := checkName("image family", family); err != nil {
		return err
	}
	lower := strings.ToLower(family)
	if strings.HasPrefix(lower, "aliyun") || strings.HasPrefix(lower, "acs:") {
		return invalid("image family", "must not start with \"aliyun\" or \"acs:\"")
	}
	return nil
}

// ValidateDescription checks a description: "" or 2-256 characters, not
// http:// or https://.
func ValidateDescription(desc string) error {
	if desc == "" {
		return nil
	}
	n := utf8.RuneCountInString(desc)
	lower := strings.ToLower(desc)
	switch {
	case n < 2 || n > 256:
		return invalid("description", "%d characters, must be 2 to 256", n)
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
		return invalid("description", "must not start with http:// or https://")
	}
	return nil
}

// PolicySpec is an automatic snapshot policy as the forms edit it.
type PolicySpec struct {
	Name          string // optional; 2-128, starts with a letter
	Weekdays      []int  // 1 = Monday .. 7 = Sunday
	Hours         []int  // 0-23, in the region's UTC+8 like the console
	RetentionDays int    // -1 = keep until the quota, or 1-65536
}

// ValidatePolicy checks a policy spec as CreateAutoSnapshotPolicy does
// (API notes §3.5): at least one weekday (1-7) and one hour (0-23), no
// repeats, and retention -1 (keep until the quota) or 1-65536 days.
func ValidatePolicy(spec PolicySpec) error {
	if spec.Name != "" {
		if err := checkName("policy name", spec.Name); err != nil {
			return err
		}
	}
	if len(spec.Weekdays) == 0 {
		return invalid("policy weekdays", "choose at least one day (1 = Monday .. 7 = Sunday)")
	}
	for i, d := range spec.Weekdays {
		if d < 1 || d > 7 {
			return invalid("policy weekdays", "%d, must be 1 (Monday) to 7 (Sunday)", d)
		}
		if slices.Contains(spec.Weekdays[:i], d) {
			return invalid("policy weekdays", "day %d given twice", d)
		}
	}
	if len(spec.Hours) == 0 {
		return invalid("policy hours", "choose at least one hour (00-23, UTC+8)")
	}
	for i, h := range spec.Hours {
		if h < 0 || h > 23 {
			return invalid("policy hours", "%d, must be 0 to 23 (UTC+8)", h)
		}
		if slices.Contains(spec.Hours[:i], h) {
			return invalid("policy hours", "hour %d given twice", h)
		}
	}
	if spec.RetentionDays != -1 && (spec.RetentionDays < 1 || spec.RetentionDays > MaxRetentionDays) {
		return invalid("policy retention days", "%d, must be 1 to %d, or -1 to keep snapshots until the quota", spec.RetentionDays, MaxRetentionDays)
	}
	return nil
}

// ValidateAccountID checks an Alibaba Cloud account id: 16 digits.
func ValidateAccountID(id string) error {
	if len(id) != 16 || strings.IndexFunc(id, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return invalid("account id", "%q, must be a 16-digit Alibaba Cloud account id", id)
	}
	return nil
}

// ValidateImageShare checks a change of an image's sharing: every account
// id well formed, none both added and removed, and at most 50 accounts
// shared afterwards (current: the accounts it is shared with now, from
// ImageShares; nil when unknown).
func ValidateImageShare(current, add, remove []string) error {
	if len(add) == 0 && len(remove) == 0 {
		return invalid("image sharing", "no account to add or remove")
	}
	for _, id := range append(slices.Clone(add), remove...) {
		if err := ValidateAccountID(id); err != nil {
			return err
		}
	}
	for _, id := range add {
		if slices.Contains(remove, id) {
			return invalid("image sharing", "account %s is both added and removed", id)
		}
	}
	after := map[string]bool{}
	for _, id := range current {
		after[id] = true
	}
	for _, id := range add {
		after[id] = true
	}
	for _, id := range remove {
		delete(after, id)
	}
	if len(after) > MaxImageShares {
		return invalid("image sharing", "%d accounts, an image can be shared with at most %d", len(after), MaxImageShares)
	}
	return nil
}

// Image export formats (ExportImage ImageFormat).
var ExportFormats = []string{"raw", "vhd", "qcow2", "vmdk", "vdi"}

// ValidateExport checks ExportImage's inputs: an OSS bucket name (3-63
// lower-case letters, digits and hyphens, starting and ending with a letter
// or digit), an optional prefix (1-30 letters and digits) and a format
// from ExportFormats ("" = raw).
func ValidateExport(bucket, prefix, format string) error {
	okBucket := len(bucket) >= 3 && len(bucket) <= 63 &&
		strings.IndexFunc(bucket, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') }) < 0 &&
		bucket[0] != '-' && bucket[len(bucket)-1] != '-'
	if !okBucket {
		return invalid("OSS bucket", "%q, must be 3 to 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit", bucket)
	}
	if prefix != "" && (len(prefix) > 30 || strings.IndexFunc(prefix, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) >= 0) {
		return invalid("OSS prefix", "%q, must be 1 to 30 letters and digits", prefix)
	}
	if format != "" && !slices.Contains(ExportFormats, format) {
		return invalid("image format", "%q, must be one of %s", format, strings.Join(ExportFormats, ", "))
	}
	return nil
}

// System disk categories RunInstances takes.
var SystemDiskCategories = []string{"cloud_essd", "cloud_ssd", "cloud_efficiency", "cloud_auto", "cloud_essd_entry", "cloud"}

// ValidateInstancePassword is in security_validate.go (every broken rule
// named; the Windows rule in ValidateInstancePasswordFor).

// ValidateNamePattern checks an instance name or sequential-name pattern
// (RunInstances InstanceName): a plain name of 2-128 letters, digits and
// . _ : -, starting with a letter; or prefix[begin,bits]suffix with a
// prefix, begin 0-999999 and bits 1-6 (both optional), no spaces in the
// brackets. "" is valid (the API names the instances).
func ValidateNamePattern(p string) error {
	if p == "" {
		return nil
	}
	plain := p
	if i := strings.IndexByte(p, '['); i >= 0 {
		j := strings.IndexByte(p[i:], ']')
		if j < 0 {
			return invalid("name pattern", "%q: a [ without its ]", p)
		}
		if i == 0 {
			return invalid("name pattern", "%q: a prefix is required before [begin,bits]", p)
		}
		inner := p[i+1 : i+j]
		if inner != "" {
			begin, bits, ok := strings.Cut(inner, ",")
			b, err1 := strconv.Atoi(begin)
			if err1 != nil || b < 0 || b > 999999 {
				return invalid("name pattern", "%q: begin number must be 0 to 999999", p)
			}
			if ok {
				n, err2 := strconv.Atoi(bits)
				if err2 != nil || n < 1 || n > 6 {
					return invalid("name pattern", "%q: bits must be 1 to 6", p)
				}
			}
		}
		plain = p[:i] + "000000" + p[i+j+1:]
	}
	n := utf8.RuneCountInString(plain)
	first, _ := utf8.DecodeRuneInString(plain)
	switch {
	case n < 2 || n > 128:
		return invalid("name pattern", "%q makes names of %d characters, must be 2 to 128", p, n)
	case !unicode.IsLetter(first):
		return invalid("name pattern", "%q must start with a letter", p)
	case strings.IndexFunc(plain, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._:-", r))
	}) >= 0:
		return invalid("name pattern", "%q: only letters, digits, '.', '_', ':' and '-'", p)
	}
	return nil
}

// ValidateLaunch checks a launch before any call: an image, an instance
// type, a vSwitch, 1-16 security groups, a count of 1-100, outbound
// bandwidth 0-100 Mbit/s, a known system disk category and a size of
// 20-2048 GiB (0 = the image's), a well-formed name pattern and password.
// A key pair or a password is not required (the instance is then reached
// through Cloud Assistant or a later password reset).
func ValidateLaunch(spec LaunchSpec) error {
	switch {
	case spec.ImageID == "":
		return invalid("image", "required")
	case spec.InstanceType == "":
		return invalid("instance type", "required")
	case spec.VSwitchID == "":
		return invalid("vSwitch", "required (instances are launched into a VPC)")
	case len(spec.SecurityGroupIDs) == 0:
		return invalid("security groups", "at least one is required")
	case len(spec.SecurityGroupIDs) > 16:
		return invalid("security groups", "%d, at most 16", len(spec.SecurityGroupIDs))
	case spec.Count < 1 || spec.Count > MaxLaunchCount:
		return invalid("count", "%d, must be 1 to %d", spec.Count, MaxLaunchCount)
	case spec.BandwidthOut < 0 || spec.BandwidthOut > MaxBandwidthOut:
		return invalid("outbound bandwidth", "%d Mbit/s, must be 0 to %d", spec.BandwidthOut, MaxBandwidthOut)
	case spec.SystemDiskCategory != "" && !slices.Contains(SystemDiskCategories, spec.SystemDiskCategory):
		return invalid("system disk category", "%q, must be one of %s", spec.SystemDiskCategory, strings.Join(SystemDiskCategories, ", "))
	case spec.SystemDiskSize != 0 && (spec.SystemDiskSize < 20 || spec.SystemDiskSize > 2048):
		return invalid("system disk size", "%d GiB, must be 20 to 2048", spec.SystemDiskSize)
	case spec.SystemDiskCategory == "cloud" && spec.SystemDiskSize > 500:
		return invalid("system disk size", "%d GiB, a basic (cloud) system disk is at most 500", spec.SystemDiskSize)
	}
	for i, sg := range spec.SecurityGroupIDs {
		if sg == "" || slices.Contains(spec.SecurityGroupIDs[:i], sg) {
			return invalid("security groups", "empty or repeated id %q", sg)
		}
	}
	if err := ValidateNamePattern(spec.NamePattern); err != nil {
		return err
	}
	if spec.Password != "" {
		if err := ValidateInstancePassword(spec.Password); err != nil {
			return err
		}
	}
	return nil
}

// ValidateDiskFromSnapshot checks a disk to be created from a snapshot
// (PlanCreateDisks with spec.SnapshotID, in cloud/ops_disks.go) against the
// snapshot itself: it must be accomplished, and a size, when given, must
// not be smaller than the snapshot's source disk (the API would silently
// make the disk larger). ValidateNewDisk checks the rest.
func ValidateDiskFromSnapshot(spec NewDiskSpec, snap Snapshot) error {
	switch {
	case spec.SnapshotID != snap.ID:
		return invalid("snapshot", "the disk spec names %q, not %s", spec.SnapshotID, snap.ID)
	case snap.Status != SnapshotAccomplished:
		return invalid("snapshot", "%s is %s; a disk can be made only from an accomplished snapshot", snap.ID, snap.Status)
	case spec.SizeGiB != 0 && spec.SizeGiB < snap.DiskSizeGiB:
		return invalid("size", "%d GiB is smaller than the snapshot's %d GiB source disk", spec.SizeGiB, snap.DiskSizeGiB)
	}
	return nil
}
