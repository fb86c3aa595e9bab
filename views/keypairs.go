package views

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/table"
)

// KeyPairItem is a key pair with the instances bound to it.
type KeyPairItem struct {
	cloud.KeyPair
	Instances []cloud.Instance
}

// KeyPairsKind is the key pairs view: each SSH key pair with the number of
// instances that log in with it; the detail pane lists them.
func KeyPairsKind(ctx Context) Kind[KeyPairItem] {
	loc := ctx.Location()
	return Kind[KeyPairItem]{
		Name: "keypairs",
		Columns: []table.Column{
			{Title: "NAME", Width: 16, Flex: 1},
			{Title: "FINGERPRINT", Width: 32, Flex: 2, Drop: 2},
			{Title: "INSTANCES", Width: 9, Right: true},
			{Title: "CREATED", Width: 8, Right: true, Drop: 1},
		},
		Load: loadKeyPairs,
		// Names are unique per region only.
		ID:     func(k KeyPairItem) string { return k.RegionID + "/" + k.Name },
		Region: func(k KeyPairItem) string { return k.RegionID },
		Row: func(k KeyPairItem, now time.Time) table.Row {
			return table.Row{
				Cells:    []string{k.Name, orDash(k.Fingerprint), strconv.Itoa(len(k.Instances)), age(now, k.CreatedAt)},
				SortKeys: []string{"", "", "", timeKey(k.CreatedAt)},
			}
		},
		Detail: func(_ context.Context, _ *cloud.Client, k KeyPairItem) (Detail, error) {
			return keyPairDetail(k, loc), nil
		},
		Actions: keyPairActions(),
	}
}

func loadKeyPairs(ctx context.Context, c *cloud.Client, region, _ string) ([]KeyPairItem, error) {
	var (
		keys      []cloud.KeyPair
		instances []cloud.Instance
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		keys, err = c.KeyPairs(gctx, region)
		return err
	})
	g.Go(func() (err error) {
		instances, err = c.Instances(gctx, region)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	bound := map[string][]cloud.Instance{}
	for _, in := range instances {
		if in.KeyPairName != "" {
			k := in.RegionID + "/" + in.KeyPairName
			bound[k] = append(bound[k], in)
		}
	}
	items := make([]KeyPairItem, len(keys))
	for i, k := range keys {
		items[i] = KeyPairItem{KeyPair: k, Instances: bound[k.RegionID+"/"+k.Name]}
	}
	return items, nil
}

func keyPairDetail(k KeyPairItem, loc *time.Location) Detail {
	rows := make([]DetailRow, 0, len(k.Instances))
	for _, in := range k.Instances {
		rows = append(rows, DetailRow{
			Text:   fmt.Sprintf("%-22s %-20s %-9s %s", in.ID, in.Name, in.Status, orDash(in.PublicIP)),
			Target: Navigate{View: "instances", Filter: in.ID},
		})
	}
	return Detail{
		Title: k.Name,
		Fields: []Field{
			{Label: "Name", Value: k.Name},
			{Label: "Region", Value: k.RegionID},
			{Label: "Fingerprint", Value: k.Fingerprint},
			{Label: "Created", Value: Stamp(loc, k.CreatedAt)},
		},
		Sections: []Section{{Title: "Bound instances", Empty: "no instance logs in with this key", Rows: rows}},
	}
}
