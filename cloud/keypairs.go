package cloud

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// keyPairPageSize is DescribeKeyPairs' maximum PageSize.
const keyPairPageSize = 50

// KeyPairs lists the SSH key pairs of a region (or of every region for
// AllRegions). Private keys are never returned by the API.
func (c *Client) KeyPairs(ctx context.Context, regionID string) ([]KeyPair, error) {
	return eachRegion(ctx, c, regionID, func(ctx context.Context, region string) ([]KeyPair, error) {
		return listPages(ctx, keyPairPageSize, func(k KeyPair) string { return k.Name },
			func(ctx context.Context, page int) ([]KeyPair, pageInfo, error) {
				req := ecs.CreateDescribeKeyPairsRequest()
				req.RegionId = region
				req.PageNumber = requests.NewInteger(page)
				req.PageSize = requests.NewInteger(keyPairPageSize)
				var resp *ecs.DescribeKeyPairsResponse
				err := c.do(ctx, "DescribeKeyPairs", region, func(api *sdkClients) (string, error) {
					r, err := api.ecs.DescribeKeyPairs(req)
					resp = r
					return r.RequestId, err
				})
				if err != nil {
					return nil, pageInfo{}, err
				}
				items := make([]KeyPair, 0, len(resp.KeyPairs.KeyPair))
				for _, k := range resp.KeyPairs.KeyPair {
					items = append(items, KeyPair{
						Name:        k.KeyPairName,
						RegionID:    region,
						Fingerprint: k.KeyPairFingerPrint,
						CreatedAt:   parseTime(k.CreationTime),
					})
				}
				return items, pageInfo{total: resp.TotalCount, size: resp.PageSize}, nil
			})
	})
}
