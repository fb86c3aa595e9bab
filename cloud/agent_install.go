package cloud

import (
	"slices"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cms"
)

// PlanInstallAgent plans asking CloudMonitor to install its agent on
// instances of one region (InstallMonitoringAgent, InstanceIds.N;
// duplicates dropped), 50 instances per call, one call after another (a
// failed batch stops the rest and is named in the error). The install runs
// in the background through Cloud Assistant: the agent is "installing",
// then "running" (or "install_faild"); AgentStatuses shows which. No
// instances: a plan that makes no call.
//
// Installing is treated as naturally idempotent: the call asks for the
// agent to be (re)installed (Force defaults to true), so repeating it after
// a lost answer leaves the same state; Execute retries it.
func (c *Client) PlanInstallAgent(regionID string, instanceIDs []string) (*Plan, error) {
	region, err := c.oneRegion("InstallAgent", regionID)
	if err != nil {
		return nil, err
	}
	ids := distinct(instanceIDs)
	whole := Operation{
		Product: "cms", Action: "InstallMonitoringAgent", Region: region,
		Resources: slices.Clone(ids), Params: repeatedParams(region, "InstanceIds", ids), Idempotent: true,
	}
	var parts []*Plan
	for _, part := range batches(ids, agentIDsPerCall) {
		op := whole
		op.Resources, op.Params = part, repeatedParams(region, "InstanceIds", part)
		parts = append(parts, newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
			req := cms.CreateInstallMonitoringAgentRequest()
			req.RegionId = region
			req.Domain = c.cmsDomain(region)
			req.InstanceIds = &part
			r, err := api.cms.InstallMonitoringAgent(req)
			if err == nil {
				err = cmsFailure(r.Code, r.Message, r.Success, r.RequestId)
			}
			return Result{RequestID: r.RequestId}, err
		}))
	}
	return newBatchPlan(whole, parts), nil
}
