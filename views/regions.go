package views

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/table"
)

// RegionsKind is the region picker: enter switches the dashboard to the
// region (or to every region).
func RegionsKind() Kind[cloud.Region] {
	return Kind[cloud.Region]{
		Name:   "regions",
		Hidden: true,
		Columns: []table.Column{
			{Title: "REGION", Width: 16},
			{Title: "NAME", Width: 20, Flex: 1},
			{Title: "ENDPOINT", Width: 20, Flex: 1},
		},
		Load: func(ctx context.Context, c *cloud.Client, _, _ string) ([]cloud.Region, error) {
			regions, err := c.Regions(ctx)
			if err != nil {
				return nil, err
			}
			all := cloud.Region{ID: cloud.AllRegions, Name: "every region at once"}
			return append([]cloud.Region{all}, regions...), nil
		},
		ID: func(r cloud.Region) string { return r.ID },
		Row: func(r cloud.Region, _ time.Time) table.Row {
			return table.Row{Cells: []string{r.ID, r.Name, orDash(r.Endpoint)}}
		},
		OnEnter: func(r cloud.Region) tea.Msg { return SwitchRegion{Region: r.ID} },
	}
}
