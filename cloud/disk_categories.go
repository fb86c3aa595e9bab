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
// size suits, not its current spec), and, in at most two short lines, why
// the others are left out ("cloud_efficiency, cloud_ssd: not from
// cloud_essd"; "cloud_essd PL2, cloud_essd PL3: not for 100 GiB").
func DiskSpecChanges(d Disk) (ok []DiskSpec, absent []string) {
	var noMove, badSize []string
	for _, cat := range modifiableCategories {
		pls := []string{""}
		if cat == "cloud_essd" {
			pls = PerformanceLevels()
		}
		for _, pl := range pls {
			switch {
			case ValidateDiskSpec(d, cat, pl) == nil:
				ok = append(ok, DiskSpec{Category: cat, PerformanceLevel: pl})
			case cat == d.Category && (pl == d.PerformanceLevel || pl == ""):
				// its current spec
			case !CanChangeCategory(d.Category, cat):
				if !slices.Contains(noMove, cat) {
					noMove = append(noMove, cat)
				}
			default:
				badSize = append(badSize, categoryName(cat, pl))
			}
		}
	}
	if len(noMove) > 0 {
		absent = append(absent, fmt.Sprintf("%s: not from %s", strings.Join(noMove, ", "), d.Category))
	}
	if len(badSize) > 0 {
		absent = append(absent, fmt.Sprintf("%s: not for %d GiB", strings.Join(badSize, ", "), d.SizeGiB))
	}
	return ok, absent
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
