package views

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// The new alarm rule form (N in the alarms view): a rule on one metric of
// the instances typed (pre-filled from the view's scope), notifying one
// contact group. The spec is validated before any call (a refusal shows in
// the form); a valid one is put by a Flow like every change, confirmed
// with its aliyun CLI line. The form stays open behind the confirmation
// until the rule exists: n returns to it, and after a refusal by the API
// (named in the status line and :activity) the values are still there to
// fix and send again (the same rule id: it replaces, never duplicates).

// alarmMetrics are the metrics offered, with what they measure.
var alarmMetrics = []struct {
	metric cloud.Metric
	desc   string
}{
	{cloud.MetricCPU, "CPU usage, %"},
	{cloud.MetricMemory, "memory used, % (agent)"},
	{cloud.MetricDisk, "disk usage, % (agent)"},
	{cloud.MetricLoad1m, "1-minute load average (agent)"},
	{cloud.MetricInternetOut, "Internet outbound bandwidth, bit/s"},
	{cloud.MetricInternetIn, "Internet inbound bandwidth, bit/s"},
}

// alarmPeriods are the periods offered, in seconds.
var alarmPeriods = []struct{ seconds, desc string }{
	{"60", "1 minute"}, {"300", "5 minutes"}, {"900", "15 minutes"},
}

// alarmForm is the form as a Modal over the alarms list.
type alarmForm struct {
	form form.Model
	id   string // the rule's id, chosen once: a retry replaces, never duplicates
}

// alarmFormGroups answers the form's contact group request.
type alarmFormGroups struct {
	id     string
	groups []cloud.ContactGroup
	err    error
}

// RouteTo implements Routed.
func (alarmFormGroups) RouteTo() string { return "alarms" }

// alarmFormSaved tells the form its rule was put (the flow's Done): it
// closes.
type alarmFormSaved struct{ id string }

// RouteTo implements Routed.
func (alarmFormSaved) RouteTo() string { return "alarms" }

// openAlarmForm opens the form over the list and loads the contact groups.
func openAlarmForm(l *List[cloud.AlarmRule], ctx Context) tea.Cmd {
	f := newAlarmForm(ctx, strings.Join(scopeInstances(l.scope), ","))
	l.OpenModal(f)
	return tea.Batch(loadContactGroups(ctx, f.id), loadAlarmInstances(ctx, f.id))
}

// alarmFormInstances are the instances the form's picker offers.
type alarmFormInstances struct {
	id    string
	picks []pickOption
	err   error
}

// RouteTo implements Routed.
func (alarmFormInstances) RouteTo() string { return "alarms" }

// loadAlarmInstances lists the instances of the view's region(s) for the
// instances picker; without them the field still takes typed ids.
func loadAlarmInstances(ctx Context, id string) tea.Cmd {
	client, region, timeout := ctx.Client, ctx.Region, ctx.timeout()
	return func() tea.Msg {
		c, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		picks, err := instancePicks(c, client, region, nil)
		return alarmFormInstances{id: id, picks: picks, err: err}
	}
}

func newAlarmForm(ctx Context, instances string) *alarmForm {
	metrics := make([]string, len(alarmMetrics))
	metricDescs := make([]string, len(alarmMetrics))
	for i, m := range alarmMetrics {
		metrics[i], metricDescs[i] = string(m.metric), m.desc
	}
	comparisonDescs := make([]string, len(cloud.Comparisons))
	for i, c := range cloud.Comparisons {
		comparisonDescs[i] = comparisonText[c]
	}
	periods := make([]string, len(alarmPeriods))
	periodDescs := make([]string, len(alarmPeriods))
	for i, p := range alarmPeriods {
		periods[i], periodDescs[i] = p.seconds, p.desc
	}
	fields := []form.Field{
		{Key: "instances", Label: "Instances", Kind: form.Picker, Multi: true, Free: true, Value: instances,
			Help: "type a name or id to find one, enter adds it (several)", Validate: validInstanceIDs},
		{Key: "name", Label: "Name", Kind: form.Text, Optional: true,
			Placeholder: "<metric> on <instance>", Help: "empty: <metric> on <instance>"},
		{Key: "metric", Label: "Metric", Kind: form.Choice, Options: metrics, Descriptions: metricDescs},
		{Key: "statistic", Label: "Statistic", Kind: form.Choice, Options: cloud.Statistics, Value: "Average"},
		{Key: "comparison", Label: "Comparison", Kind: form.Choice, Options: cloud.Comparisons,
			Descriptions: comparisonDescs, Value: "GreaterThanThreshold"},
		{Key: "threshold", Label: "Threshold", Kind: form.Number, Help: "in the metric's unit (0-100 for a %)",
			Validate: func(v string) error { _, err := cloud.ParseDecimal("threshold", v); return err }},
		{Key: "times", Label: "Times", Kind: form.Number, Value: "3",
			Help: "consecutive periods before it fires, 1-100", Validate: quantity("times", cloud.UnitCount, 1, 100)},
		{Key: "period", Label: "Period", Kind: form.Choice, Options: periods, Descriptions: periodDescs, Value: "60"},
		{Key: "level", Label: "Level", Kind: form.Choice, Value: cloud.LevelCritical,
			Options:      []string{cloud.LevelCritical, cloud.LevelWarn, cloud.LevelInfo},
			Descriptions: []string{"alerts as P2", "alerts as P3", "alerts as P4"}},
		{Key: "silence", Label: "Silence", Kind: form.Number, Value: "86400",
			Help: "seconds before a firing rule notifies again, at least 3600", Validate: quantity("silence", cloud.UnitSeconds, 3600, cloud.NoMaximum)},
		{Key: "contacts", Label: "Contact group", Kind: form.Choice, Help: "who is notified"},
	}
	return &alarmForm{
		form: form.New(ctx.Theme, "New alarm rule", fields),
		id:   cloud.NewAlarmRuleID(),
	}
}

// validInstanceIDs checks the instances field's shape (the spec checks
// there is at least one).
func validInstanceIDs(v string) error {
	for _, id := range scopeInstances(v) {
		if !strings.HasPrefix(id, "i-") {
			return fmt.Errorf("instances: %q is not an instance id (i-…)", id)
		}
	}
	return nil
}

// loadContactGroups fetches the groups for the contact group choice.
func loadContactGroups(ctx Context, id string) tea.Cmd {
	client, timeout := ctx.Client, ctx.timeout()
	return func() tea.Msg {
		c, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		groups, err := client.ContactGroups(c)
		return alarmFormGroups{id: id, groups: groups, err: err}
	}
}

// Update implements Modal.
func (f *alarmForm) Update(ctx Context, msg tea.Msg) (Modal, tea.Cmd) {
	switch msg := msg.(type) {
	case alarmFormGroups:
		if msg.id != f.id {
			return f, nil // an earlier form's answer
		}
		if msg.err != nil {
			f.form.SetFieldError("contacts", fmt.Errorf("could not list the contact groups: %w", msg.err))
			return f, nil
		}
		names, descs := contactGroupOptions(msg.groups)
		f.form.SetOptions("contacts", names, descs)
		return f, nil
	case alarmFormInstances:
		if msg.id != f.id {
			return f, nil
		}
		if msg.err == nil {
			setPicks(&f.form, "instances", msg.picks)
		}
		return f, nil
	case alarmFormSaved:
		if msg.id != f.id {
			return f, nil // an earlier form's rule
		}
		return nil, nil // the flow reported the rule created
	}
	var cmd tea.Cmd
	f.form, cmd = f.form.Update(msg)
	switch {
	case f.form.Cancelled():
		return nil, nil
	case f.form.Submitted():
		return f, tea.Batch(cmd, f.submit(ctx))
	}
	return f, cmd
}

// submit validates the spec and, when it holds, asks to put the rule.
func (f *alarmForm) submit(ctx Context) tea.Cmd {
	spec, err := f.spec()
	var plan *cloud.Plan
	if err == nil {
		plan, err = ctx.Client.PlanPutAlarmRule(spec) // validates before any call: the message names the rule broken
	}
	if err != nil {
		f.form.SetError(err)
		return nil
	}
	f.form.SetError(nil) // editable again behind the confirmation
	action := fmt.Sprintf("create alarm rule %q", spec.Name)
	id := f.id
	flow := Flow{
		Action: action,
		Title:  fmt.Sprintf("Create alarm rule %q?", spec.Name),
		Lines:  specLines(spec),
		Steps:  []Step{{Label: action, Plan: plan}},
		Reload: []string{"alarms"},
		Done:   func([]cloud.Result) tea.Msg { return alarmFormSaved{id: id} },
	}
	return flow.Cmd(ctx)
}

// specLines are a new rule in its confirmation: the condition in words,
// what it watches, who it tells.
func specLines(s cloud.AlarmRuleSpec) []string {
	cond := conditionText(cloud.AlarmRule{Metric: s.Metric, Statistic: s.Statistic, Comparison: s.Comparison,
		Threshold: s.Threshold, Times: s.Times, Period: s.Period})
	return []string{
		string(s.Metric) + ": " + cond,
		"on " + strings.Join(s.InstanceIDs, ", "),
		fmt.Sprintf("%s, notifies %s, again after %s", s.Level, orDash(strings.Join(s.ContactGroups, ", ")), period(s.SilenceTime)),
	}
}

// spec reads the form into a rule spec.
func (f *alarmForm) spec() (cloud.AlarmRuleSpec, error) {
	v := f.form.Values()
	s := cloud.AlarmRuleSpec{
		ID:          f.id,
		Name:        strings.TrimSpace(v["name"]),
		Metric:      cloud.Metric(v["metric"]),
		Level:       v["level"],
		Statistic:   v["statistic"],
		Comparison:  v["comparison"],
		InstanceIDs: scopeInstances(v["instances"]),
	}
	if g := v["contacts"]; g != "" {
		s.ContactGroups = []string{g}
	}
	var err error
	if s.Threshold, err = cloud.ParseDecimal("threshold", v["threshold"]); err != nil {
		return s, err
	}
	if s.Times, err = cloud.ParseQuantity("times", v["times"], cloud.UnitCount, 1, 100); err != nil {
		return s, err
	}
	p, err := strconv.Atoi(v["period"])
	if err != nil {
		return s, fmt.Errorf("period must be a whole number of seconds")
	}
	s.Period = time.Duration(p) * time.Second
	sil, err := cloud.ParseQuantity("silence", v["silence"], cloud.UnitSeconds, 3600, cloud.NoMaximum)
	if err != nil {
		return s, err
	}
	s.SilenceTime = time.Duration(sil) * time.Second
	if s.Name == "" && len(s.InstanceIDs) > 0 {
		s.Name = string(s.Metric) + " on " + s.InstanceIDs[0]
		if n := len(s.InstanceIDs); n > 1 {
			s.Name += fmt.Sprintf(" +%d", n-1)
		}
	}
	return s, nil
}

// contactGroupOptions are the groups' names and, for each, its contacts'
// channels: "alice: Email, SMS; bob: Email".
func contactGroupOptions(groups []cloud.ContactGroup) (names, descs []string) {
	for _, g := range groups {
		names = append(names, g.Name)
		parts := make([]string, 0, len(g.Contacts))
		for _, c := range g.Contacts {
			ch := strings.Join(c.Channels(), ", ")
			if ch == "" {
				ch = "no channel"
			}
			parts = append(parts, c.Name+": "+ch)
		}
		desc := strings.Join(parts, "; ")
		if desc == "" {
			desc = "no contacts"
		}
		descs = append(descs, desc)
	}
	return names, descs
}

// View implements Modal.
func (f *alarmForm) View(_ Context, width, height int) string {
	return f.form.View(width, height) // while saving its hint line says "submitting…"
}
