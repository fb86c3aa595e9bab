package cloud

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

// fanOutConcurrency bounds the regions or batches fetched at once. Calls
// are bounded again, client-wide, by maxInFlight.
const fanOutConcurrency = 8

// fanOut runs part(ctx, i) for i in [0, n) concurrently (bounded) and
// concatenates the results in index order, so the output is stable.
func fanOut[T any](ctx context.Context, n int, part func(ctx context.Context, i int) ([]T, error)) ([]T, error) {
	if n == 1 {
		return part(ctx, 0)
	}
	parts := make([][]T, n)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(fanOutConcurrency)
	for i := range n {
		g.Go(func() error {
			items, err := part(gctx, i)
			parts[i] = items
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var all []T
	for _, p := range parts {
		all = append(all, p...)
	}
	return all, nil
}

// batches splits ids into chunks of at most size, for APIs that take a
// bounded number of IDs per call.
func batches(ids []string, size int) [][]string {
	var out [][]string
	for len(ids) > size {
		out = append(out, ids[:size])
		ids = ids[size:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// eachRegion runs list for regionID, or, for AllRegions, for every region
// DescribeRegions reports, concurrently (bounded), concatenating the
// results in the order of the regions. One failing region fails the whole
// call, named in the error.
func eachRegion[T any](ctx context.Context, c *Client, regionID string, list func(ctx context.Context, region string) ([]T, error)) ([]T, error) {
	if regionID != AllRegions {
		return list(ctx, c.regionOr(regionID))
	}
	regions, err := c.Regions(ctx)
	if err != nil {
		return nil, fmt.Errorf("list regions: %w", err)
	}
	if len(regions) == 0 {
		return nil, nil
	}
	return fanOut(ctx, len(regions), func(ctx context.Context, i int) ([]T, error) {
		items, err := list(ctx, regions[i].ID)
		if err != nil {
			return nil, fmt.Errorf("region %s: %w", regions[i].ID, err)
		}
		return items, nil
	})
}

// regionOr returns regionID, or the default region for "".
func (c *Client) regionOr(regionID string) string {
	if regionID == "" {
		return c.region
	}
	return regionID
}

// oneRegion resolves regionID for an API that works on one region only.
// Given every region it refuses with a RegionNeededError, whose message
// says what to do rather than how the client works.
func (c *Client) oneRegion(method, regionID string) (string, error) {
	if regionID == AllRegions {
		return "", &RegionNeededError{Method: method}
	}
	return c.regionOr(regionID), nil
}

// RegionNeededError refuses a call that acts on one region when it was
// given every region (AllRegions): the caller should ask which one.
type RegionNeededError struct {
	Method string // the method refused, for logs and tests; not shown
}

// regionNeededRule is what a RegionNeededError tells the user.
const regionNeededRule = "choose one first (:region NAME): this acts on one region, and the view shows every region"

// Error says what to do, in the user's words.
func (e *RegionNeededError) Error() string { return "region: " + regionNeededRule }

// Unwrap makes it a ValidationError of the field "region" (refused before
// any call; a form shows it under its Region field).
func (e *RegionNeededError) Unwrap() error {
	return &ValidationError{Field: "region", Rule: regionNeededRule}
}
