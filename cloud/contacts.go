package cloud

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cms"
)

// contactPageSize is the PageSize asked of the contact APIs.
const contactPageSize = 100

// ContactGroups lists the account's alert contact groups with their
// contacts and each contact's channels: DescribeContactGroupList for the
// groups, DescribeContactList for the channels (all pages of both). A
// contact a group names but the contact list lacks has its name only.
func (c *Client) ContactGroups(ctx context.Context) ([]ContactGroup, error) {
	region := c.region
	groups, err := listPages(ctx, contactPageSize, func(g cms.ContactGroup) string { return g.Name },
		func(ctx context.Context, page int) ([]cms.ContactGroup, pageInfo, error) {
			req := cms.CreateDescribeContactGroupListRequest()
			req.RegionId, req.Domain = region, c.cmsDomain(region)
			req.PageNumber = requests.NewInteger(page)
			req.PageSize = requests.NewInteger(contactPageSize)
			var resp *cms.DescribeContactGroupListResponse
			err := c.do(ctx, "DescribeContactGroupList", region, func(api *sdkClients) (string, error) {
				r, err := api.cms.DescribeContactGroupList(req)
				resp = r
				if err == nil {
					err = cmsFailure(r.Code, r.Message, r.Success, r.RequestId)
				}
				return r.RequestId, err
			})
			if err != nil {
				return nil, pageInfo{}, err
			}
			items := resp.ContactGroupList.ContactGroup
			return items, pageInfo{total: resp.Total, size: servedSize(page, len(items), resp.Total, contactPageSize)}, nil
		})
	if err != nil {
		return nil, err
	}
	contacts, err := listPages(ctx, contactPageSize, func(ct cms.Contact) string { return ct.Name },
		func(ctx context.Context, page int) ([]cms.Contact, pageInfo, error) {
			req := cms.CreateDescribeContactListRequest()
			req.RegionId, req.Domain = region, c.cmsDomain(region)
			req.PageNumber = requests.NewInteger(page)
			req.PageSize = requests.NewInteger(contactPageSize)
			var resp *cms.DescribeContactListResponse
			err := c.do(ctx, "DescribeContactList", region, func(api *sdkClients) (string, error) {
				r, err := api.cms.DescribeContactList(req)
				resp = r
				if err == nil {
					err = cmsFailure(r.Code, r.Message, r.Success, r.RequestId)
				}
				return r.RequestId, err
			})
			if err != nil {
				return nil, pageInfo{}, err
			}
			items := resp.Contacts.Contact
			return items, pageInfo{total: resp.Total, size: servedSize(page, len(items), resp.Total, contactPageSize)}, nil
		})
	if err != nil {
		return nil, err
	}
	byName := make(map[string]Contact, len(contacts))
	for _, ct := range contacts {
		byName[ct.Name] = Contact{
			Name:        ct.Name,
			Description: ct.Desc,
			Email:       ct.Channels.Mail,
			Phone:       ct.Channels.SMS,
			DingWebhook: ct.Channels.DingWebHook,
		}
	}
	out := make([]ContactGroup, 0, len(groups))
	for _, g := range groups {
		cg := ContactGroup{Name: g.Name, Description: g.Describe}
		for _, n := range g.Contacts.Contact {
			ct, ok := byName[n]
			if !ok {
				ct = Contact{Name: n}
			}
			cg.Contacts = append(cg.Contacts, ct)
		}
		out = append(out, cg)
	}
	return out, nil
}
