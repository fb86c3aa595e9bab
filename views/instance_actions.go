package views

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// instanceActions are what the instances view does: power (start, stop,
// reboot) on the marked rows or the selected one, and type, bandwidth,
// commands and the system disk on the selected one.
func instanceActions() []Action[cloud.Instance] {
	return []Action[cloud.Instance]{
		{Name: "start", Help: "start instance(s)", Keys: []string{"U"}, Run: startInstances},
		{Name: "stop", Args: "[normal|force] [keep|stopcharging]", Help: "stop instance(s)", Keys: []string{"D"}, Run: stopInstances},
		{Name: "reboot", Args: "[force]", Help: "reboot instance(s)", Keys: []string{"B"}, Run: rebootInstances},
		{Name: "spec", Args: "[TYPE]", Help: "change instance type", Keys: []string{"T"}, Run: changeInstanceType},
		{Name: "bandwidth", Args: "[MBPS] [PayByTraffic|PayByBandwidth]", Help: "change public bandwidth", Keys: []string{"W"}, Run: changeBandwidth},
		{Name: "run", Args: "[COMMAND…]", Help: "run a command (Cloud Assistant)", Keys: []string{"X"}, Run: runCommand},
		{Name: "replace-os", Args: "[IMAGE] [SIZE]", Help: "replace the system disk", Keys: []string{"O"}, Run: replaceOSFromInstances},
	}
}

// powerFlow is a batch power operation on instances, one step per region,
// each waiting for want; the end shows the per-instance result table when
// there were several instances or any failed.
func powerFlow(ctx Context, list []cloud.Instance, verb, title string, want cloud.InstanceState, lines []string, undoable string,
	plan func(region string, ids []string) (*cloud.Plan, error)) tea.Cmd {
	f, err := powerFlowOf(ctx, list, verb, title, want, lines, undoable, plan)
	if err != nil {
		return refuse(f.Action, err)
	}
	return f.Cmd(ctx)
}

// powerFlowOf is powerFlow's Flow, for actions that add settings to it.
func powerFlowOf(ctx Context, list []cloud.Instance, verb, title string, want cloud.InstanceState, lines []string, undoable string,
	plan func(region string, ids []string) (*cloud.Plan, error)) (Flow, error) {
	action := verb + " " + instancesNoun(list)
	regions, ids := byRegion(list)
	var steps []Step
	for _, r := range regions {
		p, err := plan(r, ids[r])
		if err != nil {
			return Flow{Action: action}, err
		}
		steps = append(steps, Step{Label: verb + " " + strings.Join(ids[r], ", "), Plan: p, Poll: pollInstances(r, want)})
	}
	for _, in := range list {
		lines = append(lines, instanceLine(in))
	}
	f := Flow{
		Action: action, Title: title, Lines: lines, Steps: steps, Reload: []string{"instances"},
		Typed:    typedWord(instanceIDs(list), "instances"),
		Undoable: undoable,
		Verify: func(results []cloud.Result) error {
			var items []cloud.ItemResult
			for _, r := range results {
				items = append(items, r.Items...)
			}
			return itemsError(items)
		},
		Done: func(results []cloud.Result) tea.Msg {
			var items []cloud.ItemResult
			for _, r := range results {
				items = append(items, r.Items...)
			}
			if len(items) < 2 && itemsError(items) == nil {
				return nil
			}
			return ShowModal{View: "instances", Modal: newTextPane(action+": result per instance", itemTable(items))}
		},
	}
	return f, nil
}

// itemTable is a batch's per-instance result: which succeeded, which
// failed and why.
func itemTable(items []cloud.ItemResult) []string {
	ok := 0
	for _, it := range items {
		if it.OK() {
			ok++
		}
	}
	lines := []string{fmt.Sprintf("%d succeeded, %d failed", ok, len(items)-ok), "",
		fmt.Sprintf("%-22s %-6s %-10s %-10s %s", "INSTANCE", "RESULT", "BEFORE", "AFTER", "REASON")}
	for _, it := range items {
		res, why := "ok", ""
		if !it.OK() {
			res, why = "FAILED", it.Code+": "+it.Message
		}
		lines = append(lines, fmt.Sprintf("%-22s %-6s %-10s %-10s %s", it.ID, res, orDash(it.Previous), orDash(it.Current), why))
	}
	return lines
}

func startInstances(l *List[cloud.Instance], ctx Context, _ []string) tea.Cmd {
	list := l.MarkedItems()
	if len(list) == 0 {
		return nil
	}
	return powerFlow(ctx, list, "start", fmt.Sprintf("Start %s?", instancesNoun(list)), cloud.StateRunning, nil, "",
		func(r string, ids []string) (*cloud.Plan, error) { return ctx.Client.PlanStartInstances(r, ids) })
}

func rebootInstances(l *List[cloud.Instance], ctx Context, args []string) tea.Cmd {
	list := l.MarkedItems()
	if len(list) == 0 {
		return nil
	}
	mode := Option{Label: "mode", Choices: []string{"normal", "force"},
		Help: []string{"the guest shuts down cleanly, then starts", "a power cycle: unsaved data in the guest may be lost"}}
	if hasWord(args, "force") {
		mode.Selected = 1
	}
	f, err := rebootFlow(ctx, list, []Option{mode})
	if err != nil {
		return refuse(f.Action, err)
	}
	return f.Cmd(ctx)
}

func rebootFlow(ctx Context, list []cloud.Instance, opts []Option) (Flow, error) {
	force := opts[0].Value() == "force"
	f, err := powerFlowOf(ctx, list, "reboot", fmt.Sprintf("Reboot %s?", instancesNoun(list)), cloud.StateRunning, nil, "",
		func(r string, ids []string) (*cloud.Plan, error) {
			return ctx.Client.PlanRebootInstances(r, ids, force)
		})
	f.Options = opts
	f.Rebuild = func(o []Option) (Flow, error) { return rebootFlow(ctx, list, o) }
	return f, err
}

// stopInstances stops the marked instances. It goes straight to the
// confirmation with the defaults (a normal stop; keep charging for
// pay-as-you-go), which the user changes in the dialog; `:stop force
// stopcharging` sets them inline.
func stopInstances(l *List[cloud.Instance], ctx Context, args []string) tea.Cmd {
	list := l.MarkedItems()
	if len(list) == 0 {
		return nil
	}
	mode := Option{Label: "mode", Choices: []string{"normal", "force"},
		Help: []string{"the guest shuts down cleanly", "power off: unsaved data in the guest may be lost"}}
	if hasWord(args, "force") {
		mode.Selected = 1
	}
	opts := []Option{mode}
	if slices.ContainsFunc(list, func(in cloud.Instance) bool { return in.ChargeType == "PostPaid" }) {
		charging := Option{Label: "charging", Choices: []string{cloud.StoppedModeKeepCharging, cloud.StoppedModeStopCharging},
			Help: []string{"resources kept, compute still billed while stopped",
				"economical mode: compute released and not billed; a start may fail for lack of stock"}}
		if hasWord(args, "stopcharging", "stop-charging") {
			charging.Selected = 1
		}
		opts = append(opts, charging)
	}
	f, err := stopFlow(ctx, list, opts, l.uniqueNames(list, func(in cloud.Instance) string { return in.Name }))
	if err != nil {
		return refuse(f.Action, err)
	}
	return f.Cmd(ctx)
}

// stopFlow is the stop with the settings chosen: opts[0] the mode, opts[1]
// (when a pay-as-you-go instance is among them) the stopped mode; accept
// are the names the typed confirmation takes besides the id.
func stopFlow(ctx Context, list []cloud.Instance, opts []Option, accept []string) (Flow, error) {
	force := opts[0].Value() == "force"
	charging := ""
	if len(opts) > 1 {
		charging = opts[1].Value()
	}
	f, err := powerFlowOf(ctx, list, "stop", fmt.Sprintf("Stop %s?", instancesNoun(list)), cloud.StateStopped, nil,
		"what runs on them ends; unsaved data in the guests may be lost",
		func(r string, ids []string) (*cloud.Plan, error) {
			mode := charging
			if mode == cloud.StoppedModeStopCharging && !allPostPaid(list, r) {
				return nil, &cloud.ValidationError{Field: "stopped mode", Rule: "StopCharging applies to pay-as-you-go instances only: unmark the subscriptions or keep charging"}
			}
			return ctx.Client.PlanStopInstances(r, ids, force, mode)
		})
	f.Options, f.Accept = opts, accept
	f.Rebuild = func(o []Option) (Flow, error) { return stopFlow(ctx, list, o, accept) }
	return f, err
}

func allPostPaid(list []cloud.Instance, region string) bool {
	for _, in := range list {
		if in.RegionID == region && in.ChargeType != "PostPaid" {
			return false
		}
	}
	return true
}

// changeBandwidth changes the selected instance's public bandwidth:
// `:bandwidth MBPS [CHARGE]` goes to the confirmation, otherwise a form
// asks. The value is checked (ValidateInstanceBandwidth) before any call.
func changeBandwidth(l *List[cloud.Instance], ctx Context, args []string) tea.Cmd {
	in, ok := l.Selected()
	if !ok {
		return nil
	}
	action := "change bandwidth of " + in.ID
	charge, mbps := "", ""
	for _, a := range args {
		switch {
		case strings.EqualFold(a, cloud.PayByTraffic):
			charge = cloud.PayByTraffic
		case strings.EqualFold(a, cloud.PayByBandwidth):
			charge = cloud.PayByBandwidth
		default:
			mbps = a
		}
	}
	if mbps != "" {
		n, err := bandwidthMbps(in, charge, mbps)
		if err != nil {
			return refuse(action, err)
		}
		return bandwidthFlow(ctx, in, charge, n)
	}
	cur := in.InternetChargeType
	if cur == "" {
		cur = cloud.PayByTraffic
	}
	if charge == "" {
		charge = cur
	}
	lo, hi, _ := cloud.BandwidthRange(charge, in.ChargeType)
	var f *opForm // the mbps field reads the billing chosen in it
	f = newOpForm(ctx, "Public bandwidth of "+in.ID, []form.Field{
		{Key: "charge", Label: "Billing", Kind: form.Choice, Value: charge,
			Options:      []string{cloud.PayByTraffic, cloud.PayByBandwidth},
			Descriptions: []string{"pay for the traffic sent", "pay for the bandwidth reserved"}},
		{Key: "mbps", Label: "Max out Mbit/s", Kind: form.Number, Value: strconv.Itoa(in.BandwidthOutMbps),
			Help:     fmt.Sprintf("now %d Mbit/s (%s); %d-%d for %s, 0 removes the public bandwidth", in.BandwidthOutMbps, orDash(in.InternetChargeType), lo, hi, charge),
			Validate: func(v string) error { _, err := bandwidthMbps(in, f.form.Value("charge"), v); return err }},
	}, func(v map[string]string) (tea.Cmd, error) {
		n, err := bandwidthMbps(in, v["charge"], v["mbps"])
		if err != nil {
			return nil, err
		}
		c := v["charge"]
		if c == in.InternetChargeType {
			c = ""
		}
		if err := cloud.ValidateInstanceBandwidth(in, c, n); err != nil {
			return nil, err
		}
		return bandwidthFlow(ctx, in, c, n), nil
	})
	f.fields = map[string]string{"bandwidth": "mbps", "bandwidth billing": "charge"}
	l.OpenModal(f)
	return nil
}

func bandwidthFlow(ctx Context, in cloud.Instance, charge string, mbps int) tea.Cmd {
	action := "change bandwidth of " + in.ID
	if err := cloud.ValidateInstanceBandwidth(in, charge, mbps); err != nil {
		return refuse(action, err)
	}
	region := regionOf(ctx, in.RegionID)
	p, err := ctx.Client.PlanModifyBandwidth(region, in.ID, charge, mbps)
	if err != nil {
		return refuse(action, err)
	}
	billing := charge
	if billing == "" {
		billing = orDash(in.InternetChargeType) + " (kept)"
	}
	f := Flow{
		Action: action,
		Title:  fmt.Sprintf("Set the public bandwidth of %s to %d Mbit/s?", instancesNoun([]cloud.Instance{in}), mbps),
		Lines: []string{
			fmt.Sprintf("now:  %d Mbit/s, %s", in.BandwidthOutMbps, orDash(in.InternetChargeType)),
			fmt.Sprintf("then: %d Mbit/s, %s", mbps, billing),
		},
		Steps:  []Step{{Label: action, Plan: p}},
		Reload: []string{"instances"},
	}
	if mbps == 0 {
		f.Lines = append(f.Lines, "0 Mbit/s removes the public bandwidth (a VPC instance keeps its address)")
	}
	return f.Cmd(ctx)
}
