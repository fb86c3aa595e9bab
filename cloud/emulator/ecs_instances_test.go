package emulator

import (
	"regexp"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func TestECSDescribeInstancesFields(t *testing.T) {
	c, s := newECSTestClient(t, Options{Seed: 1})
	req := ecs.CreateDescribeInstancesRequest()
	req.PageSize = requests.NewInteger(100)
	resp, err := c.DescribeInstances(req)
	if err != nil {
		t.Fatal(err)
	}
	want := ecsStoreInstances(s, "cn-hangzhou", nil)
	if resp.TotalCount != len(want) || len(resp.Instances.Instance) != len(want) {
		t.Fatalf("TotalCount %d, got %d, want %d", resp.TotalCount, len(resp.Instances.Instance), len(want))
	}
	if resp.RequestId == "" || resp.PageNumber != 1 || resp.PageSize != 100 || resp.NextToken != "" {
		t.Errorf("envelope: %+v", resp)
	}
	idRE := regexp.MustCompile(`^i-bp1[a-z0-9]{17}$`)
	minuteRE := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\dZ$`)
	for _, in := range resp.Instances.Instance {
		if !idRE.MatchString(in.InstanceId) || !want[in.InstanceId] {
			t.Errorf("unexpected id %q", in.InstanceId)
		}
		if in.RegionId != "cn-hangzhou" || !strings.HasPrefix(in.ZoneId, "cn-hangzhou-") {
			t.Errorf("%s: region/zone %s %s", in.InstanceId, in.RegionId, in.ZoneId)
		}
		if in.Cpu < 1 || in.Memory < 1024 || !strings.HasPrefix(in.InstanceType, "ecs.") || in.InstanceTypeFamily == "" {
			t.Errorf("%s: cpu %d mem %d type %s", in.InstanceId, in.Cpu, in.Memory, in.InstanceType)
		}
		if !minuteRE.MatchString(in.CreationTime) || !minuteRE.MatchString(in.ExpiredTime) {
			t.Errorf("%s: times %q %q", in.InstanceId, in.CreationTime, in.ExpiredTime)
		}
		if in.InstanceChargeType == "PostPaid" && in.ExpiredTime != "2099-12-31T15:59Z" {
			t.Errorf("%s: postpaid ExpiredTime %q", in.InstanceId, in.ExpiredTime)
		}
		if len(in.VpcAttributes.PrivateIpAddress.IpAddress) != 1 || !strings.HasPrefix(in.VpcAttributes.VpcId, "vpc-bp1") {
			t.Errorf("%s: vpc %+v", in.InstanceId, in.VpcAttributes)
		}
		if len(in.SecurityGroupIds.SecurityGroupId) == 0 || !strings.HasPrefix(in.SecurityGroupIds.SecurityGroupId[0], "sg-") {
			t.Errorf("%s: security groups %+v", in.InstanceId, in.SecurityGroupIds)
		}
		if len(in.NetworkInterfaces.NetworkInterface) != 1 || in.NetworkInterfaces.NetworkInterface[0].Type != "Primary" ||
			in.NetworkInterfaces.NetworkInterface[0].PrimaryIpAddress != in.VpcAttributes.PrivateIpAddress.IpAddress[0] {
			t.Errorf("%s: ENI %+v", in.InstanceId, in.NetworkInterfaces)
		}
		if len(in.Tags.Tag) == 0 || in.Tags.Tag[0].TagKey == "" {
			t.Errorf("%s: tags %+v", in.InstanceId, in.Tags)
		}
		if in.OSType != "linux" && in.OSType != "windows" || in.OSName == "" || in.ImageId == "" {
			t.Errorf("%s: os %q %q %q", in.InstanceId, in.OSType, in.OSName, in.ImageId)
		}
		switch in.Status {
		case "Running":
			if in.StoppedMode != "Not-applicable" {
				t.Errorf("%s: running with StoppedMode %q", in.InstanceId, in.StoppedMode)
			}
		case "Stopped":
			if in.StoppedMode != "KeepCharging" && in.StoppedMode != "StopCharging" {
				t.Errorf("%s: stopped with StoppedMode %q", in.InstanceId, in.StoppedMode)
			}
		default:
			t.Errorf("%s: status %q", in.InstanceId, in.Status)
		}
		if in.OperationLocks.LockReason == nil && false {
			t.Error("unreachable")
		}
	}
}

func TestECSDescribeInstancesFilters(t *testing.T) {
	c, s := newECSTestClient(t, Options{Seed: 1, Instances: 300})
	all := ecsStoreInstances(s, "cn-hangzhou", nil)
	call := func(mod func(*ecs.DescribeInstancesRequest)) *ecs.DescribeInstancesResponse {
		t.Helper()
		req := ecs.CreateDescribeInstancesRequest()
		req.PageSize = requests.NewInteger(100)
		mod(req)
		resp, err := c.DescribeInstances(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}

	// Empty JSON array matches nothing; unknown ids are simply absent.
	if r := call(func(r *ecs.DescribeInstancesRequest) { r.InstanceIds = "[]" }); r.TotalCount != 0 || len(r.Instances.Instance) != 0 {
		t.Errorf("[] matched %d", r.TotalCount)
	}
	var two []string
	for id := range all {
		if len(two) < 2 {
			two = append(two, id)
		}
	}
	r := call(func(r *ecs.DescribeInstancesRequest) {
		r.InstanceIds = `["` + two[0] + `","` + two[1] + `","i-bp1doesnotexist00000"]`
	})
	if r.TotalCount != 2 {
		t.Errorf("InstanceIds matched %d", r.TotalCount)
	}

	// Status.
	stopped := ecsStoreInstances(s, "cn-hangzhou", func(in *instance) bool { return in.Status == "Stopped" })
	r = call(func(r *ecs.DescribeInstancesRequest) { r.Status = "Stopped" })
	if r.TotalCount != len(stopped) || len(stopped) == 0 {
		t.Errorf("Stopped: %d, want %d", r.TotalCount, len(stopped))
	}
	for _, in := range r.Instances.Instance {
		if !stopped[in.InstanceId] {
			t.Errorf("%s is not stopped", in.InstanceId)
		}
	}

	// Name wildcard.
	r = call(func(r *ecs.DescribeInstancesRequest) { r.InstanceName = "web-*" })
	if r.TotalCount == 0 {
		t.Error("web-* matched nothing")
	}
	for _, in := range r.Instances.Instance {
		if !strings.HasPrefix(in.InstanceName, "web-") {
			t.Errorf("web-* matched %s", in.InstanceName)
		}
	}
	if r := call(func(r *ecs.DescribeInstancesRequest) { r.InstanceName = "*-primary" }); r.TotalCount != 1 || r.Instances.Instance[0].InstanceName != "db-primary" {
		t.Errorf("*-primary: %d", r.TotalCount)
	}

	// Zone, charge type, type, VPC, security group, key pair, image, tag.
	var any1 instance
	s.store.mu.Lock()
	for id := range all {
		in := s.store.instances[id]
		if in.KeyPairName != "" && in.Status == "Running" {
			any1 = *in
			break
		}
	}
	s.store.mu.Unlock()
	count := func(keep func(*instance) bool) int { return len(ecsStoreInstances(s, "cn-hangzhou", keep)) }
	checks := []struct {
		name string
		mod  func(*ecs.DescribeInstancesRequest)
		keep func(*instance) bool
	}{
		{"ZoneId", func(r *ecs.DescribeInstancesRequest) { r.ZoneId = any1.ZoneID }, func(in *instance) bool { return in.ZoneID == any1.ZoneID }},
		{"InstanceChargeType", func(r *ecs.DescribeInstancesRequest) { r.InstanceChargeType = "PrePaid" }, func(in *instance) bool { return in.InstanceChargeType == "PrePaid" }},
		{"InstanceType", func(r *ecs.DescribeInstancesRequest) { r.InstanceType = any1.InstanceType }, func(in *instance) bool { return in.InstanceType == any1.InstanceType }},
		{"VpcId", func(r *ecs.DescribeInstancesRequest) { r.VpcId = any1.VpcID }, func(in *instance) bool { return in.VpcID == any1.VpcID }},
		{"SecurityGroupId", func(r *ecs.DescribeInstancesRequest) { r.SecurityGroupId = any1.SecurityGroupIDs[0] }, func(in *instance) bool {
			return strings.Contains(strings.Join(in.SecurityGroupIDs, ","), any1.SecurityGroupIDs[0])
		}},
		{"KeyPairName", func(r *ecs.DescribeInstancesRequest) { r.KeyPairName = any1.KeyPairName }, func(in *instance) bool { return in.KeyPairName == any1.KeyPairName }},
		{"ImageId", func(r *ecs.DescribeInstancesRequest) { r.ImageId = any1.ImageID }, func(in *instance) bool { return in.ImageID == any1.ImageID }},
		{"Tag", func(r *ecs.DescribeInstancesRequest) {
			r.Tag = &[]ecs.DescribeInstancesTag{{Key: "env", Value: "staging"}}
		}, func(in *instance) bool { return in.Tags["env"] == "staging" }},
		{"Zone+Status", func(r *ecs.DescribeInstancesRequest) { r.ZoneId = any1.ZoneID; r.Status = "Running" }, func(in *instance) bool {
			return in.ZoneID == any1.ZoneID && in.Status == "Running"
		}},
	}
	for _, ck := range checks {
		want := count(ck.keep)
		if got := call(ck.mod).TotalCount; got != want || want == 0 {
			t.Errorf("%s: got %d, want %d", ck.name, got, want)
		}
	}

	// Validation.
	req := ecs.CreateDescribeInstancesRequest()
	req.Status = "Sleeping"
	_, err := c.DescribeInstances(req)
	ecsExpectError(t, err, "InvalidStatus.NotFound", 404)

	req = ecs.CreateDescribeInstancesRequest()
	req.RegionId = "mars-north-1"
	_, err = c.DescribeInstances(req)
	ecsExpectError(t, err, "InvalidRegionId.NotFound", 404)

	req = ecs.CreateDescribeInstancesRequest()
	req.DryRun = requests.NewBoolean(true)
	_, err = c.DescribeInstances(req)
	ecsExpectError(t, err, "DryRunOperation", 400)

	ids := make([]string, 101)
	for i := range ids {
		ids[i] = `"i-x"`
	}
	req = ecs.CreateDescribeInstancesRequest()
	req.InstanceIds = "[" + strings.Join(ids, ",") + "]"
	_, err = c.DescribeInstances(req)
	ecsExpectError(t, err, "InvalidParameter", 400)
}

func TestECSDescribeInstancesPaging(t *testing.T) {
	c, s := newECSTestClient(t, Options{Seed: 4, Instances: 1200})
	want := ecsStoreInstances(s, "cn-hangzhou", nil)
	if len(want) < 250 {
		t.Fatalf("only %d instances in cn-hangzhou", len(want))
	}

	// Legacy PageNumber/PageSize.
	seen := map[string]int{}
	for page := 1; ; page++ {
		req := ecs.CreateDescribeInstancesRequest()
		req.PageNumber = requests.NewInteger(page)
		req.PageSize = requests.NewInteger(100)
		resp, err := c.DescribeInstances(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.TotalCount != len(want) || resp.PageNumber != page || resp.PageSize != 100 {
			t.Fatalf("page %d: total %d number %d size %d", page, resp.TotalCount, resp.PageNumber, resp.PageSize)
		}
		if len(resp.Instances.Instance) == 0 {
			break
		}
		for _, in := range resp.Instances.Instance {
			seen[in.InstanceId]++
		}
	}
	ecsCheckAllOnce(t, "PageNumber", seen, want)

	// NextToken/MaxResults.
	seen = map[string]int{}
	token, calls := "", 0
	for {
		req := ecs.CreateDescribeInstancesRequest()
		req.MaxResults = requests.NewInteger(100)
		req.NextToken = token
		resp, err := c.DescribeInstances(req)
		if err != nil {
			t.Fatal(err)
		}
		calls++
		for _, in := range resp.Instances.Instance {
			seen[in.InstanceId]++
		}
		if resp.NextToken == "" {
			break
		}
		token = resp.NextToken
	}
	ecsCheckAllOnce(t, "NextToken", seen, want)
	if wantCalls := (len(want) + 99) / 100; calls != wantCalls {
		t.Errorf("NextToken took %d calls, want %d", calls, wantCalls)
	}

	// Defaults and clamps.
	resp, err := c.DescribeInstances(ecs.CreateDescribeInstancesRequest())
	if err != nil {
		t.Fatal(err)
	}
	if resp.PageSize != 10 || len(resp.Instances.Instance) != 10 || resp.NextToken == "" {
		t.Errorf("default page: size %d, got %d, token %q", resp.PageSize, len(resp.Instances.Instance), resp.NextToken)
	}
	req := ecs.CreateDescribeInstancesRequest()
	req.PageSize = requests.NewInteger(500)
	if resp, err = c.DescribeInstances(req); err != nil || resp.PageSize != 100 || len(resp.Instances.Instance) != 100 {
		t.Errorf("PageSize 500: %v %d", err, resp.PageSize)
	}
	req = ecs.CreateDescribeInstancesRequest()
	req.NextToken = "not-a-token"
	_, err = c.DescribeInstances(req)
	ecsExpectError(t, err, "InvalidParameter.NextToken", 400)
}

func ecsCheckAllOnce(t *testing.T, how string, seen map[string]int, want map[string]bool) {
	t.Helper()
	if len(seen) != len(want) {
		t.Errorf("%s: saw %d distinct instances, want %d", how, len(seen), len(want))
	}
	for id, n := range seen {
		if n != 1 || !want[id] {
			t.Errorf("%s: %s seen %d times (known %v)", how, id, n, want[id])
		}
	}
}

func TestECSDescribeInstanceStatus(t *testing.T) {
	c, s := newECSTestClient(t, Options{Seed: 2, Instances: 400})
	want := ecsStoreInstances(s, "cn-hangzhou", nil)
	seen := map[string]int{}
	for page := 1; page < 100; page++ {
		req := ecs.CreateDescribeInstanceStatusRequest()
		req.PageNumber = requests.NewInteger(page)
		req.PageSize = requests.NewInteger(50)
		resp, err := c.DescribeInstanceStatus(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.TotalCount != len(want) || resp.PageSize != 50 {
			t.Fatalf("total %d size %d", resp.TotalCount, resp.PageSize)
		}
		if len(resp.InstanceStatuses.InstanceStatus) == 0 {
			break
		}
		for _, st := range resp.InstanceStatuses.InstanceStatus {
			seen[st.InstanceId]++
			if st.Status != "Running" && st.Status != "Stopped" {
				t.Errorf("%s: %s", st.InstanceId, st.Status)
			}
		}
	}
	ecsCheckAllOnce(t, "DescribeInstanceStatus", seen, want)

	var ids []string
	for id := range want {
		if len(ids) < 3 {
			ids = append(ids, id)
		}
	}
	req := ecs.CreateDescribeInstanceStatusRequest()
	req.InstanceId = &ids
	resp, err := c.DescribeInstanceStatus(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.TotalCount != 3 || len(resp.InstanceStatuses.InstanceStatus) != 3 {
		t.Errorf("InstanceId.N: %d", resp.TotalCount)
	}
}
