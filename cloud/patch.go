package cloud

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/oos"
)

// patchStatesPerCall is ListInstancePatchStates' InstanceIds limit, and
// oosPageSize the MaxResults every OOS list is read with (their maximum).
const (
	patchStatesPerCall = 100
	oosPageSize        = 100
)

// PatchStates reads the patch state of instances of one region
// (ListInstancePatchStates, 100 ids a call, every page), keyed by instance
// id. No ids: every instance of the region that has a state. An instance
// that was never scanned (or does not exist) is absent from the map.
func (c *Client) PatchStates(ctx context.Context, regionID string, instanceIDs []string) (map[string]PatchState, error) {
	region, err := c.oneRegion("PatchStates", regionID)
	if err != nil {
		return nil, err
	}
	var parts [][]string
	if len(instanceIDs) == 0 {
		parts = [][]string{nil}
	} else {
		parts = batches(uniqueIDs(instanceIDs), patchStatesPerCall)
	}
	list, err := fanOut(ctx, len(parts), func(ctx context.Context, i int) ([]PatchState, error) {
		return listTokens(ctx, func(ctx context.Context, token string) ([]PatchState, string, error) {
			req := oos.CreateListInstancePatchStatesRequest()
			req.RegionId = region
			req.Domain = c.oosDomain(region)
			if parts[i] != nil {
				req.InstanceIds = jsonList(parts[i])
			}
			req.MaxResults = requests.NewInteger(oosPageSize)
			req.NextToken = token
			var resp *oos.ListInstancePatchStatesResponse
			err := c.do(ctx, "ListInstancePatchStates", region, func(api *sdkClients) (string, error) {
				r, err := api.oos.ListInstancePatchStates(req)
				resp = r
				return r.RequestId, err
			})
			if err != nil {
				return nil, "", err
			}
			out := make([]PatchState, 0, len(resp.InstancePatchStates))
			for _, s := range resp.InstancePatchStates {
				out = append(out, PatchState{
					InstanceID: s.InstanceId, Installed: atoi(s.InstalledCount), Missing: atoi(s.MissingCount),
					Failed: atoi(s.FailedCount), PendingReboot: atoi(s.InstalledPendingRebootCount),
					LastScan: parseTime(s.OperationEndTime), Baseline: s.BaselineId,
				})
			}
			return out, resp.NextToken, nil
		})
	})
	if err != nil {
		return nil, err
	}
	states := make(map[string]PatchState, len(list))
	for _, s := range list {
		states[s.InstanceID] = s
	}
	return states, nil
}

// uniqueIDs drops repeated and empty ids, keeping the first order.
func uniqueIDs(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// patchStatuses are the statuses Patches filters on.
var patchStatuses = []string{PatchMissing, PatchInstalled, PatchPendingReboot, PatchFailed, "InstalledOther", "InstalledRejected"}

// Patches lists an instance's patches (ListInstancePatches, every page),
// most severe first as the service orders them; status filters on one
// status (PatchMissing, PatchInstalled, PatchPendingReboot, PatchFailed),
// "" lists all. An instance never scanned has none.
func (c *Client) Patches(ctx context.Context, regionID, instanceID string, status string) ([]Patch, error) {
	region, err := c.oneRegion("Patches", regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("instance", instanceID); err != nil {
		return nil, err
	}
	if status != "" && !slices.Contains(patchStatuses, status) {
		return nil, &ValidationError{Field: "patch status", Rule: fmt.Sprintf("%q: want one of %s", status, strings.Join(patchStatuses, ", "))}
	}
	return listTokens(ctx, func(ctx context.Context, token string) ([]Patch, string, error) {
		req := oos.CreateListInstancePatchesRequest()
		req.RegionId = region
		req.Domain = c.oosDomain(region)
		req.InstanceId = instanceID
		if status != "" {
			req.PatchStatuses = jsonList([]string{status})
		}
		req.MaxResults = requests.NewInteger(oosPageSize)
		req.NextToken = token
		var resp *oos.ListInstancePatchesResponse
		err := c.do(ctx, "ListInstancePatches", region, func(api *sdkClients) (string, error) {
			r, err := api.oos.ListInstancePatches(req)
			resp = r
			return r.RequestId, err
		})
		if err != nil {
			return nil, "", err
		}
		out := make([]Patch, 0, len(resp.Patches))
		for _, p := range resp.Patches {
			kb := ""
			if strings.HasPrefix(p.KBId, "KB") {
				kb = p.KBId
			}
			out = append(out, Patch{
				ID: p.KBId, Title: p.Title, Severity: p.Severity, Classification: p.Classification,
				Status: p.Status, KB: kb, InstalledAt: parseTime(p.InstalledTime),
			})
		}
		return out, resp.NextToken, nil
	})
}

// PlanPatch plans a scan or an install on instances of one region: an OOS
// StartExecution of the public template ACS-ECS-BulkyApplyPatchBaseline
// with targets = the instances, action, rebootIfNeed = run.Reboot and
// rateControl {Mode Concurrency, Concurrency, MaxErrors 0: the loop stops
// after the first batch with a failure}. SafetyCheck is Skip (the user
// confirmed in ecsdash; otherwise the service would wait for an approval)
// and Mode Automatic. It carries a ClientToken (a retry never starts a
// second execution); StartExecution has no DryRun. Result.IDs is the
// execution id, for Execution and WaitExecution.
func (c *Client) PlanPatch(regionID string, run PatchRun) (*Plan, error) {
	region, err := c.oneRegion("PlanPatch", regionID)
	if err != nil {
		return nil, err
	}
	if err := run.Validate(); err != nil {
		return nil, err
	}
	ids := slices.Clone(run.InstanceIDs)
	params := map[string]any{
		"regionId": region,
		"targets":  map[string]any{"Type": "ResourceIds", "ResourceIds": ids, "RegionId": region},
		"action":   run.Action,
		"rateControl": map[string]any{
			"Mode": "Concurrency", "MaxErrors": 0, "Concurrency": run.concurrency(),
		},
	}
	if run.Action == PatchInstall {
		params["rebootIfNeed"] = run.Reboot
	}
	raw, err := json.Marshal(params)
	if err != nil {
		return nil, fmt.Errorf("cloud: PlanPatch: %w", err)
	}
	parameters := string(raw)
	op := Operation{
		Product: "oos", Action: "StartExecution", Region: region, Resources: ids,
		Params: map[string]string{
			"RegionId":     region,
			"TemplateName": PatchTemplate,
			"Parameters":   parameters,
			"Mode":         "Automatic",
			"SafetyCheck":  "Skip",
		},
		Create: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, token string) (Result, error) {
		req := oos.CreateStartExecutionRequest()
		req.RegionId = region
		req.Domain = c.oosDomain(region)
		req.TemplateName = PatchTemplate
		req.Parameters = parameters
		req.Mode = "Automatic"
		req.SafetyCheck = "Skip"
		req.ClientToken = token
		r, err := api.oos.StartExecution(req)
		res := Result{RequestID: r.RequestId}
		if err == nil && r.Execution.ExecutionId != "" {
			res.IDs = []string{r.Execution.ExecutionId}
		}
		return res, err
	}), nil
}

// Execution reads an OOS execution (ListExecutions) and each target
// instance's run (ListTaskExecutions with the loop's child tasks, every
// page), in the order of the targets. An instance whose turn has not come
// is Queued, or Skipped once the execution has ended. An unknown id is
// EntityNotExists.Execution (the list is empty: the API does not fail).
func (c *Client) Execution(ctx context.Context, regionID, id string) (Execution, error) {
	region, err := c.oneRegion("Execution", regionID)
	if err != nil {
		return Execution{}, err
	}
	if err := requireID("execution", id); err != nil {
		return Execution{}, err
	}
	req := oos.CreateListExecutionsRequest()
	req.RegionId = region
	req.Domain = c.oosDomain(region)
	req.ExecutionId = id
	var resp *oos.ListExecutionsResponse
	err = c.do(ctx, "ListExecutions", region, func(api *sdkClients) (string, error) {
		r, err := api.oos.ListExecutions(req)
		resp = r
		return r.RequestId, err
	})
	if err != nil {
		return Execution{}, err
	}
	i := slices.IndexFunc(resp.Executions, func(e oos.Execution) bool { return e.ExecutionId == id })
	if i < 0 {
		return Execution{}, &APIError{Code: "EntityNotExists.Execution", Message: "The execution " + id + " does not exist.", Action: "ListExecutions", Region: region, HTTPStatus: 404}
	}
	x := resp.Executions[i]
	ex := Execution{
		ID: x.ExecutionId, Status: x.Status, StatusMessage: x.StatusMessage,
		Started: parseTime(x.StartDate), Ended: parseTime(x.EndDate),
	}
	tasks, err := listTokens(ctx, func(ctx context.Context, token string) ([]oos.TaskExecution, string, error) {
		req := oos.CreateListTaskExecutionsRequest()
		req.RegionId = region
		req.Domain = c.oosDomain(region)
		req.ExecutionId = id
		req.IncludeChildTaskExecution = requests.NewBoolean(true)
		req.SortOrder = "Ascending"
		req.MaxResults = requests.NewInteger(oosPageSize)
		req.NextToken = token
		var resp *oos.ListTaskExecutionsResponse
		err := c.do(ctx, "ListTaskExecutions", region, func(api *sdkClients) (string, error) {
			r, err := api.oos.ListTaskExecutions(req)
			resp = r
			return r.RequestId, err
		})
		if err != nil {
			return nil, "", err
		}
		return resp.TaskExecutions, resp.NextToken, nil
	})
	if err != nil {
		return Execution{}, err
	}
	runs := map[string]ExecutionInstance{}
	var order []string
	for _, t := range tasks {
		if t.LoopItem == "" {
			continue
		}
		if _, seen := runs[t.LoopItem]; !seen {
			order = append(order, t.LoopItem)
		}
		runs[t.LoopItem] = ExecutionInstance{InstanceID: t.LoopItem, Status: t.Status, Message: taskMessage(t)}
	}
	targets := executionTargets(x.Parameters)
	for _, id := range order {
		if !slices.Contains(targets, id) {
			targets = append(targets, id)
		}
	}
	for _, id := range targets {
		run, ok := runs[id]
		if !ok {
			run = ExecutionInstance{InstanceID: id, Status: ExecutionQueued}
			if ex.Done() {
				run.Status = ExecutionSkipped
			}
		}
		ex.Instances = append(ex.Instances, run)
	}
	return ex, nil
}

// executionTargets reads targets.ResourceIds from ListExecutions'
// Parameters (an object; targets an object or a JSON string).
func executionTargets(params map[string]any) []string {
	t := params["targets"]
	if s, ok := t.(string); ok {
		var m map[string]any
		if json.Unmarshal([]byte(s), &m) != nil {
			return nil
		}
		t = m
	}
	m, _ := t.(map[string]any)
	list, _ := m["ResourceIds"].([]any)
	var ids []string
	for _, v := range list {
		if s, ok := v.(string); ok && s != "" && !slices.Contains(ids, s) {
			ids = append(ids, s)
		}
	}
	return ids
}

// taskMessage is a child task's StatusMessage, or else the commandOutput
// its Outputs carry.
func taskMessage(t oos.TaskExecution) string {
	if t.StatusMessage != "" {
		return oneLine(t.StatusMessage)
	}
	var out map[string]any
	if json.Unmarshal([]byte(t.Outputs), &out) == nil {
		if s, ok := out["commandOutput"].(string); ok {
			return oneLine(s)
		}
	}
	return ""
}

// WaitExecution waits (Wait) until the execution is finished and returns
// it. progress, if not nil, gets Execution.Progress each time it changes.
// A Failed or Cancelled execution is a result, not an error: check
// Execution.OK and each instance's Status.
func (c *Client) WaitExecution(ctx context.Context, regionID, id string, progress func(string)) (Execution, error) {
	var last Execution
	err := c.Wait(ctx, func(ctx context.Context) (bool, string, error) {
		ex, err := c.Execution(ctx, regionID, id)
		if err != nil {
			return false, "", err
		}
		last = ex
		return ex.Done(), ex.Progress(), nil
	}, progress)
	return last, err
}
