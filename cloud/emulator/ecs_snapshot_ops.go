package emulator

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Snapshot operations beyond CreateSnapshot: consistency groups, roll back
// (ResetDisk), cross-region copy and delete; plus the helpers the image,
// policy and launch operations share (new ids, names, snapshot progress).

// groups is the snapshot-group map, made on first use.
func (st *store) snapshotGroupMap() map[string]*snapshotGroup {
	if st.snapshotGroups == nil {
		st.snapshotGroups = map[string]*snapshotGroup{}
	}
	return st.snapshotGroups
}

// at schedules apply at an absolute emulated time (which may already be
// past: the next settle applies it).
func (st *store) bkAt(t time.Time, apply func()) {
	st.pending = append(st.pending, transition{at: t, apply: apply})
}

// bkSnapshotDuration is how long a new snapshot stays progressing.
func (st *store) bkSnapshotDuration() time.Duration { return 2 * st.delay }

// bkRunSnapshot takes s from progressing 0% to accomplished 100% over dur from
// start, in quarter steps; done (if any) runs when it is accomplished. A
// snapshot deleted meanwhile (DeleteSnapshot cancels creation) stops.
func (st *store) bkRunSnapshot(s *snapshot, start time.Time, dur time.Duration, done func()) {
	s.Status, s.Progress = "progressing", 0
	live := func() bool { return st.snapshots[s.ID] == s && s.Status == "progressing" }
	for _, p := range []int{25, 50, 75} {
		st.bkAt(start.Add(dur*time.Duration(p)/100), func() {
			if live() {
				s.Progress = p
			}
		})
	}
	st.bkAt(start.Add(dur), func() {
		if live() {
			s.Status, s.Progress = "accomplished", 100
			if done != nil {
				done()
			}
		}
	})
}

// bkDiskSnapshotting reports whether a snapshot of the disk is in progress.
func (st *store) bkDiskSnapshotting(diskID string) bool {
	for _, s := range st.snapshots {
		if s.SourceDiskID == diskID && s.Status == "progressing" && s.SourceSnapshotID == "" {
			return true
		}
	}
	return false
}

// bkNewDiskSnapshot makes a user snapshot of d, progressing from now.
func (st *store) bkNewDiskSnapshot(d *disk, name, desc string) *snapshot {
	s := &snapshot{
		ID: st.mintID("s", d.RegionID), Name: name, Description: desc, RegionID: d.RegionID,
		SourceDiskID: d.ID, SourceDiskType: sourceDiskType(d.Type), SourceDiskSizeGiB: d.SizeGiB,
		Type: "user", Category: "standard", CreationTime: st.now().UTC().Truncate(time.Second),
		Usage: "none", InstantAccess: d.Category == "cloud_essd" || d.Category == "cloud_auto",
	}
	if s.InstantAccess {
		s.Category = "flash"
	}
	st.snapshots[s.ID] = s
	st.bkRunSnapshot(s, st.now(), st.bkSnapshotDuration(), nil)
	return s
}

// bkValidName checks the common naming rule of snapshots, images, groups and
// policies: min-max characters, starts with a letter, not http(s)://, made
// of letters, digits, '.', '_', ':', '-' (and spaces nowhere).
func bkValidName(s string, lo, hi int) bool {
	n := utf8.RuneCountInString(s)
	if n < lo || n > hi || strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsLetter(first) {
		return false
	}
	for _, c := range s {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !strings.ContainsRune("._:-", c) {
			return false
		}
	}
	return true
}

// bkValidDescription: 2-256 characters, not http(s)://.
func bkValidDescription(s string) bool {
	n := utf8.RuneCountInString(s)
	return n >= 2 && n <= 256 && !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://")
}

func bkErrSnapshotNotFound() *APIError {
	return errNotFound("InvalidSnapshotId.NotFound", "snapshot")
}

func bkErrDiskNotFound() *APIError { return errNotFound("InvalidDiskId.NotFound", "disk") }

func bkErrInstanceNotFound() *APIError {
	return errNotFound("InvalidInstanceId.NotFound", "instance")
}

func bkErrSnapshotNotReady() *APIError {
	return &APIError{Status: 403, Code: "InvalidSnapshotId.NotReady", Message: "The specified snapshot has not completed yet."}
}

func bkErrCreatingSnapshot() *APIError {
	return &APIError{Status: 403, Code: "IncorrectDiskStatus.CreatingSnapshot", Message: "A previous snapshot creation is in process."}
}

func bkErrLocked() *APIError {
	return &APIError{Status: 403, Code: "InstanceLockedForSecurity", Message: "The specified operation is denied as your instance is locked for security reasons."}
}

// ResetDisk rolls a disk back to one of its snapshots: the disk In_use, its
// instance Stopped, the snapshot taken from this disk and accomplished.
func resetDisk(r *request) (any, error) {
	st := r.server.store
	diskID, err := r.required("DiskId")
	if err != nil {
		return nil, err
	}
	snapID, err := r.required("SnapshotId")
	if err != nil {
		return nil, err
	}
	d := st.disks[diskID]
	if d == nil {
		return nil, bkErrDiskNotFound()
	}
	s := st.snapshots[snapID]
	if s == nil || s.RegionID != d.RegionID {
		return nil, bkErrSnapshotNotFound()
	}
	if s.SourceDiskID != d.ID || s.SourceSnapshotID != "" {
		return nil, &APIError{Status: 403, Code: "InvalidParameter.Mismatch", Message: "The specified snapshot is not created from the specified disk."}
	}
	if s.Status != "accomplished" {
		return nil, bkErrSnapshotNotReady()
	}
	if d.Status != "In_use" {
		return nil, &APIError{Status: 403, Code: "IncorrectDiskStatus", Message: "The current disk status does not support this operation."}
	}
	in := st.instances[d.InstanceID]
	if in == nil {
		return nil, bkErrInstanceNotFound()
	}
	if slices.Contains(in.LockReasons, "security") {
		return nil, bkErrLocked()
	}
	if in.Status != "Stopped" {
		return nil, errIncorrectInstanceStatus()
	}
	if st.bkDiskSnapshotting(d.ID) {
		return nil, &APIError{Status: 403, Code: "Operation.Conflict", Message: "The operation may conflict with other operations: a snapshot of the disk is being created."}
	}
	if r.dryRun() {
		return nil, errDryRun()
	}
	// The disk's contents, file system included, are the snapshot's again.
	d.PartitionGiB = min(d.PartitionGiB, s.SourceDiskSizeGiB)
	if d.PartitionGiB == 0 {
		d.PartitionGiB = min(d.SizeGiB, s.SourceDiskSizeGiB)
	}
	return map[string]any{}, nil
}

// CopySnapshot copies an accomplished snapshot to another region; the copy
// progresses there like a new snapshot.
func copySnapshot(r *request) (any, error) {
	return r.server.store.bkIdempotent(r, func() (any, error) { return copySnapshotOnce(r) })
}

func copySnapshotOnce(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	snapID, err := r.required("SnapshotId")
	if err != nil {
		return nil, err
	}
	destID, err := r.required("DestinationRegionId")
	if err != nil {
		return nil, err
	}
	name, err := r.required("DestinationSnapshotName")
	if err != nil {
		return nil, err
	}
	desc, err := r.required("DestinationSnapshotDescription")
	if err != nil {
		return nil, err
	}
	dest := st.region(destID)
	if dest == nil {
		return nil, &APIError{Status: 404, Code: "InvalidRegionId.NotFound", Message: "The specified DestinationRegionId does not exist."}
	}
	if dest.ID == rg.ID {
		return nil, &APIError{Status: 403, Code: "InvalidOperation.NotSupportCopyInSameRegion", Message: "Copying snapshot in the same region is not supported. Please specify a different DestinationRegionId and try again."}
	}
	if !bkValidName(name, 2, 128) || strings.HasPrefix(name, "auto") {
		return nil, &APIError{Status: 400, Code: "InvalidSnapshotName.Malformed", Message: "The specified DestinationSnapshotName is wrongly formed."}
	}
	if !bkValidDescription(desc) {
		return nil, &APIError{Status: 400, Code: "InvalidDescription.Malformed", Message: "The specified DestinationSnapshotDescription is wrongly formed."}
	}
	days, err := r.intParam("RetentionDays", 0)
	if err != nil {
		return nil, err
	}
	if r.has("RetentionDays") && (days < 1 || days > 65536) {
		return nil, errInvalidParam("RetentionDays", "must be between 1 and 65536")
	}
	src := st.snapshots[snapID]
	if src == nil || src.RegionID != rg.ID {
		return nil, bkErrSnapshotNotFound()
	}
	if src.Status != "accomplished" {
		return nil, bkErrSnapshotNotReady()
	}
	c := &snapshot{
		ID: st.mintID("s", dest.ID), Name: name, Description: desc, RegionID: dest.ID,
		SourceDiskID: src.SourceDiskID, SourceDiskType: src.SourceDiskType, SourceDiskSizeGiB: src.SourceDiskSizeGiB,
		Type: "user", Category: "standard", RetentionDays: days, CreationTime: st.now().UTC().Truncate(time.Second),
		Usage: "none", SourceRegionID: rg.ID, SourceSnapshotID: src.ID,
	}
	st.snapshots[c.ID] = c
	// A cross-region copy moves the data over the wire: twice as long.
	st.bkRunSnapshot(c, st.now(), 2*st.bkSnapshotDuration(), nil)
	return map[string]any{"SnapshotId": c.ID}, nil
}

// bkImagesUsingSnapshot lists the custom images whose disk device mappings
// hold the snapshot.
func (st *store) bkImagesUsingSnapshot(snapID string) []*image {
	var out []*image
	for _, img := range st.images {
		if slices.Contains(img.SnapshotIDs, snapID) {
			out = append(out, img)
		}
	}
	slices.SortFunc(out, func(a, b *image) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func (st *store) bkDisksFromSnapshot(snapID string) []*disk {
	var out []*disk
	for _, d := range st.disks {
		if d.SourceSnapshotID == snapID {
			out = append(out, d)
		}
	}
	return out
}

// DeleteSnapshot: an unknown id is ignored; a snapshot behind a custom image
// is refused; one that created disks needs Force; a progressing one is
// cancelled.
func deleteSnapshot(r *request) (any, error) {
	st := r.server.store
	snapID, err := r.required("SnapshotId")
	if err != nil {
		return nil, err
	}
	force, err := r.boolParam("Force", false)
	if err != nil {
		return nil, err
	}
	s := st.snapshots[snapID]
	if s == nil {
		return map[string]any{}, nil
	}
	if imgs := st.bkImagesUsingSnapshot(s.ID); len(imgs) > 0 {
		return nil, &APIError{Status: 403, Code: "SnapshotCreatedImage", Message: "The snapshot has been used to create user defined image(s)."}
	}
	if len(st.bkDisksFromSnapshot(s.ID)) > 0 && !force {
		return nil, &APIError{Status: 403, Code: "SnapshotCreatedDisk", Message: "The snapshot has been used to create disk(s); set Force to true to delete it."}
	}
	delete(st.snapshots, s.ID)
	return map[string]any{}, nil
}

// snapshotGroupStatus derives a group's status from its members.
func (st *store) snapshotGroupStatus(g *snapshotGroup) string {
	status := "accomplished"
	for _, id := range g.SnapshotIDs {
		s := st.snapshots[id]
		switch {
		case s == nil:
		case s.Status == "failed":
			return "failed"
		case s.Status == "progressing":
			status = "progressing"
		}
	}
	return status
}

// CreateSnapshotGroup: one crash-consistent snapshot of several ESSD disks,
// all (or DiskId.N, or all but ExcludeDiskId.N) of an instance, or DiskId.N
// of one zone.
func createSnapshotGroup(r *request) (any, error) {
	return r.server.store.bkIdempotent(r, func() (any, error) { return createSnapshotGroupOnce(r) })
}

func createSnapshotGroupOnce(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	include, exclude := r.repeated("DiskId"), r.repeated("ExcludeDiskId")
	if len(include) > 0 && len(exclude) > 0 {
		return nil, errInvalidParam("DiskId.N", "DiskId.N and ExcludeDiskId.N are mutually exclusive")
	}
	if len(include) > 16 || len(exclude) > 16 {
		return nil, errInvalidParam("DiskId.N", "at most 16 disks")
	}
	name, desc := r.str("Name"), r.str("Description")
	if name != "" && !bkValidName(name, 2, 128) {
		return nil, &APIError{Status: 400, Code: "InvalidParameter.Name", Message: "The specified parameter Name is invalid."}
	}
	if desc != "" && !bkValidDescription(desc) {
		return nil, &APIError{Status: 404, Code: "InvalidDescription.Malformed", Message: "The specified description is wrongly formed."}
	}
	instantAccess, err := r.boolParam("InstantAccess", false)
	if err != nil {
		return nil, err
	}
	var disks []*disk
	instanceID := r.str("InstanceId")
	if instanceID != "" {
		in := st.instances[instanceID]
		if in == nil || in.RegionID != rg.ID {
			return nil, bkErrInstanceNotFound()
		}
		if slices.Contains(in.LockReasons, "security") {
			return nil, bkErrLocked()
		}
		if in.Status != "Running" && in.Status != "Stopped" {
			return nil, &APIError{Status: 400, Code: "IncorrectInstanceStatus", Message: "The current status of the resource does not support this operation."}
		}
		for _, id := range include {
			d := st.disks[id]
			if d == nil || d.RegionID != rg.ID {
				return nil, bkErrDiskNotFound()
			}
			if d.InstanceID != in.ID {
				return nil, errInvalidParam("DiskId.N", fmt.Sprintf("disk %s is not attached to instance %s", id, in.ID))
			}
		}
		for _, d := range st.disks {
			if d.InstanceID == in.ID && (len(include) == 0 || slices.Contains(include, d.ID)) && !slices.Contains(exclude, d.ID) {
				disks = append(disks, d)
			}
		}
	} else {
		if len(include) == 0 {
			return nil, errMissing("DiskId.N")
		}
		for _, id := range include {
			d := st.disks[id]
			if d == nil || d.RegionID != rg.ID {
				return nil, bkErrDiskNotFound()
			}
			if len(disks) > 0 && d.ZoneID != disks[0].ZoneID {
				return nil, errInvalidParam("DiskId.N", "the disks must be in one zone")
			}
			disks = append(disks, d)
		}
	}
	if len(disks) == 0 {
		return nil, errInvalidParam("DiskId.N", "no disk to snapshot")
	}
	if len(disks) > 16 {
		return nil, errInvalidParam("DiskId.N", "at most 16 disks")
	}
	slices.SortFunc(disks, func(a, b *disk) int {
		if c := strings.Compare(a.Device, b.Device); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	total := 0
	for _, d := range disks {
		if d.Category != "cloud_essd" && d.Category != "cloud_auto" && d.Category != "cloud_essd_entry" {
			return nil, &APIError{Status: 400, Code: "DiskCategory.OperationNotSupported", Message: fmt.Sprintf("The category %s of disk %s does not support snapshot-consistent groups; only ESSD disks do.", d.Category, d.ID)}
		}
		if d.Status != "In_use" {
			return nil, &APIError{Status: 403, Code: "IncorrectDiskStatus", Message: fmt.Sprintf("The current status of disk %s does not support this operation.", d.ID)}
		}
		if st.bkDiskSnapshotting(d.ID) {
			return nil, bkErrCreatingSnapshot()
		}
		total += d.SizeGiB
	}
	if total > 32*1024 {
		return nil, errInvalidParam("DiskId.N", "the disks of a group may hold at most 32 TiB")
	}
	g := &snapshotGroup{
		ID: st.mintID("ssg", rg.ID), Name: name, Description: desc, RegionID: rg.ID, InstanceID: instanceID,
		CreationTime: st.now().UTC().Truncate(time.Second),
	}
	for _, d := range disks {
		s := st.bkNewDiskSnapshot(d, name, "Created for snapshot group "+g.ID)
		s.GroupID = g.ID
		s.InstantAccess = s.InstantAccess || instantAccess
		g.SnapshotIDs = append(g.SnapshotIDs, s.ID)
	}
	st.snapshotGroupMap()[g.ID] = g
	return map[string]any{"SnapshotGroupId": g.ID}, nil
}

var pagingSnapshotGroups = pageLimits{maxResultsDefault: 10, maxResultsMin: 1, maxResultsMax: 100}

// DescribeSnapshotGroups: SnapshotGroupId.N, InstanceId, Name, Status.N;
// NextToken + MaxResults.
func describeSnapshotGroups(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	ids := r.repeated("SnapshotGroupId")
	if len(ids) > 10 {
		return nil, errInvalidParam("SnapshotGroupId.N", "at most 10 values")
	}
	statuses := r.repeated("Status")
	if len(statuses) > 3 {
		return nil, errInvalidParam("Status.N", "at most 3 values")
	}
	for _, s := range statuses {
		if !slices.Contains([]string{"progressing", "accomplished", "failed"}, s) {
			return nil, &APIError{Status: 403, Code: "InvalidStatus.ValueNotSupported", Message: fmt.Sprintf("The specified Status %q is not supported.", s)}
		}
	}
	p, err := r.pager(pagingSnapshotGroups)
	if err != nil {
		return nil, err
	}
	var list []*snapshotGroup
	for _, g := range st.snapshotGroupMap() {
		switch {
		case g.RegionID != rg.ID,
			len(ids) > 0 && !slices.Contains(ids, g.ID),
			r.has("InstanceId") && g.InstanceID != r.str("InstanceId"),
			r.has("Name") && g.Name != r.str("Name"),
			len(statuses) > 0 && !slices.Contains(statuses, st.snapshotGroupStatus(g)):
			continue
		}
		list = append(list, g)
	}
	slices.SortFunc(list, func(a, b *snapshotGroup) int { return newestFirst(a.CreationTime, b.CreationTime, a.ID, b.ID) })
	page, next := pageOf(list, p)
	usages := st.snapshotUsage()
	out := make([]map[string]any, 0, len(page))
	for _, g := range page {
		snaps := []snapshotJSON{}
		for _, id := range g.SnapshotIDs {
			if s := st.snapshots[id]; s != nil {
				snaps = append(snaps, snapshotView(st, s, usages[s.ID]))
			}
		}
		out = append(out, map[string]any{
			"SnapshotGroupId": g.ID, "Name": g.Name, "Description": g.Description, "InstanceId": g.InstanceID,
			"Status": st.snapshotGroupStatus(g), "ProgressStatus": "", "CreationTime": fmtSecond(g.CreationTime),
			"ResourceGroupId": defaultResourceGroupID, "Tags": tagsJSON(nil),
			"Snapshots": map[string]any{"Snapshot": snaps},
		})
	}
	return map[string]any{"NextToken": next, "SnapshotGroups": map[string]any{"SnapshotGroup": out}}, nil
}

// DeleteSnapshotGroup deletes the group and its member snapshots; a member
// behind a custom image is kept and reported as failed.
func deleteSnapshotGroup(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	id, err := r.required("SnapshotGroupId")
	if err != nil {
		return nil, err
	}
	g := st.snapshotGroupMap()[id]
	if g == nil || g.RegionID != rg.ID {
		return nil, errNotFound("InvalidSnapshotGroupId.NotFound", "SnapshotGroupId")
	}
	progress := []map[string]any{}
	for _, sid := range g.SnapshotIDs {
		if st.snapshots[sid] == nil {
			continue
		}
		op := map[string]any{
			"OperationStatus": "Success", "ErrorCode": "", "ErrorMsg": "",
			"RelatedItemSet": map[string]any{"RelatedItem": []map[string]string{{"Name": "SnapshotId", "Value": sid}}},
		}
		if len(st.bkImagesUsingSnapshot(sid)) > 0 {
			op["OperationStatus"], op["ErrorCode"], op["ErrorMsg"] = "Failed", "SnapshotCreatedImage", "The snapshot has been used to create user defined image(s)."
		} else {
			delete(st.snapshots, sid)
		}
		progress = append(progress, op)
	}
	delete(st.snapshotGroupMap(), g.ID)
	return map[string]any{"OperationProgressSet": map[string]any{"OperationProgress": progress}}, nil
}
