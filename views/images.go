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
func ImagesKind(ctx Context) Kind[cloud.Image] {
	loc := ctx.Location()
	state := &imageOwnerState{}
	extras := &imageExtras{}
	return Kind[cloud.Image]{
		Name:  "images",
		Title: func() string { return "images (" + string(state.owner()) + ")" },
		Columns: []table.Column{
			{Title: "ID", Width: 22, Flex: 2},
			{Title: "NAME", Width: 14, Flex: 1},
			{Title: "OWNER", Width: 11, Drop: 5},
			{Title: "OS", Width: 14, Flex: 1, Drop: 3},
			{Title: "SIZE", Width: 7, Right: true, Drop: 2},
			{Title: "STATUS", Width: 12, Style: stateStyle},
			{Title: "PROG", Width: 4, Right: true, Drop: 7},
			{Title: "FAMILY", Width: 8, Drop: 6},
			{Title: "SHARED", Width: 6, Right: true, Drop: 8},
			{Title: "LAUNCHED", Width: 8, Right: true, Drop: 9},
			{Title: "CREATED", Width: 8, Right: true, Drop: 4},
		},
		Load: func(ctx context.Context, c *cloud.Client, region, _ string) ([]cloud.Image, error) {
			ims, err := c.Images(ctx, region, state.owner())
			if err != nil {
				return nil, err
			}
			// Who it is shared with and what runs it: not in
			// DescribeImages. A failure leaves those cells "?".
			_ = extras.load(ctx, c, region, ims)
			return ims, nil
		},
		ID:     func(im cloud.Image) string { return im.ID },
		Region: func(im cloud.Image) string { return im.RegionID },
		Row: func(im cloud.Image, now time.Time) table.Row {
			shares, known, launched := extras.of(im.ID)
			shared := "-"
			switch {
			case im.Owner != cloud.OwnerSelf:
			case !known:
				shared = "?"
			default:
				shared = intKey(len(shares))
			}
			cells := []string{
				im.ID, orDash(im.Name), string(im.Owner), osName(im.OSName), gib(im.SizeGiB),
				im.Status, imageProgress(im), orDash(im.Family), shared, intKey(len(launched)), age(now, im.CreatedAt),
			}
			keys := make([]string, len(cells))
			keys[4] = intKey(im.SizeGiB)
			keys[6] = intKey(im.Progress)
			keys[8] = intKey(len(shares))
			keys[9] = intKey(len(launched))
			keys[10] = timeKey(im.CreatedAt)
			return table.Row{Cells: cells, SortKeys: keys}
		},
		Detail: func(ctx context.Context, c *cloud.Client, im cloud.Image) (Detail, error) {
			return imageDetailWith(ctx, c, im, loc)
		},
		Actions: append(imageActions(), Action[cloud.Image]{
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
		}),
	}
}

// imageProgress is an image's progress: 100 % once it is usable.
func imageProgress(im cloud.Image) string {
	if im.Status == cloud.ImageAvailable || im.Status == cloud.ImageDeprecated {
		return percent(100)
	}
	return percent(im.Progress)
}

// imageDetailWith is the detail pane with who the image is shared with
// (own images) and the instances launched from it.
func imageDetailWith(ctx context.Context, c *cloud.Client, im cloud.Image, loc *time.Location) (Detail, error) {
	d := imageDetail(im, loc)
	var shares []string
	if im.Owner == cloud.OwnerSelf {
		var err error
		if shares, err = c.ImageShares(ctx, im.RegionID, im.ID); err != nil {
			return Detail{}, fmt.Errorf("details of %s: %w", im.ID, err)
		}
	}
	ins, err := c.Instances(ctx, im.RegionID)
	if err != nil {
		return Detail{}, fmt.Errorf("details of %s: %w", im.ID, err)
	}
	var shareRows, instRows []DetailRow
	for _, a := range shares {
		shareRows = append(shareRows, DetailRow{Text: a})
	}
	for _, in := range ins {
		if in.ImageID == im.ID {
			instRows = append(instRows, DetailRow{
				Text:   fmt.Sprintf("%-22s %-16s %s", in.ID, in.Name, in.Status),
				Target: Navigate{View: "instances", Filter: in.ID},
			})
		}
	}
	d.Sections = []Section{
		{Title: "Shared with", Empty: "nobody", Rows: shareRows},
		{Title: "Instances launched from it", Empty: "none", Rows: instRows},
	}
	return d, nil
}

// osName collapses the API's doubled spaces ("Ubuntu  22.04 64 bit").
func osName(s string) string { return orDash(strings.Join(strings.Fields(s), " ")) }

func imageDetail(im cloud.Image, loc *time.Location) Detail {
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
			{Label: "Created", Value: Stamp(loc, im.CreatedAt)},
		},
	}
}
