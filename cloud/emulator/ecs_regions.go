package emulator

import (
	"slices"
	"strings"
)

// DescribeRegions: {"Regions":{"Region":[{RegionId,LocalName,RegionEndpoint,Status}]}}.
func describeRegions(r *request) (any, error) {
	if _, err := r.enumParam("ResourceType", []string{"instance", "disk", "reservedinstance", "scu"}, "InvalidResourceType.NotFound", 404); err != nil {
		return nil, err
	}
	if _, err := r.enumParam("AcceptLanguage", []string{"zh-CN", "en-US", "ja"}, "InvalidAcceptLanguage.NotFound", 404); err != nil {
		return nil, err
	}
	type regionJSON struct {
		RegionId       string `json:"RegionId"`
		LocalName      string `json:"LocalName"`
		RegionEndpoint string `json:"RegionEndpoint"`
		Status         string `json:"Status"`
	}
	var out []regionJSON
	for _, rg := range r.server.store.regions {
		out = append(out, regionJSON{rg.ID, rg.LocalName, rg.Endpoint, rg.Status})
	}
	return map[string]any{"Regions": map[string]any{"Region": nonNil(out)}}, nil
}

// DescribeZones: Zones.Zone[] with the availability wrappers; AvailableResources
// nests lower-camel keys as the real API does.
func describeZones(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	if _, err := r.enumParam("InstanceChargeType", []string{"PrePaid", "PostPaid"}, "InvalidInstanceChargeType.NotFound", 404); err != nil {
		return nil, err
	}
	if _, err := r.enumParam("SpotStrategy", []string{"NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo"}, "InvalidSpotStrategy", 400); err != nil {
		return nil, err
	}
	verbose, err := r.boolParam("Verbose", true)
	if err != nil {
		return nil, err
	}
	var zones []map[string]any
	for _, z := range st.zones[rg.ID] {
		zj := map[string]any{
			"ZoneId":    z.ID,
			"LocalName": z.LocalName,
			"ZoneType":  "AvailabilityZone",
			"AvailableResourceCreation": map[string]any{
				"ResourceTypes": []string{"VSwitch", "IoOptimized", "Instance", "Disk", "DedicatedHost"},
			},
			"AvailableDiskCategories":     map[string]any{"DiskCategories": nonNil(z.DiskCategories)},
			"AvailableVolumeCategories":   map[string]any{"VolumeCategories": []string{"san_ssd", "san_efficiency"}},
			"NetworkTypes":                map[string]any{"NetworkType": []string{"vpc"}},
			"AvailableDedicatedHostTypes": map[string]any{"DedicatedHostType": []string{}},
			"DedicatedHostGenerations":    map[string]any{"DedicatedHostGeneration": []string{}},
		}
		if verbose {
			var families, generations []string
			for _, id := range z.InstanceTypes {
				for _, t := range st.instanceTypes {
					if t.ID == id {
						if !slices.Contains(families, t.Family) {
							families = append(families, t.Family)
						}
						if !slices.Contains(generations, t.Generation) {
							generations = append(generations, t.Generation)
						}
					}
				}
			}
			slices.Sort(generations)
			sysCats := slices.DeleteFunc(slices.Clone(z.DiskCategories), func(c string) bool { return strings.HasPrefix(c, "cloud_essd_entry") })
			zj["AvailableInstanceTypes"] = map[string]any{"InstanceTypes": nonNil(z.InstanceTypes)}
			zj["AvailableResources"] = map[string]any{"ResourcesInfo": []map[string]any{{
				"IoOptimized":          true,
				"SystemDiskCategories": map[string]any{"supportedSystemDiskCategory": nonNil(sysCats)},
				"DataDiskCategories":   map[string]any{"supportedDataDiskCategory": nonNil(z.DiskCategories)},
				"InstanceTypes":        map[string]any{"supportedInstanceType": nonNil(z.InstanceTypes)},
				"InstanceTypeFamilies": map[string]any{"supportedInstanceTypeFamily": nonNil(families)},
				"InstanceGenerations":  map[string]any{"supportedInstanceGeneration": nonNil(generations)},
				"NetworkTypes":         map[string]any{"supportedNetworkCategory": []string{"vpc"}},
			}}}
		} else {
			zj["AvailableInstanceTypes"] = map[string]any{"InstanceTypes": []string{}}
			zj["AvailableResources"] = map[string]any{"ResourcesInfo": []map[string]any{}}
		}
		zones = append(zones, zj)
	}
	return map[string]any{"Zones": map[string]any{"Zone": nonNil(zones)}}, nil
}
