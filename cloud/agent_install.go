package cloud

import (
	"context"
	"fmt"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cms"
)

// InstallAgent asks CloudMonitor to install its agent on instances
// (InstallMonitoringAgent, InstanceIds.N), 50 instances per call, one call
// after another (a failed batch stops the rest and is named in the error).
// The install runs in the background through Cloud Assistant: the agent is
// "installing", then "running" (or "install_faild"); AgentStatuses shows
// which. No instances: no call.
func (c *Client) InstallAgent(ctx context.Context, regionID string, instanceIDs []string) error {
	region, err := c.oneRegion("InstallAgent", regionID)
	if err != nil {
		return err
	}
	parts := batches(distinct(instanceIDs), agentIDsPerCall)
	for i, part := range parts {
		req := cms.CreateInstallMonitoringAgentRequest()
		req.RegionId = region
		req.Domain = c.cmsDomain(region)
		req.InstanceIds = &part
		err := c.do(ctx, "InstallMonitoringAgent", region, func(api *sdkClients) (string, error) {
			r, err := api.cms.InstallMonitoringAgent(req)
			if err == nil {
				err = cmsFailure(r.Code, r.Message, r.Success, r.RequestId)
			}
			return r.RequestId, err
		})
		if err != nil {
			if len(parts) > 1 {
				return fmt.Errorf("InstallMonitoringAgent batch %d of %d: %w", i+1, len(parts), err)
			}
			return err
		}
	}
	return nil
}
