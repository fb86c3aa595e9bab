package views

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/table"
)

// imageOwners is the order the owner key cycles through.
var imageOwners = []cloud.ImageOwner{cloud.OwnerSelf, cloud.OwnerSystem, cloud.OwnerOthers, cloud.OwnerMarketplace}

// imageOwnerState is the owner an images view lists. The loader reads it
// off the UI goroutine, hence the atomic.
type imageOwnerState struct{ i atomic.Int32 }

func (s *imageOwnerState) owner() cloud.ImageOwner { return imageOwners[s.i.Load()] }

// set selects an owner by name; an unknown one is refused naming the choices.
func (s *imageOwnerState) set(o cloud.ImageOwner) error {
	for i, known := range imageOwners {
		if known == o {
			s.i.Store(int32(i))
			return nil
		}
	}
	return fmt.Errorf("image owner must be self, system, others or marketplace, not %q", o)
}

func (s *imageOwnerState) next() {
	s.i.Store((s.i.Load() + 1) % int32(len(imageOwners)))
}

// ImagesKind is the images view: the region's images of one owner (self by
// default; o cycles self, system, others, marketplace and reloads).
func ImagesKind() Kind[cloud.Image] {
	state := &imageOwnerState{}
	return Kind[cloud.Image]{
		Name:  "images",
		Title: func() string { return "images (" + string(state.owner()) + ")" },
		Columns: []table.Column{
			{Title: "ID", Width: 22, Flex: 1},
			{Title: "NAME", Width: 14, Flex: 1},
			{Title: "OWNER", Width: 11, Drop: 5},
			{Title: "OS", Width: 14, Flex: 1, Drop: 3},
			{Title: "SIZE", Width: 7, Right: true, Drop: 2},
			{Title: "STATUS", Width: 12, Style: stateStyle},
			{Title: "FAMILY", Width: 8, Drop: 6},
			{Title: "CREATED", Width: 8, Right: true, Drop: 4},
		},
		Load: func(ctx context.Context, c *cloud.Client, region, _ string) ([]cloud.Image, error) {
			return c.Images(ctx, region, state.owner())
		},
		ID: func(im cloud.Image) string { return im.ID },
		Row: func(im cloud.Image, now time.Time) table.Row {
			cells := []string{
				im.ID, orDash(im.Name), string(im.Owner), osName(im.OSName), gib(im.SizeGiB),
				im.Status, orDash(im.Family), age(now, im.CreatedAt),
			}
			keys := make([]string, len(cells))
			keys[4] = intKey(im.SizeGiB)
			keys[7] = timeKey(im.CreatedAt)
			return table.Row{Cells: cells, SortKeys: keys}
		},
		Detail: func(_ context.Context, _ *cloud.Client, im cloud.Image) (Detail, error) {
			return imageDetail(im), nil
		},
		Actions: []Action[cloud.Image]{{
			Name: "owner", Args: "[self|system|others|marketplace]", Help: "owner: self/system/others/marketplace", Keys: []string{"o"},
			Run: func(l *List[cloud.Image], ctx Context, args []string) tea.Cmd {
				if len(args) > 0 {
					if err := state.set(cloud.ImageOwner(args[0])); err != nil {
						return func() tea.Msg { return Report{Action: "list images by owner", Err: err} }
					}
				} else {
					state.next()
				}
				l.ResetData() // the rows of the previous owner would mislead
				return l.Load(ctx)
			},
		}},
	}
}

// osName collapses the API's doubled spaces ("Ubuntu  22.04 64 bit").
func osName(s string) string { return orDash(strings.Join(strings.Fields(s), " ")) }

func imageDetail(im cloud.Image) Detail {
	return Detail{
		Title: im.ID,
		Fields: []Field{
			{Label: "Name", Value: im.Name},
			{Label: "Owner", Value: string(im.Owner)},
			{Label: "Status", Value: im.Status, Style: stateStyle},
			{Label: "Progress", Value: percent(im.Progress)},
			{Label: "Region", Value: im.RegionID},
			{Label: "OS", Value: fmt.Sprintf("%s (%s)", osName(im.OSName), orDash(im.OSType))},
			{Label: "Platform", Value: im.Platform},
			{Label: "Architecture", Value: im.Architecture},
			{Label: "Family", Value: im.Family},
			{Label: "Size", Value: gib(im.SizeGiB)},
			{Label: "Created", Value: stamp(im.CreatedAt)},
		},
	}
}
