package cloud

import (
	"cmp"
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// imagePageSize is DescribeImages' maximum PageSize.
const imagePageSize = 100

// ownImageStatuses asks for every status of one's own images: DescribeImages
// returns only Available ones by default, which would hide an image being
// created (and its progress) or one that failed.
const ownImageStatuses = "Creating,Waiting,Available,UnAvailable,CreateFailed,Deprecated"

// Images lists the images of a region (or of every region for AllRegions)
// by owner; "" means no owner filter. Own images come in every status,
// others only when Available, as the API defaults.
func (c *Client) Images(ctx context.Context, regionID string, owner ImageOwner) ([]Image, error) {
	return eachRegion(ctx, c, regionID, func(ctx context.Context, region string) ([]Image, error) {
		return listPages(ctx, imagePageSize, func(i Image) string { return i.ID },
			func(ctx context.Context, page int) ([]Image, pageInfo, error) {
				req := ecs.CreateDescribeImagesRequest()
				req.RegionId = region
				req.PageNumber = requests.NewInteger(page)
				req.PageSize = requests.NewInteger(imagePageSize)
				req.ImageOwnerAlias = string(owner)
				if owner == OwnerSelf {
					req.Status = ownImageStatuses
				}
				var resp *ecs.DescribeImagesResponse
				err := c.do(ctx, "DescribeImages", region, func(api *sdkClients) (string, error) {
					r, err := api.ecs.DescribeImages(req)
					resp = r
					return r.RequestId, err
				})
				if err != nil {
					return nil, pageInfo{}, err
				}
				items := make([]Image, 0, len(resp.Images.Image))
				for _, im := range resp.Images.Image {
					items = append(items, Image{
						ID:           im.ImageId,
						Name:         im.ImageName,
						RegionID:     cmp.Or(resp.RegionId, region),
						Owner:        ImageOwner(im.ImageOwnerAlias),
						Status:       im.Status,
						SizeGiB:      im.Size,
						OSType:       im.OSType,
						OSName:       cmp.Or(im.OSNameEn, im.OSName),
						Platform:     im.Platform,
						Architecture: im.Architecture,
						CreatedAt:    parseTime(im.CreationTime),
						Progress:     parsePercent(im.Progress),
						Family:       im.ImageFamily,
					})
				}
				return items, pageInfo{total: resp.TotalCount, size: resp.PageSize}, nil
			})
	})
}
