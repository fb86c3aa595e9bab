package views

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// policyActions are the policies view's actions. Days and hours are typed
// and shown in the user's zone and sent in the API's UTC+8
// (policy_schedule.go).
func policyActions() []Action[cloud.AutoSnapshotPolicy] {
	return []Action[cloud.AutoSnapshotPolicy]{
		{Name: "new", Args: "[NAME [DAYS [HOURS [RETENTION]]]]", Help: "new automatic snapshot policy", Keys: []string{"N"}, Run: newPolicy},
		{Name: "edit", Help: "edit the policy's days, hours, retention", Keys: []string{"E"}, Run: editPolicy},
		{Name: "apply", Args: "[d-…|i-… …]", Help: "apply the policy to disks (all disks of instances given)", Keys: []string{"A"}, Run: applyPolicy},
		{Name: "cancel", Args: "[d-…|i-… …]", Help: "cancel automatic snapshots of disks", Keys: []string{"U"}, Run: cancelPolicy},
		{Name: "delete", Help: "delete the policy (its disks lose it)", Keys: []string{"X"}, Run: deletePolicy},
	}
}

// Policy defaults for :new NAME (the hours: policyDefaultHours).
const (
	policyDefaultDays = "daily"
	policyDefaultKeep = "7"
)

// policyDefaultHours is 02:00 in the user's zone, or the first time after
// it that is a whole hour in UTC+8 (02:30 in a zone half an hour off).
func policyDefaultHours(loc *time.Location, now time.Time) string {
	return clockTime(2*60 + mod(policyShift(loc, now), 60))
}

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

// parsePolicyRetention reads days, or "forever" (-1: until the quota).
func parsePolicyRetention(s string) (int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "forever", "-1", "quota", "keep":
		return -1, nil
	}
	n, err := cloud.ParseQuantity("retention", s, cloud.UnitDays, 1, cloud.MaxRetentionDays)
	if err != nil {
		return 0, fmt.Errorf("%w, or forever", err)
	}
	return n, nil
}

// policySpecOf reads a spec whose days and hours are in loc (at its offset
// at now), converts them to the API's UTC+8 and validates it
// (ValidatePolicy).
func policySpecOf(name, days, hrs, keep string, loc *time.Location, now time.Time) (cloud.PolicySpec, error) {
	localDays, err := parseWeekdays(days)
	if err != nil {
		return cloud.PolicySpec{Name: name}, err
	}
	times, err := parseClockTimes(hrs)
	if err != nil {
		return cloud.PolicySpec{Name: name}, err
	}
	apiDays, apiHours, err := apiSchedule(localDays, times, loc, now)
	if err != nil {
		return cloud.PolicySpec{Name: name}, err
	}
	return policySpecWith(name, keep, apiDays, apiHours)
}

// policySpecWith is a spec with the API's weekdays and UTC+8 hours as
// they are (an edit that leaves the schedule alone keeps it exactly).
func policySpecWith(name, keep string, apiDays, apiHours []int) (cloud.PolicySpec, error) {
	spec := cloud.PolicySpec{Name: name, Weekdays: apiDays, Hours: apiHours}
	var err error
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

// policyLines are the spec's lines in a confirmation: its runs in the
// user's zone, and as sent, in UTC+8.
func policyLines(spec cloud.PolicySpec, loc *time.Location, now time.Time) []string {
	return []string{
		"Name:      " + orDash(spec.Name),
		"Runs:      " + localSchedule(spec.Weekdays, spec.Hours, loc, now).String(),
		"Sent as:   " + apiScheduleText(spec.Weekdays, spec.Hours) + " (the API's zone)",
		"Retention: " + policyRetention(spec.RetentionDays),
	}
}

// apiScheduleText is a policy's schedule as the API has it:
// "daily 02:00,14:00 UTC+8".
func apiScheduleText(days, hrs []int) string {
	return weekdays(days) + " " + hours(hrs) + " " + apiPolicyZone
}

// policyFields is the create / edit form, pre-filled; days and hours are
// in loc. With asIs, the pre-filled days and hours are accepted as they
// are (an edit keeps a schedule the form could not type: "Sat / Sun").
func policyFields(name, days, hrs, keep string, asIs bool, loc *time.Location, now time.Time) []form.Field {
	zone := ZoneName(loc, now)
	return []form.Field{
		{Key: "name", Label: "Name", Kind: form.Text, Value: name, Optional: true, Help: "2-128, starts with a letter"},
		{Key: "days", Label: "Weekdays", Kind: form.Text, Value: days,
			Help: "daily, Mon-Fri, Mon,Wed,Fri or 1..7", Validate: func(v string) error {
				if asIs && v == days {
					return nil
				}
				_, err := parseWeekdays(v)
				return err
			}},
		{Key: "hours", Label: "Hours (" + zone + ")", Kind: form.Text, Value: hrs,
			Help: policyHoursHelp(loc, now), Validate: func(v string) error {
				if asIs && v == hrs {
					return nil
				}
				return validPolicyTimes(v, loc, now)
			}},
		{Key: "keep", Label: "Retention", Kind: form.Text, Value: keep,
			Help: "days, 1-65536, or forever (kept until the quota)", Validate: func(v string) error { _, err := parsePolicyRetention(v); return err }},
	}
}

// policyHoursHelp is the hours field's help: the zone the times are in and
// where the API's UTC+8 day starts on that clock (a time from then on
// runs on the next UTC+8 weekday).
func policyHoursHelp(loc *time.Location, now time.Time) string {
	zone, shift := ZoneName(loc, now), policyShift(loc, now)
	first := 2*60 + mod(shift, 60) // 02:00, or 02:30 in a zone half an hour off
	example := clockTime(first) + " or " + clockTime(first) + "," + clockTime(first+12*60)
	if shift == 0 {
		return "in " + zone + ", e.g. " + example + " (the API's UTC+8)"
	}
	return fmt.Sprintf("in %s, e.g. %s; UTC+8 days start at %s", zone, example, clockTime(mod(shift, minutesPerDay)))
}

// validPolicyTimes checks the hours field alone: times of day that are
// whole hours in UTC+8 (the days are checked with the whole form).
func validPolicyTimes(v string, loc *time.Location, now time.Time) error {
	times, err := parseClockTimes(v)
	if err != nil {
		return err
	}
	_, _, err = apiSchedule([]int{1, 2, 3, 4, 5, 6, 7}, times, loc, now)
	return err
}

// newPolicy is N / :new [NAME [DAYS [HOURS [RETENTION]]]].
func newPolicy(l *List[cloud.AutoSnapshotPolicy], ctx Context, args []string) tea.Cmd {
	inline := append(slices.Clone(args), "", "", "", "")
	name, days, hrs, keep := inline[0], inline[1], inline[2], inline[3]
	days = strings.Join(bkSplit(cmpOr(days, policyDefaultDays)), ",")
	loc, now := ctx.Location(), ctx.now()
	hrs, keep = cmpOr(hrs, policyDefaultHours(loc, now)), cmpOr(keep, policyDefaultKeep)
	client := ctx.Client
	prepare := func(_ context.Context, v map[string]string) (tea.Msg, error) {
		region := ctx.Region
		if v != nil {
			region = createRegion(ctx, v) // a view of every region asks in the form
		}
		spec, err := policySpecOf(bkValue(v, "name", name), bkValue(v, "days", days), bkValue(v, "hours", hrs), bkValue(v, "keep", keep), loc, now)
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
			Lines:  append(policyLines(spec, loc, now), "Apply it to disks afterwards with A."),
			Steps:  []Step{{Label: "create policy", Plan: plan}},
			Reload: []string{"policies"},
		}), nil
	}
	if len(args) > 0 && !spansRegions(ctx) {
		return bkPrepared(ctx, "create policy", prepare)
	}
	selRegion := ""
	if p, ok := l.Selected(); ok {
		selRegion = p.RegionID
	}
	return openBackupForm(l, ctx, "New automatic snapshot policy"+regionSuffix(ctx),
		withRegion(ctx, selRegion, policyFields(name, days, hrs, keep, false, loc, now)), prepare, regionFill(ctx))
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
	loc, now := ctx.Location(), ctx.now()
	was := localSchedule(p.RepeatWeekdays, p.TimePoints, loc, now)
	days, hrs := was.weekdays(), was.hours()
	prepare := func(_ context.Context, v map[string]string) (tea.Msg, error) {
		name, newDays, newHours := bkValue(v, "name", p.Name), bkValue(v, "days", days), bkValue(v, "hours", hrs)
		spec, err := policySpecOf(name, newDays, newHours, bkValue(v, "keep", keep), loc, now)
		if newDays == days && newHours == hrs { // the schedule untouched: sent back exactly
			spec, err = policySpecWith(name, bkValue(v, "keep", keep), p.RepeatWeekdays, p.TimePoints)
		}
		if err != nil {
			return nil, err
		}
		plan, err := client.PlanModifyPolicy(p.RegionID, p.ID, spec)
		if err != nil {
			return nil, err
		}
		lines := []string{
			fmt.Sprintf("Was:       %s, keep %s", was, policyRetention(p.RetentionDays)),
		}
		lines = append(lines, policyLines(spec, loc, now)...)
		lines = append(lines, fmt.Sprintf("It applies at once to the %d disk(s) following %s.", p.DiskCount, p.ID))
		return bkConfirm(ctx, Flow{
			Action: "edit policy " + p.ID,
			Title:  "Change " + p.ID + "?",
			Lines:  lines,
			Steps:  []Step{{Label: "modify " + p.ID, Plan: plan}},
			Reload: []string{"policies"},
		}), nil
	}
	return openBackupForm(l, ctx, "Edit "+p.ID, policyFields(p.Name, days, hrs, keep, true, loc, now), prepare, nil)
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

// policyTargetField asks for disks or instances (a picker of several).
func policyTargetField(value string) form.Field {
	return form.Field{Key: "targets", Label: "Disks / instances", Kind: form.Picker, Multi: true, Value: value, Placeholder: "d-…, i-…",
		Help: "type to find a disk, or an instance for all its disks; enter adds it, ⌫ removes the last", Validate: func(v string) error {
			for _, id := range bkSplit(v) {
				if !strings.HasPrefix(id, "d-") && !strings.HasPrefix(id, "i-") {
					return fmt.Errorf("%q is neither a disk (d-…) nor an instance (i-…)", id)
				}
			}
			return nil
		}}
}

// policyTargetFill loads the target picker: the region's disks (with
// their policy), then its instances. None in a view of every region (the
// field takes typed ids).
func policyTargetFill(ctx Context, region string) func(context.Context) (func(*form.Model), error) {
	if region == cloud.AllRegions {
		return nil
	}
	client := ctx.Client
	return func(c context.Context) (func(*form.Model), error) {
		disks, err := client.Disks(c, region, cloud.DiskFilter{})
		if err != nil {
			return nil, err
		}
		ps := make([]pickOption, 0, len(disks))
		for _, d := range disks {
			ps = append(ps, pickOption{ID: d.ID, Name: d.Name, Desc: fmt.Sprintf("%s %s, policy %s", d.Type, gib(d.SizeGiB), orDash(d.AutoSnapshotPolicyID))})
		}
		ins, err := instancePicks(c, client, region, nil)
		if err != nil {
			return nil, err
		}
		ps = append(ps, ins...)
		return func(m *form.Model) { setPicks(m, "targets", ps) }, nil
	}
}

// applyPolicy is A / :apply [d-…|i-… …]: the selected policy covers the
// disks from now on (replacing any policy they had).
func applyPolicy(l *List[cloud.AutoSnapshotPolicy], ctx Context, args []string) tea.Cmd {
	p, ok := l.Selected()
	if !ok {
		return reportErr("apply policy", errBkNoSelection)
	}
	client, loc, now := ctx.Client, ctx.Location(), ctx.now()
	prepare := func(c context.Context, v map[string]string) (tea.Msg, error) {
		ds, err := policyTargets(c, client, p.RegionID, bkSplit(bkValue(v, "targets", strings.Join(args, " "))))
		if err != nil {
			return nil, err
		}
		plan, err := client.PlanApplyPolicy(p.RegionID, p.ID, diskIDsOf(ds))
		if err != nil {
			return nil, err
		}
		lines := []string{fmt.Sprintf("Policy: %s %s: %s, keep %s", p.ID, orDash(p.Name), localSchedule(p.RepeatWeekdays, p.TimePoints, loc, now), policyRetention(p.RetentionDays))}
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
	return openBackupForm(l, ctx, "Apply "+p.ID+" to disks", []form.Field{policyTargetField("")}, prepare, policyTargetFill(ctx, p.RegionID))
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
	return openBackupForm(l, ctx, "Cancel automatic snapshots of disks", []form.Field{policyTargetField("")}, prepare, policyTargetFill(ctx, region))
}

// deletePolicy is X / :delete: typed confirmation listing the disks it
// leaves unprotected.
func deletePolicy(l *List[cloud.AutoSnapshotPolicy], ctx Context, _ []string) tea.Cmd {
	p, ok := l.Selected()
	if !ok {
		return reportErr("delete policy", errBkNoSelection)
	}
	client := ctx.Client
	accept := l.uniqueNames([]cloud.AutoSnapshotPolicy{p}, func(p cloud.AutoSnapshotPolicy) string { return p.Name })
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
		lines := []string{fmt.Sprintf("%s %s: %s", p.ID, orDash(p.Name), localSchedule(p.RepeatWeekdays, p.TimePoints, ctx.Location(), ctx.now()))}
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
			Accept:   accept,
			Undoable: undo,
			Reload:   []string{"policies", "disks", "instances"},
		}), nil
	})
}
