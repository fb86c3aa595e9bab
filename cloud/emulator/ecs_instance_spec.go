package emulator

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Instance type changes (notes §3.2): DescribeResourcesModification lists
// the types an instance can move to; ModifyInstanceSpec changes a
// pay-as-you-go instance (stopped, for a type change) and
// ModifyPrepayInstanceSpec a subscription one.

// specThrottle: a pay-as-you-go instance whose type was changed cannot be
// changed again within 5 minutes (DOC-ECS Throttling "please try again after
// 5 minutes"; Terraform waits for it).
const specThrottle = 5 * time.Minute

// soldOutType is out of stock in every zone: DescribeResourcesModification
// reports it SoldOut/WithoutStock and a change to it is refused with
// OperationDenied.NoStock, so callers can see and handle stock.
const soldOutType = "ecs.r7.4xlarge"

func (st *store) instanceType(id string) *instanceType {
	for _, t := range st.instanceTypes {
		if t.ID == id {
			return t
		}
	}
	return nil
}

func (st *store) zoneOf(regionID, zoneID string) *zone {
	for _, z := range st.zones[regionID] {
		if z.ID == zoneID {
			return z
		}
	}
	return nil
}

// sharedFamily: burstable and economy (shared-CPU) families. An instance of
// an enterprise family cannot move to one of these.
func sharedFamily(family string) bool { return family == "ecs.t6" || family == "ecs.e" }

// specScore is a price proxy for upgrade/downgrade: a vCPU is worth about 4 GiB.
func specScore(cpu int, memGiB float64) float64 { return float64(cpu) + memGiB/4 }

func (in *instance) specScore() float64 {
	return specScore(in.CPU, float64(in.MemoryMiB)/1024)
}

// specCandidates are the types an instance may change to: the types its zone
// offers, other than its own; enterprise families only to enterprise
// families; for a subscription, bigger ones on Upgrade and smaller ones on
// Downgrade (a pay-as-you-go instance may move either way).
func (st *store) specCandidates(in *instance, opType string) []*instanceType {
	z := st.zoneOf(in.RegionID, in.ZoneID)
	if z == nil {
		return nil
	}
	var out []*instanceType
	cur := in.specScore()
	for _, id := range z.InstanceTypes {
		t := st.instanceType(id)
		if t == nil || t.ID == in.InstanceType {
			continue
		}
		if !sharedFamily(in.InstanceTypeFamily) && sharedFamily(t.Family) {
			continue
		}
		if in.InstanceChargeType == "PrePaid" {
			s := specScore(t.CPU, t.MemoryGiB)
			if (opType == "Downgrade" || opType == "RenewDowngrade") != (s < cur) {
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

func (st *store) setInstanceType(in *instance, t *instanceType) {
	in.InstanceType, in.InstanceTypeFamily = t.ID, t.Family
	in.CPU, in.MemoryMiB = t.CPU, int(t.MemoryGiB*1024)
}

type supportedResourceJSON struct {
	Value          string `json:"Value"`
	Status         string `json:"Status"`
	StatusCategory string `json:"StatusCategory"`
	Min            int    `json:"Min,omitempty"`
	Max            int    `json:"Max,omitempty"`
	Unit           string `json:"Unit,omitempty"`
}

// DescribeResourcesModification: ★RegionId ★ResourceId ★DestinationResource
// (InstanceType | SystemDisk), OperationType, InstanceType (SystemDisk),
// Cores, Memory, ZoneId, MigrateAcrossZone, Conditions.N (accepted, ignored).
func describeResourcesModification(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	id, err := r.required("ResourceId")
	if err != nil {
		return nil, err
	}
	dest := r.str("DestinationResource")
	if dest != "InstanceType" && dest != "SystemDisk" {
		return nil, &APIError{Status: 400, Code: "Invalid.Param", Message: "The specified parameter DestinationResource is not valid: InstanceType or SystemDisk."}
	}
	opType, err := r.enumParam("OperationType", []string{"Upgrade", "Downgrade", "RenewDowngrade", "RenewModify"}, "Invalid.Param", 400)
	if err != nil {
		return nil, err
	}
	if opType == "" {
		opType = "Upgrade"
	}
	cores, err := r.intParam("Cores", 0)
	if err != nil {
		return nil, err
	}
	var memory float64
	if v := r.str("Memory"); v != "" {
		if memory, err = strconv.ParseFloat(v, 64); err != nil {
			return nil, errInvalidParam("Memory", "must be a number")
		}
	}
	in := st.instances[id]
	if in == nil || in.RegionID != rg.ID {
		return nil, errNotFound("InvalidResourceId.NotFound", "ResourceId")
	}
	zones := []map[string]any{}
	if z := r.str("ZoneId"); z != "" && z != in.ZoneID {
		// Other zones only with MigrateAcrossZone, which the emulator's
		// fleet never needs: nothing is offered there.
		return map[string]any{"AvailableZones": map[string]any{"AvailableZone": zones}}, nil
	}
	var res []supportedResourceJSON
	typ := "InstanceType"
	switch dest {
	case "InstanceType":
		for _, t := range st.specCandidates(in, opType) {
			if (cores > 0 && t.CPU != cores) || (memory > 0 && t.MemoryGiB != memory) {
				continue
			}
			sr := supportedResourceJSON{Value: t.ID, Status: "Available", StatusCategory: "WithStock"}
			if t.ID == soldOutType {
				sr.Status, sr.StatusCategory = "SoldOut", "WithoutStock"
			}
			res = append(res, sr)
		}
	case "SystemDisk":
		if _, err := r.required("InstanceType"); err != nil {
			return nil, err
		}
		typ = "SystemDisk"
		for _, c := range []string{"cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry"} {
			lo, hi := systemDiskRange(c, "PL1")
			res = append(res, supportedResourceJSON{Value: c, Status: "Available", StatusCategory: "WithStock", Min: lo, Max: hi, Unit: "GiB"})
		}
	}
	if len(res) > 0 {
		zones = append(zones, map[string]any{
			"RegionId": in.RegionID, "ZoneId": in.ZoneID, "Status": "Available", "StatusCategory": "WithStock",
			"AvailableResources": map[string]any{"AvailableResource": []map[string]any{{
				"Type":                        typ,
				"SupportedResources":          map[string]any{"SupportedResource": res},
				"ConditionSupportedResources": map[string]any{"ConditionSupportedResource": []any{}},
			}}},
		})
	}
	return map[string]any{"AvailableZones": map[string]any{"AvailableZone": zones}}, nil
}

// errIdempotence answers a reused ClientToken with other parameters the way
// the instance-spec APIs document it (IdempotenceParamNotMatch, 400).
func errIdempotence(err error) error {
	if e, ok := err.(*APIError); ok && e.Code == "IdempotentParameterMismatch" {
		return &APIError{Status: 400, Code: "IdempotenceParamNotMatch", Message: "There is a idempotence signature mismatch between this and last request."}
	}
	return err
}

// targetType validates the InstanceType of a change against the catalogue,
// the zone and the instance's candidates.
func (st *store) targetType(in *instance, id, opType string) (*instanceType, *APIError) {
	t := st.instanceType(id)
	if t == nil {
		return nil, &APIError{Status: 400, Code: "InvalidInstanceType.ValueNotSupported", Message: "The specified InstanceType does not exist or beyond the permitted range."}
	}
	if z := st.zoneOf(in.RegionID, in.ZoneID); z == nil || !slices.Contains(z.InstanceTypes, id) {
		return nil, &APIError{Status: 403, Code: "InvalidInstanceType.ValueNotSupported", Message: "The specified zone does not offer the specified instancetype."}
	}
	if !slices.ContainsFunc(st.specCandidates(in, opType), func(c *instanceType) bool { return c.ID == id }) {
		return nil, &APIError{Status: 400, Code: "DependencyViolation.InstanceType", Message: fmt.Sprintf("The current InstanceType cannot be changed to the specified InstanceType (%s -> %s).", in.InstanceType, id)}
	}
	if id == soldOutType {
		return nil, &APIError{Status: 403, Code: "OperationDenied.NoStock", Message: "The resource is out of stock in the specified zone. Please try other types, or choose other regions and zones."}
	}
	return t, nil
}

// bandwidthOutMax is the documented ceiling of InternetMaxBandwidthOut:
// 100 Mbit/s, except 200 for a subscription paying by bandwidth.
func bandwidthOutMax(chargeType, internetCharge string) int {
	if chargeType == "PrePaid" && internetCharge == "PayByBandwidth" {
		return 200
	}
	return 100
}

// bandwidthInOK: 1-10 Mbit/s when the outbound bandwidth is at most 10,
// else 1 to the outbound bandwidth.
func bandwidthInOK(in, out int) bool {
	return in >= 1 && in <= max(10, out)
}

// ModifyInstanceSpec (pay-as-you-go): InstanceType (instance Stopped) or
// InternetMaxBandwidthOut/In (Running or Stopped), not both; ClientToken;
// DryRun.
func modifyInstanceSpec(r *request) (any, error) {
	st := r.server.store
	resp, err := st.idempotent(r, func() (any, error) {
		in, err := st.requireInstance(r)
		if err != nil {
			return nil, err
		}
		if in.InstanceChargeType != "PostPaid" {
			return nil, &APIError{Status: 403, Code: "ChargeTypeViolation", Message: "The operation is not permitted due to charge type of the instance."}
		}
		if in.securityLocked() {
			return nil, errLockedForSecurity()
		}
		typeID := r.str("InstanceType")
		bwSent := r.has("InternetMaxBandwidthOut") || r.has("InternetMaxBandwidthIn")
		if typeID != "" && bwSent {
			return nil, &APIError{Status: 400, Code: "InvalidParameter.Mismatch", Message: "Too many parameters in one request."}
		}
		if typeID == "" && !bwSent {
			return nil, errMissing("InstanceType")
		}
		if typeID != "" {
			t, apiErr := st.targetType(in, typeID, "Upgrade")
			if apiErr != nil {
				return nil, apiErr
			}
			// The per-instance limit comes before the status, so a
			// DryRun on the still Running instance reports it too.
			if !in.SpecChangedAt.IsZero() && st.now().Sub(in.SpecChangedAt) < specThrottle {
				return nil, &APIError{Status: 400, Code: "Throttling", Message: "Request was denied due to request throttling, please try again after 5 minutes."}
			}
			switch in.Status {
			case "Stopped":
			case "Running":
				return nil, &APIError{Status: 400, Code: "InvalidInstanceStatus.NotStopped", Message: "The specified Instance status is not stopped."}
			default:
				return nil, errIncorrectInstanceStatus()
			}
			if r.dryRun() {
				return nil, errDryRun()
			}
			st.setInstanceType(in, t)
			in.SpecChangedAt = st.now()
			return map[string]any{"TaskId": ""}, nil
		}
		out, err := r.intParam("InternetMaxBandwidthOut", in.InternetMaxBandwidthOut)
		if err != nil {
			return nil, err
		}
		if out < 0 || out > bandwidthOutMax(in.InstanceChargeType, in.InternetChargeType) {
			return nil, &APIError{Status: 400, Code: "InvalidParameter", Message: `The specified parameter "InternetMaxBandwidthOut" is not valid.`}
		}
		bwIn, err := r.intParam("InternetMaxBandwidthIn", 0)
		if err != nil {
			return nil, err
		}
		if r.has("InternetMaxBandwidthIn") && !bandwidthInOK(bwIn, out) {
			return nil, &APIError{Status: 400, Code: "InvalidParameter", Message: `The specified parameter "InternetMaxBandwidthIn" is not valid.`}
		}
		if in.Status != "Running" && in.Status != "Stopped" {
			return nil, errIncorrectInstanceStatus()
		}
		if r.dryRun() {
			return nil, errDryRun()
		}
		in.InternetMaxBandwidthOut = out
		if r.has("InternetMaxBandwidthIn") {
			in.InternetMaxBandwidthIn = bwIn
		}
		return map[string]any{"TaskId": ""}, nil
	})
	return resp, errIdempotence(err)
}

// ModifyPrepayInstanceSpec (subscription): ★InstanceType, OperatorType
// upgrade (Running or Stopped) | downgrade (Stopped; at most 3 times),
// RebootWhenFinished, ClientToken. The order completes after one transition
// delay; then the instance reports the new type (and reboots if asked to
// and running).
func modifyPrepayInstanceSpec(r *request) (any, error) {
	st := r.server.store
	if _, err := st.requireRegion(r.regionID()); err != nil {
		return nil, err
	}
	resp, err := st.idempotent(r, func() (any, error) {
		in, err := st.requireInstance(r)
		if err != nil {
			return nil, err
		}
		typeID, err := r.required("InstanceType")
		if err != nil {
			return nil, err
		}
		opType, err := r.enumParam("OperatorType", []string{"upgrade", "downgrade"}, "", 0)
		if err != nil {
			return nil, err
		}
		reboot, err := r.boolParam("RebootWhenFinished", false)
		if err != nil {
			return nil, err
		}
		if _, err := r.boolParam("AutoPay", true); err != nil {
			return nil, err
		}
		if in.InstanceChargeType != "PrePaid" {
			return nil, &APIError{Status: 400, Code: "InvalidBillingMethod.ValueNotSupported", Message: "The operation is not permitted due to an invalid billing method of the instance."}
		}
		if in.securityLocked() {
			return nil, errLockedForSecurity()
		}
		downgrade := opType == "downgrade"
		t := st.instanceType(typeID)
		if t == nil {
			return nil, &APIError{Status: 400, Code: "InvalidInstanceType.ValueNotSupported", Message: "The specified InstanceType does not exist or beyond the permitted range."}
		}
		if smaller := specScore(t.CPU, t.MemoryGiB) < in.specScore(); smaller != downgrade && t.ID != in.InstanceType {
			msg := "The specified InstanceType is not Supported: it is smaller than the current one, set OperatorType to downgrade."
			if !smaller {
				msg = "The specified InstanceType is not Supported: it is not smaller than the current one, set OperatorType to upgrade."
			}
			return nil, &APIError{Status: 400, Code: "InvalidInstanceType.NotSupported", Message: msg}
		}
		op := "Upgrade"
		if downgrade {
			op = "Downgrade"
		}
		if _, apiErr := st.targetType(in, typeID, op); apiErr != nil {
			return nil, apiErr
		}
		if downgrade {
			if in.Status != "Stopped" {
				return nil, &APIError{Status: 400, Code: "InvalidStatus.NotStopped", Message: "Instance status must be stopped."}
			}
			if in.Downgrades >= 3 {
				return nil, &APIError{Status: 400, Code: "InstanceDowngrade.QuotaExceed", Message: "Quota of instance downgrade is exceed."}
			}
		} else if in.Status != "Running" && in.Status != "Stopped" {
			return nil, errIncorrectInstanceStatus()
		}
		if downgrade {
			in.Downgrades++
		}
		st.after(st.delay, func() {
			if st.instances[in.ID] != in {
				return
			}
			st.setInstanceType(in, t)
			if reboot && in.Status == "Running" {
				st.rebootInstance(in)
			}
		})
		st.serial++
		return map[string]any{"OrderId": fmt.Sprintf("2%014d", 41351538800+st.serial)}, nil
	})
	return resp, errIdempotence(err)
}
