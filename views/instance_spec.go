package views

import (
	"context"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// Change instance type (T, `:spec [TYPE]`): the types the selected
// instance can move to (DescribeResourcesModification) in a picker with
// vCPU, memory and stock; `:spec TYPE` goes to the confirmation once the
// type is known to be one of them. A pay-as-you-go instance must be
// stopped: a running one gets the whole stop -> change -> start as one
// flow. A subscription uses ModifyPrepayInstanceSpec (a downgrade needs it
// stopped too).

func changeInstanceType(l *List[cloud.Instance], ctx Context, args []string) tea.Cmd {
	in, ok := l.Selected()
	if !ok {
		return nil
	}
	action := "change type of " + in.ID
	region := regionOf(ctx, in.RegionID)
	client := ctx.Client
	if len(args) > 0 {
		want := args[0]
		if err := cloud.ValidateInstanceType(in.Type, want); err != nil {
			return refuse(action, err)
		}
		return async(ctx, func(c context.Context) tea.Msg {
			types, err := client.ResizableTypes(c, region, in.ID)
			if err != nil {
				return Report{Action: action, Err: err}
			}
			for _, t := range types {
				if t.ID == want {
					if !t.Available() {
						return Report{Action: action, Err: &cloud.ValidationError{Field: "instance type", Rule: fmt.Sprintf("%s is %s in %s", want, t.Status, in.ZoneID)}}
					}
					f, err := specFlow(ctx, in, t)
					if err != nil {
						return Report{Action: action, Err: err}
					}
					return confirmMsg(ctx, f)
				}
			}
			return Report{Action: action, Err: &cloud.ValidationError{Field: "instance type",
				Rule: fmt.Sprintf("%s is not among the %d types %s can change to in %s (see T for the list)", want, len(types), in.ID, in.ZoneID)}}
		})
	}
	var types map[string]cloud.ResizableType
	f := newOpForm(ctx, fmt.Sprintf("Change the type of %s (now %s, %d vCPU, %s)", in.ID, in.Type, in.CPU, memory(in.MemoryMiB)),
		[]form.Field{
			{Key: "type", Label: "New type", Kind: form.Picker,
				Help: "the types this instance can change to in its zone; sold-out ones are marked and last"},
		}, func(v map[string]string) (tea.Cmd, error) {
			t, ok := types[v["type"]]
			if !ok {
				return nil, &cloud.ValidationError{Field: "instance type", Rule: "choose one of the types listed"}
			}
			if !t.Available() {
				return nil, &cloud.ValidationError{Field: "instance type", Rule: fmt.Sprintf("%s is %s in %s", t.ID, t.Status, in.ZoneID)}
			}
			flow, err := specFlow(ctx, in, t)
			if err != nil {
				return nil, err
			}
			return flow.Cmd(ctx), nil
		})
	f.fields = map[string]string{"instance type": "type"}
	l.OpenModal(f)
	return loadPicks(ctx, "instances", f.id, "type", func(c context.Context) ([]pickOption, func(), error) {
		list, err := client.ResizableTypes(c, region, in.ID)
		if err != nil {
			return nil, nil, err
		}
		m := make(map[string]cloud.ResizableType, len(list))
		for _, t := range list {
			m[t.ID] = t
		}
		return typePicks(list), func() { types = m }, nil
	})
}

// soldOutMark follows a sold-out type's id in the picker.
const soldOutMark = " — sold out"

// typePicks are the types as picker options, in stock first (in the
// API's order: by vCPU and memory), then the sold-out ones, marked.
func typePicks(list []cloud.ResizableType) []pickOption {
	sorted := slices.Clone(list)
	slices.SortStableFunc(sorted, func(a, b cloud.ResizableType) int {
		return cmpBool(!a.Available(), !b.Available())
	})
	ps := make([]pickOption, len(sorted))
	for i, t := range sorted {
		ps[i] = pickOption{ID: t.ID, Desc: typeDesc(t)}
		if !t.Available() {
			ps[i].Label = t.ID + soldOutMark
		}
	}
	return ps
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// typeDesc is a type's line in the picker: "4 vCPU, 16 GiB · Available".
func typeDesc(t cloud.ResizableType) string {
	s := fmt.Sprintf("%d vCPU, %s GiB · %s", t.CPU, strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", t.MemoryGiB), "0"), "."), t.Status)
	if t.Downgrade {
		s += " · downgrade"
	}
	return s
}

// specFlow changes in to t: one step when the instance can change as it
// is, stop -> change -> start when it must be stopped and is running.
func specFlow(ctx Context, in cloud.Instance, t cloud.ResizableType) (Flow, error) {
	region := regionOf(ctx, in.RegionID)
	client := ctx.Client
	action := fmt.Sprintf("change type of %s to %s", in.ID, t.ID)
	prepaid := in.ChargeType == "PrePaid"
	needsStop := !prepaid || t.Downgrade
	var change *cloud.Plan
	var err error
	if prepaid {
		change, err = client.PlanModifyPrepayInstanceSpec(region, in.ID, t.ID, t.Downgrade)
	} else {
		change, err = client.PlanModifyInstanceSpec(region, in.ID, t.ID)
	}
	f := Flow{
		Action: action,
		Title:  fmt.Sprintf("Change %s from %s to %s?", instancesNoun([]cloud.Instance{in}), in.Type, t.ID),
		Lines: []string{
			fmt.Sprintf("now:  %s, %d vCPU, %s", in.Type, in.CPU, memory(in.MemoryMiB)),
			fmt.Sprintf("then: %s, %s", t.ID, typeDesc(t)),
		},
		Reload: []string{"instances"},
	}
	if err != nil {
		return f, err
	}
	changeStep := Step{Label: "change type to " + t.ID, Plan: change, Poll: pollInstanceType(region, in.ID, t.ID)}
	if prepaid {
		f.Lines = append(f.Lines, "subscription: ModifyPrepayInstanceSpec "+map[bool]string{true: "downgrade", false: "upgrade"}[t.Downgrade]+"; the new type runs after the next start or reboot")
	}
	if needsStop && in.Status == cloud.StateRunning {
		stop, serr := client.PlanStopInstances(region, []string{in.ID}, false, stopModeFor(in))
		start, terr := client.PlanStartInstances(region, []string{in.ID})
		if serr != nil {
			return f, serr
		}
		if terr != nil {
			return f, terr
		}
		f.Title = fmt.Sprintf("%s is running: stop it, change it to %s, start it again?", instancesNoun([]cloud.Instance{in}), t.ID)
		f.Lines = append(f.Lines, "", "one operation in three steps:",
			"  1. stop (normal; the guest shuts down cleanly, KeepCharging)",
			"  2. change the type to "+t.ID,
			"  3. start",
			"the instance is unavailable until it is Running again")
		f.Typed = in.ID
		f.Undoable = "the instance stops: its services are down until it is Running again"
		f.Steps = []Step{
			{Label: "stop " + in.ID, Plan: stop, Poll: pollInstances(region, cloud.StateStopped)},
			changeStep,
			{Label: "start " + in.ID, Plan: start, Poll: pollInstances(region, cloud.StateRunning)},
		}
		return f, nil
	}
	if needsStop && in.Status != cloud.StateStopped {
		f.Lines = append(f.Lines, fmt.Sprintf("%s is %s: the change needs it Stopped (the precheck will tell)", in.ID, in.Status))
	}
	f.Steps = []Step{changeStep}
	return f, nil
}

// stopModeFor keeps a pay-as-you-go instance's compute through a stop
// that is part of a larger flow, so the start after it cannot fail for
// lack of stock.
func stopModeFor(in cloud.Instance) string {
	if in.ChargeType == "PostPaid" {
		return cloud.StoppedModeKeepCharging
	}
	return ""
}
