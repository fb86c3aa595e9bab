package cloud

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// Snapshot statuses (DescribeSnapshots' Status, lower case).
const (
	SnapshotProgressing  = "progressing"
	SnapshotAccomplished = "accomplished"
	SnapshotFailed       = "failed"
)

// ValidateSnapshotName checks a snapshot name as CreateSnapshot does (API
// notes §3.5): 2-128 characters, starting with a letter, made of letters,
// digits, '.', '_', ':' and '-', not starting with "auto" (kept for
// automatic snapshots) nor "http://" / "https://". "" is valid: the name is
// optional. The error is a *ValidationError.
func ValidateSnapshotName(name string) error {
	if name == "" {
		return nil
	}
	n := utf8.RuneCountInString(name)
	first, _ := utf8.DecodeRuneInString(name)
	lower := strings.ToLower(name)
	switch {
	case n < 2 || n > 128:
		return invalid("snapshot name", "%d characters, must be 2 to 128", n)
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
		return invalid("snapshot name", "must not start with http:// or https://")
	case strings.HasPrefix(lower, "auto"):
		return invalid("snapshot name", `must not start with "auto" (kept for automatic snapshots)`)
	case !unicode.IsLetter(first):
		return invalid("snapshot name", "must start with a letter")
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._:-", r) {
			return invalid("snapshot name", "%q is not allowed (letters, digits, '.', '_', ':' and '-' only)", r)
		}
	}
	return nil
}

// PlanCreateSnapshot plans a manual snapshot of a disk (CreateSnapshot).
// regionID "" is the client's default region. name, description and
// retentionDays (0 = kept until deleted) are optional. It is a Create
// operation: the Plan's ClientToken makes every retry, and any re-Execute
// of the same Plan, return the first snapshot instead of a second one.
// CreateSnapshot has no DryRun in the API (the SDK request has none), so
// Precheck reports Supported false. Result.IDs holds the snapshot id.
func (c *Client) PlanCreateSnapshot(regionID, diskID, name, description string, retentionDays int) *Plan {
	region := c.regionOr(regionID)
	params := map[string]string{"RegionId": region, "DiskId": diskID}
	if name != "" {
		params["SnapshotName"] = name
	}
	if description != "" {
		params["Description"] = description
	}
	if retentionDays > 0 {
		params["RetentionDays"] = strconv.Itoa(retentionDays)
	}
	op := Operation{
		Product: "ecs", Action: "CreateSnapshot", Region: region,
		Resources: []string{diskID}, Params: params, Create: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, token string) (Result, error) {
		req := ecs.CreateCreateSnapshotRequest()
		req.RegionId = region
		req.DiskId = diskID
		req.SnapshotName = name
		req.Description = description
		if retentionDays > 0 {
			req.RetentionDays = requests.NewInteger(retentionDays)
		}
		req.ClientToken = token
		r, err := api.ecs.CreateSnapshot(req)
		res := Result{RequestID: r.RequestId}
		if err == nil && r.SnapshotId != "" {
			res.IDs = []string{r.SnapshotId}
		}
		return res, err
	})
}

// WaitSnapshot waits (Wait) until the snapshot is accomplished and returns
// it; progress, if not nil, gets its percentage each time it changes. A
// failed snapshot, or one that no longer exists, is an error.
func (c *Client) WaitSnapshot(ctx context.Context, regionID, snapshotID string, progress func(pct int)) (Snapshot, error) {
	region, err := c.oneRegion("WaitSnapshot", regionID)
	if err != nil {
		return Snapshot{}, err
	}
	var snap Snapshot
	last := -1
	err = c.Wait(ctx, func(ctx context.Context) (bool, string, error) {
		list, err := c.Snapshots(ctx, region, SnapshotFilter{IDs: []string{snapshotID}})
		if err != nil {
			return false, "", err
		}
		if len(list) == 0 {
			return false, "", fmt.Errorf("snapshot %s: not found in %s", snapshotID, region)
		}
		snap = list[0]
		if progress != nil && snap.Progress != last {
			last = snap.Progress
			progress(snap.Progress)
		}
		switch snap.Status {
		case SnapshotAccomplished:
			return true, "", nil
		case SnapshotFailed:
			return false, "", fmt.Errorf("snapshot %s: creation failed", snapshotID)
		}
		return false, strconv.Itoa(snap.Progress) + "%", nil
	}, nil)
	return snap, err
}
