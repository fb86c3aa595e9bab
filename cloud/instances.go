package cloud

import (
	"cmp"
	"context"
	"slices"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// instancePageSize is DescribeInstances' maximum PageSize.
const instancePageSize = 100

// Instances lists the instances of a region, or of every region for
// AllRegions, sorted by region, then name, then ID.
func (c *Client) Instances(ctx context.Context, regionID string) ([]Instance, error) {
	out, err := eachRegion(ctx, c, regionID, c.regionInstances)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b Instance) int {
		return cmp.Or(cmp.Compare(a.RegionID, b.RegionID), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// regionInstances pages DescribeInstances for one region.
func (c *Client) regionInstances(ctx context.Context, region string) ([]Instance, error) {
	return listPages(ctx, instancePageSize, func(i Instance) string { return i.ID },
		func(ctx context.Context, page int) ([]Instance, pageInfo, error) {
			req := ecs.CreateDescribeInstancesRequest()
			req.RegionId = region
			req.PageNumber = requests.NewInteger(page)
			req.PageSize = requests.NewInteger(instancePageSize)
			var resp *ecs.DescribeInstancesResponse
			err := c.do(ctx, "DescribeInstances", region, func(api *sdkClients) (string, error) {
				r, err := api.ecs.DescribeInstances(req)
				resp = r
				return r.RequestId, err
			})
			if err != nil {
				return nil, pageInfo{}, err
			}
			items := make([]Instance, 0, len(resp.Instances.Instance))
			for _, in := range resp.Instances.Instance {
				items = append(items, instanceFromSDK(in, region))
			}
			return items, pageInfo{total: resp.TotalCount, size: resp.PageSize}, nil
		})
}

// instanceFromSDK converts, preferring the documented field where the SDK
// struct carries two spellings (Cpu/CPU, OSType/OsType, TagKey/Key).
func instanceFromSDK(in ecs.Instance, region string) Instance {
	out := Instance{
		ID:                 in.InstanceId,
		Name:               in.InstanceName,
		Description:        in.Description,
		RegionID:           cmp.Or(in.RegionId, region),
		ZoneID:             in.ZoneId,
		Status:             InstanceState(in.Status),
		Type:               in.InstanceType,
		TypeFamily:         in.InstanceTypeFamily,
		CPU:                cmp.Or(in.Cpu, in.CPU),
		MemoryMiB:          in.Memory,
		ImageID:            in.ImageId,
		OSType:             cmp.Or(in.OSType, in.OsType),
		OSName:             cmp.Or(in.OSNameEn, in.OSName),
		PublicIP:           cmp.Or(first(in.PublicIpAddress.IpAddress), in.EipAddress.IpAddress),
		PrivateIP:          cmp.Or(first(in.VpcAttributes.PrivateIpAddress.IpAddress), first(in.InnerIpAddress.IpAddress)),
		VpcID:              in.VpcAttributes.VpcId,
		VSwitchID:          in.VpcAttributes.VSwitchId,
		SecurityGroupIDs:   in.SecurityGroupIds.SecurityGroupId,
		KeyPairName:        in.KeyPairName,
		ChargeType:         in.InstanceChargeType,
		InternetChargeType: in.InternetChargeType,
		BandwidthOutMbps:   in.InternetMaxBandwidthOut,
		CreatedAt:          parseTime(in.CreationTime),
		ExpiresAt:          parseTime(in.ExpiredTime),
		StoppedMode:        in.StoppedMode,
	}
	for _, l := range in.OperationLocks.LockReason {
		out.LockReasons = append(out.LockReasons, l.LockReason)
	}
	if len(in.Tags.Tag) > 0 {
		out.Tags = make(map[string]string, len(in.Tags.Tag))
		for _, t := range in.Tags.Tag {
			out.Tags[cmp.Or(t.TagKey, t.Key)] = cmp.Or(t.TagValue, t.Value)
		}
	}
	return out
}
