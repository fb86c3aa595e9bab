package cloud

import (
	"fmt"
	"strconv"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// PlanModifyBandwidth plans a change of an instance's public bandwidth
// (ModifyInstanceNetworkSpec): the maximum outbound Mbit/s and, when
// chargeType is not "", the billing method (PayByTraffic or
// PayByBandwidth; "" keeps the current one). The value is checked before
// any call (ValidateBandwidth; ValidateInstanceBandwidth is exact for a
// pay-as-you-go instance paying by bandwidth, 0-100). The instance may be
// Running or Stopped. A subscription raised from 0 Mbit/s gets a public
// address by itself; a pay-as-you-go one does not. ClientToken (retries
// are safe); the API has no DryRun. Result.IDs holds the order id of a
// subscription's change.
func (c *Client) PlanModifyBandwidth(regionID, instanceID, chargeType string, maxOutMbps int) (*Plan, error) {
	region, err := c.oneRegion("ModifyInstanceNetworkSpec", regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("instance", instanceID); err != nil {
		return nil, err
	}
	if chargeType != "" {
		err = ValidateBandwidth(chargeType, maxOutMbps)
	} else if _, hi, _ := BandwidthRange(PayByBandwidth, ""); maxOutMbps < 0 || maxOutMbps > hi {
		err = &ValidationError{Field: "bandwidth", Rule: fmt.Sprintf("%d Mbit/s is outside 0-%d Mbit/s", maxOutMbps, hi)}
	}
	if err != nil {
		return nil, err
	}
	params := map[string]string{"RegionId": region, "InstanceId": instanceID, "InternetMaxBandwidthOut": strconv.Itoa(maxOutMbps)}
	if chargeType != "" {
		params["NetworkChargeType"] = chargeType
	}
	op := Operation{
		Product: "ecs", Action: "ModifyInstanceNetworkSpec", Region: region, Resources: []string{instanceID},
		Params: params, Create: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, token string) (Result, error) {
		req := ecs.CreateModifyInstanceNetworkSpecRequest()
		req.RegionId = region
		req.InstanceId = instanceID
		req.InternetMaxBandwidthOut = requests.NewInteger(maxOutMbps)
		req.NetworkChargeType = chargeType
		req.ClientToken = token
		r, err := api.ecs.ModifyInstanceNetworkSpec(req)
		res := Result{RequestID: r.RequestId}
		if err == nil && r.OrderId != "" {
			res.IDs = []string{r.OrderId}
		}
		return res, err
	}), nil
}
