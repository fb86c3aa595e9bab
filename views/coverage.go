package views

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"charm.land/lipgloss/v2"
	"golang.org/x/sync/errgroup"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/views/table"
)

// Backup coverage, which no other tool shows: a disk that no automatic
// snapshot policy covers and whose newest accomplished snapshot is older
// than maxAge (or that has none) has no backup. The disks and instances
// views mark such disks in a BACKUP column; `ecsdash status` counts them
// (CoverageGaps).

// CoverageGaps returns, by disk id, the disks of region (narrowed by scope:
// an instance i-… or a disk d-…, "" = all) with no recent backup. maxAge
// <= 0 is cloud.DefaultCoverageMaxAge (7 days).
func CoverageGaps(ctx context.Context, c *cloud.Client, region, scope string, maxAge time.Duration, now time.Time) (map[string]cloud.CoverageGap, error) {
	var (
		disks []cloud.Disk
		snaps []cloud.Snapshot
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		disks, err = c.Disks(gctx, region, diskFilter(scope))
		return err
	})
	g.Go(func() (err error) {
		snaps, err = c.Snapshots(gctx, region, snapshotFilter(scope))
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return cloud.Coverage(disks, snaps, now, maxAge), nil
}

// coverageState is the gaps a view last loaded: the loader writes it off
// the UI goroutine, Row reads it on it.
type coverageState struct {
	maxAge time.Duration
	mu     sync.Mutex
	gaps   map[string]cloud.CoverageGap
	known  bool
	// fetched/region: when and for which region the gaps were read. The
	// instances view refreshes every few seconds; backups change on the
	// scale of hours, so it re-reads every disk and snapshot at most once
	// per coverageTTL instead of on every refresh (API rate limits).
	fetched time.Time
	region  string
}

// coverageTTL is how long the instances view reuses its coverage answer.
const coverageTTL = 5 * time.Minute

func (s *coverageState) set(gaps map[string]cloud.CoverageGap, known bool) {
	s.mu.Lock()
	s.gaps, s.known = gaps, known
	s.mu.Unlock()
}

// fresh reports whether the gaps of region were read within coverageTTL.
func (s *coverageState) fresh(region string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.known && s.region == region && time.Since(s.fetched) < coverageTTL
}

// fetchedFor records a successful read for region.
func (s *coverageState) fetchedFor(region string) {
	s.mu.Lock()
	s.fetched, s.region = time.Now(), region
	s.mu.Unlock()
}

// diskCell is a disk's BACKUP cell: "ok" (covered), or "! none" / "! 12d"
// (the age of its newest snapshot) for a gap; "?" when unknown.
func (s *coverageState) diskCell(id string, now time.Time) (cell, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.known {
		return "?", "1"
	}
	g, gap := s.gaps[id]
	if !gap {
		return "ok", "0"
	}
	if g.NewestSnapshotID == "" {
		return "! none", "3"
	}
	return "! " + age(now, g.Newest), "2 " + timeKey(g.Newest)
}

// instanceCell is an instance's BACKUP cell: "ok", or "! 2 disks" with
// no recent backup.
func (s *coverageState) instanceCell(id string) (cell, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.known {
		return "?", "-1"
	}
	n := 0
	for _, g := range s.gaps {
		if g.InstanceID == id {
			n++
		}
	}
	switch n {
	case 0:
		return "ok", "0"
	case 1:
		return "! 1 disk", "1"
	}
	return fmt.Sprintf("! %d disks", n), intKey(n)
}

// coverageStyle colours a BACKUP cell: a gap is Danger.
func coverageStyle(th theme.Theme, cell string) lipgloss.Style {
	switch {
	case strings.HasPrefix(cell, "!"):
		return th.Danger
	case cell == "ok":
		return th.OK
	}
	return th.Muted
}

// coverageColumn is the BACKUP column; it gives way early on a narrow
// screen only after the least useful columns.
func coverageColumn(drop int) table.Column {
	return table.Column{Title: "BACKUP", Width: 9, Style: coverageStyle, Drop: drop}
}

// WithDiskCoverage adds the BACKUP column to the disks kind: its loader
// also lists the snapshots of the same scope and computes the gaps
// (cloud.Coverage); each row shows whether its disk has a recent backup.
// maxAge <= 0 is 7 days. Wire it where the view is built:
//
//	NewList(ctx, WithDiskCoverage(DisksKind(ctx), maxAge))
func WithDiskCoverage(k Kind[cloud.Disk], maxAge time.Duration) Kind[cloud.Disk] {
	st := &coverageState{maxAge: maxAge}
	load, row := k.Load, k.Row
	k.Columns = append(append([]table.Column(nil), k.Columns...), coverageColumn(3))
	k.Load = func(ctx context.Context, c *cloud.Client, region, scope string) ([]cloud.Disk, error) {
		var (
			disks []cloud.Disk
			snaps []cloud.Snapshot
			snErr error
		)
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() (err error) {
			disks, err = load(gctx, c, region, scope)
			return err
		})
		g.Go(func() error {
			snaps, snErr = c.Snapshots(gctx, region, snapshotFilter(scope))
			return nil // the disks still show without the marks
		})
		if err := g.Wait(); err != nil {
			return nil, err
		}
		if snErr != nil {
			st.set(nil, false)
		} else {
			st.set(cloud.Coverage(disks, snaps, time.Now(), st.maxAge), true)
		}
		return disks, nil
	}
	k.Row = func(d cloud.Disk, now time.Time) table.Row {
		r := row(d, now)
		cell, key := st.diskCell(d.ID, now)
		r.Cells = append(r.Cells, cell)
		r.SortKeys = append(padKeys(r.SortKeys, len(r.Cells)-1), key)
		return r
	}
	return k
}

// WithInstanceCoverage adds the BACKUP column to the instances kind: how
// many of each instance's disks have no recent backup. Its loader also
// lists the region's disks and snapshots. Wire it where the view is built:
//
//	NewList(ctx, WithInstanceCoverage(InstancesKind(ctx), maxAge))
func WithInstanceCoverage(k Kind[cloud.Instance], maxAge time.Duration) Kind[cloud.Instance] {
	st := &coverageState{maxAge: maxAge}
	load, row := k.Load, k.Row
	k.Columns = append(append([]table.Column(nil), k.Columns...), coverageColumn(7))
	k.Load = func(ctx context.Context, c *cloud.Client, region, scope string) ([]cloud.Instance, error) {
		var (
			ins   []cloud.Instance
			gaps  map[string]cloud.CoverageGap
			gpErr error
		)
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() (err error) {
			ins, err = load(gctx, c, region, scope)
			return err
		})
		refresh := !isAutoRefresh(ctx) || !st.fresh(region)
		if refresh {
			g.Go(func() error {
				gaps, gpErr = CoverageGaps(gctx, c, region, "", st.maxAge, time.Now())
				return nil // the instances still show without the marks
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		if refresh {
			st.set(gaps, gpErr == nil)
			if gpErr == nil {
				st.fetchedFor(region)
			}
		}
		return ins, nil
	}
	k.Row = func(in cloud.Instance, now time.Time) table.Row {
		r := row(in, now)
		cell, key := st.instanceCell(in.ID)
		r.Cells = append(r.Cells, cell)
		r.SortKeys = append(padKeys(r.SortKeys, len(r.Cells)-1), key)
		return r
	}
	return k
}

// padKeys makes keys n long (a row may leave SortKeys short or nil).
func padKeys(keys []string, n int) []string {
	for len(keys) < n {
		keys = append(keys, "")
	}
	return keys[:n]
}
