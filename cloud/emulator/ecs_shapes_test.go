package emulator

import (
	"encoding/json"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// The SDK's fuzzy decoder accepts numbers for strings and strings for
// numbers, so these tests read the raw bodies to hold the emulator to the
// documented JSON types (aliyun-api-notes.md §3).

func ecsRaw(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, body)
	}
	if _, ok := m["RequestId"].(string); !ok {
		t.Errorf("no RequestId in %s", body)
	}
	return m
}

func ecsPath(t *testing.T, m any, keys ...any) any {
	t.Helper()
	cur := m
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			obj, ok := cur.(map[string]any)
			if !ok {
				t.Fatalf("at %q: not an object: %T", k, cur)
			}
			if cur, ok = obj[k]; !ok {
				t.Fatalf("missing key %q", k)
			}
		case int:
			arr, ok := cur.([]any)
			if !ok || len(arr) <= k {
				t.Fatalf("at [%d]: not an array long enough: %T", k, cur)
			}
			cur = arr[k]
		}
	}
	return cur
}

func TestECSRawShapes(t *testing.T) {
	c, s := newECSTestClient(t, Options{Seed: 1})

	inst, err := c.DescribeInstances(ecs.CreateDescribeInstancesRequest())
	if err != nil {
		t.Fatal(err)
	}
	m := ecsRaw(t, inst.GetHttpContentString())
	for _, k := range []string{"TotalCount", "PageNumber", "PageSize"} {
		if _, ok := m[k].(float64); !ok {
			t.Errorf("%s is %T", k, m[k])
		}
	}
	if _, ok := m["NextToken"].(string); !ok {
		t.Errorf("NextToken is %T", m["NextToken"])
	}
	in := ecsPath(t, m, "Instances", "Instance", 0).(map[string]any)
	if _, ok := in["Memory"].(float64); !ok {
		t.Errorf("Memory is %T", in["Memory"])
	}
	for _, path := range [][]any{
		{"PublicIpAddress", "IpAddress"}, {"VpcAttributes", "PrivateIpAddress", "IpAddress"},
		{"SecurityGroupIds", "SecurityGroupId"}, {"OperationLocks", "LockReason"}, {"Tags", "Tag"},
		{"NetworkInterfaces", "NetworkInterface"}, {"InnerIpAddress", "IpAddress"},
	} {
		if _, ok := ecsPath(t, in, path...).([]any); !ok {
			t.Errorf("%v is not an array", path)
		}
	}

	s.store.mu.Lock()
	var sgID string
	for id, g := range s.store.securityGroups {
		if g.RegionID == "cn-hangzhou" {
			sgID = id
		}
	}
	s.store.mu.Unlock()
	areq := ecs.CreateDescribeSecurityGroupAttributeRequest()
	areq.SecurityGroupId = sgID
	attr, err := c.DescribeSecurityGroupAttribute(areq)
	if err != nil {
		t.Fatal(err)
	}
	perm := ecsPath(t, ecsRaw(t, attr.GetHttpContentString()), "Permissions", "Permission", 0).(map[string]any)
	if _, ok := perm["Priority"].(string); !ok {
		t.Errorf("Priority is %T", perm["Priority"])
	}

	snaps, err := c.DescribeSnapshots(ecs.CreateDescribeSnapshotsRequest())
	if err != nil {
		t.Fatal(err)
	}
	snap := ecsPath(t, ecsRaw(t, snaps.GetHttpContentString()), "Snapshots", "Snapshot", 0).(map[string]any)
	if _, ok := snap["SourceDiskSize"].(string); !ok {
		t.Errorf("SourceDiskSize is %T", snap["SourceDiskSize"])
	}
	if _, ok := snap["Progress"].(string); !ok {
		t.Errorf("Progress is %T", snap["Progress"])
	}

	pols, err := c.DescribeAutoSnapshotPolicyEx(ecs.CreateDescribeAutoSnapshotPolicyExRequest())
	if err != nil {
		t.Fatal(err)
	}
	pol := ecsPath(t, ecsRaw(t, pols.GetHttpContentString()), "AutoSnapshotPolicies", "AutoSnapshotPolicy", 0).(map[string]any)
	if tp, ok := pol["TimePoints"].(string); !ok || tp[0] != '[' {
		t.Errorf("TimePoints is %T %v", pol["TimePoints"], pol["TimePoints"])
	}

	imgs, err := c.DescribeImages(ecs.CreateDescribeImagesRequest())
	if err != nil {
		t.Fatal(err)
	}
	img := ecsPath(t, ecsRaw(t, imgs.GetHttpContentString()), "Images", "Image", 0).(map[string]any)
	if _, ok := ecsPath(t, img, "DiskDeviceMappings", "DiskDeviceMapping", 0, "Size").(string); !ok {
		t.Error("DiskDeviceMapping.Size is not a string")
	}
	if _, ok := img["IsSelfShared"].(string); !ok {
		t.Errorf("IsSelfShared is %T", img["IsSelfShared"])
	}

	zones, err := c.DescribeZones(ecs.CreateDescribeZonesRequest())
	if err != nil {
		t.Fatal(err)
	}
	z := ecsPath(t, ecsRaw(t, zones.GetHttpContentString()), "Zones", "Zone", 0)
	if _, ok := ecsPath(t, z, "AvailableResources", "ResourcesInfo", 0, "InstanceTypes", "supportedInstanceType").([]any); !ok {
		t.Error("supportedInstanceType is not an array")
	}
}
