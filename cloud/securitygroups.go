package cloud

import (
	"cmp"
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// securityGroupPageSize is the maximum legacy PageSize of
// DescribeSecurityGroups (NextToken paging allows 100 but is sequential).
const securityGroupPageSize = 50

// ruleMaxResults is DescribeSecurityGroupAttribute's maximum MaxResults.
const ruleMaxResults = 1000

// SecurityGroups lists the security groups of a region (or of every region
// for AllRegions).
func (c *Client) SecurityGroups(ctx context.Context, regionID string) ([]SecurityGroup, error) {
	return eachRegion(ctx, c, regionID, func(ctx context.Context, region string) ([]SecurityGroup, error) {
		return listPages(ctx, securityGroupPageSize, func(g SecurityGroup) string { return g.ID },
			func(ctx context.Context, page int) ([]SecurityGroup, pageInfo, error) {
				req := ecs.CreateDescribeSecurityGroupsRequest()
				req.RegionId = region
				req.PageNumber = requests.NewInteger(page)
				req.PageSize = requests.NewInteger(securityGroupPageSize)
				var resp *ecs.DescribeSecurityGroupsResponse
				err := c.do(ctx, "DescribeSecurityGroups", region, func(api *sdkClients) (string, error) {
					r, err := api.ecs.DescribeSecurityGroups(req)
					resp = r
					return r.RequestId, err
				})
				if err != nil {
					return nil, pageInfo{}, err
				}
				items := make([]SecurityGroup, 0, len(resp.SecurityGroups.SecurityGroup))
				for _, g := range resp.SecurityGroups.SecurityGroup {
					items = append(items, SecurityGroup{
						ID:          g.SecurityGroupId,
						Name:        g.SecurityGroupName,
						Description: g.Description,
						RegionID:    cmp.Or(resp.RegionId, region),
						VpcID:       g.VpcId,
						Type:        g.SecurityGroupType,
						CreatedAt:   parseTime(g.CreationTime),
					})
				}
				return items, pageInfo{total: resp.TotalCount, size: resp.PageSize}, nil
			})
	})
}

// SecurityGroupRules lists the ingress and egress rules of a group.
func (c *Client) SecurityGroupRules(ctx context.Context, regionID, groupID string) ([]SecurityGroupRule, error) {
	region, err := c.oneRegion("SecurityGroupRules", regionID)
	if err != nil {
		return nil, err
	}
	return listTokens(ctx, func(ctx context.Context, token string) ([]SecurityGroupRule, string, error) {
		req := ecs.CreateDescribeSecurityGroupAttributeRequest()
		req.RegionId = region
		req.SecurityGroupId = groupID
		req.Direction = "all"
		req.MaxResults = requests.NewInteger(ruleMaxResults)
		req.NextToken = token
		var resp *ecs.DescribeSecurityGroupAttributeResponse
		err := c.do(ctx, "DescribeSecurityGroupAttribute", region, func(api *sdkClients) (string, error) {
			r, err := api.ecs.DescribeSecurityGroupAttribute(req)
			resp = r
			return r.RequestId, err
		})
		if err != nil {
			return nil, "", err
		}
		items := make([]SecurityGroupRule, 0, len(resp.Permissions.Permission))
		for _, p := range resp.Permissions.Permission {
			items = append(items, SecurityGroupRule{
				ID:            p.SecurityGroupRuleId,
				GroupID:       groupID,
				Direction:     p.Direction,
				Protocol:      p.IpProtocol,
				PortRange:     p.PortRange,
				SourceCIDR:    cmp.Or(p.SourceCidrIp, p.Ipv6SourceCidrIp),
				DestCIDR:      cmp.Or(p.DestCidrIp, p.Ipv6DestCidrIp),
				SourceGroupID: p.SourceGroupId,
				DestGroupID:   p.DestGroupId,
				Policy:        p.Policy,
				Priority:      atoi(p.Priority),
				Description:   p.Description,
			})
		}
		return items, resp.NextToken, nil
	})
}
