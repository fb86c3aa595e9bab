package emulator

import (
	"slices"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func TestECSDescribeRegionsAndZones(t *testing.T) {
	c, _ := newECSTestClient(t, Options{Seed: 1})
	regions, err := c.DescribeRegions(ecs.CreateDescribeRegionsRequest())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range regions.Regions.Region {
		ids = append(ids, r.RegionId)
		if r.Status != "available" || r.LocalName == "" || r.RegionEndpoint == "" {
			t.Errorf("region %+v", r)
		}
	}
	want := []string{"cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "ap-southeast-1", "eu-central-1", "us-west-1"}
	if !slices.Equal(ids, want) {
		t.Fatalf("regions %v", ids)
	}
	if e := regions.Regions.Region[0].RegionEndpoint; e != "ecs-cn-hangzhou.aliyuncs.com" {
		t.Errorf("hangzhou endpoint %q", e)
	}
	if e := regions.Regions.Region[4]; e.RegionEndpoint != "ecs.ap-southeast-1.aliyuncs.com" || e.LocalName != "Singapore" {
		t.Errorf("singapore %+v", e)
	}

	zreq := ecs.CreateDescribeZonesRequest()
	zones, err := c.DescribeZones(zreq)
	if err != nil {
		t.Fatal(err)
	}
	if len(zones.Zones.Zone) != 3 || zones.Zones.Zone[0].ZoneId != "cn-hangzhou-h" {
		t.Fatalf("zones %+v", zones.Zones.Zone)
	}
	z := zones.Zones.Zone[0]
	if !slices.Contains(z.AvailableResourceCreation.ResourceTypes, "Instance") ||
		!slices.Contains(z.AvailableDiskCategories.DiskCategories, "cloud_essd") ||
		!slices.Contains(z.AvailableInstanceTypes.InstanceTypes, "ecs.g7.large") {
		t.Errorf("zone wrappers: %+v", z)
	}
	if len(z.AvailableResources.ResourcesInfo) != 1 {
		t.Fatalf("AvailableResources %+v", z.AvailableResources)
	}
	ri := z.AvailableResources.ResourcesInfo[0]
	if !slices.Contains(ri.InstanceTypes.SupportedInstanceType, "ecs.g7.large") ||
		!slices.Contains(ri.SystemDiskCategories.SupportedSystemDiskCategory, "cloud_essd") ||
		!slices.Contains(ri.DataDiskCategories.SupportedDataDiskCategory, "cloud_efficiency") ||
		!slices.Contains(ri.InstanceTypeFamilies.SupportedInstanceTypeFamily, "ecs.g7") ||
		!slices.Contains(ri.NetworkTypes.SupportedNetworkCategory, "vpc") || !ri.IoOptimized {
		t.Errorf("ResourcesInfo %+v", ri)
	}

	zreq = ecs.CreateDescribeZonesRequest()
	zreq.RegionId = "ap-southeast-1"
	if zones, err = c.DescribeZones(zreq); err != nil || zones.Zones.Zone[0].ZoneId != "ap-southeast-1a" {
		t.Errorf("singapore zones: %v %+v", err, zones)
	}
	zreq = ecs.CreateDescribeZonesRequest()
	zreq.RegionId = "cn-atlantis"
	_, err = c.DescribeZones(zreq)
	ecsExpectError(t, err, "InvalidRegionId.NotFound", 404)
}

func TestECSDescribeInstanceTypes(t *testing.T) {
	c, _ := newECSTestClient(t, Options{Seed: 1})
	resp, err := c.DescribeInstanceTypes(ecs.CreateDescribeInstanceTypesRequest())
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.InstanceTypes.InstanceType) < 20 || resp.NextToken != "" {
		t.Fatalf("%d types, token %q", len(resp.InstanceTypes.InstanceType), resp.NextToken)
	}
	found := false
	for _, it := range resp.InstanceTypes.InstanceType {
		if it.InstanceTypeId == "ecs.g7.large" {
			found = true
			if it.CpuCoreCount != 2 || it.MemorySize != 8 || it.InstanceTypeFamily != "ecs.g7" || it.InstanceFamilyLevel != "EnterpriseLevel" {
				t.Errorf("g7.large %+v", it)
			}
		}
		if it.InstanceTypeId == "ecs.t6-c1m2.large" && it.InstanceFamilyLevel != "CreditEntryLevel" {
			t.Errorf("t6 level %q", it.InstanceFamilyLevel)
		}
	}
	if !found {
		t.Error("no ecs.g7.large")
	}

	req := ecs.CreateDescribeInstanceTypesRequest()
	req.InstanceTypeFamily = "ecs.r7"
	resp, err = c.DescribeInstanceTypes(req)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range resp.InstanceTypes.InstanceType {
		if it.InstanceTypeFamily != "ecs.r7" {
			t.Errorf("family filter let %s through", it.InstanceTypeId)
		}
	}
	if len(resp.InstanceTypes.InstanceType) != 4 {
		t.Errorf("r7: %d types", len(resp.InstanceTypes.InstanceType))
	}

	req = ecs.CreateDescribeInstanceTypesRequest()
	req.InstanceTypes = &[]string{"ecs.c7.xlarge", "ecs.e-c1m2.large"}
	if resp, err = c.DescribeInstanceTypes(req); err != nil || len(resp.InstanceTypes.InstanceType) != 2 {
		t.Errorf("InstanceTypes.N: %v %d", err, len(resp.InstanceTypes.InstanceType))
	}

	// Token paging.
	seen := map[string]bool{}
	token := ""
	for range 20 {
		req = ecs.CreateDescribeInstanceTypesRequest()
		req.MaxResults = requests.NewInteger(7)
		req.NextToken = token
		resp, err = c.DescribeInstanceTypes(req)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range resp.InstanceTypes.InstanceType {
			if seen[it.InstanceTypeId] {
				t.Errorf("%s twice", it.InstanceTypeId)
			}
			seen[it.InstanceTypeId] = true
		}
		if token = resp.NextToken; token == "" {
			break
		}
	}
	if len(seen) != len(instanceTypeCatalogue) {
		t.Errorf("paged %d types, want %d", len(seen), len(instanceTypeCatalogue))
	}
}
