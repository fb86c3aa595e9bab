package emulator

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// CreateSnapshot (API notes §3.5, §4.2):
//   - ★DiskId; SnapshotName, Description, RetentionDays, Category,
//     InstantAccess, ClientToken, Tag.N.Key/Value are read and checked;
//   - the disk must exist in the region (InvalidDiskId.NotFound 404), be
//     In_use or Available (IncorrectDiskStatus 403) and have been attached
//     at least once (IncorrectDiskStatus.NeverAttached 403); its instance
//     must be Running or Stopped (IncorrectInstanceStatus 400), started at
//     least once (IncorrectDiskStatus.NeverUsed 403) and not locked for
//     security (InstanceLockedForSecurity 403);
//   - one snapshot at a time per disk: another one still progressing is
//     IncorrectDiskStatus.CreatingSnapshot (403), as the notes' §3.5
//     precondition and §4.2 table say; snapshots of different disks run
//     concurrently;
//   - at most 256 manual snapshots per disk (QuotaExceed.Snapshot 403);
//   - the new snapshot is "progressing" from 0 % in quarter steps to
//     "accomplished" at 100 % after two transition delays;
//   - ClientToken: the same token answers the same SnapshotId (store.idempotent);
//   - no DryRun: neither the SDK's CreateSnapshotRequest nor the API
//     metadata has the parameter, so it is ignored like any unknown one.
//
// Tags are validated but not kept: the emulated snapshot has no tags yet.
func createSnapshot(r *request) (any, error) {
	st := r.server.store
	return st.idempotent(r, func() (any, error) {
		return st.createSnapshot(r)
	})
}

// maxManualSnapshotsPerDisk is the documented quota (API notes §5).
const maxManualSnapshotsPerDisk = 256

func (st *store) createSnapshot(r *request) (any, error) {
	var rg *region
	if id := r.regionID(); id != "" {
		var err error
		if rg, err = st.requireRegion(id); err != nil {
			return nil, err
		}
	}
	diskID, err := r.required("DiskId")
	if err != nil {
		return nil, err
	}
	name, desc := r.str("SnapshotName"), r.str("Description")
	if err := checkSnapshotName(name); err != nil {
		return nil, err
	}
	if n := utf8.RuneCountInString(desc); desc != "" && (n < 2 || n > 256 || hasURLPrefix(desc)) {
		return nil, &APIError{Status: 400, Code: "InvalidDescription.Malformed", Message: "The specified description is wrongly formed."}
	}
	retention, err := r.intParam("RetentionDays", 0)
	if err != nil {
		return nil, err
	}
	if r.has("RetentionDays") && (retention < 1 || retention > 65536) {
		return nil, errInvalidParam("RetentionDays", "must be between 1 and 65536")
	}
	instant, err := r.boolParam("InstantAccess", false)
	if err != nil {
		return nil, err
	}
	category := strings.ToLower(r.str("Category"))
	switch {
	case category != "" && category != "standard" && category != "flash":
		return nil, errInvalidParam("Category", "must be Standard or Flash")
	case category != "" && instant:
		return nil, errInvalidParam("Category", "cannot be combined with InstantAccess")
	}
	if _, err := r.tagFilters(); err != nil {
		return nil, err
	}

	d := st.disks[diskID]
	if d == nil || (rg != nil && d.RegionID != rg.ID) {
		return nil, errNotFound("InvalidDiskId.NotFound", "disk")
	}
	if err := st.checkSnapshotDisk(d); err != nil {
		return nil, err
	}

	instant = instant || d.Category == "cloud_essd" || d.Category == "cloud_auto"
	if category == "" {
		category = "standard"
		if instant {
			category = "flash"
		}
	}
	s := &snapshot{
		ID: st.mintID("s", d.RegionID), Name: name, Description: desc, RegionID: d.RegionID,
		SourceDiskID: d.ID, SourceDiskType: sourceDiskType(d.Type), SourceDiskSizeGiB: d.SizeGiB,
		Status: "progressing", Type: "user", Category: category, RetentionDays: retention,
		CreationTime: st.now().UTC().Truncate(time.Second), Usage: "none", InstantAccess: instant,
	}
	st.snapshots[s.ID] = s
	st.progressNewSnapshot(s)
	return map[string]any{"SnapshotId": s.ID}, nil
}

// checkSnapshotName applies CreateSnapshot's name rules: 2-128
// characters, starting with a letter, made of letters, digits, '.', '_',
// ':' and '-', not starting with http:// or https://, nor with "auto" (kept
// for automatic snapshots). An absent name is fine.
func checkSnapshotName(name string) error {
	if name == "" {
		return nil
	}
	bad := &APIError{Status: 400, Code: "InvalidSnapshotName.Malformed", Message: "Specified snapshot name is not valid."}
	first, _ := utf8.DecodeRuneInString(name)
	if n := utf8.RuneCountInString(name); n < 2 || n > 128 || !unicode.IsLetter(first) ||
		hasURLPrefix(name) || strings.HasPrefix(strings.ToLower(name), "auto") {
		return bad
	}
	for _, c := range name {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !strings.ContainsRune("._:-", c) {
			return bad
		}
	}
	return nil
}

func hasURLPrefix(s string) bool {
	s = strings.ToLower(s)
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// checkSnapshotDisk is whether a snapshot of d can start now (disk and
// instance state, one in progress at a time, the manual quota).
func (st *store) checkSnapshotDisk(d *disk) error {
	switch {
	case d.Status != "In_use" && d.Status != "Available":
		return &APIError{Status: 403, Code: "IncorrectDiskStatus", Message: "The current disk status does not support this operation."}
	case d.AttachedTime.IsZero() && d.InstanceID == "":
		return &APIError{Status: 403, Code: "IncorrectDiskStatus.NeverAttached", Message: "The specified disk has never been attached to any instance."}
	}
	if d.InstanceID != "" {
		in := st.instances[d.InstanceID]
		switch {
		case in == nil:
		case slices.Contains(in.LockReasons, "security"):
			return &APIError{Status: 403, Code: "InstanceLockedForSecurity", Message: "The specified operation is denied as your instance is locked for security reasons."}
		case in.Status != "Running" && in.Status != "Stopped":
			return &APIError{Status: 400, Code: "IncorrectInstanceStatus", Message: "The current status of the resource does not support this operation."}
		case in.StartTime.IsZero():
			return &APIError{Status: 403, Code: "IncorrectDiskStatus.NeverUsed", Message: "The specified disk has never been used since its instance was created."}
		}
	}
	manual := 0
	for _, s := range st.snapshots {
		if s.SourceDiskID != d.ID || s.SourceSnapshotID != "" { // a copy is not the disk's
			continue
		}
		if s.Status == "progressing" {
			return &APIError{Status: 403, Code: "IncorrectDiskStatus.CreatingSnapshot", Message: "A previous snapshot creation is in process."}
		}
		if s.Type == "user" {
			manual++
		}
	}
	if manual >= maxManualSnapshotsPerDisk {
		return &APIError{Status: 403, Code: "QuotaExceed.Snapshot", Message: fmt.Sprintf("The maximum number of manual snapshots of a disk (%d) is reached.", maxManualSnapshotsPerDisk)}
	}
	return nil
}

// progressNewSnapshot takes a new snapshot from progressing 0 % to
// accomplished 100 % over two transition delays, in quarter steps (as the
// emulator's other snapshot operations do). A snapshot deleted meanwhile
// is left alone.
func (st *store) progressNewSnapshot(s *snapshot) {
	for _, pct := range []int{25, 50, 75, 100} {
		st.after(2*st.delay*time.Duration(pct)/100, func() {
			if st.snapshots[s.ID] != s || s.Status != "progressing" {
				return
			}
			s.Progress = pct
			if pct == 100 {
				s.Status = "accomplished"
			}
		})
	}
}

// mintID makes a new resource id: kind-prefix + the region's id part +
// 17 lowercase alphanumerics, derived from the seed and a serial number
// (reproducible runs), unique among every id the store holds.
func (st *store) mintID(kind, regionID string) string {
	prefix := ""
	if rg := st.region(regionID); rg != nil {
		prefix = rg.idPrefix
	}
	for {
		st.serial++
		sum := sha256.Sum256(fmt.Appendf(nil, "%d/%s/%d", st.seed, kind, st.serial))
		var b strings.Builder
		b.WriteString(kind)
		b.WriteByte('-')
		b.WriteString(prefix)
		for _, c := range sum[:17] {
			b.WriteByte(idChars[int(c)%len(idChars)])
		}
		id := b.String()
		if !st.idTaken(id) {
			return id
		}
	}
}

// idTaken reports whether any resource already has id.
func (st *store) idTaken(id string) bool {
	_, s := st.snapshots[id]
	_, d := st.disks[id]
	_, i := st.instances[id]
	_, m := st.images[id]
	_, g := st.securityGroups[id]
	_, p := st.policies[id]
	return s || d || i || m || g || p
}
