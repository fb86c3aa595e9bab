package cloud

import (
	"context"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cms"
)

// agentIDsPerCall bounds the comma-separated InstanceIds of one
// DescribeMonitoringAgentStatuses call. The API documents no limit; 50
// matches the metric APIs and keeps URLs short.
const agentIDsPerCall = 50

// AgentStatuses reports the CloudMonitor agent on each instance
// (DescribeMonitoringAgentStatuses). Agent metrics (memory, disk, load)
// exist only where the agent is "running".
func (c *Client) AgentStatuses(ctx context.Context, regionID string, instanceIDs []string) (map[string]AgentStatus, error) {
	region, err := c.oneRegion("AgentStatuses", regionID)
	if err != nil {
		return nil, err
	}
	parts := batches(instanceIDs, agentIDsPerCall)
	if len(parts) == 0 {
		return map[string]AgentStatus{}, nil
	}
	all, err := fanOut(ctx, len(parts), func(ctx context.Context, i int) ([]AgentStatus, error) {
		req := cms.CreateDescribeMonitoringAgentStatusesRequest()
		req.RegionId = region
		req.Domain = c.cmsDomain(region)
		req.InstanceIds = strings.Join(parts[i], ",")
		var resp *cms.DescribeMonitoringAgentStatusesResponse
		err := c.do(ctx, "DescribeMonitoringAgentStatuses", region, func(api *sdkClients) (string, error) {
			r, err := api.cms.DescribeMonitoringAgentStatuses(req)
			resp = r
			if err == nil {
				err = cmsFailure(r.Code, r.Message, r.Success, r.RequestId)
			}
			return r.RequestId, err
		})
		if err != nil {
			return nil, err
		}
		out := make([]AgentStatus, 0, len(resp.NodeStatusList.NodeStatus))
		for _, n := range resp.NodeStatusList.NodeStatus {
			out = append(out, AgentStatus{InstanceID: n.InstanceId, Status: n.Status, Version: n.OsMonitorVersion})
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	m := make(map[string]AgentStatus, len(all))
	for _, a := range all {
		m[a.InstanceID] = a
	}
	return m, nil
}
