package emulator

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func runCmd(t *testing.T, c *ecs.Client, typ, content string, ids ...string) string {
	t.Helper()
	req := ecs.CreateRunCommandRequest()
	req.RegionId, req.Type, req.CommandContent, req.InstanceId = "cn-hangzhou", typ, content, &ids
	resp, err := c.RunCommand(req)
	if err != nil {
		t.Fatalf("RunCommand %q: %v", content, err)
	}
	if !strings.HasPrefix(resp.InvokeId, "t-hz") || !strings.HasPrefix(resp.CommandId, "c-hz") {
		t.Errorf("ids %+v", resp)
	}
	return resp.InvokeId
}

// results reads an invocation's results; Output decoded from Base64 (the
// default encoding).
func results(t *testing.T, c *ecs.Client, invokeID string) []ecs.InvocationResult {
	t.Helper()
	req := ecs.CreateDescribeInvocationResultsRequest()
	req.RegionId, req.InvokeId = "cn-hangzhou", invokeID
	resp, err := c.DescribeInvocationResults(req)
	if err != nil {
		t.Fatal(err)
	}
	out := resp.Invocation.InvocationResults.InvocationResult
	for i := range out {
		b, err := base64.StdEncoding.DecodeString(out[i].Output)
		if err != nil {
			t.Fatalf("Output is not Base64: %q", out[i].Output)
		}
		out[i].Output = string(b)
	}
	return out
}

// finish runs an invocation to its end and returns its single result.
func finish(t *testing.T, c *ecs.Client, s *Server, invokeID string) ecs.InvocationResult {
	t.Helper()
	opsStep(t, s)
	opsStep(t, s)
	res := results(t, c, invokeID)
	if len(res) != 1 {
		t.Fatalf("%d results", len(res))
	}
	return res[0]
}

func TestECSCloudAssistantGrowFilesystem(t *testing.T) {
	c, s := newOpsClient(t)
	id := pickInstances(t, s, 1, func(in *instance) bool {
		return runningPostPaidLinux(in) && in.AgentStatus == "running" && instanceOS(s.store, in).fs == "ext4"
	})[0]
	sys := diskOf(t, s, id, "system")
	size := describeDisk(t, c, sys).Size

	var before float64
	withStore(s, func(st *store) {
		g := newMetricGen(st.seed, s.opts.Now())
		before, _ = g.value(st.instances[id], "diskusage_utilization", "/dev/vda1", s.opts.Now())
	})

	// Nothing to grow yet.
	res := finish(t, c, s, runCmd(t, c, "RunShellScript", "growpart /dev/vda 1", id))
	if res.InvocationStatus != "Failed" || res.ExitCode != 1 || !strings.HasPrefix(res.Output, "NOCHANGE: partition 1 is size ") {
		t.Errorf("growpart before resize: %+v", res)
	}

	resize := ecs.CreateResizeDiskRequest()
	resize.DiskId, resize.NewSize, resize.Type = sys, requests.NewInteger(size*2), "online"
	if _, err := c.ResizeDisk(resize); err != nil {
		t.Fatal(err)
	}
	inv := runCmd(t, c, "RunShellScript", "growpart /dev/vda 1 && resize2fs /dev/vda1\ndf -h /", id)
	if r := results(t, c, inv); len(r) != 1 || r[0].InvocationStatus != "Pending" || r[0].InvokeRecordStatus != "Running" {
		t.Fatalf("just run: %+v", r)
	}
	opsStep(t, s)
	if r := results(t, c, inv); r[0].InvocationStatus != "Running" || r[0].StartTime == "" {
		t.Fatalf("after one delay: %+v", r[0])
	}
	opsStep(t, s)
	res = results(t, c, inv)[0]
	if res.InvocationStatus != "Success" || res.InvokeRecordStatus != "Finished" || res.ExitCode != 0 || res.FinishedTime == "" {
		t.Fatalf("finished: %+v", res)
	}
	oldSectors, newSectors := size*sectorsPerGiB-2048, 2*size*sectorsPerGiB-2048
	for _, want := range []string{
		"CHANGED: partition=1 start=2048 old: size=" + itoa(oldSectors) + " end=" + itoa(oldSectors+2048) + " new: size=" + itoa(newSectors),
		"resize2fs 1.",
		"The filesystem on /dev/vda1 is now " + itoa(newSectors/8) + " (4k) blocks long.",
		"/dev/vda1 ",
		" " + itoa(2*size) + "G ",
	} {
		if !strings.Contains(res.Output, want) {
			t.Errorf("output lacks %q:\n%s", want, res.Output)
		}
	}
	var after float64
	withStore(s, func(st *store) {
		if p := st.disks[sys].PartitionGiB; p != 2*size {
			t.Errorf("PartitionGiB %d, want %d", p, 2*size)
		}
		g := newMetricGen(st.seed, s.opts.Now())
		after, _ = g.value(st.instances[id], "diskusage_utilization", "/dev/vda1", s.opts.Now())
	})
	if before > 0 && (after > before*0.6 || after < before*0.4) {
		t.Errorf("diskusage_utilization %.1f%% before, %.1f%% after doubling the filesystem", before, after)
	}

	// PlainText output; a second resize2fs has nothing to do.
	inv = runCmd(t, c, "RunShellScript", "resize2fs /dev/vda1", id)
	opsStep(t, s)
	opsStep(t, s)
	req := ecs.CreateDescribeInvocationResultsRequest()
	req.RegionId, req.InvokeId, req.ContentEncoding = "cn-hangzhou", inv, "PlainText"
	plain, err := c.DescribeInvocationResults(req)
	if err != nil {
		t.Fatal(err)
	}
	if out := plain.Invocation.InvocationResults.InvocationResult[0].Output; !strings.Contains(out, "Nothing to do!") {
		t.Errorf("PlainText output %q", out)
	}
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	var b []byte
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}

func TestECSCloudAssistantXFS(t *testing.T) {
	c, s := newOpsClient(t)
	id := pickInstances(t, s, 1, runningPostPaidLinux)[0]
	sys := diskOf(t, s, id, "system")
	withStore(s, func(st *store) { st.disks[sys].Filesystem = "xfs" })
	size := describeDisk(t, c, sys).Size
	resize := ecs.CreateResizeDiskRequest()
	resize.DiskId, resize.NewSize, resize.Type = sys, requests.NewInteger(size+20), "online"
	if _, err := c.ResizeDisk(resize); err != nil {
		t.Fatal(err)
	}
	res := finish(t, c, s, runCmd(t, c, "RunShellScript", "set -e\ngrowpart /dev/vda 1\nresize2fs /dev/vda1\necho unreachable", id))
	if res.ExitCode != 1 || !strings.Contains(res.Output, "Bad magic number in super-block") || strings.Contains(res.Output, "unreachable") {
		t.Errorf("resize2fs on xfs: %+v", res)
	}
	res = finish(t, c, s, runCmd(t, c, "RunShellScript", "xfs_growfs /", id))
	want := "data blocks changed from " + itoa((size*sectorsPerGiB-2048)/8) + " to " + itoa(((size+20)*sectorsPerGiB-2048)/8)
	if res.InvocationStatus != "Success" || !strings.Contains(res.Output, want) || !strings.Contains(res.Output, "meta-data=/dev/vda1") {
		t.Errorf("xfs_growfs: want %q in\n%s", want, res.Output)
	}
	res = finish(t, c, s, runCmd(t, c, "RunShellScript", "lsblk", id))
	if !regexp.MustCompile(`(?m)^└─vda1 .* ` + itoa(size+20) + `G  0 part /$`).MatchString(res.Output) {
		t.Errorf("lsblk:\n%s", res.Output)
	}
}

func TestECSCloudAssistantCommands(t *testing.T) {
	c, s := newOpsClient(t)
	ids := pickInstances(t, s, 3, runningPostPaidLinux)
	linux, win, stopped := ids[0], ids[1], ids[2]
	withStore(s, func(st *store) {
		in := st.instances[win]
		in.OSType, in.OSName, in.ImageID = "windows", "Windows Server  2022 Datacenter 64 bit English", "win2022_21H2_x64_dtc_en-us_40G_alibase_20240716.vhd"
		st.instances[stopped].Status = "Stopped"
	})

	res := finish(t, c, s, runCmd(t, c, "RunShellScript", "echo about to fail; exit 3", linux))
	if res.InvocationStatus != "Failed" || res.ExitCode != 3 || res.ErrorCode != "ExitCodeNonzero" || res.Output != "about to fail\n" {
		t.Errorf("exit 3: %+v", res)
	}
	res = finish(t, c, s, runCmd(t, c, "RunShellScript", "uname -a; uptime; hostname; systemctl restart nginx", linux))
	if res.InvocationStatus != "Success" || !regexp.MustCompile(`^Linux \S+ \S+ #`).MatchString(res.Output) ||
		!strings.Contains(res.Output, "load average: ") || !strings.Contains(res.Output, " up ") {
		t.Errorf("uname/uptime: %+v", res)
	}
	res = finish(t, c, s, runCmd(t, c, "RunShellScript", "df -h | grep -v tmpfs", linux))
	if !strings.HasPrefix(res.Output, "Filesystem      Size  Used Avail Use% Mounted on\n/dev/vda1 ") {
		t.Errorf("df -h:\n%s", res.Output)
	}

	req := ecs.CreateRunCommandRequest()
	req.RegionId, req.Type, req.CommandContent, req.InstanceId = "cn-hangzhou", "RunShellScript", "hostname", &[]string{win}
	_, err := c.RunCommand(req)
	ecsExpectError(t, err, "InvalidInstance.NotMatch", 403)
	req.InstanceId = &[]string{"i-bp1doesnotexist00000"}
	_, err = c.RunCommand(req)
	ecsExpectError(t, err, "InvalidInstance.NotFound", 404)
	req = ecs.CreateRunCommandRequest()
	req.RegionId, req.Type, req.CommandContent, req.InstanceId = "cn-hangzhou", "RunPythonScript", "print(1)", &[]string{linux}
	_, err = c.RunCommand(req)
	ecsExpectError(t, err, "InvalidCmdType.NotFound", 403)

	res = finish(t, c, s, runCmd(t, c, "RunPowerShellScript", "hostname\nexit 0", win))
	if res.InvocationStatus != "Success" || res.Output == "" || res.Username != "System" {
		t.Errorf("PowerShell on Windows: %+v", res)
	}

	// Base64 content, two instances, one of them stopped.
	req = ecs.CreateRunCommandRequest()
	req.RegionId, req.Type, req.InstanceId = "cn-hangzhou", "RunShellScript", &[]string{linux, stopped}
	req.CommandContent, req.ContentEncoding, req.Name = base64.StdEncoding.EncodeToString([]byte("whoami")), "Base64", "who"
	resp, err := c.RunCommand(req)
	if err != nil {
		t.Fatal(err)
	}
	opsStep(t, s)
	opsStep(t, s)
	rs := results(t, c, resp.InvokeId)
	if len(rs) != 2 || rs[0].InvocationStatus != "Success" || rs[0].Output != "root\n" ||
		rs[1].InvocationStatus != "Aborted" || rs[1].ErrorCode != "InstanceNotRunning" {
		t.Errorf("two instances: %+v", rs)
	}

	di := ecs.CreateDescribeInvocationsRequest()
	di.RegionId, di.InvokeId, di.IncludeOutput, di.ContentEncoding = "cn-hangzhou", resp.InvokeId, requests.NewBoolean(true), "PlainText"
	invs, err := c.DescribeInvocations(di)
	if err != nil {
		t.Fatal(err)
	}
	if invs.TotalCount != 1 || len(invs.Invocations.Invocation) != 1 {
		t.Fatalf("DescribeInvocations: %+v", invs)
	}
	inv := invs.Invocations.Invocation[0]
	if inv.InvocationStatus != "PartialFailed" || inv.CommandName != "who" || inv.CommandContent != "whoami" || inv.CommandType != "RunShellScript" ||
		len(inv.InvokeInstances.InvokeInstance) != 2 || inv.InvokeInstances.InvokeInstance[0].Output != "root\n" {
		t.Errorf("invocation %+v", inv)
	}
	all := ecs.CreateDescribeInvocationsRequest()
	all.RegionId = "cn-hangzhou"
	if invs, err := c.DescribeInvocations(all); err != nil || invs.TotalCount != 5 {
		t.Errorf("all invocations: %v %d", err, invs.TotalCount)
	}
	bad := ecs.CreateDescribeInvocationResultsRequest()
	bad.RegionId, bad.PageSize = "cn-hangzhou", requests.NewInteger(51)
	_, err = c.DescribeInvocationResults(bad)
	ecsExpectError(t, err, "InvalidParam.PageSize", 403)
}
