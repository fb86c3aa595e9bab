package cloud

import (
	"cmp"
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// diskPageSize is the maximum legacy PageSize of DescribeDisks, and the
// maximum number of DiskIds one call may filter on.
const diskPageSize = 100

// Disks lists the disks of a region (or of every region for AllRegions),
// narrowed by f. More than 100 DiskIDs are split over several calls.
func (c *Client) Disks(ctx context.Context, regionID string, f DiskFilter) ([]Disk, error) {
	return eachRegion(ctx, c, regionID, func(ctx context.Context, region string) ([]Disk, error) {
		if len(f.DiskIDs) == 0 {
			return c.regionDisks(ctx, region, f.InstanceID, nil)
		}
		parts := batches(f.DiskIDs, diskPageSize)
		return fanOut(ctx, len(parts), func(ctx context.Context, i int) ([]Disk, error) {
			return c.regionDisks(ctx, region, f.InstanceID, parts[i])
		})
	})
}

// regionDisks pages DescribeDisks for one region and at most 100 disk IDs.
func (c *Client) regionDisks(ctx context.Context, region, instanceID string, diskIDs []string) ([]Disk, error) {
	return listPages(ctx, diskPageSize, func(d Disk) string { return d.ID },
		func(ctx context.Context, page int) ([]Disk, pageInfo, error) {
			req := ecs.CreateDescribeDisksRequest()
			req.RegionId = region
			req.PageNumber = requests.NewInteger(page)
			req.PageSize = requests.NewInteger(diskPageSize)
			req.InstanceId = instanceID
			if len(diskIDs) > 0 {
				req.DiskIds = jsonList(diskIDs)
			}
			var resp *ecs.DescribeDisksResponse
			err := c.do(ctx, "DescribeDisks", region, func(api *sdkClients) (string, error) {
				r, err := api.ecs.DescribeDisks(req)
				resp = r
				return r.RequestId, err
			})
			if err != nil {
				return nil, pageInfo{}, err
			}
			items := make([]Disk, 0, len(resp.Disks.Disk))
			for _, d := range resp.Disks.Disk {
				items = append(items, diskFromSDK(d, region))
			}
			return items, pageInfo{total: resp.TotalCount, size: resp.PageSize}, nil
		})
}

func diskFromSDK(d ecs.Disk, region string) Disk {
	return Disk{
		ID:                   d.DiskId,
		Name:                 d.DiskName,
		RegionID:             cmp.Or(d.RegionId, region),
		ZoneID:               d.ZoneId,
		Type:                 DiskType(d.Type),
		Category:             d.Category,
		PerformanceLevel:     d.PerformanceLevel,
		SizeGiB:              d.Size,
		Status:               DiskState(d.Status),
		InstanceID:           d.InstanceId,
		Device:               d.Device,
		Portable:             d.Portable,
		DeleteWithInstance:   d.DeleteWithInstance,
		AutoSnapshotPolicyID: d.AutoSnapshotPolicyId,
		ImageID:              d.ImageId,
		SourceSnapshotID:     d.SourceSnapshotId,
		Encrypted:            d.Encrypted,
		CreatedAt:            parseTime(d.CreationTime),
	}
}
