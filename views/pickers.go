package views

import (
	"context"
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// The searchable pickers of the forms: every field that takes an
// instance, disk, snapshot, image, policy or group lists them as
// "name (id)", filtered by what is typed (form.Picker). A picker that
// could not load its options still takes a typed id.

// pickOption is one option of a picker.
type pickOption struct {
	ID, Name, Desc string
	Label          string // shown instead of "name (id)" when set
}

// label is "name (id)", or the id alone for a resource without a name.
func (p pickOption) label() string {
	if p.Label != "" {
		return p.Label
	}
	if p.Name == "" || p.Name == p.ID {
		return p.ID
	}
	return p.Name + " (" + p.ID + ")"
}

// pickColumns splits picks into a Picker's options, labels and
// descriptions.
func pickColumns(ps []pickOption) (ids, labels, descs []string) {
	for _, p := range ps {
		ids = append(ids, p.ID)
		labels = append(labels, p.label())
		descs = append(descs, p.Desc)
	}
	return ids, labels, descs
}

// loadPicks runs load off the UI goroutine and fills the opForm's Picker.
func loadPicks(ctx Context, view string, id int64, key string, load func(context.Context) ([]pickOption, func(), error)) tea.Cmd {
	timeout := ctx.timeout()
	return func() tea.Msg {
		c, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		ps, apply, err := load(c)
		ids, labels, descs := pickColumns(ps)
		return opOptions{view: view, id: id, key: key, options: ids, labels: labels, descs: descs, apply: apply, err: err}
	}
}

// setPicks fills a Picker of a form directly (a backup form's fill).
func setPicks(m *form.Model, key string, ps []pickOption) {
	ids, labels, descs := pickColumns(ps)
	m.SetChoices(key, ids, labels, descs)
}

// instancePick is an instance as a picker option.
func instancePick(in cloud.Instance) pickOption {
	return pickOption{ID: in.ID, Name: in.Name, Desc: fmt.Sprintf("%s %s", in.Status, in.ZoneID)}
}

// snapshotPick is a snapshot as a picker option.
func snapshotPick(s cloud.Snapshot) pickOption {
	return pickOption{ID: s.ID, Name: s.Name, Desc: fmt.Sprintf("%s of %s, %s", gib(s.DiskSizeGiB), orDash(s.DiskID), s.Status)}
}

// snapshotPicks lists the region's snapshots that keep, newest first as
// the API lists them.
func snapshotPicks(c context.Context, client *cloud.Client, region string, keep func(cloud.Snapshot) bool) ([]pickOption, error) {
	snaps, err := client.Snapshots(c, region, cloud.SnapshotFilter{})
	if err != nil {
		return nil, err
	}
	var out []pickOption
	for _, s := range snaps {
		if keep == nil || keep(s) {
			out = append(out, snapshotPick(s))
		}
	}
	return out, nil
}

// instancePicks lists the region's instances that keep.
func instancePicks(c context.Context, client *cloud.Client, region string, keep func(cloud.Instance) bool) ([]pickOption, error) {
	all, err := client.Instances(c, region)
	if err != nil {
		return nil, err
	}
	var out []pickOption
	for _, in := range all {
		if keep == nil || keep(in) {
			out = append(out, instancePick(in))
		}
	}
	return out, nil
}

// diskPicks lists the region's disks the filter selects and keep keeps.
func diskPicks(c context.Context, client *cloud.Client, region string, f cloud.DiskFilter, keep func(cloud.Disk) bool) ([]pickOption, error) {
	ds, err := client.Disks(c, region, f)
	if err != nil {
		return nil, err
	}
	var out []pickOption
	for _, d := range ds {
		if keep == nil || keep(d) {
			out = append(out, pickOption{ID: d.ID, Name: d.Name,
				Desc: fmt.Sprintf("%s %s %s %s", d.Type, category(d.Category, d.PerformanceLevel), gib(d.SizeGiB), d.ZoneID)})
		}
	}
	return out, nil
}

// pickFill is a backup form's fill of the Picker key from load.
func pickFill(key string, load func(context.Context) ([]pickOption, error)) func(context.Context) (func(*form.Model), error) {
	return func(c context.Context) (func(*form.Model), error) {
		ps, err := load(c)
		if err != nil {
			return nil, err
		}
		return func(m *form.Model) { setPicks(m, key, ps) }, nil
	}
}

// bothFills runs every non-nil fill in turn and applies all their answers.
func bothFills(fills ...func(context.Context) (func(*form.Model), error)) func(context.Context) (func(*form.Model), error) {
	fills = slices.DeleteFunc(fills, func(f func(context.Context) (func(*form.Model), error)) bool { return f == nil })
	if len(fills) == 0 {
		return nil
	}
	return func(c context.Context) (func(*form.Model), error) {
		var applies []func(*form.Model)
		for _, f := range fills {
			a, err := f(c)
			if err != nil {
				return nil, err
			}
			applies = append(applies, a)
		}
		return func(m *form.Model) {
			for _, a := range applies {
				a(m)
			}
		}, nil
	}
}

// oneRegionFill is fill, or nil in a view of every region (region
// AllRegions), whose action works in one region: the field takes a typed
// id there rather than offer what another region holds.
func oneRegionFill(region string, fill func(context.Context) (func(*form.Model), error)) func(context.Context) (func(*form.Model), error) {
	if region == cloud.AllRegions {
		return nil
	}
	return fill
}
