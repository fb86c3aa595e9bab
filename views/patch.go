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

// Patch state of instances (OOS): a PATCH column in the instances view
// ("3 missing", "1 failed", "ok", "never scanned") and the missing
// patches, with their severity, in an instance's detail.

// patchState is the patch states the instances view last loaded: the
// loader writes it off the UI goroutine, Row reads it on it.
type patchState struct {
	mu     sync.Mutex
	states map[string]cloud.PatchState
	known  bool
}

func (s *patchState) set(states map[string]cloud.PatchState, known bool) {
	s.mu.Lock()
	s.states, s.known = states, known
	s.mu.Unlock()
}

// cell is an instance's PATCH cell and its sort key (worst first when
// sorted descending).
func (s *patchState) cell(id string) (cell, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.known {
		return "?", "0"
	}
	st, ok := s.states[id]
	if !ok {
		return "never scanned", "1"
	}
	return patchCell(st)
}

// patchCell renders a state: failures first, then missing, else ok.
func patchCell(st cloud.PatchState) (cell, key string) {
	switch {
	case st.Failed > 0:
		return fmt.Sprintf("%d failed", st.Failed), fmt.Sprintf("4 %06d", st.Failed)
	case st.Missing > 0:
		return fmt.Sprintf("%d missing", st.Missing), fmt.Sprintf("3 %06d", st.Missing)
	case st.PendingReboot > 0:
		return "reboot", fmt.Sprintf("2 %06d", st.PendingReboot)
	}
	return "ok", "1a"
}

// patchStyle colours a PATCH cell: failed is Danger, missing or waiting
// for a reboot Warn, ok OK, unknown Muted.
func patchStyle(th theme.Theme, cell string) lipgloss.Style {
	switch {
	case strings.HasSuffix(cell, "failed"):
		return th.Danger
	case strings.HasSuffix(cell, "missing"), cell == "reboot":
		return th.Warn
	case cell == "ok":
		return th.OK
	}
	return th.Muted
}

// loadPatchStates reads the patch states of the instances, one call per
// region.
func loadPatchStates(ctx context.Context, c *cloud.Client, list []cloud.Instance) (map[string]cloud.PatchState, error) {
	regions, ids := byRegion(list)
	parts := make([]map[string]cloud.PatchState, len(regions))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, r := range regions {
		g.Go(func() (err error) {
			parts[i], err = c.PatchStates(gctx, r, ids[r])
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := map[string]cloud.PatchState{}
	for _, p := range parts {
		for k, v := range p {
			out[k] = v
		}
	}
	return out, nil
}

// WithInstancePatches adds the PATCH column to the instances kind: its
// loader also reads each instance's patch state (the instances still show
// when it cannot: "?"). Wire it where the view is built:
//
//	NewList(ctx, WithInstancePatches(InstancesKind(ctx)))
func WithInstancePatches(k Kind[cloud.Instance]) Kind[cloud.Instance] {
	st := &patchState{}
	load, row := k.Load, k.Row
	k.Columns = append(append([]table.Column(nil), k.Columns...), table.Column{Title: "PATCH", Width: 13, Style: patchStyle, Drop: 6})
	k.Load = func(ctx context.Context, c *cloud.Client, region, scope string) ([]cloud.Instance, error) {
		ins, err := load(ctx, c, region, scope)
		if err != nil {
			return nil, err
		}
		states, perr := loadPatchStates(ctx, c, ins)
		st.set(states, perr == nil)
		return ins, nil
	}
	k.Row = func(in cloud.Instance, now time.Time) table.Row {
		r := row(in, now)
		cell, key := st.cell(in.ID)
		r.Cells = append(r.Cells, cell)
		r.SortKeys = append(padKeys(r.SortKeys, len(r.Cells)-1), key)
		return r
	}
	return k
}

// patchSection is an instance's missing patches, most severe first, for
// its detail; the title carries the last scan.
func patchSection(ctx context.Context, c *cloud.Client, in cloud.Instance, loc *time.Location) Section {
	sec := Section{Title: "Missing patches", Empty: "none missing"}
	states, err := c.PatchStates(ctx, in.RegionID, []string{in.ID})
	if err != nil {
		sec.Empty = "could not read the patch state: " + err.Error()
		return sec
	}
	st, ok := states[in.ID]
	if !ok {
		sec.Empty = "never scanned: :patch scan reads its state"
		return sec
	}
	sec.Title = fmt.Sprintf("Missing patches (%d missing, %d installed, %d failed; scanned %s)", st.Missing, st.Installed, st.Failed, Stamp(loc, st.LastScan))
	list, err := c.Patches(ctx, in.RegionID, in.ID, cloud.PatchMissing)
	if err != nil {
		sec.Empty = "could not list the patches: " + err.Error()
		return sec
	}
	for _, p := range list {
		sec.Rows = append(sec.Rows, DetailRow{Text: fmt.Sprintf("%-10s %-30s %-16s %s", orDash(p.Severity), p.ID, orDash(p.Classification), p.Title)})
	}
	return sec
}

// ingressSection is the rules that apply to an instance across all its
// groups, highest priority first.
func ingressSection(ctx context.Context, c *cloud.Client, in cloud.Instance) Section {
	sec := Section{Title: "Effective ingress rules (all groups, highest priority first)", Empty: "no ingress rules: nothing can connect in"}
	rules, err := c.EffectiveIngress(ctx, in.RegionID, in)
	if err != nil {
		sec.Empty = "could not read the rules: " + err.Error()
		return sec
	}
	if len(rules) > 0 {
		sec.Rows = append(sec.Rows, DetailRow{Text: fmt.Sprintf("%-23s ", "GROUP") + "      " + fmt.Sprintf(ruleFormat, "PROTO", "PORTS", "SOURCE", "POLICY", "PRIO", "DESCRIPTION")})
	}
	for _, r := range rules {
		sec.Rows = append(sec.Rows, DetailRow{Text: fmt.Sprintf("%-23s %s", r.GroupID, ruleLine(r))})
	}
	return sec
}
