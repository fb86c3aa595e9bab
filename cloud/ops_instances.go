package cloud

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// Instance power operations (issue 6): the batch APIs StartInstances,
// StopInstances and RebootInstances, InstanceId.1..100 per call,
// BatchOptimization SuccessFirst: each instance is acted on separately and
// Result.Items tells which succeeded and which failed and why (a whole-call
// error is only for the call itself: region, parameters, throttling).
//
// Precheck (DryRun) is sent with BatchOptimization AllTogether: with
// SuccessFirst the API answers DryRunOperation whatever the instances'
// state, so the verdict would say nothing. AllTogether checks every
// instance and refuses on the first that cannot be acted on; the executed
// call still uses SuccessFirst and acts on the others.
//
// Retries: start and stop name a target state, so repeating one after a
// lost answer changes nothing more (a repeat only reports the instances
// already on their way as IncorrectInstanceStatus); Execute retries them
// (Idempotent). A reboot repeated after the first one finished would
// reboot again: it is sent once.
//
// A lost answer (Ambiguous) is judged by reading the instances back: a
// stop is applied to an instance Stopping or Stopped, a start to one
// Starting or Running, a reboot to one Stopping or Starting (Running
// cannot tell: the reboot may be over). See readback.go.

// batchOp is one of the batch power APIs.
type batchOp struct {
	action      string
	idempotent  bool
	destructive bool
	extra       map[string]string // parameters besides the ids, for the CLI and audit
	// leadsTo are the states an instance the call acted on shows; cannot
	// are states that cannot tell (a reboot may be over): the read-back
	// after a lost answer (readback.go).
	leadsTo, cannot []InstanceState
	send            func(api *sdkClients, region string, ids []string, mode string, dryRun bool) (string, []ItemResult, error)
}

// PlanStartInstances plans StartInstances on stopped instances (Stopped ->
// Starting -> Running; WaitInstances waits for Running). Not destructive.
func (c *Client) PlanStartInstances(regionID string, ids []string) (*Plan, error) {
	return c.planBatch(regionID, ids, batchOp{
		action: "StartInstances", idempotent: true,
		leadsTo: []InstanceState{StateStarting, StateRunning},
		send: func(api *sdkClients, region string, ids []string, mode string, dryRun bool) (string, []ItemResult, error) {
			req := ecs.CreateStartInstancesRequest()
			req.RegionId = region
			req.InstanceId = &ids
			req.BatchOptimization = mode
			req.DryRun = boolParam(dryRun)
			r, err := api.ecs.StartInstances(req)
			// The SDK always returns a response value, even with an error.
			return r.RequestId, instanceItems(r.InstanceResponses.InstanceResponse), err
		},
	})
}

// PlanStopInstances plans StopInstances on running instances (Running ->
// Stopping -> Stopped). force powers them off (ForceStop: unsaved data in
// the guest may be lost). stoppedMode is "" (the API's default:
// KeepCharging unless the account enabled economical mode),
// StoppedModeKeepCharging, or StoppedModeStopCharging (pay-as-you-go VPC
// instances only: compute is released and billing stops; starting again
// may fail for lack of stock). Destructive: the UI asks for the ids typed.
func (c *Client) PlanStopInstances(regionID string, ids []string, force bool, stoppedMode string) (*Plan, error) {
	if err := ValidateStoppedMode(stoppedMode); err != nil {
		return nil, err
	}
	extra := map[string]string{}
	if force {
		extra["ForceStop"] = "true"
	}
	if stoppedMode != "" {
		extra["StoppedMode"] = stoppedMode
	}
	return c.planBatch(regionID, ids, batchOp{
		action: "StopInstances", idempotent: true, destructive: true, extra: extra,
		leadsTo: []InstanceState{StateStopping, StateStopped},
		send: func(api *sdkClients, region string, ids []string, mode string, dryRun bool) (string, []ItemResult, error) {
			req := ecs.CreateStopInstancesRequest()
			req.RegionId = region
			req.InstanceId = &ids
			req.BatchOptimization = mode
			req.DryRun = boolParam(dryRun)
			if force {
				req.ForceStop = boolParam(true)
			}
			req.StoppedMode = stoppedMode
			r, err := api.ecs.StopInstances(req)
			// The SDK always returns a response value, even with an error.
			return r.RequestId, instanceItems(r.InstanceResponses.InstanceResponse), err
		},
	})
}

// PlanRebootInstances plans RebootInstances on running instances (Running
// -> Stopping -> Starting -> Running). force is ForceReboot (a power
// cycle). Not destructive; sent once (see above).
func (c *Client) PlanRebootInstances(regionID string, ids []string, force bool) (*Plan, error) {
	extra := map[string]string{}
	if force {
		extra["ForceReboot"] = "true"
	}
	return c.planBatch(regionID, ids, batchOp{
		action: "RebootInstances", extra: extra,
		leadsTo: []InstanceState{StateStopping, StateStarting}, cannot: []InstanceState{StateRunning},
		send: func(api *sdkClients, region string, ids []string, mode string, dryRun bool) (string, []ItemResult, error) {
			req := ecs.CreateRebootInstancesRequest()
			req.RegionId = region
			req.InstanceId = &ids
			req.BatchOptimization = mode
			req.DryRun = boolParam(dryRun)
			if force {
				req.ForceReboot = boolParam(true)
			}
			r, err := api.ecs.RebootInstances(req)
			// The SDK always returns a response value, even with an error.
			return r.RequestId, instanceItems(r.InstanceResponses.InstanceResponse), err
		},
	})
}

// planBatch builds a batch power plan: one call per MaxInstancesPerCall
// ids, one after another (Execute gathers every call's Items).
func (c *Client) planBatch(regionID string, ids []string, b batchOp) (*Plan, error) {
	region, err := c.oneRegion(b.action, regionID)
	if err != nil {
		return nil, err
	}
	if err := ValidateInstanceIDs(ids); err != nil {
		return nil, err
	}
	params := func(part []string) map[string]string {
		p := repeatedParams(region, "InstanceId", part)
		p["BatchOptimization"] = "SuccessFirst"
		for k, v := range b.extra {
			p[k] = v
		}
		return p
	}
	whole := Operation{
		Product: "ecs", Action: b.action, Region: region, Resources: slices.Clone(ids),
		Params: params(ids), DryRun: true, Idempotent: b.idempotent, Destructive: b.destructive,
	}
	var parts []*Plan
	for _, part := range batches(slices.Clone(ids), MaxInstancesPerCall) {
		op := whole
		op.Resources, op.Params = part, params(part)
		pp := newPlan(op, func(api *sdkClients, dryRun bool, _ string) (Result, error) {
			mode := "SuccessFirst"
			if dryRun {
				mode = "AllTogether"
			}
			id, items, err := b.send(api, region, part, mode, dryRun)
			if err != nil {
				return Result{RequestID: id}, err
			}
			return Result{RequestID: id, Items: orderItems(part, items)}, nil
		})
		pp.confirm, pp.items = instancesIn(region, part, b.leadsTo, b.cannot), true
		parts = append(parts, pp)
	}
	return newBatchPlan(whole, parts), nil
}

// orderItems puts the API's per-instance answers in the order the ids
// were given; an id the answer does not mention is reported as such.
func orderItems(ids []string, items []ItemResult) []ItemResult {
	byID := make(map[string]ItemResult, len(items))
	for _, it := range items {
		byID[it.ID] = it
	}
	out := make([]ItemResult, 0, len(ids))
	for _, id := range ids {
		it, ok := byID[id]
		if !ok {
			it = ItemResult{ID: id, Code: "NoAnswer", Message: "the API's answer does not mention this instance"}
		}
		out = append(out, it)
	}
	return out
}

// instanceItems turns the per-instance answers of StartInstances,
// StopInstances and RebootInstances (one element type in the SDK) into
// ItemResults.
func instanceItems(list []ecs.InstanceResponse) []ItemResult {
	out := make([]ItemResult, 0, len(list))
	for _, x := range list {
		out = append(out, ItemResult{ID: x.InstanceId, Code: x.Code, Message: x.Message, Previous: x.PreviousStatus, Current: x.CurrentStatus})
	}
	return out
}

// boolParam is an SDK Boolean: "true", or "" (not sent) for false.
func boolParam(b bool) requests.Boolean {
	if b {
		return requests.NewBoolean(true)
	}
	return ""
}

// Failed returns the items that did not succeed.
func (r Result) Failed() []ItemResult {
	var out []ItemResult
	for _, it := range r.Items {
		if !it.OK() {
			out = append(out, it)
		}
	}
	return out
}

// WaitInstances waits (Wait) until every instance reports want
// (DescribeInstanceStatus). progress, if not nil, gets "2/3 Stopped" each
// time the count changes. An instance that no longer exists is an error.
func (c *Client) WaitInstances(ctx context.Context, regionID string, ids []string, want InstanceState, progress func(string)) error {
	region, err := c.oneRegion("WaitInstances", regionID)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	return c.Wait(ctx, func(ctx context.Context) (bool, string, error) {
		got, err := c.InstanceStatuses(ctx, region, ids)
		if err != nil {
			return false, "", err
		}
		n := 0
		var missing []string
		for _, id := range ids {
			s, ok := got[id]
			switch {
			case !ok:
				missing = append(missing, id)
			case s == want:
				n++
			}
		}
		if len(missing) > 0 {
			return false, "", fmt.Errorf("waiting for %s: %s not found in %s", want, strings.Join(missing, ", "), region)
		}
		return n == len(ids), strconv.Itoa(n) + "/" + strconv.Itoa(len(ids)) + " " + string(want), nil
	}, progress)
}

// describeOneInstance reads one instance (DescribeInstances InstanceIds).
func (c *Client) describeOneInstance(ctx context.Context, region, id string) (Instance, error) {
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId = region
	req.InstanceIds = jsonList([]string{id})
	var resp *ecs.DescribeInstancesResponse
	err := c.do(ctx, "DescribeInstances", region, func(api *sdkClients) (string, error) {
		r, err := api.ecs.DescribeInstances(req)
		resp = r
		return r.RequestId, err
	})
	if err != nil {
		return Instance{}, err
	}
	for _, in := range resp.Instances.Instance {
		if in.InstanceId == id {
			return instanceFromSDK(in, region), nil
		}
	}
	return Instance{}, &APIError{Code: "InvalidInstanceId.NotFound", Message: "The specified instance " + id + " does not exist.", Action: "DescribeInstances", Region: region, HTTPStatus: 404}
}
