package cloud

import (
	"slices"
	"strconv"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// policyDisksPerCall bounds the diskIds of one Apply/CancelAutoSnapshotPolicy
// call (the API documents no limit; a batch keeps each request short).
const policyDisksPerCall = 100

// jsonIntStrings renders ints as the JSON-array-of-strings the policy APIs
// take: [1, 5] -> ["1","5"].
func jsonIntStrings(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return jsonList(s)
}

// policyParams are the lower-camel wire parameters of a policy spec, as the
// aliyun CLI takes them (API notes §8.12).
func policyParams(region string, spec PolicySpec) map[string]string {
	params := map[string]string{
		"RegionId":       region,
		"timePoints":     jsonIntStrings(spec.Hours),
		"repeatWeekdays": jsonIntStrings(spec.Weekdays),
		"retentionDays":  strconv.Itoa(spec.RetentionDays),
	}
	setIf(params, "autoSnapshotPolicyName", spec.Name)
	return params
}

// PlanCreatePolicy plans CreateAutoSnapshotPolicy, after ValidatePolicy.
// The API takes no ClientToken, so the call is sent once, never retried
// (a retry could make a second policy). Result.IDs holds the policy id.
func (c *Client) PlanCreatePolicy(regionID string, spec PolicySpec) (*Plan, error) {
	region, err := c.oneRegion("CreateAutoSnapshotPolicy", regionID)
	if err != nil {
		return nil, err
	}
	if err := ValidatePolicy(spec); err != nil {
		return nil, err
	}
	op := Operation{
		Product: "ecs", Action: "CreateAutoSnapshotPolicy", Region: region,
		Params: policyParams(region, spec),
	}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		req := ecs.CreateCreateAutoSnapshotPolicyRequest()
		req.RegionId = region
		req.TimePoints = jsonIntStrings(spec.Hours)
		req.RepeatWeekdays = jsonIntStrings(spec.Weekdays)
		req.RetentionDays = requests.NewInteger(spec.RetentionDays)
		req.AutoSnapshotPolicyName = spec.Name
		r, err := api.ecs.CreateAutoSnapshotPolicy(req)
		res := Result{RequestID: r.RequestId}
		if err == nil && r.AutoSnapshotPolicyId != "" {
			res.IDs = []string{r.AutoSnapshotPolicyId}
		}
		return res, err
	}), nil
}

// PlanModifyPolicy plans ModifyAutoSnapshotPolicyEx: the policy takes
// spec's days, hours, retention (and name, when not ""). It applies at
// once to the disks the policy covers. Setting the same values twice is
// harmless: Execute retries it.
func (c *Client) PlanModifyPolicy(regionID, policyID string, spec PolicySpec) (*Plan, error) {
	region, err := c.oneRegion("ModifyAutoSnapshotPolicyEx", regionID)
	if err != nil {
		return nil, err
	}
	if policyID == "" {
		return nil, invalid("policy", "required")
	}
	if err := ValidatePolicy(spec); err != nil {
		return nil, err
	}
	params := policyParams(region, spec)
	params["autoSnapshotPolicyId"] = policyID
	op := Operation{
		Product: "ecs", Action: "ModifyAutoSnapshotPolicyEx", Region: region,
		Resources: []string{policyID}, Params: params, Idempotent: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		req := ecs.CreateModifyAutoSnapshotPolicyExRequest()
		req.RegionId = region
		req.AutoSnapshotPolicyId = policyID
		req.TimePoints = jsonIntStrings(spec.Hours)
		req.RepeatWeekdays = jsonIntStrings(spec.Weekdays)
		req.RetentionDays = requests.NewInteger(spec.RetentionDays)
		req.AutoSnapshotPolicyName = spec.Name
		r, err := api.ecs.ModifyAutoSnapshotPolicyEx(req)
		return Result{RequestID: r.RequestId}, err
	}), nil
}

// planPolicyDisks batches a diskIds action (JSON array string).
func (c *Client) planPolicyDisks(action, region, policyID string, diskIDs []string, call func(api *sdkClients, part []string) (string, error)) (*Plan, error) {
	ids := distinct(diskIDs)
	if len(ids) == 0 || slices.Contains(ids, "") {
		return nil, invalid("disks", "no disk given")
	}
	paramsOf := func(part []string) map[string]string {
		p := map[string]string{"RegionId": region, "diskIds": jsonList(part)}
		setIf(p, "autoSnapshotPolicyId", policyID)
		return p
	}
	resOf := func(part []string) []string {
		if policyID == "" {
			return slices.Clone(part)
		}
		return append([]string{policyID}, part...)
	}
	whole := Operation{
		Product: "ecs", Action: action, Region: region, Resources: resOf(ids),
		Params: paramsOf(ids), Idempotent: true,
	}
	var parts []*Plan
	for _, part := range batches(ids, policyDisksPerCall) {
		op := whole
		op.Resources, op.Params = resOf(part), paramsOf(part)
		parts = append(parts, newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
			id, err := call(api, part)
			return Result{RequestID: id}, err
		}))
	}
	return newBatchPlan(whole, parts), nil
}

// PlanApplyPolicy plans ApplyAutoSnapshotPolicy: the policy covers
// diskIDs from now on (replacing any policy they had). Idempotent.
func (c *Client) PlanApplyPolicy(regionID, policyID string, diskIDs []string) (*Plan, error) {
	region, err := c.oneRegion("ApplyAutoSnapshotPolicy", regionID)
	if err != nil {
		return nil, err
	}
	if policyID == "" {
		return nil, invalid("policy", "required")
	}
	return c.planPolicyDisks("ApplyAutoSnapshotPolicy", region, policyID, diskIDs, func(api *sdkClients, part []string) (string, error) {
		req := ecs.CreateApplyAutoSnapshotPolicyRequest()
		req.RegionId = region
		req.AutoSnapshotPolicyId = policyID
		req.DiskIds = jsonList(part)
		r, err := api.ecs.ApplyAutoSnapshotPolicy(req)
		return r.RequestId, err
	})
}

// PlanCancelPolicy plans CancelAutoSnapshotPolicy: diskIDs lose their
// policy (no more automatic snapshots; existing ones stay). Idempotent.
func (c *Client) PlanCancelPolicy(regionID string, diskIDs []string) (*Plan, error) {
	region, err := c.oneRegion("CancelAutoSnapshotPolicy", regionID)
	if err != nil {
		return nil, err
	}
	return c.planPolicyDisks("CancelAutoSnapshotPolicy", region, "", diskIDs, func(api *sdkClients, part []string) (string, error) {
		req := ecs.CreateCancelAutoSnapshotPolicyRequest()
		req.RegionId = region
		req.DiskIds = jsonList(part)
		r, err := api.ecs.CancelAutoSnapshotPolicy(req)
		return r.RequestId, err
	})
}

// PlanDeletePolicy plans DeleteAutoSnapshotPolicy: the policy is removed
// from every disk it covers (DisksWithPolicy lists them for the
// confirmation). Destructive; not retried.
func (c *Client) PlanDeletePolicy(regionID, policyID string) (*Plan, error) {
	region, err := c.oneRegion("DeleteAutoSnapshotPolicy", regionID)
	if err != nil {
		return nil, err
	}
	if policyID == "" {
		return nil, invalid("policy", "required")
	}
	op := Operation{
		Product: "ecs", Action: "DeleteAutoSnapshotPolicy", Region: region, Resources: []string{policyID},
		Params: map[string]string{"RegionId": region, "autoSnapshotPolicyId": policyID}, Destructive: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		req := ecs.CreateDeleteAutoSnapshotPolicyRequest()
		req.RegionId = region
		req.AutoSnapshotPolicyId = policyID
		r, err := api.ecs.DeleteAutoSnapshotPolicy(req)
		return Result{RequestID: r.RequestId}, err
	}), nil
}

// DisksWithPolicy returns the disks policyID covers: those a delete of the
// policy leaves unprotected.
func DisksWithPolicy(disks []Disk, policyID string) []Disk {
	var out []Disk
	for _, d := range disks {
		if policyID != "" && d.AutoSnapshotPolicyID == policyID {
			out = append(out, d)
		}
	}
	return out
}

// DefaultCoverageMaxAge is how old a disk's newest snapshot may be before
// the disk counts as having no backup (config default: 7 days).
const DefaultCoverageMaxAge = 7 * 24 * time.Hour

// CoverageGap is a disk with no recent backup: no automatic snapshot
// policy covers it, and its newest snapshot is older than the limit (or it
// has none).
type CoverageGap struct {
	DiskID     string
	InstanceID string // "" when the disk is not attached
	// NewestSnapshotID and Newest are the disk's newest accomplished
	// snapshot; "" and the zero time when it has none.
	NewestSnapshotID string
	Newest           time.Time
	// Age is now - Newest; 0 when there is no snapshot.
	Age time.Duration
}

// Coverage returns, by disk id, every disk that no automatic snapshot
// policy covers and whose newest accomplished snapshot is older than
// maxAge at now, or that has none. maxAge <= 0 means
// DefaultCoverageMaxAge. Snapshots still in progress or failed do not
// count as backups. A pure function: give it Disks and Snapshots of the
// same region(s).
func Coverage(disks []Disk, snapshots []Snapshot, now time.Time, maxAge time.Duration) map[string]CoverageGap {
	if maxAge <= 0 {
		maxAge = DefaultCoverageMaxAge
	}
	newest := make(map[string]Snapshot, len(disks))
	for _, s := range snapshots {
		if s.DiskID == "" || s.Status != SnapshotAccomplished {
			continue
		}
		if cur, ok := newest[s.DiskID]; !ok || s.CreatedAt.After(cur.CreatedAt) {
			newest[s.DiskID] = s
		}
	}
	gaps := map[string]CoverageGap{}
	for _, d := range disks {
		if d.AutoSnapshotPolicyID != "" {
			continue
		}
		g := CoverageGap{DiskID: d.ID, InstanceID: d.InstanceID}
		if s, ok := newest[d.ID]; ok {
			g.NewestSnapshotID, g.Newest, g.Age = s.ID, s.CreatedAt, now.Sub(s.CreatedAt)
			if g.Age <= maxAge {
				continue
			}
		}
		gaps[d.ID] = g
	}
	return gaps
}
