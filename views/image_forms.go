package views

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// bkLoading is a modal that waits for what a form needs before it can be
// pre-filled (a launch's defaults, an image's current shares), then
// replaces itself with the form. esc gives up.
type bkLoading struct {
	view, title string
	id          int64
}

// bkLoaded answers a bkLoading: the modal to open, or (modal nil) the
// message that follows instead (a confirmation), or why neither.
type bkLoaded struct {
	view  string
	id    int64
	modal Modal
	next  tea.Msg
	err   error
}

// RouteTo implements Routed.
func (m bkLoaded) RouteTo() string { return m.view }

// openAfterLoad opens a "loading" modal over l and builds the real one off
// the UI goroutine; build returns the form (newBackupForm), or, when
// nothing is left to ask, the message that follows (a confirmation).
func openAfterLoad[T any](l *List[T], ctx Context, title string, build func(c context.Context) (Modal, tea.Msg, error)) tea.Cmd {
	m := &bkLoading{view: l.kind.Name, title: title, id: newModalID()}
	l.OpenModal(m)
	view, id, timeout := m.view, m.id, ctx.timeout()
	return func() tea.Msg {
		c, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		mod, next, err := build(c)
		return bkLoaded{view: view, id: id, modal: mod, next: next, err: err}
	}
}

// Update implements Modal.
func (m *bkLoading) Update(_ Context, msg tea.Msg) (Modal, tea.Cmd) {
	switch msg := msg.(type) {
	case bkLoaded:
		if msg.id != m.id {
			return m, nil
		}
		if msg.err != nil {
			return nil, reportErr(strings.ToLower(m.title), msg.err)
		}
		if msg.modal == nil {
			next := msg.next
			return nil, func() tea.Msg { return next }
		}
		return msg.modal, nil
	case tea.KeyPressMsg:
		if msg.String() == "esc" {
			return nil, nil
		}
	}
	return m, nil
}

// View implements Modal.
func (m *bkLoading) View(ctx Context, _, _ int) string {
	return ctx.Theme.Title.Render(m.title) + "\n\n" + ctx.Theme.Muted.Render("Loading… (esc cancels)")
}

// newBackupForm builds a backupForm for openAfterLoad.
func newBackupForm(ctx Context, view, title string, fields []form.Field, prepare backupPrepare) *backupForm {
	return &backupForm{form: form.New(ctx.Theme, title, fields), view: view, id: newModalID(), prepare: prepare}
}

// imageFormFields are the create-image form's fields.
func imageFormFields(source, name string) []form.Field {
	return []form.Field{
		{Key: "source", Label: "From", Kind: form.Picker, Value: source, Placeholder: "i-… or s-…",
			Help: "type to find an instance (all its disks) or a system-disk snapshot by name or id", Validate: func(v string) error {
				if v = strings.TrimSpace(v); !strings.HasPrefix(v, "i-") && !strings.HasPrefix(v, "s-") {
					return fmt.Errorf("%q is neither an instance (i-…) nor a snapshot (s-…)", v)
				}
				return nil
			}},
		{Key: "name", Label: "Name", Kind: form.Text, Value: name,
			Help: "2-128, starts with a letter, unique in the region", Validate: func(v string) error { return cloud.ValidateImageName(strings.TrimSpace(v), nil) }},
		{Key: "family", Label: "Family", Kind: form.Text, Optional: true, Validate: cloud.ValidateImageFamily,
			Help: "the family's newest image is what launches by family"},
		{Key: "description", Label: "Description", Kind: form.Text, Optional: true, Validate: cloud.ValidateDescription},
	}
}

// imageSourceFill loads the create-image form's picker: the region's
// instances, then its accomplished system-disk snapshots (in a view of
// every region, those of every region: the image is made in its
// source's, imageRegion).
func imageSourceFill(ctx Context, region string) func(context.Context) (func(*form.Model), error) {
	client := ctx.Client
	return func(c context.Context) (func(*form.Model), error) {
		ins, err := instancePicks(c, client, region, nil)
		if err != nil {
			return nil, err
		}
		snaps, err := snapshotPicks(c, client, region, func(s cloud.Snapshot) bool {
			return s.DiskType == cloud.DiskSystem && s.Status == cloud.SnapshotAccomplished
		})
		if err != nil {
			return nil, err
		}
		return func(m *form.Model) { setPicks(m, "source", append(ins, snaps...)) }, nil
	}
}

// imageRegion is where an image of src (an instance or a snapshot) is
// made: region, or in a view of every region the source's own.
func imageRegion(c context.Context, client *cloud.Client, region, src string) (string, error) {
	if region != cloud.AllRegions {
		return region, nil
	}
	if strings.HasPrefix(src, "s-") {
		snaps, err := client.Snapshots(c, region, cloud.SnapshotFilter{IDs: []string{src}})
		if err != nil {
			return "", err
		}
		for _, s := range snaps {
			if s.ID == src {
				return s.RegionID, nil
			}
		}
		return "", fmt.Errorf("snapshot %s: not found in any region", src)
	}
	ins, err := client.Instances(c, region)
	if err != nil {
		return "", err
	}
	for _, in := range ins {
		if in.ID == src {
			return in.RegionID, nil
		}
	}
	return "", fmt.Errorf("instance %s: not found in any region", src)
}

// exportFields are the export form's fields.
func exportFields(bucket string) []form.Field {
	return []form.Field{
		{Key: "bucket", Label: "OSS bucket", Kind: form.Text, Value: bucket,
			Help: "a bucket of the image's region", Validate: func(v string) error { return cloud.ValidateExport(v, "", "") }},
		{Key: "prefix", Label: "Object prefix", Kind: form.Text, Optional: true,
			Help: "1-30 letters and digits", Validate: func(v string) error { return cloud.ValidateExport("bucket", v, "") }},
		{Key: "format", Label: "Format", Kind: form.Choice, Options: cloud.ExportFormats, Value: "raw"},
	}
}

// shareFields are the share form's fields; current is who it is shared
// with now.
func shareFields(current []string) []form.Field {
	now := "shared with nobody"
	if len(current) > 0 {
		now = "shared with " + strings.Join(current, ", ")
	}
	check := func(v string) error {
		for _, id := range bkSplit(v) {
			if err := cloud.ValidateAccountID(id); err != nil {
				return err
			}
		}
		return nil
	}
	return []form.Field{
		{Key: "add", Label: "Share with", Kind: form.Text, Optional: true, Placeholder: "16-digit account ids",
			Help: now, Validate: check},
		{Key: "remove", Label: "Unshare from", Kind: form.Text, Optional: true, Value: "",
			Help: "account ids to remove, comma-separated", Validate: check},
	}
}
