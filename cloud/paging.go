package cloud

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

// pageConcurrency bounds the pages of one list fetched at once.
const pageConcurrency = 8

// maxPages stops a runaway listing (a server that keeps reporting more).
const maxPages = 10000

// pageInfo is what a numbered page says about the whole list.
type pageInfo struct {
	total int // TotalCount
	size  int // PageSize the server applied (0 = unknown)
}

// pageFetch fetches page number n (1-based) of a list.
type pageFetch[T any] func(ctx context.Context, n int) ([]T, pageInfo, error)

// listPages fetches a PageNumber/PageSize list: page 1 first, which tells
// how many pages there are, then all remaining pages concurrently (at most
// pageConcurrency at once), so N pages cost about two round trips of
// latency. Items come back in page order, each once (by key: a list that
// shifts between page calls can repeat an item across pages). If a later
// page reports a larger total, the extra pages are fetched too.
func listPages[T any](ctx context.Context, size int, key func(T) string, fetch pageFetch[T]) ([]T, error) {
	first, info, err := fetch(ctx, 1)
	if err != nil {
		return nil, err
	}
	if info.size > 0 && info.size < size {
		size = info.size // the server capped PageSize; count pages its way
	}
	pages := [][]T{first}
	total := info.total
	for fetched := 1; fetched < pageCount(total, size); {
		want := min(pageCount(total, size), maxPages)
		if want <= fetched {
			break
		}
		got := make([][]T, want-fetched)
		totals := make([]int, len(got))
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(pageConcurrency)
		for i := range got {
			n := fetched + 1 + i
			g.Go(func() error {
				items, info, err := fetch(gctx, n)
				if err != nil {
					return fmt.Errorf("page %d: %w", n, err)
				}
				got[i], totals[i] = items, info.total
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		pages = append(pages, got...)
		fetched = want
		for _, t := range totals {
			total = max(total, t)
		}
	}
	return unique(pages, key), nil
}

// tokenFetch fetches the page a NextToken names ("" = the first).
type tokenFetch[T any] func(ctx context.Context, token string) (items []T, next string, err error)

// listTokens follows NextToken to the end. Token pages cannot overlap: each
// names the next, so they are fetched one after another.
func listTokens[T any](ctx context.Context, fetch tokenFetch[T]) ([]T, error) {
	var all []T
	seen := map[string]bool{}
	token := ""
	for range maxPages {
		items, next, err := fetch(ctx, token)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if next == "" {
			return all, nil
		}
		if seen[next] {
			return nil, fmt.Errorf("NextToken %q repeated: the server is looping", next)
		}
		seen[next] = true
		token = next
	}
	return nil, fmt.Errorf("more than %d pages: giving up", maxPages)
}

// pageCount is ceil(total/size), at least 1.
func pageCount(total, size int) int {
	if total <= size || size <= 0 {
		return 1
	}
	return (total + size - 1) / size
}

// unique flattens pages in order, keeping the first of items with the same
// key.
func unique[T any](pages [][]T, key func(T) string) []T {
	n := 0
	for _, p := range pages {
		n += len(p)
	}
	out := make([]T, 0, n)
	seen := make(map[string]bool, n)
	for _, p := range pages {
		for _, item := range p {
			k := key(item)
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, item)
		}
	}
	return out
}
