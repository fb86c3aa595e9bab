package cloud

import (
	"slices"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// PlanResetPassword plans a new login password for instances
// (ModifyInstanceAttribute Password, one call per instance: the API takes
// one InstanceId). Before any call the password is checked against every
// target's rules (ValidateInstancePasswordFor: Windows may not begin with
// "/"), naming every broken rule, and an instance that is Starting is
// refused (the API would answer IncorrectInstanceStatus). The password is
// a secret (Operation.Secret): it never reaches the audit log, the CLI
// line, an error or a log.
//
// The new password takes effect only after a console/API restart: chain
// PlanApplyLogin (ChainPlans) to make it one tracked operation. The API has
// no DryRun and no ClientToken; a repeat sets the same password again, so
// Execute retries it (Idempotent).
func (c *Client) PlanResetPassword(regionID string, targets []Instance, password string) (*Plan, error) {
	region, err := c.oneRegion("ModifyInstanceAttribute", regionID)
	if err != nil {
		return nil, err
	}
	if err := ValidateInstanceIDs(instanceIDs(targets)); err != nil {
		return nil, err
	}
	windows := slices.ContainsFunc(targets, func(in Instance) bool { return in.OSType == "windows" })
	if err := ValidateInstancePasswordFor(password, windows); err != nil {
		return nil, err
	}
	for _, in := range targets {
		if in.Status == StateStarting || in.Status == StatePending {
			return nil, invalid("instances", "%s is %s: its password can be changed once it is Running or Stopped", in.ID, in.Status)
		}
	}
	var parts []*Plan
	for _, in := range targets {
		id := in.ID
		op := Operation{
			Product: "ecs", Action: "ModifyInstanceAttribute", Region: region, Resources: []string{id},
			Params: map[string]string{"RegionId": region, "InstanceId": id, "Password": password},
			Secret: []string{"Password"}, Idempotent: true,
		}
		parts = append(parts, newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
			req := ecs.CreateModifyInstanceAttributeRequest()
			req.RegionId = region
			req.InstanceId = id
			req.Password = password
			r, err := api.ecs.ModifyInstanceAttribute(req)
			return Result{RequestID: r.RequestId}, err
		}))
	}
	whole := Operation{
		Product: "ecs", Action: "ModifyInstanceAttribute", Region: region, Resources: instanceIDs(targets),
		Params: map[string]string{"RegionId": region, "Password": password}, Secret: []string{"Password"}, Idempotent: true,
	}
	return newBatchPlan(whole, parts), nil
}

// PlanApplyLogin plans the restart that makes a new password or key pair
// take effect (ModifyInstanceAttribute, Attach/DetachKeyPair): a reboot
// (RebootInstances) of the Running targets and a start (StartInstances) of
// the Stopped ones, in one batched plan. Instances in a transient state
// are refused: wait for them first.
func (c *Client) PlanApplyLogin(regionID string, targets []Instance) (*Plan, error) {
	region, err := c.oneRegion("RebootInstances", regionID)
	if err != nil {
		return nil, err
	}
	if err := ValidateInstanceIDs(instanceIDs(targets)); err != nil {
		return nil, err
	}
	var running, stopped []string
	for _, in := range targets {
		switch in.Status {
		case StateRunning:
			running = append(running, in.ID)
		case StateStopped:
			stopped = append(stopped, in.ID)
		default:
			return nil, invalid("instances", "%s is %s: a restart needs it Running (reboot) or Stopped (start)", in.ID, in.Status)
		}
	}
	var plans []*Plan
	if len(running) > 0 {
		p, err := c.PlanRebootInstances(region, running, false)
		if err != nil {
			return nil, err
		}
		plans = append(plans, p)
	}
	if len(stopped) > 0 {
		p, err := c.PlanStartInstances(region, stopped)
		if err != nil {
			return nil, err
		}
		plans = append(plans, p)
	}
	return ChainPlans(plans...), nil
}

// ChainPlans makes one plan of several, executed in order (each call
// audited on its own; the first failure stops the rest): e.g. a password
// reset and then the restart that applies it. Its Op describes the whole
// (the actions joined by "+", every resource, no parameters of its own);
// it has a DryRun precheck only when every part has one. Nil plans are
// skipped.
func ChainPlans(plans ...*Plan) *Plan {
	var parts []*Plan
	var actions, resources []string
	whole := Operation{Product: "ecs", Params: map[string]string{}, DryRun: true}
	for _, p := range plans {
		if p == nil {
			continue
		}
		if whole.Region == "" {
			whole.Region = p.Op.Region
		}
		if !slices.Contains(actions, p.Op.Action) {
			actions = append(actions, p.Op.Action)
		}
		for _, id := range p.Op.Resources {
			if !slices.Contains(resources, id) {
				resources = append(resources, id)
			}
		}
		whole.Destructive = whole.Destructive || p.Op.Destructive
		whole.DryRun = whole.DryRun && p.Op.DryRun
		if p.batch {
			parts = append(parts, p.parts...)
		} else {
			parts = append(parts, p)
		}
	}
	whole.Action, whole.Resources = strings.Join(actions, "+"), resources
	if len(parts) == 1 {
		return parts[0]
	}
	return &Plan{Op: whole, parts: parts, batch: true}
}

// instanceIDs lists the ids of instances.
func instanceIDs(list []Instance) []string {
	out := make([]string, len(list))
	for i, in := range list {
		out[i] = in.ID
	}
	return out
}
