package emulator

import (
	"slices"
	"strconv"
	"strings"
)

// instanceTypeJSON is one element of DescribeInstanceTypes' InstanceTypes.InstanceType[].
type instanceTypeJSON struct {
	InstanceTypeId              string  `json:"InstanceTypeId"`
	InstanceTypeFamily          string  `json:"InstanceTypeFamily"`
	CpuCoreCount                int     `json:"CpuCoreCount"`
	MemorySize                  float64 `json:"MemorySize"` // GiB
	GPUAmount                   int     `json:"GPUAmount"`
	GPUSpec                     string  `json:"GPUSpec"`
	InstanceFamilyLevel         string  `json:"InstanceFamilyLevel"`
	InstanceCategory            string  `json:"InstanceCategory"`
	CpuArchitecture             string  `json:"CpuArchitecture"`
	PhysicalProcessorModel      string  `json:"PhysicalProcessorModel"`
	CpuSpeedFrequency           float64 `json:"CpuSpeedFrequency"`
	CpuTurboFrequency           float64 `json:"CpuTurboFrequency"`
	Generation                  string  `json:"Generation"`
	EniQuantity                 int     `json:"EniQuantity"`
	EniPrivateIpAddressQuantity int     `json:"EniPrivateIpAddressQuantity"`
	EniTotalQuantity            int     `json:"EniTotalQuantity"`
	InstanceBandwidthRx         int     `json:"InstanceBandwidthRx"` // Kbit/s
	InstanceBandwidthTx         int     `json:"InstanceBandwidthTx"`
	InstancePpsRx               int64   `json:"InstancePpsRx"`
	InstancePpsTx               int64   `json:"InstancePpsTx"`
	LocalStorageCategory        string  `json:"LocalStorageCategory"`
	LocalStorageCapacity        int64   `json:"LocalStorageCapacity"`
	LocalStorageAmount          int     `json:"LocalStorageAmount"`
	DiskQuantity                int     `json:"DiskQuantity"`
	NvmeSupport                 string  `json:"NvmeSupport"`
	SupportIoOptimized          string  `json:"SupportIoOptimized"`
	BaselineCredit              int     `json:"BaselineCredit"`
	InitialCredit               int     `json:"InitialCredit"`
}

func instanceTypeView(t *instanceType) instanceTypeJSON {
	v := instanceTypeJSON{
		InstanceTypeId: t.ID, InstanceTypeFamily: t.Family, CpuCoreCount: t.CPU, MemorySize: t.MemoryGiB,
		InstanceFamilyLevel: "EnterpriseLevel", CpuArchitecture: "X86", Generation: t.Generation,
		DiskQuantity: 17, NvmeSupport: "unsupported", SupportIoOptimized: "optimized",
	}
	fam := strings.TrimPrefix(t.Family, "ecs.")
	switch {
	case fam == "t6":
		v.InstanceFamilyLevel, v.InstanceCategory = "CreditEntryLevel", "Shared"
		v.BaselineCredit, v.InitialCredit = 6*t.CPU, 30*t.CPU
	case fam == "e":
		v.InstanceFamilyLevel, v.InstanceCategory = "EntryLevel", "Shared"
	case strings.HasPrefix(fam, "g"):
		v.InstanceCategory = "General-purpose"
	case strings.HasPrefix(fam, "c"):
		v.InstanceCategory = "Compute-optimized"
	case strings.HasPrefix(fam, "r"):
		v.InstanceCategory = "Memory-optimized"
	}
	switch {
	case strings.HasSuffix(fam, "7"):
		v.PhysicalProcessorModel, v.CpuSpeedFrequency, v.CpuTurboFrequency = "Intel Xeon(Ice Lake) Platinum 8369B", 2.7, 3.5
	case strings.HasSuffix(fam, "8i"):
		v.PhysicalProcessorModel, v.CpuSpeedFrequency, v.CpuTurboFrequency = "Intel Xeon(Sapphire Rapids) Platinum 8475B", 2.7, 3.2
		v.NvmeSupport = "required"
	case strings.HasSuffix(fam, "6"):
		v.PhysicalProcessorModel, v.CpuSpeedFrequency, v.CpuTurboFrequency = "Intel Xeon(Cascade Lake) Platinum 8269CY", 2.5, 3.2
	default:
		v.PhysicalProcessorModel, v.CpuSpeedFrequency, v.CpuTurboFrequency = "Intel Xeon(Skylake) Platinum 8163", 2.5, 0
	}
	gbps := map[int]int{1: 1, 2: 2, 4: 3, 8: 5, 16: 10}[t.CPU]
	if gbps == 0 {
		gbps = 16
	}
	eni := map[int]int{1: 2, 2: 3, 4: 4, 8: 4, 16: 8}[t.CPU]
	if eni == 0 {
		eni = 8
	}
	v.InstanceBandwidthRx, v.InstanceBandwidthTx = gbps*1024000, gbps*1024000
	v.InstancePpsRx, v.InstancePpsTx = int64(t.CPU)*250000, int64(t.CPU)*250000
	v.EniQuantity, v.EniTotalQuantity = eni, eni*2
	v.EniPrivateIpAddressQuantity = min(30, max(6, t.CPU*4))
	if v.InstanceFamilyLevel != "EnterpriseLevel" {
		v.InstanceBandwidthRx, v.InstanceBandwidthTx = v.InstanceBandwidthRx/2, v.InstanceBandwidthTx/2
		v.EniQuantity, v.EniTotalQuantity, v.EniPrivateIpAddressQuantity = 2, 2, 2
	}
	return v
}

// DescribeInstanceTypes: InstanceTypes.N (up to 10), InstanceTypeFamily,
// InstanceTypeFamilies.N, CPU/memory ranges; NextToken/MaxResults (1-1600).
func describeInstanceTypes(r *request) (any, error) {
	st := r.server.store
	if id := r.regionID(); id != "" {
		if _, err := st.requireRegion(id); err != nil {
			return nil, err
		}
	}
	types := r.repeated("InstanceTypes")
	if len(types) > 10 {
		return nil, errInvalidParam("InstanceTypes", "at most 10 values")
	}
	families := r.repeated("InstanceTypeFamilies")
	if f := r.str("InstanceTypeFamily"); f != "" {
		families = append(families, f)
	}
	arch, err := r.enumParam("CpuArchitecture", []string{"X86", "ARM"}, "", 0)
	if err != nil {
		return nil, err
	}
	floatParam := func(name string) (float64, bool, error) {
		s := r.str(name)
		if s == "" {
			return 0, false, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, false, errInvalidParam(name, "must be a number")
		}
		return f, true, nil
	}
	type bound struct {
		name  string
		value func(*instanceType) float64
		min   bool
	}
	bounds := []bound{
		{"MinimumCpuCoreCount", func(t *instanceType) float64 { return float64(t.CPU) }, true},
		{"MaximumCpuCoreCount", func(t *instanceType) float64 { return float64(t.CPU) }, false},
		{"MinimumMemorySize", func(t *instanceType) float64 { return t.MemoryGiB }, true},
		{"MaximumMemorySize", func(t *instanceType) float64 { return t.MemoryGiB }, false},
	}
	type limit struct {
		b bound
		v float64
	}
	var limits []limit
	for _, b := range bounds {
		v, ok, err := floatParam(b.name)
		if err != nil {
			return nil, err
		}
		if ok {
			limits = append(limits, limit{b, v})
		}
	}
	p, err := r.pager(pagingInstanceTypes)
	if err != nil {
		return nil, err
	}
	var list []instanceTypeJSON
	for _, t := range st.instanceTypes {
		if len(types) > 0 && !slices.Contains(types, t.ID) {
			continue
		}
		if len(families) > 0 && !slices.Contains(families, t.Family) {
			continue
		}
		ok := true
		for _, l := range limits {
			v := l.b.value(t)
			if (l.b.min && v < l.v) || (!l.b.min && v > l.v) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		v := instanceTypeView(t)
		if arch != "" && v.CpuArchitecture != arch {
			continue
		}
		list = append(list, v)
	}
	page, next := pageOf(list, p)
	return map[string]any{
		"NextToken":     next,
		"InstanceTypes": map[string]any{"InstanceType": nonNil(page)},
	}, nil
}
