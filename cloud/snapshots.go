package cloud

import (
	"cmp"
	"context"
	"encoding/json"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// snapshotPageSize is DescribeSnapshots' maximum PageSize.
const snapshotPageSize = 100

// Snapshots lists the snapshots of a region (or of every region for
// AllRegions), narrowed by f.
func (c *Client) Snapshots(ctx context.Context, regionID string, f SnapshotFilter) ([]Snapshot, error) {
	return eachRegion(ctx, c, regionID, func(ctx context.Context, region string) ([]Snapshot, error) {
		return listPages(ctx, snapshotPageSize, func(s Snapshot) string { return s.ID },
			func(ctx context.Context, page int) ([]Snapshot, pageInfo, error) {
				req := ecs.CreateDescribeSnapshotsRequest()
				req.RegionId = region
				req.PageNumber = requests.NewInteger(page)
				req.PageSize = requests.NewInteger(snapshotPageSize)
				req.DiskId = f.DiskID
				req.InstanceId = f.InstanceID
				if len(f.IDs) > 0 {
					ids, err := json.Marshal(f.IDs)
					if err != nil {
						return nil, pageInfo{}, err
					}
					req.SnapshotIds = string(ids)
				}
				var resp *ecs.DescribeSnapshotsResponse
				err := c.do(ctx, "DescribeSnapshots", region, func(api *sdkClients) (string, error) {
					r, err := api.ecs.DescribeSnapshots(req)
					resp = r
					return r.RequestId, err
				})
				if err != nil {
					return nil, pageInfo{}, err
				}
				items := make([]Snapshot, 0, len(resp.Snapshots.Snapshot))
				for _, s := range resp.Snapshots.Snapshot {
					items = append(items, Snapshot{
						ID:            s.SnapshotId,
						Name:          s.SnapshotName,
						RegionID:      cmp.Or(s.RegionId, region),
						DiskID:        s.SourceDiskId,
						DiskType:      DiskType(strings.ToLower(s.SourceDiskType)), // the API says "System"/"Data"
						DiskSizeGiB:   atoi(s.SourceDiskSize),
						Status:        s.Status,
						Progress:      parsePercent(s.Progress),
						Type:          s.SnapshotType,
						RetentionDays: s.RetentionDays,
						CreatedAt:     parseTime(s.CreationTime),
					})
				}
				return items, pageInfo{total: resp.TotalCount, size: resp.PageSize}, nil
			})
	})
}

// policyPageSize is DescribeAutoSnapshotPolicyEx's maximum PageSize.
const policyPageSize = 100

// AutoSnapshotPolicies lists the automatic snapshot policies of a region
// (or of every region for AllRegions).
func (c *Client) AutoSnapshotPolicies(ctx context.Context, regionID string) ([]AutoSnapshotPolicy, error) {
	return eachRegion(ctx, c, regionID, func(ctx context.Context, region string) ([]AutoSnapshotPolicy, error) {
		return listPages(ctx, policyPageSize, func(p AutoSnapshotPolicy) string { return p.ID },
			func(ctx context.Context, page int) ([]AutoSnapshotPolicy, pageInfo, error) {
				req := ecs.CreateDescribeAutoSnapshotPolicyExRequest()
				req.RegionId = region
				req.PageNumber = requests.NewInteger(page)
				req.PageSize = requests.NewInteger(policyPageSize)
				var resp *ecs.DescribeAutoSnapshotPolicyExResponse
				err := c.do(ctx, "DescribeAutoSnapshotPolicyEx", region, func(api *sdkClients) (string, error) {
					r, err := api.ecs.DescribeAutoSnapshotPolicyEx(req)
					resp = r
					return r.RequestId, err
				})
				if err != nil {
					return nil, pageInfo{}, err
				}
				items := make([]AutoSnapshotPolicy, 0, len(resp.AutoSnapshotPolicies.AutoSnapshotPolicy))
				for _, p := range resp.AutoSnapshotPolicies.AutoSnapshotPolicy {
					items = append(items, AutoSnapshotPolicy{
						ID:             p.AutoSnapshotPolicyId,
						Name:           p.AutoSnapshotPolicyName,
						RegionID:       cmp.Or(p.RegionId, region),
						TimePoints:     parseIntList(p.TimePoints),
						RepeatWeekdays: parseIntList(p.RepeatWeekdays),
						RetentionDays:  p.RetentionDays,
						DiskCount:      p.DiskNums,
						Status:         p.Status,
					})
				}
				return items, pageInfo{total: resp.TotalCount, size: resp.PageSize}, nil
			})
	})
}
