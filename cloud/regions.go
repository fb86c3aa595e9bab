package cloud

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// Regions lists the regions the account can use, in the API's order.
func (c *Client) Regions(ctx context.Context) ([]Region, error) {
	req := ecs.CreateDescribeRegionsRequest()
	req.RegionId = c.region
	var resp *ecs.DescribeRegionsResponse
	err := c.do(ctx, "DescribeRegions", c.region, func(api *sdkClients) (string, error) {
		r, err := api.ecs.DescribeRegions(req)
		resp = r
		return r.RequestId, err
	})
	if err != nil {
		return nil, err
	}
	out := make([]Region, 0, len(resp.Regions.Region))
	for _, r := range resp.Regions.Region {
		out = append(out, Region{ID: r.RegionId, Name: r.LocalName, Endpoint: r.RegionEndpoint})
	}
	return out, nil
}

// Zones lists the zones of a region with what can be created in each.
func (c *Client) Zones(ctx context.Context, regionID string) ([]Zone, error) {
	region, err := c.oneRegion("Zones", regionID)
	if err != nil {
		return nil, err
	}
	req := ecs.CreateDescribeZonesRequest()
	req.RegionId = region
	var resp *ecs.DescribeZonesResponse
	err = c.do(ctx, "DescribeZones", region, func(api *sdkClients) (string, error) {
		r, err := api.ecs.DescribeZones(req)
		resp = r
		return r.RequestId, err
	})
	if err != nil {
		return nil, err
	}
	out := make([]Zone, 0, len(resp.Zones.Zone))
	for _, z := range resp.Zones.Zone {
		var sys []string
		for _, ri := range z.AvailableResources.ResourcesInfo {
			sys = append(sys, ri.SystemDiskCategories.SupportedSystemDiskCategory...)
		}
		out = append(out, Zone{
			ID:                   z.ZoneId,
			RegionID:             region,
			Name:                 z.LocalName,
			DiskCategories:       z.AvailableDiskCategories.DiskCategories,
			InstanceTypes:        z.AvailableInstanceTypes.InstanceTypes,
			SystemDiskCategories: sys,
		})
	}
	return out, nil
}
