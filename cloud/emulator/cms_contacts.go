package emulator

import (
	"sort"
	"strings"
	"time"
)

// CloudMonitor alert contacts and contact groups: DescribeContactGroupList
// and DescribeContactList (notes §3.9). The account has a fixed, seeded set;
// the emulator does not implement PutContact/PutContactGroup.

// contact is an alert contact and the channels it is reached on.
type contact struct {
	Name, Desc           string
	Mail, SMS, DingHook  string // "" when the channel is not set
	Lang                 string // zh_CN, en
	CreateTime, Modified time.Time
}

// contactGroup is a named list of contacts that alarm rules notify.
type contactGroup struct {
	Name, Describe       string
	Contacts             []string // contact names
	EnableSubscribed     bool     // weekly report
	CreateTime, Modified time.Time
}

// seedContacts returns the demo account's contacts and groups, created a
// few months before now.
func seedContacts(now time.Time) (map[string]*contact, []*contactGroup) {
	created := now.UTC().Truncate(time.Hour).Add(-120 * 24 * time.Hour)
	contacts := map[string]*contact{
		"alice": {Name: "alice", Desc: "SRE on call (primary)", Mail: "alice@example.com", SMS: "1380013****", Lang: "en"},
		"bob":   {Name: "bob", Desc: "SRE on call (secondary)", Mail: "bob@example.com", DingHook: "https://oapi.dingtalk.com/robot/send?access_token=3f9a****", Lang: "en"},
		"carol": {Name: "carol", Desc: "Database administrator", Mail: "carol@example.com", SMS: "1390013****", Lang: "zh_CN"},
	}
	for _, c := range contacts {
		c.CreateTime, c.Modified = created, created.Add(7*24*time.Hour)
	}
	groups := []*contactGroup{
		{Name: "ops-oncall", Describe: "Operations on-call rotation", Contacts: []string{"alice", "bob"}, EnableSubscribed: true},
		{Name: "dba", Describe: "Database team", Contacts: []string{"carol"}},
		{Name: "web-team", Describe: "Web front-end owners", Contacts: []string{"bob"}},
	}
	for _, g := range groups {
		g.CreateTime, g.Modified = created, created.Add(14*24*time.Hour)
	}
	return contacts, groups
}

// contactGroup returns a group by name, or nil.
func (c *cmsState) contactGroup(name string) *contactGroup {
	for _, g := range c.groups {
		if g.Name == name {
			return g
		}
	}
	return nil
}

// groupsOf lists the groups a contact belongs to, in group order.
func (c *cmsState) groupsOf(name string) []string {
	out := []string{}
	for _, g := range c.groups {
		for _, n := range g.Contacts {
			if n == name {
				out = append(out, g.Name)
				break
			}
		}
	}
	return out
}

// pagingContacts bounds the contact APIs' PageNumber/PageSize (default 100,
// as the console lists them; the docs give no maximum, 100 is assumed).
var pagingContacts = pageLimits{pageSizeDefault: 100, pageSizeMax: 100}

// describeContactGroupList answers DescribeContactGroupList: the legacy
// list of names (ContactGroups.ContactGroup) and the full groups
// (ContactGroupList.ContactGroup, contacts by name), paged.
func (s *Server) describeContactGroupList(r *request) (any, error) {
	p, err := r.pager(pagingContacts)
	if err != nil {
		return nil, err
	}
	c := s.store.cms
	page, _ := pageOf(c.groups, p)
	names := make([]string, 0, len(page))
	full := make([]map[string]any, 0, len(page))
	for _, g := range page {
		names = append(names, g.Name)
		full = append(full, map[string]any{
			"Name":                g.Name,
			"Describe":            g.Describe,
			"Contacts":            map[string]any{"Contact": append([]string{}, g.Contacts...)},
			"EnableSubscribed":    g.EnableSubscribed,
			"EnabledWeeklyReport": g.EnableSubscribed,
			"CreateTime":          g.CreateTime.UnixMilli(),
			"UpdateTime":          g.Modified.UnixMilli(),
		})
	}
	return map[string]any{
		"Code":             "200",
		"Success":          true,
		"Total":            len(c.groups),
		"ContactGroups":    map[string]any{"ContactGroup": names},
		"ContactGroupList": map[string]any{"ContactGroup": full},
	}, nil
}

// describeContactList answers DescribeContactList: contacts with their
// channels (Mail, SMS, DingWebHook, AliIM) and channel states, filtered by
// ContactName (exact) and ChanelType/ChanelValue (sic: the API's spelling).
func (s *Server) describeContactList(r *request) (any, error) {
	p, err := r.pager(pagingContacts)
	if err != nil {
		return nil, err
	}
	c := s.store.cms
	names := make([]string, 0, len(c.contacts))
	for n := range c.contacts {
		names = append(names, n)
	}
	sort.Strings(names)
	chType, chValue := r.str("ChanelType"), r.str("ChanelValue")
	var list []*contact
	for _, n := range names {
		ct := c.contacts[n]
		if v := r.str("ContactName"); v != "" && v != ct.Name {
			continue
		}
		if chType != "" || chValue != "" {
			if !contactHasChannel(ct, chType, chValue) {
				continue
			}
		}
		list = append(list, ct)
	}
	page, _ := pageOf(list, p)
	out := make([]map[string]any, 0, len(page))
	for _, ct := range page {
		out = append(out, map[string]any{
			"Name":       ct.Name,
			"Desc":       ct.Desc,
			"Lang":       ct.Lang,
			"CreateTime": ct.CreateTime.UnixMilli(),
			"UpdateTime": ct.Modified.UnixMilli(),
			"Channels": map[string]any{
				"Mail": ct.Mail, "SMS": ct.SMS, "DingWebHook": ct.DingHook, "AliIM": "",
			},
			"ChannelsState": map[string]any{
				"Mail": channelState(ct.Mail), "SMS": channelState(ct.SMS),
				"DingWebHook": channelState(ct.DingHook), "AliIM": "",
			},
			"ContactGroups": map[string]any{"ContactGroup": c.groupsOf(ct.Name)},
		})
	}
	return map[string]any{
		"Code":     "200",
		"Success":  true,
		"Total":    len(list),
		"Contacts": map[string]any{"Contact": out},
	}, nil
}

// contactHasChannel reports whether a contact has the channel type (Mail,
// SMS, DingWebHook; any when "") with the value (any when "").
func contactHasChannel(ct *contact, chType, chValue string) bool {
	channels := map[string]string{"Mail": ct.Mail, "SMS": ct.SMS, "DingWebHook": ct.DingHook}
	for k, v := range channels {
		if v == "" || (chType != "" && !strings.EqualFold(k, chType)) {
			continue
		}
		if chValue == "" || v == chValue {
			return true
		}
	}
	return false
}

// channelState is how the service reports a configured channel: OK once
// the contact has activated it.
func channelState(v string) string {
	if v == "" {
		return ""
	}
	return "OK"
}
