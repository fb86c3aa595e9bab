package cloud

import (
	"fmt"
	"slices"
	"strings"
)

// Which category a disk may change to with ModifyDiskSpec. The console and
// the API refuse a move down in kind (an ESSD never goes back to cloud_ssd
// or cloud_efficiency: OperationDenied); the emulator enforces the same
// table (cloud/emulator/ecs_disk_ops.go).

// categoryChanges lists the categories a disk of each category may move
// to; cloud_essd to itself is a change of performance level.
var categoryChanges = map[string][]string{
	"cloud":            {"cloud_efficiency", "cloud_ssd", "cloud_essd"},
	"cloud_efficiency": {"cloud_ssd", "cloud_essd", "cloud_auto"},
	"cloud_ssd":        {"cloud_essd", "cloud_auto"},
	"cloud_essd":       {"cloud_essd", "cloud_auto"},
	"cloud_auto":       {"cloud_essd"},
	"cloud_essd_entry": {"cloud_essd", "cloud_auto"},
}

// modifiableCategories are the categories ModifyDiskSpec takes, in the
// order a form offers them.
var modifiableCategories = []string{"cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto"}

// CanChangeCategory reports whether a disk of category from may become
// category to (the same category always can: its level changes).
func CanChangeCategory(from, to string) bool {
	return from == to || slices.Contains(categoryChanges[from], to)
}

// DiskSpec is a category and, for cloud_essd, a performance level.
type DiskSpec struct {
	Category         string
	PerformanceLevel string // cloud_essd only
}

// String is "cloud_essd PL2" or "cloud_auto".
func (s DiskSpec) String() string { return categoryName(s.Category, s.PerformanceLevel) }

// DiskSpecChanges lists every spec ModifyDiskSpec accepts for d (each one
// ValidateDiskSpec passes: a category d's may move to, an ESSD level its
// size suits, not its current spec), and why the other categories are
// left out, one short reason each ("cloud_ssd: an ESSD cannot go back to
// it").
func DiskSpecChanges(d Disk) (ok []DiskSpec, absent []string) {
	for _, cat := range modifiableCategories {
		pls := []string{""}
		if cat == "cloud_essd" {
			pls = PerformanceLevels()
		}
		var why string
		for _, pl := range pls {
			err := ValidateDiskSpec(d, cat, pl)
			if err == nil {
				ok = append(ok, DiskSpec{Category: cat, PerformanceLevel: pl})
				continue
			}
			if why == "" && !(cat == d.Category && pl == d.PerformanceLevel) {
				why = absentReason(d, cat, pl)
			}
		}
		if why != "" && !slices.ContainsFunc(ok, func(s DiskSpec) bool { return s.Category == cat }) {
			absent = append(absent, why)
		}
	}
	return ok, absent
}

// absentReason says in a few words why d cannot become cat (pl).
func absentReason(d Disk, cat, pl string) string {
	if !CanChangeCategory(d.Category, cat) {
		return fmt.Sprintf("%s: a %s disk cannot change to it", cat, d.Category)
	}
	lo, hi, _ := DataDiskRange(cat, pl)
	if d.Type == DiskSystem {
		lo, hi, _ = SystemDiskRange(cat, pl)
	}
	return fmt.Sprintf("%s: needs %d-%d GiB", categoryName(cat, pl), lo, hi)
}

// categoryChangeRule is the refusal of a category d cannot move to.
func categoryChangeRule(d Disk, to string) *ValidationError {
	var can []string
	for _, c := range categoryChanges[d.Category] {
		if c != d.Category {
			can = append(can, c)
		}
	}
	to2 := "no other category"
	if len(can) > 0 {
		to2 = strings.Join(can, ", ")
	}
	return &ValidationError{Field: "category", Rule: fmt.Sprintf("a %s disk cannot change to %s (it can change to %s)", d.Category, to, to2)}
}
