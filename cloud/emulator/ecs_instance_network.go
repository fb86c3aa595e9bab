package emulator

import (
	"fmt"
	"time"
)

// ModifyInstanceNetworkSpec (notes §3.2): the public bandwidth and its
// billing method. Limits from the API metadata (aliyun-openapi-meta
// en-US/ecs/ModifyInstanceNetworkSpec.json): InternetMaxBandwidthOut 0-100
// Mbit/s when paying by traffic, 0-200 for a subscription paying by
// bandwidth, 0-100 for pay-as-you-go paying by bandwidth;
// InternetMaxBandwidthIn 1-10 when the outbound bandwidth is at most 10,
// else 1 to the outbound bandwidth. Codes from DOC-ECS
// ModifyInstanceNetworkSpec.md.
func modifyInstanceNetworkSpec(r *request) (any, error) {
	st := r.server.store
	return st.idempotent(r, func() (any, error) {
		in, err := st.requireInstance(r)
		if err != nil {
			return nil, err
		}
		charge, err := r.enumParam("NetworkChargeType", []string{"PayByTraffic", "PayByBandwidth"}, "InvalidInternetChargeType.ValueNotSupported", 400)
		if err != nil {
			return nil, err
		}
		if charge == "" {
			charge = in.InternetChargeType
		}
		out, err := r.intParam("InternetMaxBandwidthOut", in.InternetMaxBandwidthOut)
		if err != nil {
			return nil, &APIError{Status: 400, Code: "InvalidInternetMaxBandwidthOut.ValueNotSupported", Message: "The specified InternetMaxBandwidthOut is beyond the permitted range."}
		}
		if hi := bandwidthOutMax(in.InstanceChargeType, charge); out < 0 || out > hi {
			return nil, &APIError{Status: 400, Code: "InvalidInternetMaxBandwidthOut.ValueNotSupported",
				Message: fmt.Sprintf("The specified InternetMaxBandwidthOut is beyond the permitted range (0-%d Mbit/s for %s).", hi, charge)}
		}
		bwIn, err := r.intParam("InternetMaxBandwidthIn", 0)
		if err != nil || (r.has("InternetMaxBandwidthIn") && !bandwidthInOK(bwIn, out)) {
			return nil, &APIError{Status: 400, Code: "InvalidInternetMaxBandwidthIn.ValueNotSupported", Message: "The specified InternetMaxBandwidthIn is beyond the permitted range."}
		}
		allocate, err := r.boolParam("AllocatePublicIp", false)
		if err != nil {
			return nil, &APIError{Status: 400, Code: "InvalidParam.AllocatePublicIp", Message: "The specified param AllocatePublicIp is invalid."}
		}
		if _, err := r.boolParam("AutoPay", true); err != nil {
			return nil, err
		}
		if !r.has("InternetMaxBandwidthOut") && !r.has("InternetMaxBandwidthIn") && !r.has("NetworkChargeType") && !allocate {
			return nil, &APIError{Status: 400, Code: "InvalidParameter.AllEmpty", Message: "At least one of InternetMaxBandwidthOut, InternetMaxBandwidthIn, NetworkChargeType and AllocatePublicIp must be specified."}
		}
		if err := temporaryWindow(r); err != nil {
			return nil, err
		}
		if in.securityLocked() {
			return nil, errLockedForSecurity()
		}
		if in.Status != "Running" && in.Status != "Stopped" {
			return nil, errIncorrectInstanceStatus()
		}
		in.InternetChargeType = charge
		in.InternetMaxBandwidthOut = out
		if r.has("InternetMaxBandwidthIn") {
			in.InternetMaxBandwidthIn = bwIn
		}
		// A subscription raised from 0 Mbit/s gets a public IP address by
		// itself; a pay-as-you-go one only when AllocatePublicIp asks.
		if in.PublicIP == "" && out > 0 && (allocate || in.InstanceChargeType == "PrePaid") {
			in.PublicIP = st.newPublicIP(in.RegionID)
		}
		orderID := ""
		if in.InstanceChargeType == "PrePaid" {
			st.serial++
			orderID = fmt.Sprintf("2%014d", 52461649900+st.serial)
		}
		return map[string]any{"OrderId": orderID}, nil
	})
}

// temporaryWindow validates StartTime/EndTime of a temporary upgrade: both
// UTC, EndTime to the hour and at least 3 hours after StartTime. The
// emulator applies the new bandwidth at once either way.
func temporaryWindow(r *request) error {
	if !r.has("StartTime") && !r.has("EndTime") {
		return nil
	}
	bad := &APIError{Status: 400, Code: "InvalidStartTime.ValueNotSupported", Message: "The specified StartTime/EndTime is not valid: EndTime (yyyy-MM-ddThhZ) must be at least 3 hours after StartTime (yyyy-MM-ddThh:mmZ)."}
	start := r.server.store.now().UTC()
	if v := r.str("StartTime"); v != "" {
		t, err := time.Parse(timeMinute, v)
		if err != nil {
			return bad
		}
		start = t
	}
	end, err := time.Parse("2006-01-02T15Z", r.str("EndTime"))
	if err != nil || end.Sub(start) < 3*time.Hour {
		return bad
	}
	return nil
}

// newPublicIP hands out an unused public address in the region's range.
func (st *store) newPublicIP(regionID string) string {
	net := "47.96"
	for _, rs := range fleetRegions {
		if rs.id == regionID {
			net = rs.publicNet
		}
	}
	used := map[string]bool{}
	for _, in := range st.instances {
		used[in.PublicIP] = true
	}
	for {
		st.serial++
		h := hashKey(st.seed, "public-ip", fmt.Sprint(st.serial))
		ip := fmt.Sprintf("%s.%d.%d", net, 1+h%254, 1+(h>>8)%254)
		if !used[ip] {
			return ip
		}
	}
}
