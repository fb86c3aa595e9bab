package cloud

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// SnapshotOptions are CreateSnapshot's optional settings.
type SnapshotOptions struct {
	Name          string // 2-128, starts with a letter, not "auto..." (ValidateSnapshotName)
	Description   string
	RetentionDays int // 0 = kept until deleted, else 1-65536
	// InstantAccess asks for an instant-access snapshot of an ESSD disk
	// (usable at once, before it is fully copied). The API marks it
	// deprecated: ESSD snapshots are instant-access by default.
	InstantAccess bool
	// InstantAccessRetentionDays keeps the instant-access copy that many
	// days (1-65535); 0 = as long as the snapshot.
	InstantAccessRetentionDays int
}

// PlanCreateSnapshotWith plans CreateSnapshot with every option, checked
// locally first (name, description, retention). PlanCreateSnapshot is the
// same call without instant access.
func (c *Client) PlanCreateSnapshotWith(regionID, diskID string, opt SnapshotOptions) (*Plan, error) {
	region, err := c.oneRegion("CreateSnapshot", regionID)
	if err != nil {
		return nil, err
	}
	if diskID == "" {
		return nil, invalid("disk", "required")
	}
	if err := ValidateSnapshotName(opt.Name); err != nil {
		return nil, err
	}
	if err := ValidateDescription(opt.Description); err != nil {
		return nil, err
	}
	if err := ValidateRetentionDays(opt.RetentionDays); err != nil {
		return nil, err
	}
	if opt.InstantAccessRetentionDays < 0 || opt.InstantAccessRetentionDays > 65535 {
		return nil, invalid("instant access retention days", "%d, must be 1 to 65535, or 0 for as long as the snapshot", opt.InstantAccessRetentionDays)
	}
	if !opt.InstantAccess {
		return c.PlanCreateSnapshot(region, diskID, opt.Name, opt.Description, opt.RetentionDays), nil
	}
	params := map[string]string{"RegionId": region, "DiskId": diskID, "InstantAccess": "true"}
	setIf(params, "SnapshotName", opt.Name)
	setIf(params, "Description", opt.Description)
	if opt.RetentionDays > 0 {
		params["RetentionDays"] = strconv.Itoa(opt.RetentionDays)
	}
	if opt.InstantAccessRetentionDays > 0 {
		params["InstantAccessRetentionDays"] = strconv.Itoa(opt.InstantAccessRetentionDays)
	}
	op := Operation{
		Product: "ecs", Action: "CreateSnapshot", Region: region,
		Resources: []string{diskID}, Params: params, Create: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, token string) (Result, error) {
		req := ecs.CreateCreateSnapshotRequest()
		req.RegionId = region
		req.DiskId = diskID
		req.SnapshotName = opt.Name
		req.Description = opt.Description
		if opt.RetentionDays > 0 {
			req.RetentionDays = requests.NewInteger(opt.RetentionDays)
		}
		req.InstantAccess = requests.NewBoolean(true)
		if opt.InstantAccessRetentionDays > 0 {
			req.InstantAccessRetentionDays = requests.NewInteger(opt.InstantAccessRetentionDays)
		}
		req.ClientToken = token
		r, err := api.ecs.CreateSnapshot(req)
		res := Result{RequestID: r.RequestId}
		if err == nil && r.SnapshotId != "" {
			res.IDs = []string{r.SnapshotId}
		}
		return res, err
	}), nil
}

// setIf sets params[k] = v when v is not "".
func setIf(params map[string]string, k, v string) {
	if v != "" {
		params[k] = v
	}
}

// SnapshotGroup is a snapshot-consistent group: one crash-consistent
// snapshot of several disks taken at the same instant.
type SnapshotGroup struct {
	ID          string // ssg-...
	Name        string
	Description string
	RegionID    string
	InstanceID  string
	Status      string // "progressing", "accomplished" or "failed"
	Progress    int    // percent: the mean of its snapshots'
	SnapshotIDs []string
	CreatedAt   time.Time
}

// PlanCreateSnapshotGroup plans CreateSnapshotGroup: one crash-consistent
// snapshot of diskIDs (1-16 ESSD disks; all disks of instanceID when
// diskIDs is empty). instanceID may be "" when diskIDs are given (disks of
// several instances in one zone). A Create operation: its ClientToken
// makes a retried or re-executed plan return the first group.
// Result.IDs holds the group's id.
func (c *Client) PlanCreateSnapshotGroup(regionID, instanceID string, diskIDs []string, name string) (*Plan, error) {
	region, err := c.oneRegion("CreateSnapshotGroup", regionID)
	if err != nil {
		return nil, err
	}
	ids := distinct(diskIDs)
	switch {
	case instanceID == "" && len(ids) == 0:
		return nil, invalid("snapshot group", "needs an instance or at least one disk")
	case len(ids) > MaxSnapshotGroupDisks:
		return nil, invalid("snapshot group", "%d disks, at most %d in one group", len(ids), MaxSnapshotGroupDisks)
	}
	if err := ValidateSnapshotGroupName(name); err != nil {
		return nil, err
	}
	params := repeatedParams(region, "DiskId", ids)
	setIf(params, "InstanceId", instanceID)
	setIf(params, "Name", name)
	resources := slices.Clone(ids)
	if instanceID != "" {
		resources = append([]string{instanceID}, resources...)
	}
	op := Operation{
		Product: "ecs", Action: "CreateSnapshotGroup", Region: region,
		Resources: resources, Params: params, Create: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, token string) (Result, error) {
		req := ecs.CreateCreateSnapshotGroupRequest()
		req.RegionId = region
		req.InstanceId = instanceID
		if len(ids) > 0 {
			d := slices.Clone(ids)
			req.DiskId = &d
		}
		req.Name = name
		req.ClientToken = token
		r, err := api.ecs.CreateSnapshotGroup(req)
		res := Result{RequestID: r.RequestId}
		if err == nil && r.SnapshotGroupId != "" {
			res.IDs = []string{r.SnapshotGroupId}
		}
		return res, err
	}), nil
}

// snapshotGroupPageSize is DescribeSnapshotGroups' maximum MaxResults.
const snapshotGroupPageSize = 100

// SnapshotGroups lists the snapshot-consistent groups of a region with
// their member snapshots.
func (c *Client) SnapshotGroups(ctx context.Context, regionID string) ([]SnapshotGroup, error) {
	return c.snapshotGroups(ctx, regionID, nil)
}

func (c *Client) snapshotGroups(ctx context.Context, regionID string, ids []string) ([]SnapshotGroup, error) {
	return eachRegion(ctx, c, regionID, func(ctx context.Context, region string) ([]SnapshotGroup, error) {
		return listTokens(ctx, func(ctx context.Context, token string) ([]SnapshotGroup, string, error) {
			req := ecs.CreateDescribeSnapshotGroupsRequest()
			req.RegionId = region
			req.MaxResults = requests.NewInteger(snapshotGroupPageSize)
			req.NextToken = token
			if len(ids) > 0 {
				g := slices.Clone(ids)
				req.SnapshotGroupId = &g
			}
			var resp *ecs.DescribeSnapshotGroupsResponse
			err := c.do(ctx, "DescribeSnapshotGroups", region, func(api *sdkClients) (string, error) {
				r, err := api.ecs.DescribeSnapshotGroups(req)
				resp = r
				return r.RequestId, err
			})
			if err != nil {
				return nil, "", err
			}
			items := make([]SnapshotGroup, 0, len(resp.SnapshotGroups.SnapshotGroup))
			for _, g := range resp.SnapshotGroups.SnapshotGroup {
				sg := SnapshotGroup{
					ID: g.SnapshotGroupId, Name: g.Name, Description: g.Description, RegionID: region,
					InstanceID: g.InstanceId, Status: g.Status, CreatedAt: parseTime(g.CreationTime),
				}
				sum := 0
				for _, s := range g.Snapshots.Snapshot {
					sg.SnapshotIDs = append(sg.SnapshotIDs, s.SnapshotId)
					sum += parsePercent(s.Progress)
				}
				if n := len(g.Snapshots.Snapshot); n > 0 {
					sg.Progress = sum / n
				}
				if sg.Status == SnapshotAccomplished {
					sg.Progress = 100
				}
				items = append(items, sg)
			}
			return items, resp.NextToken, nil
		})
	})
}

// WaitSnapshotGroup waits (Wait) until the group is accomplished and
// returns it; progress, if not nil, gets its percentage each time it
// changes. A failed group, or one that no longer exists, is an error.
func (c *Client) WaitSnapshotGroup(ctx context.Context, regionID, groupID string, progress func(pct int)) (SnapshotGroup, error) {
	region, err := c.oneRegion("WaitSnapshotGroup", regionID)
	if err != nil {
		return SnapshotGroup{}, err
	}
	var g SnapshotGroup
	last := -1
	err = c.Wait(ctx, func(ctx context.Context) (bool, string, error) {
		list, err := c.snapshotGroups(ctx, region, []string{groupID})
		if err != nil {
			return false, "", err
		}
		i := slices.IndexFunc(list, func(x SnapshotGroup) bool { return x.ID == groupID })
		if i < 0 {
			return false, "", fmt.Errorf("snapshot group %s: not found in %s", groupID, region)
		}
		g = list[i]
		if progress != nil && g.Progress != last {
			last = g.Progress
			progress(g.Progress)
		}
		switch g.Status {
		case SnapshotAccomplished:
			return true, "", nil
		case SnapshotFailed:
			return false, "", fmt.Errorf("snapshot group %s: creation failed", groupID)
		}
		return false, strconv.Itoa(g.Progress) + "%", nil
	}, nil)
	return g, err
}

// PlanDeleteSnapshotGroup plans DeleteSnapshotGroup: the group and its
// member snapshots (a member that backs a custom image is kept by the
// service). Destructive; not retried.
func (c *Client) PlanDeleteSnapshotGroup(regionID, groupID string) (*Plan, error) {
	region, err := c.oneRegion("DeleteSnapshotGroup", regionID)
	if err != nil {
		return nil, err
	}
	if groupID == "" {
		return nil, invalid("snapshot group", "required")
	}
	op := Operation{
		Product: "ecs", Action: "DeleteSnapshotGroup", Region: region, Resources: []string{groupID},
		Params: map[string]string{"RegionId": region, "SnapshotGroupId": groupID}, Destructive: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		req := ecs.CreateDeleteSnapshotGroupRequest()
		req.RegionId = region
		req.SnapshotGroupId = groupID
		r, err := api.ecs.DeleteSnapshotGroup(req)
		res := Result{RequestID: r.RequestId}
		if err != nil {
			return res, err
		}
		// Members the service could not delete (e.g. one backing an image).
		var kept []string
		for _, p := range r.OperationProgressSet.OperationProgress {
			if p.OperationStatus != "Success" {
				for _, it := range p.RelatedItemSet.RelatedItem {
					kept = append(kept, it.Value+" ("+p.ErrorCode+")")
				}
			}
		}
		if len(kept) > 0 {
			return res, &APIError{Code: "PartialFailure", Message: "snapshots kept: " + strings.Join(kept, ", "), RequestID: r.RequestId, Action: "DeleteSnapshotGroup", Region: region}
		}
		return res, nil
	}), nil
}

// PlanResetDisk plans ResetDisk: roll a disk back to one of its own
// snapshots. Everything written to the disk since the snapshot was taken
// is lost: Destructive. The disk's instance must be Stopped (the service
// answers IncorrectInstanceStatus otherwise). Precheck runs the API's
// DryRun. Not retried.
func (c *Client) PlanResetDisk(regionID, diskID, snapshotID string) (*Plan, error) {
	region, err := c.oneRegion("ResetDisk", regionID)
	if err != nil {
		return nil, err
	}
	if diskID == "" || snapshotID == "" {
		return nil, invalid("roll back", "needs a disk and a snapshot of that disk")
	}
	op := Operation{
		Product: "ecs", Action: "ResetDisk", Region: region, Resources: []string{diskID, snapshotID},
		Params: map[string]string{"RegionId": region, "DiskId": diskID, "SnapshotId": snapshotID},
		DryRun: true, Destructive: true,
	}
	return newPlan(op, func(api *sdkClients, dryRun bool, _ string) (Result, error) {
		req := ecs.CreateResetDiskRequest()
		req.RegionId = region
		req.DiskId = diskID
		req.SnapshotId = snapshotID
		if dryRun {
			req.DryRun = requests.NewBoolean(true)
		}
		r, err := api.ecs.ResetDisk(req)
		return Result{RequestID: r.RequestId}, err
	}), nil
}

// RollbackInfo is what a roll-back confirmation shows: the disk, the
// snapshot, the disk's instance and its state, and the time after which
// data is lost.
type RollbackInfo struct {
	Disk           Disk
	Snapshot       Snapshot
	InstanceStatus InstanceStatus // "" when the disk is not attached
	// LostSince: everything written to the disk after this time is lost.
	LostSince time.Time
	// MustStop: the instance is not Stopped, so ResetDisk would be
	// refused; the flow stop -> roll back -> start is needed.
	MustStop bool
}

// PrepareRollback looks up what rolling diskID back to snapshotID touches, and
// refuses locally what the service would refuse: a snapshot of another
// disk, or one not yet accomplished.
func (c *Client) PrepareRollback(ctx context.Context, regionID, diskID, snapshotID string) (RollbackInfo, error) {
	region, err := c.oneRegion("PrepareRollback", regionID)
	if err != nil {
		return RollbackInfo{}, err
	}
	var info RollbackInfo
	disks, err := c.Disks(ctx, region, DiskFilter{DiskIDs: []string{diskID}})
	if err != nil {
		return info, err
	}
	if len(disks) == 0 {
		return info, fmt.Errorf("disk %s: not found in %s", diskID, region)
	}
	info.Disk = disks[0]
	snaps, err := c.Snapshots(ctx, region, SnapshotFilter{IDs: []string{snapshotID}})
	if err != nil {
		return info, err
	}
	if len(snaps) == 0 {
		return info, fmt.Errorf("snapshot %s: not found in %s", snapshotID, region)
	}
	info.Snapshot = snaps[0]
	info.LostSince = info.Snapshot.CreatedAt
	switch {
	case info.Snapshot.DiskID != diskID:
		return info, invalid("roll back", "snapshot %s was not taken from disk %s", snapshotID, diskID)
	case info.Snapshot.Status != SnapshotAccomplished:
		return info, invalid("roll back", "snapshot %s is %s, not accomplished", snapshotID, info.Snapshot.Status)
	}
	if id := info.Disk.InstanceID; id != "" {
		st, err := c.InstanceStatuses(ctx, region, []string{id})
		if err != nil {
			return info, err
		}
		info.InstanceStatus = st[id]
		info.MustStop = info.InstanceStatus != StateStopped
	}
	return info, nil
}

// PlanCopySnapshot plans CopySnapshot: a copy of the snapshot in
// destRegion, named name, kept retentionDays (0 = until deleted). A Create
// operation (ClientToken). Result.IDs holds the copy's id, in destRegion.
func (c *Client) PlanCopySnapshot(regionID, snapshotID, destRegion, name string, retentionDays int) (*Plan, error) {
	region, err := c.oneRegion("CopySnapshot", regionID)
	if err != nil {
		return nil, err
	}
	switch {
	case snapshotID == "":
		return nil, invalid("snapshot", "required")
	case destRegion == "" || destRegion == AllRegions:
		return nil, invalid("destination region", "required")
	case destRegion == region:
		return nil, invalid("destination region", "%s is the snapshot's own region; a copy goes to another region", region)
	case name == "":
		return nil, invalid("snapshot name", "the copy needs a name")
	}
	if err := ValidateSnapshotName(name); err != nil {
		return nil, err
	}
	if err := ValidateRetentionDays(retentionDays); err != nil {
		return nil, err
	}
	desc := "Copy of " + snapshotID + " from " + region
	params := map[string]string{
		"RegionId": region, "SnapshotId": snapshotID, "DestinationRegionId": destRegion,
		"DestinationSnapshotName": name, "DestinationSnapshotDescription": desc,
	}
	if retentionDays > 0 {
		params["RetentionDays"] = strconv.Itoa(retentionDays)
	}
	op := Operation{
		Product: "ecs", Action: "CopySnapshot", Region: region,
		Resources: []string{snapshotID}, Params: params, Create: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, token string) (Result, error) {
		req := ecs.CreateCopySnapshotRequest()
		req.RegionId = region
		req.SnapshotId = snapshotID
		req.DestinationRegionId = destRegion
		req.DestinationSnapshotName = name
		req.DestinationSnapshotDescription = desc
		if retentionDays > 0 {
			req.RetentionDays = requests.NewInteger(retentionDays)
		}
		req.ClientToken = token
		r, err := api.ecs.CopySnapshot(req)
		res := Result{RequestID: r.RequestId}
		if err == nil && r.SnapshotId != "" {
			res.IDs = []string{r.SnapshotId}
		}
		return res, err
	}), nil
}

// PlanDeleteSnapshots plans DeleteSnapshot for each id (one call each, in
// order; the first failure stops the rest). force deletes snapshots that
// disks were created from (SnapshotCreatedDisk otherwise). A snapshot that
// backs a custom image cannot be deleted at all; CheckDeleteSnapshots
// names the images before anything is sent. Destructive; not retried.
func (c *Client) PlanDeleteSnapshots(regionID string, ids []string, force bool) (*Plan, error) {
	region, err := c.oneRegion("DeleteSnapshot", regionID)
	if err != nil {
		return nil, err
	}
	ids = distinct(ids)
	if len(ids) == 0 || slices.Contains(ids, "") {
		return nil, invalid("delete snapshots", "no snapshot given")
	}
	paramsOf := func(id string) map[string]string {
		p := map[string]string{"RegionId": region, "SnapshotId": id}
		if force {
			p["Force"] = "true"
		}
		return p
	}
	whole := Operation{
		Product: "ecs", Action: "DeleteSnapshot", Region: region, Resources: slices.Clone(ids),
		Params: paramsOf(ids[0]), Destructive: true,
	}
	parts := make([]*Plan, 0, len(ids))
	for _, id := range ids {
		op := whole
		op.Resources, op.Params = []string{id}, paramsOf(id)
		parts = append(parts, newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
			req := ecs.CreateDeleteSnapshotRequest()
			req.RegionId = region
			req.SnapshotId = id
			if force {
				req.Force = requests.NewBoolean(true)
			}
			r, err := api.ecs.DeleteSnapshot(req)
			return Result{RequestID: r.RequestId}, err
		}))
	}
	return newBatchPlan(whole, parts), nil
}

// SnapshotLinks returns what was made from a snapshot: the ids of the
// custom images it backs (all statuses) and of the disks created from it.
func (c *Client) SnapshotLinks(ctx context.Context, regionID, snapshotID string) (images []string, disks []string, err error) {
	ims, dks, err := c.snapshotLinks(ctx, regionID, snapshotID)
	for _, im := range ims {
		images = append(images, im.ID)
	}
	for _, d := range dks {
		disks = append(disks, d.ID)
	}
	return images, disks, err
}

func (c *Client) snapshotLinks(ctx context.Context, regionID, snapshotID string) ([]Image, []Disk, error) {
	region, err := c.oneRegion("SnapshotLinks", regionID)
	if err != nil {
		return nil, nil, err
	}
	ims, err := c.describeImages(ctx, region, func(req *ecs.DescribeImagesRequest) {
		req.SnapshotId = snapshotID
		req.ImageOwnerAlias = string(OwnerSelf)
		req.Status = ownImageStatuses
	})
	if err != nil {
		return nil, nil, err
	}
	var dks []Disk
	err = c.do(ctx, "DescribeDisks", region, func(api *sdkClients) (string, error) {
		req := ecs.CreateDescribeDisksRequest()
		req.RegionId = region
		req.SnapshotId = snapshotID
		req.PageSize = requests.NewInteger(diskPageSize)
		r, err := api.ecs.DescribeDisks(req)
		if err == nil {
			dks = dks[:0]
			for _, d := range r.Disks.Disk {
				if d.SourceSnapshotId == snapshotID {
					dks = append(dks, diskFromSDK(d, region))
				}
			}
		}
		return r.RequestId, err
	})
	return ims, dks, err
}

// CheckDeleteSnapshots refuses, before anything is sent, to delete a
// snapshot that backs a custom image (naming the image: delete the image
// first), or, without force, one that disks were created from (naming the
// disks). It returns nil when PlanDeleteSnapshots may go ahead.
func (c *Client) CheckDeleteSnapshots(ctx context.Context, regionID string, ids []string, force bool) error {
	for _, id := range distinct(ids) {
		ims, dks, err := c.snapshotLinks(ctx, regionID, id)
		if err != nil {
			return err
		}
		if len(ims) > 0 {
			names := make([]string, len(ims))
			for i, im := range ims {
				names[i] = im.ID
				if im.Name != "" {
					names[i] += " (" + im.Name + ")"
				}
			}
			return invalid("delete snapshot "+id, "it backs custom image %s; delete the image first", strings.Join(names, ", "))
		}
		if len(dks) > 0 && !force {
			dids := make([]string, len(dks))
			for i, d := range dks {
				dids[i] = d.ID
			}
			return invalid("delete snapshot "+id, "disks %s were created from it; deleting it needs force", strings.Join(dids, ", "))
		}
	}
	return nil
}
