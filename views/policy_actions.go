package views

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// policyActions are the policies view's actions. Hours are the region's
// UTC+8, as the console shows them.
func policyActions() []Action[cloud.AutoSnapshotPolicy] {
	return []Action[cloud.AutoSnapshotPolicy]{
		{Name: "new", Args: "[NAME [DAYS [HOURS [RETENTION]]]]", Help: "new automatic snapshot policy", Keys: []string{"N"}, Run: newPolicy},
		{Name: "edit", Help: "edit the policy's days, hours, retention", Keys: []string{"E"}, Run: editPolicy},
		{Name: "apply", Args: "[d-…|i-… …]", Help: "apply the policy to disks (all disks of instances given)", Keys: []string{"A"}, Run: applyPolicy},
		{Name: "cancel", Args: "[d-…|i-… …]", Help: "cancel automatic snapshots of disks", Keys: []string{"U"}, Run: cancelPolicy},
		{Name: "delete", Help: "delete the policy (its disks lose it)", Keys: []string{"X"}, Run: deletePolicy},
	}
}

// Policy defaults for :new NAME.
const (
	policyDefaultDays  = "daily"
	policyDefaultHours = "02"
	policyDefaultKeep  = "7"
)

// parseWeekdays reads "daily", "Mon,Wed,Fri", "Mon-Fri" or "1,3,5" into
// 1 (Monday) .. 7 (Sunday).
func parseWeekdays(s string) ([]int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "daily" || s == "every day" || s == "all" {
		return []int{1, 2, 3, 4, 5, 6, 7}, nil
	}
	day := func(t string) (int, error) {
		t = strings.TrimSpace(t)
		if n, err := strconv.Atoi(t); err == nil {
			return n, nil
		}
		for i, name := range weekdayNames {
			if len(t) >= 3 && strings.HasPrefix(strings.ToLower(name), t[:3]) {
				return i + 1, nil
			}
		}
		return 0, fmt.Errorf("weekdays: %q is not a day (Mon..Sun or 1..7)", t)
	}
	var out []int
	for _, part := range bkSplit(s) {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := day(lo)
		if err != nil {
			return nil, err
		}
		b := a
		if isRange {
			if b, err = day(hi); err != nil {
				return nil, err
			}
		}
		for d := a; d <= b; d++ {
			if !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// parseHours reads "02,14", "02:00,14:00" or "0-3" (UTC+8).
func parseHours(s string) ([]int, error) {
	hour := func(t string) (int, error) {
		t = strings.TrimSuffix(strings.TrimSpace(t), ":00")
		n, err := strconv.Atoi(t)
		if err != nil {
			return 0, fmt.Errorf("hours: %q is not an hour (00-23)", t)
		}
		return n, nil
	}
	var out []int
	for _, part := range bkSplit(s) {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := hour(lo)
		if err != nil {
			return nil, err
		}
		b := a
		if isRange {
			if b, err = hour(hi); err != nil {
				return nil, err
			}
		}
		for h := a; h <= b; h++ {
			if !slices.Contains(out, h) {
				out = append(out, h)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// parsePolicyRetention reads days, or "forever" (-1: until the quota).
func parsePolicyRetention(s string) (int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "forever", "-1", "quota", "keep":
		return -1, nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
	if err != nil {
		return 0, fmt.Errorf("retention must be days (1-%d) or forever, not %q", cloud.MaxRetentionDays, s)
	}
	return n, nil
}

// policySpecOf reads a spec and validates it (ValidatePolicy).
func policySpecOf(name, days, hrs, keep string) (cloud.PolicySpec, error) {
	spec := cloud.PolicySpec{Name: name}
	var err error
	if spec.Weekdays, err = parseWeekdays(days); err != nil {
		return spec, err
	}
	if spec.Hours, err = parseHours(hrs); err != nil {
		return spec, err
	}
	if spec.RetentionDays, err = parsePolicyRetention(keep); err != nil {
		return spec, err
	}
	return spec, cloud.ValidatePolicy(spec)
}

// policyRetention renders a policy's retention (-1 = until the quota).
func policyRetention(days int) string {
	if days < 0 {
		return "forever (until the snapshot quota)"
	}
	return retention(days)
}

// policyLines are the spec's lines in a confirmation.
func policyLines(spec cloud.PolicySpec) []string {
	return []string{
		"Name:      " + orDash(spec.Name),
		"Weekdays:  " + weekdays(spec.Weekdays),
		"Hours:     " + hours(spec.Hours) + " (UTC+8, as the console shows them)",
		"Retention: " + policyRetention(spec.RetentionDays),
	}
}

// policyFields is the create / edit form, pre-filled.
func policyFields(name, days, hrs, keep string) []form.Field {
	return []form.Field{
		{Key: "name", Label: "Name", Kind: form.Text, Value: name, Optional: true, Help: "2-128, starts with a letter"},
		{Key: "days", Label: "Weekdays", Kind: form.Text, Value: days,
			Help: "daily, Mon-Fri, Mon,Wed,Fri or 1..7", Validate: func(v string) error { _, err := parseWeekdays(v); return err }},
		{Key: "hours", Label: "Hours (UTC+8)", Kind: form.Text, Value: hrs,
			Help: "00-23 in the region's UTC+8, e.g. 02 or 02,14", Validate: func(v string) error { _, err := parseHours(v); return err }},
		{Key: "keep", Label: "Retention", Kind: form.Text, Value: keep,
			Help: "days, 1-65536, or forever (kept until the quota)", Validate: func(v string) error { _, err := parsePolicyRetention(v); return err }},
	}
}

// hoursText is hours as the form takes them: "02,14".
func hoursText(hs []int) string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = fmt.Sprintf("%02d", h)
	}
	return strings.Join(out, ",")
}

// newPolicy is N / :new [NAME [DAYS [HOURS [RETENTION]]]].
func newPolicy(l *List[cloud.AutoSnapshotPolicy], ctx Context, args []string) tea.Cmd {
	inline := append(slices.Clone(args), "", "", "", "")
	name, days, hrs, keep := inline[0], inline[1], inline[2], inline[3]
	days = strings.Join(bkSplit(cmpOr(days, policyDefaultDays)), ",")
	hrs, keep = cmpOr(hrs, policyDefaultHours), cmpOr(keep, policyDefaultKeep)
	client, region := ctx.Client, ctx.Region
	prepare := func(_ context.Context, v map[string]string) (tea.Msg, error) {
		spec, err := policySpecOf(bkValue(v, "name", name), bkValue(v, "days", days), bkValue(v, "hours", hrs), bkValue(v, "keep", keep))
		if err != nil {
			return nil, err
		}
		plan, err := client.PlanCreatePolicy(region, spec)
		if err != nil {
			return nil, err
		}
		return bkConfirm(ctx, Flow{
			Action: "create policy " + orDash(spec.Name),
			Title:  "Create the automatic snapshot policy?",
			Lines:  append(policyLines(spec), "Apply it to disks afterwards with A."),
			Steps:  []Step{{Label: "create policy", Plan: plan}},
			Reload: []string{"policies"},
		}), nil
	}
	if len(args) > 0 {
		return bkPrepared(ctx, "create policy", prepare)
	}
	return openBackupForm(l, ctx, "New automatic snapshot policy", policyFields(name, days, hrs, keep), prepare, nil)
}

// cmpOr is s, or def when s is "".
func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// editPolicy is E / :edit: the selected policy's name, days, hours and
// retention, pre-filled. The change applies at once to its disks.
func editPolicy(l *List[cloud.AutoSnapshotPolicy], ctx Context, _ []string) tea.Cmd {
	p, ok := l.Selected()
	if !ok {
		return reportErr("edit policy", errBkNoSelection)
	}
	client := ctx.Client
	keep := strconv.Itoa(p.RetentionDays)
	if p.RetentionDays < 0 {
		keep = "forever"
	}
	days := weekdays(p.RepeatWeekdays)
	prepare := func(_ context.Context, v map[string]string) (tea.Msg, error) {
		spec, err := policySpecOf(bkValue(v, "name", p.Name), bkValue(v, "days", days), bkValue(v, "hours", hoursText(p.TimePoints)), bkValue(v, "keep", keep))
		if err != nil {
			return nil, err
		}
		plan, err := client.PlanModifyPolicy(p.RegionID, p.ID, spec)
		if err != nil {
			return nil, err
		}
		lines := []string{
			fmt.Sprintf("Was:       %s at %s, keep %s", weekdays(p.RepeatWeekdays), hours(p.TimePoints), policyRetention(p.RetentionDays)),
		}
		lines = append(lines, policyLines(spec)...)
		lines = append(lines, fmt.Sprintf("It applies at once to the %d disk(s) following %s.", p.DiskCount, p.ID))
		return bkConfirm(ctx, Flow{
			Action: "edit policy " + p.ID,
			Title:  "Change " + p.ID + "?",
			Lines:  lines,
			Steps:  []Step{{Label: "modify " + p.ID, Plan: plan}},
			Reload: []string{"policies"},
		}), nil
	}
	return openBackupForm(l, ctx, "Edit "+p.ID, policyFields(p.Name, days, hoursText(p.TimePoints), keep), prepare, nil)
}

// policyTargets resolves typed ids: disks as they are, instances to all
// their disks.
func policyTargets(c context.Context, client *cloud.Client, region string, ids []string) ([]cloud.Disk, error) {
	var diskIDs []string
	var out []cloud.Disk
	for _, id := range ids {
		switch {
		case strings.HasPrefix(id, "d-"):
			diskIDs = append(diskIDs, id)
		case strings.HasPrefix(id, "i-"):
			ds, err := client.Disks(c, region, cloud.DiskFilter{InstanceID: id})
			if err != nil {
				return nil, err
			}
			if len(ds) == 0 {
				return nil, fmt.Errorf("instance %s: no disks found in %s", id, region)
			}
			out = append(out, ds...)
		default:
			return nil, fmt.Errorf("%q is neither a disk (d-…) nor an instance (i-…)", id)
		}
	}
	if len(diskIDs) > 0 {
		ds, err := client.Disks(c, region, cloud.DiskFilter{DiskIDs: diskIDs})
		if err != nil {
			return nil, err
		}
		for _, id := range diskIDs {
			if !slices.ContainsFunc(ds, func(d cloud.Disk) bool { return d.ID == id }) {
				return nil, fmt.Errorf("disk %s: not found in %s", id, region)
			}
		}
		out = append(out, ds...)
	}
	slices.SortFunc(out, func(a, b cloud.Disk) int { return strings.Compare(a.ID, b.ID) })
	out = slices.CompactFunc(out, func(a, b cloud.Disk) bool { return a.ID == b.ID })
	if len(out) == 0 {
		return nil, fmt.Errorf("no disk given")
	}
	return out, nil
}

func diskIDsOf(ds []cloud.Disk) []string {
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return ids
}

// policyTargetField asks for disks or instances.
func policyTargetField(value string) form.Field {
	return form.Field{Key: "targets", Label: "Disks / instances", Kind: form.Text, Value: value, Placeholder: "d-…, i-…",
		Help: "disk ids, or instance ids for all their disks", Validate: func(v string) error {
			for _, id := range bkSplit(v) {
				if !strings.HasPrefix(id, "d-") && !strings.HasPrefix(id, "i-") {
					return fmt.Errorf("%q is neither a disk (d-…) nor an instance (i-…)", id)
				}
			}
			return nil
		}}
}

// applyPolicy is A / :apply [d-…|i-… …]: the selected policy covers the
// disks from now on (replacing any policy they had).
func applyPolicy(l *List[cloud.AutoSnapshotPolicy], ctx Context, args []string) tea.Cmd {
	p, ok := l.Selected()
	if !ok {
		return reportErr("apply policy", errBkNoSelection)
	}
	client := ctx.Client
	prepare := func(c context.Context, v map[string]string) (tea.Msg, error) {
		ds, err := policyTargets(c, client, p.RegionID, bkSplit(bkValue(v, "targets", strings.Join(args, " "))))
		if err != nil {
			return nil, err
		}
		plan, err := client.PlanApplyPolicy(p.RegionID, p.ID, diskIDsOf(ds))
		if err != nil {
			return nil, err
		}
		lines := []string{fmt.Sprintf("Policy: %s %s: %s at %s (UTC+8), keep %s", p.ID, orDash(p.Name), weekdays(p.RepeatWeekdays), hours(p.TimePoints), policyRetention(p.RetentionDays))}
		for _, d := range ds {
			line := "  " + diskLine(d)
			if d.AutoSnapshotPolicyID != "" && d.AutoSnapshotPolicyID != p.ID {
				line += "  (replaces " + d.AutoSnapshotPolicyID + ")"
			}
			lines = append(lines, line)
		}
		what := typedWord(diskIDsOf(ds), "disks")
		return bkConfirm(ctx, Flow{
			Action: "apply " + p.ID + " to " + what,
			Title:  fmt.Sprintf("Apply %s to %s?", p.ID, what),
			Lines:  lines,
			Steps:  []Step{{Label: "apply " + p.ID, Plan: plan}},
			Reload: []string{"policies", "disks", "instances"},
		}), nil
	}
	if len(args) > 0 {
		return bkPrepared(ctx, "apply "+p.ID, prepare)
	}
	return openBackupForm(l, ctx, "Apply "+p.ID+" to disks", []form.Field{policyTargetField("")}, prepare, nil)
}

// cancelPolicy is U / :cancel [d-…|i-… …]: the disks lose their policy (no
// more automatic snapshots; the existing ones stay).
func cancelPolicy(l *List[cloud.AutoSnapshotPolicy], ctx Context, args []string) tea.Cmd {
	client, region := ctx.Client, ctx.Region
	if p, ok := l.Selected(); ok {
		region = p.RegionID
	}
	prepare := func(c context.Context, v map[string]string) (tea.Msg, error) {
		ds, err := policyTargets(c, client, region, bkSplit(bkValue(v, "targets", strings.Join(args, " "))))
		if err != nil {
			return nil, err
		}
		plan, err := client.PlanCancelPolicy(region, diskIDsOf(ds))
		if err != nil {
			return nil, err
		}
		lines := []string{"These disks stop getting automatic snapshots (existing ones stay):"}
		for _, d := range ds {
			lines = append(lines, "  "+diskLine(d)+"  policy "+orDash(d.AutoSnapshotPolicyID))
		}
		what := typedWord(diskIDsOf(ds), "disks")
		return bkConfirm(ctx, Flow{
			Action: "cancel automatic snapshots of " + what,
			Title:  "Cancel automatic snapshots of " + what + "?",
			Lines:  lines,
			Steps:  []Step{{Label: "cancel policy", Plan: plan}},
			Reload: []string{"policies", "disks", "instances"},
		}), nil
	}
	if len(args) > 0 {
		return bkPrepared(ctx, "cancel policy", prepare)
	}
	return openBackupForm(l, ctx, "Cancel automatic snapshots of disks", []form.Field{policyTargetField("")}, prepare, nil)
}

// deletePolicy is X / :delete: typed confirmation listing the disks it
// leaves unprotected.
func deletePolicy(l *List[cloud.AutoSnapshotPolicy], ctx Context, _ []string) tea.Cmd {
	p, ok := l.Selected()
	if !ok {
		return reportErr("delete policy", errBkNoSelection)
	}
	client := ctx.Client
	return bkPrepared(ctx, "delete policy "+p.ID, func(c context.Context, _ map[string]string) (tea.Msg, error) {
		all, err := client.Disks(c, p.RegionID, cloud.DiskFilter{})
		if err != nil {
			return nil, err
		}
		left := cloud.DisksWithPolicy(all, p.ID)
		plan, err := client.PlanDeletePolicy(p.RegionID, p.ID)
		if err != nil {
			return nil, err
		}
		lines := []string{fmt.Sprintf("%s %s: %s at %s (UTC+8)", p.ID, orDash(p.Name), weekdays(p.RepeatWeekdays), hours(p.TimePoints))}
		if len(left) == 0 {
			lines = append(lines, "No disk follows it.")
		} else {
			lines = append(lines, fmt.Sprintf("These %d disk(s) are left with no automatic snapshots:", len(left)))
			for _, d := range left {
				lines = append(lines, "  "+diskLine(d))
			}
		}
		undo := "the policy is gone; its disks get no automatic snapshots (existing snapshots stay)"
		return bkConfirm(ctx, Flow{
			Action:   "delete policy " + p.ID,
			Title:    "Delete " + p.ID + "?",
			Lines:    lines,
			Steps:    []Step{{Label: "delete " + p.ID, Plan: plan}},
			Typed:    p.ID,
			Undoable: undo,
			Reload:   []string{"policies", "disks", "instances"},
		}), nil
	})
}
