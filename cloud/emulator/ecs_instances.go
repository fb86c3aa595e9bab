package emulator

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
)

// postPaidExpiredTime is what the real API reports as ExpiredTime for a
// pay-as-you-go instance.
const postPaidExpiredTime = "2099-12-31T15:59Z"

// defaultResourceGroupID is the account's default resource group.
const defaultResourceGroupID = "rg-acfmxazb4ph6aiy"

var instanceStatuses = []string{"Pending", "Starting", "Running", "Stopping", "Stopped"}

type ipList struct {
	IpAddress []string `json:"IpAddress"`
}

type lockReasonJSON struct {
	LockReason string `json:"LockReason"`
	LockMsg    string `json:"LockMsg"`
}

type privateIPSetJSON struct {
	PrivateIpAddress string `json:"PrivateIpAddress"`
	Primary          bool   `json:"Primary"`
}

type networkInterfaceJSON struct {
	NetworkInterfaceId string `json:"NetworkInterfaceId"`
	Type               string `json:"Type"`
	PrimaryIpAddress   string `json:"PrimaryIpAddress"`
	MacAddress         string `json:"MacAddress"`
	PrivateIpSets      struct {
		PrivateIpSet []privateIPSetJSON `json:"PrivateIpSet"`
	} `json:"PrivateIpSets"`
}

// instanceJSON is one element of DescribeInstances' Instances.Instance[].
type instanceJSON struct {
	InstanceId              string         `json:"InstanceId"`
	InstanceName            string         `json:"InstanceName"`
	Description             string         `json:"Description"`
	HostName                string         `json:"HostName"`
	Hostname                string         `json:"Hostname"`
	Status                  string         `json:"Status"`
	InstanceType            string         `json:"InstanceType"`
	InstanceTypeFamily      string         `json:"InstanceTypeFamily"`
	Cpu                     int            `json:"Cpu"`
	CPU                     int            `json:"CPU"`
	Memory                  int            `json:"Memory"`
	GPUAmount               int            `json:"GPUAmount"`
	GPUSpec                 string         `json:"GPUSpec"`
	ImageId                 string         `json:"ImageId"`
	OSType                  string         `json:"OSType"`
	OsType                  string         `json:"OsType"`
	OSName                  string         `json:"OSName"`
	OSNameEn                string         `json:"OSNameEn"`
	RegionId                string         `json:"RegionId"`
	ZoneId                  string         `json:"ZoneId"`
	InstanceChargeType      string         `json:"InstanceChargeType"`
	InternetChargeType      string         `json:"InternetChargeType"`
	InternetMaxBandwidthIn  int            `json:"InternetMaxBandwidthIn"`
	InternetMaxBandwidthOut int            `json:"InternetMaxBandwidthOut"`
	InstanceNetworkType     string         `json:"InstanceNetworkType"`
	IoOptimized             bool           `json:"IoOptimized"`
	CreationTime            string         `json:"CreationTime"`
	StartTime               string         `json:"StartTime"`
	ExpiredTime             string         `json:"ExpiredTime"`
	AutoReleaseTime         string         `json:"AutoReleaseTime"`
	StoppedMode             string         `json:"StoppedMode"`
	KeyPairName             string         `json:"KeyPairName"`
	DeletionProtection      bool           `json:"DeletionProtection"`
	SerialNumber            string         `json:"SerialNumber"`
	ResourceGroupId         string         `json:"ResourceGroupId"`
	SpotStrategy            string         `json:"SpotStrategy"`
	SpotPriceLimit          float64        `json:"SpotPriceLimit"`
	DeviceAvailable         bool           `json:"DeviceAvailable"`
	Recyclable              bool           `json:"Recyclable"`
	CreditSpecification     string         `json:"CreditSpecification"`
	VlanId                  string         `json:"VlanId"`
	ClusterId               string         `json:"ClusterId"`
	DeploymentSetId         string         `json:"DeploymentSetId"`
	LocalStorageAmount      int            `json:"LocalStorageAmount"`
	LocalStorageCapacity    int64          `json:"LocalStorageCapacity"`
	SecurityGroupIds        map[string]any `json:"SecurityGroupIds"`
	PublicIpAddress         ipList         `json:"PublicIpAddress"`
	InnerIpAddress          ipList         `json:"InnerIpAddress"`
	RdmaIpAddress           ipList         `json:"RdmaIpAddress"`
	VpcAttributes           struct {
		VpcId            string `json:"VpcId"`
		VSwitchId        string `json:"VSwitchId"`
		NatIpAddress     string `json:"NatIpAddress"`
		PrivateIpAddress ipList `json:"PrivateIpAddress"`
	} `json:"VpcAttributes"`
	EipAddress struct {
		AllocationId         string `json:"AllocationId"`
		IpAddress            string `json:"IpAddress"`
		Bandwidth            int    `json:"Bandwidth"`
		InternetChargeType   string `json:"InternetChargeType"`
		IsSupportUnassociate bool   `json:"IsSupportUnassociate"`
	} `json:"EipAddress"`
	NetworkInterfaces struct {
		NetworkInterface []networkInterfaceJSON `json:"NetworkInterface"`
	} `json:"NetworkInterfaces"`
	OperationLocks struct {
		LockReason []lockReasonJSON `json:"LockReason"`
	} `json:"OperationLocks"`
	Tags       ecsTags `json:"Tags"`
	CpuOptions struct {
		CoreCount      int    `json:"CoreCount"`
		ThreadsPerCore int    `json:"ThreadsPerCore"`
		Numa           string `json:"Numa"`
	} `json:"CpuOptions"`
	MetadataOptions struct {
		HttpEndpoint            string `json:"HttpEndpoint"`
		HttpTokens              string `json:"HttpTokens"`
		HttpPutResponseHopLimit int    `json:"HttpPutResponseHopLimit"`
	} `json:"MetadataOptions"`
	HibernationOptions struct {
		Configured bool `json:"Configured"`
	} `json:"HibernationOptions"`
	DedicatedHostAttribute     map[string]any `json:"DedicatedHostAttribute"`
	DedicatedInstanceAttribute map[string]any `json:"DedicatedInstanceAttribute"`
	EcsCapacityReservationAttr map[string]any `json:"EcsCapacityReservationAttr"`
	ImageOptions               map[string]any `json:"ImageOptions"`
	PrivateDnsNameOptions      map[string]any `json:"PrivateDnsNameOptions"`
	AdditionalInfo             map[string]any `json:"AdditionalInfo"`
}

// lockMessages explain OperationLocks reasons.
var lockMessages = map[string]string{
	"security":  "The instance is locked for security reasons.",
	"financial": "The instance is locked due to an overdue payment.",
	"recycling": "The instance is locked because it is about to be released.",
}

// derived makes stable identifiers (ENI id, MAC, serial number) from an
// instance id, so they need no fields in the store.
func derived(id string) [32]byte { return sha256.Sum256([]byte(id)) }

func instanceView(in *instance) instanceJSON {
	h := derived(in.ID)
	v := instanceJSON{
		InstanceId: in.ID, InstanceName: in.Name, Description: in.Description,
		HostName: in.HostName, Hostname: in.HostName, Status: in.Status,
		InstanceType: in.InstanceType, InstanceTypeFamily: in.InstanceTypeFamily,
		Cpu: in.CPU, CPU: in.CPU, Memory: in.MemoryMiB, ImageId: in.ImageID,
		OSType: in.OSType, OsType: in.OSType, OSName: in.OSName, OSNameEn: in.OSName,
		RegionId: in.RegionID, ZoneId: in.ZoneID,
		InstanceChargeType: in.InstanceChargeType, InternetChargeType: in.InternetChargeType,
		InternetMaxBandwidthIn: in.InternetMaxBandwidthIn, InternetMaxBandwidthOut: in.InternetMaxBandwidthOut,
		InstanceNetworkType: "vpc", IoOptimized: true,
		CreationTime: fmtMinute(in.CreationTime), StartTime: fmtMinute(in.StartTime),
		ExpiredTime: fmtMinute(in.ExpiredTime), StoppedMode: in.StoppedMode,
		KeyPairName: in.KeyPairName, DeletionProtection: in.DeletionProtection,
		SerialNumber:    fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16]),
		ResourceGroupId: defaultResourceGroupID, SpotStrategy: "NoSpot", DeviceAvailable: true,
		SecurityGroupIds: map[string]any{"SecurityGroupId": nonNil(slices.Clone(in.SecurityGroupIDs))},
		PublicIpAddress:  ipList{IpAddress: []string{}},
		InnerIpAddress:   ipList{IpAddress: []string{}},
		RdmaIpAddress:    ipList{IpAddress: []string{}},
		Tags:             tagsJSON(in.Tags),

		DedicatedHostAttribute:     map[string]any{},
		DedicatedInstanceAttribute: map[string]any{"Tenancy": "", "Affinity": ""},
		EcsCapacityReservationAttr: map[string]any{"CapacityReservationId": "", "CapacityReservationPreference": ""},
		ImageOptions:               map[string]any{},
		PrivateDnsNameOptions:      map[string]any{},
		AdditionalInfo:             map[string]any{},
	}
	if v.ExpiredTime == "" {
		v.ExpiredTime = postPaidExpiredTime
	}
	if v.StoppedMode == "" {
		v.StoppedMode = "Not-applicable"
	}
	if in.InstanceTypeFamily == "ecs.t6" {
		v.CreditSpecification = "Standard"
	}
	if in.PublicIP != "" {
		v.PublicIpAddress.IpAddress = []string{in.PublicIP}
	}
	v.VpcAttributes.VpcId, v.VpcAttributes.VSwitchId = in.VpcID, in.VSwitchID
	v.VpcAttributes.PrivateIpAddress.IpAddress = []string{}
	if in.PrivateIP != "" {
		v.VpcAttributes.PrivateIpAddress.IpAddress = []string{in.PrivateIP}
	}
	eni := networkInterfaceJSON{
		NetworkInterfaceId: "eni-" + strings.TrimPrefix(in.ID, "i-"),
		Type:               "Primary",
		PrimaryIpAddress:   in.PrivateIP,
		MacAddress:         fmt.Sprintf("00:16:3e:%02x:%02x:%02x", h[16], h[17], h[18]),
	}
	eni.PrivateIpSets.PrivateIpSet = []privateIPSetJSON{{PrivateIpAddress: in.PrivateIP, Primary: true}}
	v.NetworkInterfaces.NetworkInterface = []networkInterfaceJSON{eni}
	v.OperationLocks.LockReason = []lockReasonJSON{}
	for _, reason := range in.LockReasons {
		v.OperationLocks.LockReason = append(v.OperationLocks.LockReason, lockReasonJSON{LockReason: reason, LockMsg: lockMessages[reason]})
	}
	v.CpuOptions.CoreCount, v.CpuOptions.ThreadsPerCore = max(1, in.CPU/2), 2
	if in.CPU == 1 {
		v.CpuOptions.ThreadsPerCore = 1
	}
	v.MetadataOptions.HttpEndpoint, v.MetadataOptions.HttpTokens, v.MetadataOptions.HttpPutResponseHopLimit = "enabled", "optional", 1
	return v
}

// sortedInstances returns a region's instances, newest first.
func (st *store) sortedInstances(regionID string, keep func(*instance) bool) []*instance {
	var out []*instance
	for _, in := range st.instances {
		if in.RegionID == regionID && (keep == nil || keep(in)) {
			out = append(out, in)
		}
	}
	slices.SortFunc(out, func(a, b *instance) int { return newestFirst(a.CreationTime, b.CreationTime, a.ID, b.ID) })
	return out
}

// DescribeInstances: filters AND-combined, both paging styles.
func describeInstances(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	ids, idsSent, err := r.jsonList("InstanceIds", 100)
	if err != nil {
		return nil, err
	}
	idFilter := idSet(ids, idsSent)
	status, err := r.enumParam("Status", instanceStatuses, "InvalidStatus.NotFound", 404)
	if err != nil {
		return nil, err
	}
	charge, err := r.enumParam("InstanceChargeType", []string{"PrePaid", "PostPaid"}, "InvalidInstanceChargeType.NotFound", 404)
	if err != nil {
		return nil, err
	}
	inetCharge, err := r.enumParam("InternetChargeType", []string{"PayByTraffic", "PayByBandwidth"}, "InvalidInternetChargeType.ValueNotSupported", 404)
	if err != nil {
		return nil, err
	}
	netType, err := r.enumParam("InstanceNetworkType", []string{"vpc", "classic"}, "InvalidNetworkType.NotFound", 404)
	if err != nil {
		return nil, err
	}
	lock, err := r.enumParam("LockReason", []string{"financial", "security", "recycling", "dedicatedhostfinancial", "refunded"}, "InvalidLockReason.NotFound", 404)
	if err != nil {
		return nil, err
	}
	tags, err := r.tagFilters()
	if err != nil {
		return nil, err
	}
	ipFilters := map[string]map[string]bool{}
	for _, name := range []string{"PrivateIpAddresses", "PublicIpAddresses", "InnerIpAddresses", "EipAddresses"} {
		list, sent, err := r.jsonList(name, 100)
		if err != nil {
			return nil, err
		}
		if sent {
			ipFilters[name] = idSet(list, true)
		}
	}
	p, err := r.pager(pagingInstances)
	if err != nil {
		return nil, err
	}
	if r.dryRun() {
		return nil, errDryRun()
	}
	eq := func(param, value string) bool { v := r.str(param); return v == "" || v == value }
	name := r.str("InstanceName")
	list := st.sortedInstances(rg.ID, func(in *instance) bool {
		switch {
		case idFilter != nil && !idFilter[in.ID],
			status != "" && in.Status != status,
			charge != "" && in.InstanceChargeType != charge,
			inetCharge != "" && in.InternetChargeType != inetCharge,
			netType != "" && netType != "vpc",
			lock != "" && !slices.Contains(in.LockReasons, lock),
			!eq("ZoneId", in.ZoneID), !eq("VpcId", in.VpcID), !eq("VSwitchId", in.VSwitchID),
			!eq("InstanceType", in.InstanceType), !eq("InstanceTypeFamily", in.InstanceTypeFamily),
			!eq("ImageId", in.ImageID), !eq("KeyPairName", in.KeyPairName),
			!eq("ResourceGroupId", defaultResourceGroupID),
			r.has("SecurityGroupId") && !slices.Contains(in.SecurityGroupIDs, r.str("SecurityGroupId")),
			name != "" && !wildcardMatch(name, in.Name),
			!matchTags(in.Tags, tags):
			return false
		}
		if f, ok := ipFilters["PrivateIpAddresses"]; ok && !f[in.PrivateIP] {
			return false
		}
		if f, ok := ipFilters["PublicIpAddresses"]; ok && (in.PublicIP == "" || !f[in.PublicIP]) {
			return false
		}
		if _, ok := ipFilters["InnerIpAddresses"]; ok {
			return false // VPC instances have no classic inner address
		}
		if _, ok := ipFilters["EipAddresses"]; ok {
			return false // no EIPs in the seeded account
		}
		return true
	})
	page, next := pageOf(list, p)
	out := make([]instanceJSON, 0, len(page))
	for _, in := range page {
		out = append(out, instanceView(in))
	}
	return map[string]any{
		"TotalCount": len(list), "PageNumber": p.PageNumber, "PageSize": p.PageSize, "NextToken": next,
		"Instances": map[string]any{"Instance": out},
	}, nil
}

// DescribeInstanceStatus: InstanceId.N (repeated), ZoneId, PageSize 1-50.
func describeInstanceStatus(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	ids := r.repeated("InstanceId")
	if len(ids) > 100 {
		return nil, errInvalidParam("InstanceId", "at most 100 values")
	}
	p, err := r.pager(pagingInstanceStatus)
	if err != nil {
		return nil, err
	}
	zoneID := r.str("ZoneId")
	list := st.sortedInstances(rg.ID, func(in *instance) bool {
		return (len(ids) == 0 || slices.Contains(ids, in.ID)) && (zoneID == "" || in.ZoneID == zoneID)
	})
	page, _ := pageOf(list, p)
	type statusJSON struct {
		InstanceId string `json:"InstanceId"`
		Status     string `json:"Status"`
	}
	out := make([]statusJSON, 0, len(page))
	for _, in := range page {
		out = append(out, statusJSON{in.ID, in.Status})
	}
	return map[string]any{
		"TotalCount": len(list), "PageNumber": p.PageNumber, "PageSize": p.PageSize,
		"InstanceStatuses": map[string]any{"InstanceStatus": out},
	}, nil
}
