package cloud

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// statusPageSize is DescribeInstanceStatus' maximum PageSize; batching the
// IDs by the same number makes each batch one page.
const statusPageSize = 50

// InstanceStatuses returns the state of the given instances (all instances
// of the region when ids is empty). It is the cheap call for polling a
// transition. Unknown IDs are absent from the map.
func (c *Client) InstanceStatuses(ctx context.Context, regionID string, ids []string) (map[string]InstanceStatus, error) {
	region, err := c.oneRegion("InstanceStatuses", regionID)
	if err != nil {
		return nil, err
	}
	type status struct {
		id    string
		state InstanceStatus
	}
	list := func(ctx context.Context, ids []string) ([]status, error) {
		return listPages(ctx, statusPageSize, func(s status) string { return s.id },
			func(ctx context.Context, page int) ([]status, pageInfo, error) {
				req := ecs.CreateDescribeInstanceStatusRequest()
				req.RegionId = region
				req.PageNumber = requests.NewInteger(page)
				req.PageSize = requests.NewInteger(statusPageSize)
				if len(ids) > 0 {
					req.InstanceId = &ids
				}
				var resp *ecs.DescribeInstanceStatusResponse
				err := c.do(ctx, "DescribeInstanceStatus", region, func(api *sdkClients) (string, error) {
					r, err := api.ecs.DescribeInstanceStatus(req)
					resp = r
					return r.RequestId, err
				})
				if err != nil {
					return nil, pageInfo{}, err
				}
				items := make([]status, 0, len(resp.InstanceStatuses.InstanceStatus))
				for _, s := range resp.InstanceStatuses.InstanceStatus {
					items = append(items, status{id: s.InstanceId, state: InstanceStatus(s.Status)})
				}
				return items, pageInfo{total: resp.TotalCount, size: resp.PageSize}, nil
			})
	}

	var all []status
	if len(ids) == 0 {
		all, err = list(ctx, nil)
	} else {
		parts := batches(ids, statusPageSize)
		all, err = fanOut(ctx, len(parts), func(ctx context.Context, i int) ([]status, error) {
			return list(ctx, parts[i])
		})
	}
	if err != nil {
		return nil, err
	}
	out := make(map[string]InstanceStatus, len(all))
	for _, s := range all {
		out[s.id] = s.state
	}
	return out, nil
}
