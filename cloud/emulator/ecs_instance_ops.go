package emulator

import (
	"slices"
	"time"
)

// Instance power operations (notes §3.2, §4.1): StartInstance(s),
// StopInstance(s), RebootInstance(s). Each transient state lasts one
// TransitionDelay: Stopped -> Starting -> Running, Running -> Stopping ->
// Stopped, and a reboot Running -> Stopping -> Starting -> Running.

// regionInstance finds an instance of the request's region; one of another
// region does not exist for the caller, as on the real service.
func (st *store) regionInstance(r *request, id string) (*instance, error) {
	in := st.instances[id]
	if in == nil || (r.regionID() != "" && in.RegionID != r.regionID()) {
		return nil, errNotFound("InvalidInstanceId.NotFound", "InstanceId")
	}
	return in, nil
}

// requireInstance reads the InstanceId parameter and finds the instance.
func (st *store) requireInstance(r *request) (*instance, error) {
	id, err := r.required("InstanceId")
	if err != nil {
		return nil, err
	}
	return st.regionInstance(r, id)
}

func errLockedForSecurity() *APIError {
	return &APIError{Status: 403, Code: "InstanceLockedForSecurity", Message: "The specified operation is denied as your instance is locked for security reasons."}
}

func (in *instance) securityLocked() bool { return slices.Contains(in.LockReasons, "security") }

// powerOp is one instance power operation: check validates without changing
// anything, apply starts the transition.
type powerOp struct {
	check func(in *instance) *APIError
	apply func(st *store, in *instance)
}

func startOp() powerOp {
	return powerOp{
		check: func(in *instance) *APIError {
			if in.securityLocked() {
				return errLockedForSecurity()
			}
			if in.Status != "Stopped" {
				return errIncorrectInstanceStatus()
			}
			return nil
		},
		apply: func(st *store, in *instance) { st.startInstance(in) },
	}
}

func stopOp(mode string) powerOp {
	return powerOp{
		check: func(in *instance) *APIError {
			if in.securityLocked() {
				// The current StopInstance(s) pages say a security-locked
				// instance cannot be stopped (notes §7 has the older,
				// conflicting page).
				return errLockedForSecurity()
			}
			if mode == "StopCharging" && in.InstanceChargeType != "PostPaid" {
				return &APIError{Status: 403, Code: "InvalidInstanceId.NotSupport", Message: "The specified instance does not support StopCharging: only pay-as-you-go instances in a VPC can be stopped in economical mode."}
			}
			if in.Status != "Running" {
				return errIncorrectInstanceStatus()
			}
			return nil
		},
		apply: func(st *store, in *instance) { st.stopInstance(in, mode) },
	}
}

func rebootOp() powerOp {
	return powerOp{
		check: func(in *instance) *APIError {
			if in.securityLocked() {
				return errLockedForSecurity()
			}
			if in.Status != "Running" {
				return errIncorrectInstanceStatus()
			}
			return nil
		},
		apply: func(st *store, in *instance) { st.rebootInstance(in) },
	}
}

// startInstance: Stopped -> Starting -> Running.
func (st *store) startInstance(in *instance) {
	in.Status = "Starting"
	st.after(st.delay, func() {
		if st.instances[in.ID] != in || in.Status != "Starting" {
			return
		}
		st.booted(in)
	})
}

// booted finishes a start or reboot: the instance runs again, its agent
// reports again, and what waited for a restart (offline disk resizes) is seen
// by the guest.
func (st *store) booted(in *instance) {
	now := st.now().UTC()
	in.Status = "Running"
	in.StartTime = now.Truncate(time.Minute)
	in.BootedAt = now
	in.StoppedAt = time.Time{}
	in.StoppedMode = "Not-applicable"
	in.applyLogin() // a new password or key pair takes effect (ecs_instance_attr.go)
	if in.AgentStatus == "stopped" {
		in.AgentStatus = "running"
	}
	for _, d := range st.disks {
		if d.InstanceID == in.ID {
			d.GuestGiB = 0
		}
	}
}

// stopInstance: Running -> Stopping -> Stopped. mode is the StoppedMode the
// instance reports once stopped.
func (st *store) stopInstance(in *instance, mode string) {
	in.Status = "Stopping"
	st.after(st.delay, func() {
		if st.instances[in.ID] != in || in.Status != "Stopping" {
			return
		}
		in.Status = "Stopped"
		in.StoppedAt = st.now().UTC()
		in.StoppedMode = mode
	})
}

// rebootInstance: Running -> Stopping -> Starting -> Running. Both phases
// are scheduled now, so each lasts one delay however lazily the store
// settles.
func (st *store) rebootInstance(in *instance) {
	in.Status = "Stopping"
	st.after(st.delay, func() {
		if st.instances[in.ID] == in && in.Status == "Stopping" {
			in.Status = "Starting"
		}
	})
	st.after(2*st.delay, func() {
		if st.instances[in.ID] == in && in.Status == "Starting" {
			st.booted(in)
		}
	})
}

// stoppedMode validates StoppedMode and resolves the default: the emulated
// account has not enabled economical mode, so pay-as-you-go instances keep
// charging unless told otherwise; subscriptions report Not-applicable.
func stoppedMode(r *request) (string, error) {
	mode, err := r.enumParam("StoppedMode", []string{"KeepCharging", "StopCharging"}, "", 0)
	if err != nil {
		return "", err
	}
	return mode, nil
}

func resolveStoppedMode(mode string, in *instance) string {
	switch {
	case mode != "":
		return mode
	case in.InstanceChargeType == "PostPaid":
		return "KeepCharging"
	}
	return "Not-applicable"
}

// single runs a power operation on the InstanceId of the request.
func single(r *request, op func(*instance) powerOp) (any, error) {
	st := r.server.store
	if _, err := r.boolParam("ForceStop", false); err != nil {
		return nil, err
	}
	in, err := st.requireInstance(r)
	if err != nil {
		return nil, err
	}
	o := op(in)
	if apiErr := o.check(in); apiErr != nil {
		return nil, apiErr
	}
	if r.dryRun() {
		return nil, errDryRun()
	}
	o.apply(st, in)
	return map[string]any{}, nil
}

func startInstance(r *request) (any, error) {
	return single(r, func(*instance) powerOp { return startOp() })
}

func stopInstance(r *request) (any, error) {
	mode, err := stoppedMode(r)
	if err != nil {
		return nil, err
	}
	return single(r, func(in *instance) powerOp { return stopOp(resolveStoppedMode(mode, in)) })
}

func rebootInstance(r *request) (any, error) {
	return single(r, func(*instance) powerOp { return rebootOp() })
}

// instanceResponseJSON is one element of InstanceResponses.InstanceResponse[].
type instanceResponseJSON struct {
	InstanceId     string `json:"InstanceId"`
	Code           string `json:"Code"`
	Message        string `json:"Message"`
	PreviousStatus string `json:"PreviousStatus"`
	CurrentStatus  string `json:"CurrentStatus"`
}

// batch runs a power operation on InstanceId.1..100 with BatchOptimization:
// AllTogether (default) validates every instance first and fails the whole
// call on the first problem; SuccessFirst acts on each instance separately
// and reports per-instance results. With SuccessFirst, DryRun answers
// DryRunOperation whatever the instances' state (documented:
// "only DRYRUN.SUCCESS is returned regardless").
func batch(r *request, op func(*instance) powerOp) (any, error) {
	st := r.server.store
	if _, err := st.requireRegion(r.regionID()); err != nil {
		return nil, err
	}
	mode, err := r.enumParam("BatchOptimization", []string{"AllTogether", "SuccessFirst"}, "", 0)
	if err != nil {
		return nil, err
	}
	if mode == "" {
		mode = "AllTogether"
	}
	for _, name := range []string{"ForceStop", "ForceReboot"} {
		if _, err := r.boolParam(name, false); err != nil {
			return nil, err
		}
	}
	var ids []string
	for _, id := range r.repeated("InstanceId") {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, errMissing("InstanceId")
	}
	if len(ids) > 100 {
		return nil, errInvalidParam("InstanceId", "at most 100 instance IDs")
	}
	out := make([]instanceResponseJSON, 0, len(ids))
	if mode == "AllTogether" {
		var targets []*instance
		for _, id := range ids {
			in, err := st.regionInstance(r, id)
			if err != nil {
				return nil, err
			}
			if apiErr := op(in).check(in); apiErr != nil {
				return nil, apiErr
			}
			targets = append(targets, in)
		}
		if r.dryRun() {
			return nil, errDryRun()
		}
		for _, in := range targets {
			prev := in.Status
			op(in).apply(st, in)
			out = append(out, instanceResponseJSON{InstanceId: in.ID, Code: "200", Message: "success", PreviousStatus: prev, CurrentStatus: in.Status})
		}
	} else {
		if r.dryRun() {
			return nil, errDryRun()
		}
		for _, id := range ids {
			in, err := st.regionInstance(r, id)
			if err != nil {
				e := asAPIError(err)
				out = append(out, instanceResponseJSON{InstanceId: id, Code: e.Code, Message: e.Message})
				continue
			}
			prev := in.Status
			o := op(in)
			if apiErr := o.check(in); apiErr != nil {
				out = append(out, instanceResponseJSON{InstanceId: id, Code: apiErr.Code, Message: apiErr.Message, PreviousStatus: prev, CurrentStatus: prev})
				continue
			}
			o.apply(st, in)
			out = append(out, instanceResponseJSON{InstanceId: id, Code: "200", Message: "success", PreviousStatus: prev, CurrentStatus: in.Status})
		}
	}
	return map[string]any{"InstanceResponses": map[string]any{"InstanceResponse": out}}, nil
}

func startInstances(r *request) (any, error) {
	return batch(r, func(*instance) powerOp { return startOp() })
}

func stopInstances(r *request) (any, error) {
	mode, err := stoppedMode(r)
	if err != nil {
		return nil, err
	}
	return batch(r, func(in *instance) powerOp { return stopOp(resolveStoppedMode(mode, in)) })
}

func rebootInstances(r *request) (any, error) {
	return batch(r, func(*instance) powerOp { return rebootOp() })
}
