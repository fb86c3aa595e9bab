package cloud

import (
	"cmp"
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// instanceTypeMaxResults is DescribeInstanceTypes' maximum (and default)
// MaxResults: one call usually returns the whole catalogue.
const instanceTypeMaxResults = 1600

// InstanceTypes lists instance type specifications (not their regional
// availability; see Zones for that).
func (c *Client) InstanceTypes(ctx context.Context, regionID string) ([]InstanceType, error) {
	region, err := c.oneRegion("InstanceTypes", regionID)
	if err != nil {
		return nil, err
	}
	return listTokens(ctx, func(ctx context.Context, token string) ([]InstanceType, string, error) {
		req := ecs.CreateDescribeInstanceTypesRequest()
		req.RegionId = region
		req.MaxResults = requests.NewInteger(instanceTypeMaxResults)
		req.NextToken = token
		var resp *ecs.DescribeInstanceTypesResponse
		err := c.do(ctx, "DescribeInstanceTypes", region, func(api *sdkClients) (string, error) {
			r, err := api.ecs.DescribeInstanceTypes(req)
			resp = r
			return r.RequestId, err
		})
		if err != nil {
			return nil, "", err
		}
		items := make([]InstanceType, 0, len(resp.InstanceTypes.InstanceType))
		for _, t := range resp.InstanceTypes.InstanceType {
			items = append(items, InstanceType{
				ID:        cmp.Or(t.InstanceTypeId, t.InstanceType),
				Family:    t.InstanceTypeFamily,
				CPU:       cmp.Or(t.CpuCoreCount, t.Cores),
				MemoryGiB: t.MemorySize,
			})
		}
		return items, resp.NextToken, nil
	})
}
