package emulator

import (
	"slices"
	"strings"
)

// DescribeKeyPairs: KeyPairName with * wildcards, KeyPairFingerPrint;
// PageSize max 50. PublicKey is only returned with IncludePublicKey=true, as
// on the real service.
func describeKeyPairs(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	withKey, err := r.boolParam("IncludePublicKey", false)
	if err != nil {
		return nil, err
	}
	tags, err := r.tagFilters()
	if err != nil {
		return nil, err
	}
	p, err := r.pager(pagingKeyPairs)
	if err != nil {
		return nil, err
	}
	name, fp := r.str("KeyPairName"), r.str("KeyPairFingerPrint")
	var list []*keyPair
	for _, kp := range st.keyPairs {
		if kp.RegionID == rg.ID && (name == "" || wildcardMatch(name, kp.Name)) && (fp == "" || kp.FingerPrint == fp) && matchTags(nil, tags) {
			list = append(list, kp)
		}
	}
	slices.SortFunc(list, func(a, b *keyPair) int { return strings.Compare(a.Name, b.Name) })
	page, _ := pageOf(list, p)
	out := make([]map[string]any, 0, len(page))
	for _, kp := range page {
		k := map[string]any{
			"KeyPairName":        kp.Name,
			"KeyPairFingerPrint": kp.FingerPrint,
			"CreationTime":       fmtSecond(kp.CreationTime),
			"ResourceGroupId":    defaultResourceGroupID,
			"Tags":               tagsJSON(nil),
		}
		if withKey {
			k["PublicKey"] = kp.PublicKey
		}
		out = append(out, k)
	}
	return map[string]any{
		"TotalCount": len(list), "PageNumber": p.PageNumber, "PageSize": p.PageSize,
		"KeyPairs": map[string]any{"KeyPair": out},
	}, nil
}
