package cloud

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Local checks of the instance and block-storage operations (issue 6). Each
// Validate* refuses bad input before any call, with a *ValidationError
// naming the rule; the limits are the API's (API notes §3.2, §3.3, §3.8,
// and the ModifyInstanceNetworkSpec reference page).

// Limits of the operations.
const (
	// MaxInstancesPerCall bounds InstanceId.N of StartInstances,
	// StopInstances, RebootInstances and RunCommand: more ids make a plan
	// of several calls.
	MaxInstancesPerCall = 100
	// MaxNewDisks bounds NewDiskSpec.Count (one CreateDisk call each).
	MaxNewDisks = 50
	// MaxCommandBytes is RunCommand's CommandContent limit after Base64
	// when the command is not kept (KeepCommand false): 24 KB.
	MaxCommandBytes = 24 * 1024
	// MinCommandTimeout and MaxCommandTimeout bound RunCommand's Timeout.
	MinCommandTimeout = 10 * time.Second
	MaxCommandTimeout = 24 * time.Hour
)

// Stopped modes of StopInstances (StoppedMode); "" lets the API choose.
const (
	StoppedModeKeepCharging = "KeepCharging"
	StoppedModeStopCharging = "StopCharging"
)

// Billing methods of public bandwidth (NetworkChargeType).
const (
	PayByTraffic   = "PayByTraffic"
	PayByBandwidth = "PayByBandwidth"
)

// Cloud Assistant command types (RunCommand Type).
const (
	CommandShell      = "RunShellScript"      // Linux
	CommandPowerShell = "RunPowerShellScript" // Windows
)

// Disk categories a data disk can be created in.
var diskCategories = []string{"cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry"}

// DiskCategories lists the categories NewDiskSpec.Category may name.
func DiskCategories() []string { return slices.Clone(diskCategories) }

// PerformanceLevels lists the ESSD performance levels.
func PerformanceLevels() []string { return []string{"PL0", "PL1", "PL2", "PL3"} }

// DataDiskRange is the size range in GiB of a data disk of the category
// (and performance level, for cloud_essd; "" means PL1, the default), as
// CreateDisk and ResizeDisk take it (API notes §3.3). ok is false for an
// unknown category or level.
func DataDiskRange(category, pl string) (lo, hi int, ok bool) {
	switch category {
	case "cloud":
		return 5, 2000, true
	case "cloud_efficiency", "cloud_ssd":
		return 20, 32768, true
	case "cloud_auto":
		return 1, 65536, true
	case "cloud_essd_entry":
		return 10, 32768, true
	case "cloud_essd":
		switch pl {
		case "PL0":
			return 1, 65536, true
		case "", "PL1":
			return 20, 65536, true
		case "PL2":
			return 461, 65536, true
		case "PL3":
			return 1261, 65536, true
		}
	}
	return 0, 0, false
}

// SystemDiskRange is the size range in GiB of a system disk of the
// category (API notes §3.3, ResizeDisk): cloud 20-500; ESSD PL0 1-2048,
// PL1 20-2048, PL2 461-2048, PL3 1261-2048; the others 20-2048.
func SystemDiskRange(category, pl string) (lo, hi int, ok bool) {
	switch category {
	case "cloud":
		return 20, 500, true
	case "cloud_essd":
		switch pl {
		case "PL0":
			return 1, 2048, true
		case "", "PL1":
			return 20, 2048, true
		case "PL2":
			return 461, 2048, true
		case "PL3":
			return 1261, 2048, true
		}
		return 0, 0, false
	case "cloud_efficiency", "cloud_ssd", "cloud_auto", "cloud_essd_entry":
		return 20, 2048, true
	}
	return 0, 0, false
}

// diskRange is the range for d's type.
func diskRange(d Disk) (lo, hi int, ok bool) {
	if d.Type == DiskSystem {
		return SystemDiskRange(d.Category, d.PerformanceLevel)
	}
	return DataDiskRange(d.Category, d.PerformanceLevel)
}

// ValidateInstanceIDs checks the ids of a power operation: at least one,
// none empty, no duplicates.
func ValidateInstanceIDs(ids []string) error {
	if len(ids) == 0 {
		return &ValidationError{Field: "instances", Rule: "none selected: choose at least one instance"}
	}
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		switch {
		case strings.TrimSpace(id) == "":
			return &ValidationError{Field: "instances", Rule: "an instance id is empty"}
		case seen[id]:
			return &ValidationError{Field: "instances", Rule: fmt.Sprintf("%s is listed twice", id)}
		}
		seen[id] = true
	}
	return nil
}

// ValidateStoppedMode checks StopInstances' StoppedMode: "" (the API's
// default), KeepCharging or StopCharging.
func ValidateStoppedMode(mode string) error {
	switch mode {
	case "", StoppedModeKeepCharging, StoppedModeStopCharging:
		return nil
	}
	return &ValidationError{Field: "stopped mode", Rule: fmt.Sprintf("%q, must be KeepCharging or StopCharging (or empty for the default)", mode)}
}

// BandwidthRange is the range of InternetMaxBandwidthOut in Mbit/s for a
// network billing method and an instance billing method ("PrePaid" or
// "PostPaid"; "" when unknown gives the widest range of the method):
// PayByTraffic 0-100; PayByBandwidth 0-200 for a subscription, 0-100 for
// pay-as-you-go (ModifyInstanceNetworkSpec reference; the emulator
// enforces the same).
func BandwidthRange(chargeType, instanceChargeType string) (lo, hi int, ok bool) {
	switch chargeType {
	case PayByTraffic:
		return 0, 100, true
	case PayByBandwidth:
		if instanceChargeType == "PostPaid" {
			return 0, 100, true
		}
		return 0, 200, true
	}
	return 0, 0, false
}

// ValidateBandwidth checks a new maximum outbound bandwidth for the
// network billing method: PayByTraffic 0-100 Mbit/s, PayByBandwidth 0-200
// (0-100 for pay-as-you-go instances: ValidateInstanceBandwidth knows the
// instance). 0 is valid: it removes the public bandwidth (the address of a
// VPC instance stays).
func ValidateBandwidth(chargeType string, mbps int) error {
	return validateBandwidth(chargeType, "", mbps)
}

// ValidateInstanceBandwidth is ValidateBandwidth with the instance's own
// billing method, so a pay-as-you-go instance paying by bandwidth is held
// to 0-100 Mbit/s. chargeType "" keeps the instance's current method.
func ValidateInstanceBandwidth(in Instance, chargeType string, mbps int) error {
	if chargeType == "" {
		chargeType = in.InternetChargeType
	}
	return validateBandwidth(chargeType, in.ChargeType, mbps)
}

func validateBandwidth(chargeType, instanceChargeType string, mbps int) error {
	lo, hi, ok := BandwidthRange(chargeType, instanceChargeType)
	if !ok {
		return &ValidationError{Field: "bandwidth billing", Rule: fmt.Sprintf("%q, must be PayByTraffic or PayByBandwidth", chargeType)}
	}
	if mbps < lo || mbps > hi {
		who := chargeType
		if chargeType == PayByBandwidth && instanceChargeType != "" {
			who += " (" + billingName(instanceChargeType) + ")"
		}
		return &ValidationError{Field: "bandwidth", Rule: fmt.Sprintf("%d Mbit/s is outside %d-%d Mbit/s for %s", mbps, lo, hi, who)}
	}
	return nil
}

func billingName(chargeType string) string {
	if chargeType == "PrePaid" {
		return "subscription"
	}
	return "pay-as-you-go"
}

// ValidateInstanceType checks the shape of an instance type id
// ("ecs.<family>.<size>"); whether the instance can move to it is the
// API's answer (ResizableTypes lists the types it can).
func ValidateInstanceType(current, newType string) error {
	switch {
	case newType == "":
		return &ValidationError{Field: "instance type", Rule: "empty: choose a type"}
	case !strings.HasPrefix(newType, "ecs.") || strings.Count(newType, ".") < 2 || strings.ContainsAny(newType, " \t"):
		return &ValidationError{Field: "instance type", Rule: fmt.Sprintf("%q is not an instance type (ecs.<family>.<size>, e.g. ecs.g7.large)", newType)}
	case newType == current:
		return &ValidationError{Field: "instance type", Rule: fmt.Sprintf("the instance already is %s", newType)}
	}
	return nil
}

// ValidateResize checks a new disk size: larger than the current, and
// within the category's range (system disks: SystemDiskRange; data disks:
// DataDiskRange).
func ValidateResize(d Disk, newSize int) error {
	if newSize <= d.SizeGiB {
		return &ValidationError{Field: "new size", Rule: fmt.Sprintf("%d GiB must be larger than the current %d GiB", newSize, d.SizeGiB)}
	}
	lo, hi, ok := diskRange(d)
	if !ok {
		return &ValidationError{Field: "disk category", Rule: fmt.Sprintf("%s %s cannot be resized", d.Category, d.PerformanceLevel)}
	}
	if newSize < lo || newSize > hi {
		kind := "data"
		if d.Type == DiskSystem {
			kind = "system"
		}
		return &ValidationError{Field: "new size", Rule: fmt.Sprintf("%d GiB is outside %d-%d GiB for a %s %s disk", newSize, lo, hi, categoryName(d.Category, d.PerformanceLevel), kind)}
	}
	return nil
}

func categoryName(category, pl string) string {
	if category == "cloud_essd" && pl != "" {
		return category + " " + pl
	}
	return category
}

// NewDiskSpec is a data disk (or several identical ones) to create.
type NewDiskSpec struct {
	ZoneID           string
	Category         string // DiskCategories(); default none: required
	PerformanceLevel string // cloud_essd only: PL0..PL3 ("" = PL1)
	SizeGiB          int    // may be 0 with SnapshotID: the snapshot's size
	Name             string // optional; with Count > 1 each gets "-1", "-2", ...
	Count            int    // 1..MaxNewDisks (0 means 1)
	SnapshotID       string // optional source snapshot
}

// count is Count with 0 read as 1.
func (s NewDiskSpec) count() int { return max(s.Count, 1) }

// ValidateNewDisk checks a NewDiskSpec as CreateDisk would: a zone; a known
// category; a performance level only for cloud_essd; a size within the
// category's range (or none when a snapshot gives it); a name of 2-128
// characters starting with a letter, of letters, digits, ".", "_", "-" and
// ":", not http(s)://; 1 to MaxNewDisks disks.
func ValidateNewDisk(spec NewDiskSpec) error {
	if strings.TrimSpace(spec.ZoneID) == "" {
		return &ValidationError{Field: "zone", Rule: "empty: choose the zone of the instance it will be attached to"}
	}
	if !slices.Contains(diskCategories, spec.Category) {
		return &ValidationError{Field: "category", Rule: fmt.Sprintf("%q, must be one of %s", spec.Category, strings.Join(diskCategories, ", "))}
	}
	if spec.PerformanceLevel != "" {
		if spec.Category != "cloud_essd" {
			return &ValidationError{Field: "performance level", Rule: fmt.Sprintf("only cloud_essd has performance levels, not %s", spec.Category)}
		}
		if !slices.Contains(PerformanceLevels(), spec.PerformanceLevel) {
			return &ValidationError{Field: "performance level", Rule: fmt.Sprintf("%q, must be PL0, PL1, PL2 or PL3", spec.PerformanceLevel)}
		}
	}
	lo, hi, _ := DataDiskRange(spec.Category, spec.PerformanceLevel)
	switch {
	case spec.SizeGiB == 0 && spec.SnapshotID == "":
		return &ValidationError{Field: "size", Rule: fmt.Sprintf("missing: give a size (%d-%d GiB for %s) or a snapshot", lo, hi, categoryName(spec.Category, spec.PerformanceLevel))}
	case spec.SizeGiB != 0 && (spec.SizeGiB < lo || spec.SizeGiB > hi):
		return &ValidationError{Field: "size", Rule: fmt.Sprintf("%d GiB is outside %d-%d GiB for %s", spec.SizeGiB, lo, hi, categoryName(spec.Category, spec.PerformanceLevel))}
	}
	if spec.SnapshotID != "" && !strings.HasPrefix(spec.SnapshotID, "s-") {
		return &ValidationError{Field: "snapshot", Rule: fmt.Sprintf("%q is not a snapshot id (s-...)", spec.SnapshotID)}
	}
	if spec.Count < 0 || spec.Count > MaxNewDisks {
		return &ValidationError{Field: "count", Rule: fmt.Sprintf("%d, must be 1 to %d", spec.Count, MaxNewDisks)}
	}
	if spec.Name != "" {
		if err := validateDiskName(spec.Name); err != nil {
			return err
		}
		if spec.count() > 1 {
			if err := validateDiskName(fmt.Sprintf("%s-%d", spec.Name, spec.count())); err != nil {
				return err
			}
		}
	}
	return nil
}

// validateDiskName applies CreateDisk's DiskName rule.
func validateDiskName(name string) error {
	n := utf8.RuneCountInString(name)
	first, _ := utf8.DecodeRuneInString(name)
	lower := strings.ToLower(name)
	switch {
	case n < 2 || n > 128:
		return &ValidationError{Field: "disk name", Rule: fmt.Sprintf("%d characters, must be 2 to 128", n)}
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
		return &ValidationError{Field: "disk name", Rule: "must not start with http:// or https://"}
	case !unicode.IsLetter(first):
		return &ValidationError{Field: "disk name", Rule: "must start with a letter"}
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._-:", r) {
			return &ValidationError{Field: "disk name", Rule: fmt.Sprintf("%q is not allowed: letters, digits, '.', '_', '-' and ':' only", r)}
		}
	}
	return nil
}

// ValidateDiskSpec checks a ModifyDiskSpec target: a category the disk can
// move to (cloud_efficiency, cloud_ssd, cloud_essd, cloud_auto), a
// performance level only for cloud_essd, within the level's size range
// (a PL2 disk needs at least 461 GiB, PL3 1261), and a change at all.
func ValidateDiskSpec(d Disk, category, pl string) error {
	if category == "" {
		category = d.Category
	}
	switch category {
	case "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto":
	default:
		return &ValidationError{Field: "category", Rule: fmt.Sprintf("%q, must be cloud_efficiency, cloud_ssd, cloud_essd or cloud_auto", category)}
	}
	if pl != "" && category != "cloud_essd" {
		return &ValidationError{Field: "performance level", Rule: fmt.Sprintf("only cloud_essd has performance levels, not %s", category)}
	}
	if pl != "" && !slices.Contains(PerformanceLevels(), pl) {
		return &ValidationError{Field: "performance level", Rule: fmt.Sprintf("%q, must be PL0, PL1, PL2 or PL3", pl)}
	}
	if !CanChangeCategory(d.Category, category) {
		return categoryChangeRule(d, category)
	}
	if category == "cloud_essd" && pl == "" {
		pl = cmpOr(d.PerformanceLevel, "PL1")
	}
	if category == d.Category && pl == d.PerformanceLevel {
		return &ValidationError{Field: "disk spec", Rule: fmt.Sprintf("the disk already is %s", categoryName(category, pl))}
	}
	lo, hi, _ := DataDiskRange(category, pl)
	if d.Type == DiskSystem {
		lo, hi, _ = SystemDiskRange(category, pl)
	}
	if d.SizeGiB < lo || d.SizeGiB > hi {
		return &ValidationError{Field: "disk spec", Rule: fmt.Sprintf("a %d GiB disk cannot be %s, which needs %d-%d GiB", d.SizeGiB, categoryName(category, pl), lo, hi)}
	}
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ValidateReInitDisk checks that a disk can be re-initialised: attached,
// to a stopped instance.
func ValidateReInitDisk(d Disk, in Instance) error {
	switch {
	case d.Status != DiskInUse || d.InstanceID == "":
		return &ValidationError{Field: "disk", Rule: fmt.Sprintf("%s is %s: only an attached (In_use) disk can be re-initialised", d.ID, d.Status)}
	case in.ID != d.InstanceID:
		return &ValidationError{Field: "disk", Rule: fmt.Sprintf("%s is attached to %s, not %s", d.ID, d.InstanceID, in.ID)}
	case in.Status != StateStopped:
		return &ValidationError{Field: "instance", Rule: fmt.Sprintf("%s is %s: re-initialising a disk needs the instance Stopped", in.ID, in.Status)}
	}
	return nil
}

// ValidateReplaceSystemDisk checks a system disk replacement: the instance
// stopped, an available image, and a size (0 = the image's) not smaller
// than the image and within the system disk range of the current
// category (it cannot change).
func ValidateReplaceSystemDisk(in Instance, sys Disk, img Image, sizeGiB int) error {
	if in.Status != StateStopped {
		return &ValidationError{Field: "instance", Rule: fmt.Sprintf("%s is %s: replacing the system disk needs the instance Stopped", in.ID, in.Status)}
	}
	if img.ID == "" {
		return &ValidationError{Field: "image", Rule: "none chosen"}
	}
	if img.Status != "" && img.Status != "Available" {
		return &ValidationError{Field: "image", Rule: fmt.Sprintf("%s is %s, must be Available", img.ID, img.Status)}
	}
	if sizeGiB == 0 {
		sizeGiB = max(img.SizeGiB, sys.SizeGiB)
	}
	if sizeGiB < img.SizeGiB {
		return &ValidationError{Field: "system disk size", Rule: fmt.Sprintf("%d GiB is smaller than the %d GiB image %s needs", sizeGiB, img.SizeGiB, img.ID)}
	}
	if lo, hi, ok := SystemDiskRange(sys.Category, sys.PerformanceLevel); ok && (sizeGiB < lo || sizeGiB > hi) {
		return &ValidationError{Field: "system disk size", Rule: fmt.Sprintf("%d GiB is outside %d-%d GiB for a %s system disk", sizeGiB, lo, hi, categoryName(sys.Category, sys.PerformanceLevel))}
	}
	return nil
}

// ValidateCommand checks a Cloud Assistant command: its type, a script
// that is not empty and fits MaxCommandBytes once Base64-encoded, and a
// timeout of 10 s to 24 h (0 = the API's 60 s).
func ValidateCommand(commandType, script string, timeout time.Duration) error {
	switch commandType {
	case CommandShell, CommandPowerShell, "RunBatScript":
	default:
		return &ValidationError{Field: "command type", Rule: fmt.Sprintf("%q, must be RunShellScript (Linux) or RunPowerShellScript (Windows)", commandType)}
	}
	if strings.TrimSpace(script) == "" {
		return &ValidationError{Field: "command", Rule: "empty: nothing to run"}
	}
	if n := base64.StdEncoding.EncodedLen(len(script)); n > MaxCommandBytes {
		return &ValidationError{Field: "command", Rule: fmt.Sprintf("%d bytes once Base64-encoded, at most %d (24 KB)", n, MaxCommandBytes)}
	}
	if timeout != 0 && (timeout < MinCommandTimeout || timeout > MaxCommandTimeout) {
		return &ValidationError{Field: "timeout", Rule: fmt.Sprintf("%s is outside 10s-24h", timeout)}
	}
	return nil
}

// requireID refuses an empty resource id.
func requireID(field, id string) error {
	if strings.TrimSpace(id) == "" {
		return &ValidationError{Field: field, Rule: "empty: choose one"}
	}
	return nil
}
