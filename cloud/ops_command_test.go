package cloud_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ecsdash/ecsdash/cloud"
)

// runAndWait runs a shell script on instances and waits for the results.
func runAndWait(t testing.TB, c *cloud.Client, instanceIDs []string, script string) []cloud.InvocationResult {
	t.Helper()
	p := mustPlan(t)(c.PlanRunCommand(testRegion, instanceIDs, cloud.CommandShell, script, 0))
	res := mustExecute(t, c, p)
	if len(res.IDs) != 1 || !strings.HasPrefix(res.IDs[0], "t-") {
		t.Fatalf("RunCommand result %+v", res)
	}
	var prog progressLog
	results, err := c.WaitInvocation(opsCtx(t), testRegion, res.IDs[0], prog.add)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(instanceIDs) {
		t.Fatalf("%d results for %d instances", len(results), len(instanceIDs))
	}
	if want := "finished"; !strings.HasSuffix(prog.last(), want) {
		t.Errorf("progress %q", prog.seen)
	}
	return results
}

// TestRunCommand: the script reaches the instances exactly (Base64 on the
// wire), the output comes back decoded with the exit code; a failing
// command is a result, not an error; a stopped instance's run is Aborted.
func TestRunCommand(t *testing.T) {
	_, c := opsEnv(t)
	ctx := opsCtx(t)
	two := ids(instancesWhere(t, c, 2, runningPostPaid)[:2])

	p := mustPlan(t)(c.PlanRunCommand(testRegion, two, cloud.CommandShell, "echo \"grüße & <tags> 'quoted'\"", 0))
	if !p.Op.Create || p.Op.DryRun || p.Op.Params["ContentEncoding"] != "Base64" || p.Op.Params["InstanceId.2"] != two[1] {
		t.Errorf("op: %+v", p.Op)
	}
	res := mustExecute(t, c, p)
	results, err := c.WaitInvocation(ctx, testRegion, res.IDs[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if !r.OK() || r.ExitCode != 0 || r.Output != "grüße & <tags> 'quoted'\n" {
			t.Errorf("result %+v", r)
		}
	}

	results = runAndWait(t, c, two[:1], "uname -s; false")
	if r := results[0]; r.OK() || r.Status != "Failed" || r.ExitCode != 1 || r.Output != "Linux\n" || r.Error == "" {
		t.Errorf("failing command: %+v", r)
	}

	stopped := instancesWhere(t, c, 1, func(in cloud.Instance) bool {
		return in.Status == cloud.StateStopped && in.OSType == "linux"
	})[0]
	results = runAndWait(t, c, []string{stopped.ID}, "uptime")
	if r := results[0]; r.Status != "Aborted" || !r.Done() || r.Error == "" {
		t.Errorf("stopped instance: %+v", r)
	}

	list, done, err := c.InvocationResults(context.Background(), testRegion, res.IDs[0])
	if err != nil || !done || len(list) != 2 {
		t.Errorf("InvocationResults: %d, %v, %v", len(list), done, err)
	}
}
