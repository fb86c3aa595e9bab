package cloud

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// Instance type changes (issue 6, API notes §3.2): ResizableTypes lists
// the types an instance can move to; a pay-as-you-go instance changes with
// ModifyInstanceSpec and must be Stopped; a subscription changes with
// ModifyPrepayInstanceSpec (a downgrade needs it Stopped; the new type
// takes effect at the next start or reboot).

// ResizableType is an instance type an instance can change to.
type ResizableType struct {
	ID        string
	Family    string
	CPU       int     // vCPUs (0 when DescribeInstanceTypes does not know the type)
	MemoryGiB float64 // GiB
	Status    string  // "Available" or "SoldOut" (in the instance's zone)
	// Downgrade: for a subscription, the type is smaller than the current
	// one (listed under OperationType Downgrade): ModifyPrepayInstanceSpec
	// needs OperatorType downgrade and the instance Stopped. Always false
	// for pay-as-you-go.
	Downgrade bool
}

// Available reports whether the type is in stock.
func (t ResizableType) Available() bool { return t.Status == "Available" }

// ResizableTypes lists the types the instance can change to in its zone
// (DescribeResourcesModification, DestinationResource InstanceType;
// OperationType Upgrade for pay-as-you-go, which lists every move, and
// Upgrade plus Downgrade for a subscription), with vCPU and memory from
// DescribeInstanceTypes, sorted by vCPU, memory and id. Types sold out
// are included with Status "SoldOut".
func (c *Client) ResizableTypes(ctx context.Context, regionID, instanceID string) ([]ResizableType, error) {
	region, err := c.oneRegion("ResizableTypes", regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("instance", instanceID); err != nil {
		return nil, err
	}
	in, err := c.describeOneInstance(ctx, region, instanceID)
	if err != nil {
		return nil, err
	}
	opTypes := []string{"Upgrade"}
	if in.ChargeType == "PrePaid" {
		opTypes = append(opTypes, "Downgrade")
	}
	var out []ResizableType
	seen := map[string]bool{}
	for _, opType := range opTypes {
		list, err := c.describeModification(ctx, region, in, opType)
		if err != nil {
			return nil, err
		}
		for _, t := range list {
			if seen[t.ID] || t.ID == in.Type {
				continue
			}
			seen[t.ID] = true
			t.Downgrade = opType == "Downgrade"
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	specs, err := c.InstanceTypes(ctx, region)
	if err != nil {
		return nil, fmt.Errorf("instance type specs: %w", err)
	}
	byID := make(map[string]InstanceType, len(specs))
	for _, s := range specs {
		byID[s.ID] = s
	}
	for i := range out {
		if s, ok := byID[out[i].ID]; ok {
			out[i].Family, out[i].CPU, out[i].MemoryGiB = s.Family, s.CPU, s.MemoryGiB
		} else {
			out[i].Family = typeFamily(out[i].ID)
		}
	}
	slices.SortFunc(out, func(a, b ResizableType) int {
		return cmp.Or(cmp.Compare(a.CPU, b.CPU), cmp.Compare(a.MemoryGiB, b.MemoryGiB), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// describeModification asks DescribeResourcesModification for the
// instance types of one OperationType in the instance's zone.
func (c *Client) describeModification(ctx context.Context, region string, in Instance, opType string) ([]ResizableType, error) {
	req := ecs.CreateDescribeResourcesModificationRequest()
	req.RegionId = region
	req.ResourceId = in.ID
	req.DestinationResource = "InstanceType"
	req.OperationType = opType
	var resp *ecs.DescribeResourcesModificationResponse
	err := c.do(ctx, "DescribeResourcesModification", region, func(api *sdkClients) (string, error) {
		r, err := api.ecs.DescribeResourcesModification(req)
		resp = r
		return r.RequestId, err
	})
	if err != nil {
		return nil, err
	}
	var out []ResizableType
	for _, z := range resp.AvailableZones.AvailableZone {
		if in.ZoneID != "" && z.ZoneId != "" && z.ZoneId != in.ZoneID {
			continue
		}
		for _, res := range z.AvailableResources.AvailableResource {
			if !strings.EqualFold(res.Type, "InstanceType") {
				continue
			}
			for _, s := range res.SupportedResources.SupportedResource {
				status := s.Status
				if status == "" {
					status = "Available"
				}
				out = append(out, ResizableType{ID: s.Value, Status: status})
			}
		}
	}
	return out, nil
}

// typeFamily is the family part of an instance type id: "ecs.g7" of
// "ecs.g7.large".
func typeFamily(id string) string {
	if i := strings.LastIndexByte(id, '.'); i > 0 {
		return id[:i]
	}
	return ""
}

// sizeRank orders the size part of an instance type id within a family
// (nano < micro < small < medium < large < xlarge < 2xlarge < ...); 0 when
// it cannot be read.
func sizeRank(id string) int {
	size := id[strings.LastIndexByte(id, '.')+1:]
	switch size {
	case "nano":
		return 1
	case "micro":
		return 2
	case "small":
		return 3
	case "medium":
		return 4
	case "large":
		return 6
	case "xlarge":
		return 12
	}
	if n, err := strconv.Atoi(strings.TrimSuffix(size, "xlarge")); err == nil && strings.HasSuffix(size, "xlarge") && n > 0 {
		return 12 * n
	}
	return 0
}

// SpecChangeNeedsStop reports whether changing in to newType needs the
// instance Stopped. Pay-as-you-go: always (ModifyInstanceSpec changes a
// type only on a stopped instance: InvalidInstanceStatus.NotStopped).
// Subscription: only a downgrade; it is read from the type names when both
// are of the same family (ecs.g7.xlarge -> ecs.g7.large), otherwise the
// answer is true, the safe side (stopping is never wrong for the change).
// ResizableType.Downgrade is the API's exact answer. No change: false.
func SpecChangeNeedsStop(in Instance, newType string) bool {
	if newType == "" || newType == in.Type {
		return false
	}
	if in.ChargeType != "PrePaid" {
		return true
	}
	cur, next := sizeRank(in.Type), sizeRank(newType)
	if typeFamily(in.Type) != typeFamily(newType) || cur == 0 || next == 0 {
		return true
	}
	return next < cur
}

// PlanModifyInstanceSpec plans the type change of a pay-as-you-go
// instance (ModifyInstanceSpec InstanceType). The instance must be Stopped
// (else InvalidInstanceStatus.NotStopped, or IncorrectInstanceStatus in a
// transient state); the type must come from ResizableTypes. It carries a
// ClientToken (made once per plan: retries are safe) and has a DryRun
// precheck. The API allows one type change per instance every 5 minutes
// (Throttling).
func (c *Client) PlanModifyInstanceSpec(regionID, instanceID, newType string) (*Plan, error) {
	region, err := c.oneRegion("ModifyInstanceSpec", regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("instance", instanceID); err != nil {
		return nil, err
	}
	if err := ValidateInstanceType("", newType); err != nil {
		return nil, err
	}
	op := Operation{
		Product: "ecs", Action: "ModifyInstanceSpec", Region: region, Resources: []string{instanceID},
		Params: map[string]string{"RegionId": region, "InstanceId": instanceID, "InstanceType": newType},
		Create: true, DryRun: true,
	}
	return newPlan(op, func(api *sdkClients, dryRun bool, token string) (Result, error) {
		req := ecs.CreateModifyInstanceSpecRequest()
		req.RegionId = region
		req.InstanceId = instanceID
		req.InstanceType = newType
		req.DryRun = boolParam(dryRun)
		req.ClientToken = token
		r, err := api.ecs.ModifyInstanceSpec(req)
		return Result{RequestID: r.RequestId}, err
	}).withReadBack(instanceIs(region, instanceID, hasType(newType, false))), nil
}

// hasType judges a type change after a lost answer: applied when the
// instance reports the new type. A subscription's order takes seconds to
// show (pending): there another type cannot tell.
func hasType(newType string, pending bool) func(Instance) sighting {
	return func(in Instance) sighting {
		return sighting{applied: in.Type == newType, unsure: pending && in.Type != newType, seen: "type " + in.Type + ", " + string(in.Status)}
	}
}

// PlanModifyPrepayInstanceSpec plans the type change of a subscription
// instance (ModifyPrepayInstanceSpec, OperatorType upgrade or downgrade:
// take it from ResizableType.Downgrade). A downgrade needs the instance
// Stopped (InvalidStatus.NotStopped) and is allowed 3 times per instance.
// The order completes in seconds; the instance reports the new type then,
// and runs it after its next start or reboot (WaitInstanceType waits for
// the order). ClientToken; the API has no DryRun.
func (c *Client) PlanModifyPrepayInstanceSpec(regionID, instanceID, newType string, downgrade bool) (*Plan, error) {
	region, err := c.oneRegion("ModifyPrepayInstanceSpec", regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("instance", instanceID); err != nil {
		return nil, err
	}
	if err := ValidateInstanceType("", newType); err != nil {
		return nil, err
	}
	opType := "upgrade"
	if downgrade {
		opType = "downgrade"
	}
	op := Operation{
		Product: "ecs", Action: "ModifyPrepayInstanceSpec", Region: region, Resources: []string{instanceID},
		Params: map[string]string{"RegionId": region, "InstanceId": instanceID, "InstanceType": newType, "OperatorType": opType},
		Create: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, token string) (Result, error) {
		req := ecs.CreateModifyPrepayInstanceSpecRequest()
		req.RegionId = region
		req.InstanceId = instanceID
		req.InstanceType = newType
		req.OperatorType = opType
		req.ClientToken = token
		r, err := api.ecs.ModifyPrepayInstanceSpec(req)
		res := Result{RequestID: r.RequestId}
		if err == nil && r.OrderId != "" {
			res.IDs = []string{r.OrderId}
		}
		return res, err
	}).withReadBack(instanceIs(region, instanceID, hasType(newType, true))), nil
}

// WaitInstanceType waits (Wait) until the instance reports the type, as a
// subscription's type-change order completes.
func (c *Client) WaitInstanceType(ctx context.Context, regionID, instanceID, instanceType string, progress func(string)) error {
	region, err := c.oneRegion("WaitInstanceType", regionID)
	if err != nil {
		return err
	}
	return c.Wait(ctx, func(ctx context.Context) (bool, string, error) {
		in, err := c.describeOneInstance(ctx, region, instanceID)
		if err != nil {
			return false, "", err
		}
		return in.Type == instanceType, in.Type, nil
	}, progress)
}
