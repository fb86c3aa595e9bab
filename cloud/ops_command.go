package cloud

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// Cloud Assistant (issue 6, API notes §3.8): RunCommand sends a script to
// running instances; DescribeInvocationResults reports each instance's
// run, with its output and exit code.

// invocationPageSize is DescribeInvocationResults' maximum PageSize.
const invocationPageSize = 50

// Per-instance InvocationStatus values that are final.
var finalInvocationStatuses = []string{"Success", "Failed", "Error", "Timeout", "Invalid", "Aborted", "Cancelled", "Terminated"}

// InvocationResult is one instance's run of a command.
type InvocationResult struct {
	InstanceID string
	// Status is the per-instance InvocationStatus: Pending, Scheduled,
	// Running, Stopping (not finished); Success (exit 0), Failed (exit not
	// 0), Error, Timeout, Invalid, Aborted (not delivered: the instance
	// was not running), Cancelled, Terminated.
	Status   string
	ExitCode int
	Output   string // decoded; at most 24 KB are kept (Dropped says how much more there was)
	Dropped  int    // bytes of output the service dropped
	Error    string // "ErrorCode: ErrorInfo" when the run failed, else ""
}

// Done reports whether the run is finished.
func (r InvocationResult) Done() bool { return slices.Contains(finalInvocationStatuses, r.Status) }

// OK reports whether the run finished with exit code 0.
func (r InvocationResult) OK() bool { return r.Status == "Success" }

// PlanRunCommand plans a Cloud Assistant RunCommand on running instances
// (VPC, agent installed): commandType CommandShell for Linux,
// CommandPowerShell for Windows; script as it is; timeout 0 for the API's
// 60 s. The script is sent Base64-encoded (ContentEncoding Base64), so no
// character is altered on the way; the limit is MaxCommandBytes after
// encoding (the command is not kept: KeepCommand false). More than 100
// instances make one call per 100. It carries a ClientToken per call
// (retries never run the script twice); the API has no DryRun.
// Result.IDs are the InvokeIds (one per call), for InvocationResults and
// WaitInvocation. If any instance cannot take the command (unknown, or of
// the other OS) the whole call fails; an instance that is not Running gets
// an Aborted result.
func (c *Client) PlanRunCommand(regionID string, ids []string, commandType, script string, timeout time.Duration) (*Plan, error) {
	region, err := c.oneRegion("RunCommand", regionID)
	if err != nil {
		return nil, err
	}
	if err := ValidateInstanceIDs(ids); err != nil {
		return nil, err
	}
	if err := ValidateCommand(commandType, script, timeout); err != nil {
		return nil, err
	}
	content := base64.StdEncoding.EncodeToString([]byte(script))
	secs := 0
	if timeout > 0 {
		secs = int((timeout + time.Second - 1) / time.Second)
	}
	params := func(part []string) map[string]string {
		p := repeatedParams(region, "InstanceId", part)
		p["Type"] = commandType
		p["CommandContent"] = content
		p["ContentEncoding"] = "Base64"
		if secs > 0 {
			p["Timeout"] = strconv.Itoa(secs)
		}
		return p
	}
	whole := Operation{
		Product: "ecs", Action: "RunCommand", Region: region, Resources: slices.Clone(ids),
		Params: params(ids), Create: true,
	}
	var parts []*Plan
	for _, part := range batches(slices.Clone(ids), MaxInstancesPerCall) {
		op := whole
		op.Resources, op.Params = part, params(part)
		parts = append(parts, newPlan(op, func(api *sdkClients, _ bool, token string) (Result, error) {
			req := ecs.CreateRunCommandRequest()
			req.RegionId = region
			req.InstanceId = &part
			req.Type = commandType
			req.CommandContent = content
			req.ContentEncoding = "Base64"
			if secs > 0 {
				req.Timeout = requests.NewInteger(secs)
			}
			req.ClientToken = token
			r, err := api.ecs.RunCommand(req)
			res := Result{RequestID: r.RequestId}
			if err == nil && r.InvokeId != "" {
				res.IDs = []string{r.InvokeId}
			}
			return res, err
		}))
	}
	return newBatchPlan(whole, parts), nil
}

// InvocationResults reads every instance's run of an invocation
// (DescribeInvocationResults, ContentEncoding Base64, output decoded), in
// instance id order. done is true when every run is finished (and there is
// at least one).
func (c *Client) InvocationResults(ctx context.Context, regionID, invokeID string) ([]InvocationResult, bool, error) {
	region, err := c.oneRegion("InvocationResults", regionID)
	if err != nil {
		return nil, false, err
	}
	if err := requireID("invocation", invokeID); err != nil {
		return nil, false, err
	}
	list, err := listPages(ctx, invocationPageSize, func(r InvocationResult) string { return r.InstanceID },
		func(ctx context.Context, page int) ([]InvocationResult, pageInfo, error) {
			req := ecs.CreateDescribeInvocationResultsRequest()
			req.RegionId = region
			req.InvokeId = invokeID
			req.ContentEncoding = "Base64"
			req.PageNumber = requests.NewInteger(page)
			req.PageSize = requests.NewInteger(invocationPageSize)
			var resp *ecs.DescribeInvocationResultsResponse
			err := c.do(ctx, "DescribeInvocationResults", region, func(api *sdkClients) (string, error) {
				r, err := api.ecs.DescribeInvocationResults(req)
				resp = r
				return r.RequestId, err
			})
			if err != nil {
				return nil, pageInfo{}, err
			}
			inv := resp.Invocation
			items := make([]InvocationResult, 0, len(inv.InvocationResults.InvocationResult))
			for _, x := range inv.InvocationResults.InvocationResult {
				items = append(items, invocationResultFromSDK(x))
			}
			return items, pageInfo{total: int(inv.TotalCount), size: int(inv.PageSize)}, nil
		})
	if err != nil {
		return nil, false, err
	}
	slices.SortFunc(list, func(a, b InvocationResult) int { return cmp.Compare(a.InstanceID, b.InstanceID) })
	done := len(list) > 0
	for _, r := range list {
		done = done && r.Done()
	}
	return list, done, nil
}

func invocationResultFromSDK(x ecs.InvocationResult) InvocationResult {
	out := InvocationResult{InstanceID: x.InstanceId, Status: x.InvocationStatus, ExitCode: int(x.ExitCode), Dropped: x.Dropped}
	if b, err := base64.StdEncoding.DecodeString(x.Output); err == nil {
		out.Output = string(b)
	} else {
		out.Output = x.Output // not Base64 after all: keep it as sent
	}
	switch {
	case x.ErrorCode != "" && x.ErrorInfo != "":
		out.Error = x.ErrorCode + ": " + x.ErrorInfo
	case x.ErrorCode != "" || x.ErrorInfo != "":
		out.Error = x.ErrorCode + x.ErrorInfo
	}
	return out
}

// WaitInvocation waits (Wait) until every instance's run of the
// invocation is finished and returns the results. progress, if not nil,
// gets "2/3 finished" each time the count changes. Runs that failed are
// results, not an error: check InvocationResult.OK.
func (c *Client) WaitInvocation(ctx context.Context, regionID, invokeID string, progress func(string)) ([]InvocationResult, error) {
	var last []InvocationResult
	err := c.Wait(ctx, func(ctx context.Context) (bool, string, error) {
		list, done, err := c.InvocationResults(ctx, regionID, invokeID)
		if err != nil {
			return false, "", err
		}
		last = list
		n := 0
		for _, r := range list {
			if r.Done() {
				n++
			}
		}
		return done, fmt.Sprintf("%d/%d finished", n, len(list)), nil
	}, progress)
	return last, err
}
