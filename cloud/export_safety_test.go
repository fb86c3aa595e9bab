package cloud

import (
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// SetRetryPolicyForTest replaces c's retry policy (budget <= 0: no retries).
func SetRetryPolicyForTest(c *Client, base, ceiling, budget time.Duration) {
	c.safe.retry = retryPolicy{base: base, cap: ceiling, budget: budget}
}

// SetWaitPolicyForTest makes c's Wait poll every base, doubling up to
// ceiling, so tests against a fast emulator do not sleep a second a poll.
func SetWaitPolicyForTest(c *Client, base, ceiling time.Duration) {
	if c.safe != nil {
		c.safe.wait = waitPolicy{base: base, cap: ceiling}
	}
}

// PlanDryRunForTest is a plan on an API that has DryRun (DescribeSnapshots,
// a read standing in for a mutation), to test Precheck's verdicts.
func PlanDryRunForTest(c *Client, region string) *Plan {
	op := Operation{Product: "ecs", Action: "DescribeSnapshots", Region: region, Params: map[string]string{"RegionId": region}, DryRun: true}
	return newPlan(op, func(api *sdkClients, dryRun bool, _ string) (Result, error) {
		req := ecs.CreateDescribeSnapshotsRequest()
		req.RegionId = region
		req.DryRun = requests.NewBoolean(dryRun)
		r, err := api.ecs.DescribeSnapshots(req)
		return Result{RequestID: r.RequestId}, err
	})
}
