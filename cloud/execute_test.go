package cloud_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/cloud/emulator"
)

// snapshotDisks returns up to n disks a snapshot can be taken of now: In_use
// on a Running or Stopped instance, in any region, one per disk, sorted.
func snapshotDisks(t testing.TB, c *cloud.Client, n int) []cloud.Disk {
	t.Helper()
	ctx := context.Background()
	ins, err := c.Instances(ctx, cloud.AllRegions)
	if err != nil {
		t.Fatal(err)
	}
	ok := map[string]bool{}
	for _, in := range ins {
		if in.Status == cloud.StateRunning || in.Status == cloud.StateStopped {
			ok[in.ID] = true
		}
	}
	disks, err := c.Disks(ctx, cloud.AllRegions, cloud.DiskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	snaps, err := c.Snapshots(ctx, cloud.AllRegions, cloud.SnapshotFilter{})
	if err != nil {
		t.Fatal(err)
	}
	busy := map[string]bool{}
	for _, s := range snaps {
		if s.Status != cloud.SnapshotAccomplished {
			busy[s.DiskID] = true
		}
	}
	var out []cloud.Disk
	for _, d := range disks {
		if d.Status == cloud.DiskInUse && ok[d.InstanceID] && !busy[d.ID] {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b cloud.Disk) int { return strings.Compare(a.ID, b.ID) })
	if len(out) < n {
		t.Fatalf("only %d disks can be snapshotted, want %d", len(out), n)
	}
	return out[:n]
}

func readAudit(t testing.TB, path string) []cloud.AuditEntry {
	t.Helper()
	entries, err := cloud.ReadAudit(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// TestExecuteReadOnly: a read-only client refuses before any call and
// audits the refusal; armed it writes until the arming ends.
func TestExecuteReadOnly(t *testing.T) {
	srv, url := start(t, emulator.Options{Instances: 20})
	audit := filepath.Join(t.TempDir(), "state", "ecsdash", "audit.jsonl")
	c := newClient(t, url, func(cfg *cloud.Config) {
		cfg.ReadOnly, cfg.AuditLog, cfg.Profile = true, audit, "prod"
	})
	disks := snapshotDisks(t, c, 3)
	ctx := context.Background()
	if !c.ReadOnly() || c.CanWrite() || !c.ArmedUntil().IsZero() {
		t.Fatalf("ReadOnly %v, CanWrite %v, ArmedUntil %v", c.ReadOnly(), c.CanWrite(), c.ArmedUntil())
	}

	before := srv.Stats().TotalCalls
	p := c.PlanCreateSnapshot(disks[0].RegionID, disks[0].ID, "nightly", "", 0)
	_, err := c.Execute(ctx, p)
	if !errors.Is(err, cloud.ErrReadOnly) {
		t.Fatalf("Execute in read-only mode: err = %v, want ErrReadOnly", err)
	}
	if !strings.Contains(err.Error(), ":arm") {
		t.Errorf("error %q does not say how to arm", err)
	}
	if after := srv.Stats().TotalCalls; after != before {
		t.Errorf("read-only Execute made %d API calls", after-before)
	}
	// The other mutations take the same path.
	if err := execute(ctx, c, c.PlanEnableAlarmRules([]string{"r-1"})); !errors.Is(err, cloud.ErrReadOnly) {
		t.Errorf("EnableAlarmRules in read-only mode: %v", err)
	}
	if err := installAgent(ctx, c, testRegion, []string{"i-1"}); !errors.Is(err, cloud.ErrReadOnly) {
		t.Errorf("InstallAgent in read-only mode: %v", err)
	}
	if after := srv.Stats().TotalCalls; after != before {
		t.Errorf("read-only mutations made %d API calls", after-before)
	}
	entries := readAudit(t, audit)
	if len(entries) != 3 {
		t.Fatalf("%d audit lines, want 3: %+v", len(entries), entries)
	}
	e := entries[2] // newest first: the CreateSnapshot is the oldest
	if e.Result != cloud.AuditRefused || e.Action != "CreateSnapshot" || e.Profile != "prod" ||
		e.Region != disks[0].RegionID || !slices.Equal(e.Resources, []string{disks[0].ID}) || e.Params["SnapshotName"] != "nightly" {
		t.Errorf("refusal audited as %+v", e)
	}
	if fi, err := os.Stat(audit); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("audit log mode: %v %v", fi.Mode(), err)
	}

	// Armed: writes go through, the same plan included.
	c.Arm(time.Now().Add(400 * time.Millisecond))
	if !c.CanWrite() || c.ArmedUntil().IsZero() || !c.ReadOnly() {
		t.Fatalf("armed: CanWrite %v, ArmedUntil %v, ReadOnly %v", c.CanWrite(), c.ArmedUntil(), c.ReadOnly())
	}
	res, err := c.Execute(ctx, p)
	if err != nil || len(res.IDs) != 1 || !strings.HasPrefix(res.IDs[0], "s-") || res.RequestID == "" {
		t.Fatalf("armed Execute: %+v, %v", res, err)
	}

	// Once the time has passed it refuses again, with no call.
	time.Sleep(time.Until(c.ArmedUntil()) + 20*time.Millisecond)
	if c.CanWrite() || !c.ArmedUntil().IsZero() {
		t.Fatal("still armed after the time passed")
	}
	before = srv.Stats().TotalCalls
	if _, err := c.Execute(ctx, c.PlanCreateSnapshot(disks[1].RegionID, disks[1].ID, "", "", 0)); !errors.Is(err, cloud.ErrReadOnly) {
		t.Fatalf("after arming ended: %v", err)
	}
	if after := srv.Stats().TotalCalls; after != before {
		t.Errorf("disarmed Execute made %d API calls", after-before)
	}

	// SetReadOnly(false) opens the session.
	c.SetReadOnly(false)
	if _, err := c.Execute(ctx, c.PlanCreateSnapshot(disks[2].RegionID, disks[2].ID, "", "", 0)); err != nil {
		t.Fatalf("read-write Execute: %v", err)
	}
	entries = readAudit(t, audit)
	got := make([]string, len(entries))
	for i, e := range entries {
		got[i] = e.Result
	}
	if want := []string{"ok", "refused", "ok", "refused", "refused", "refused"}; !slices.Equal(got, want) {
		t.Errorf("audit results newest first %v, want %v", got, want)
	}
	if ok := entries[2]; ok.RequestID != res.RequestID || !slices.Equal(ok.IDs, res.IDs) || ok.ClientToken != p.ClientToken || ok.Attempts != 1 {
		t.Errorf("success audited as %+v (result %+v, token %s)", ok, res, p.ClientToken)
	}
	if limited, _ := cloud.ReadAudit(audit, 2); len(limited) != 2 || !limited[0].Time.Equal(entries[0].Time) {
		t.Errorf("ReadAudit limit 2: %+v", limited)
	}
}

// TestPrecheck: no DryRun, no verdict; where the API has DryRun the verdict
// is the API's: DryRunOperation, or the refusal's code.
func TestPrecheck(t *testing.T) {
	srv, url := start(t, emulator.Options{Instances: 10})
	c := newClient(t, url, func(cfg *cloud.Config) { cfg.ReadOnly = true })
	ctx := context.Background()

	before := srv.Stats().TotalCalls
	v := c.Precheck(ctx, c.PlanCreateSnapshot("", "d-x", "", "", 0))
	if v.Supported || v.OK || srv.Stats().TotalCalls != before {
		t.Errorf("CreateSnapshot (no DryRun): verdict %+v, %d calls", v, srv.Stats().TotalCalls-before)
	}
	if v := c.Precheck(ctx, c.PlanDeleteAlarmRules([]string{"r-1"})); v.Supported {
		t.Errorf("DeleteMetricRules (no DryRun): verdict %+v", v)
	}

	// Allowed read-only: a DryRun changes nothing.
	v = c.Precheck(ctx, cloud.PlanDryRunForTest(c, testRegion))
	if !v.Supported || !v.OK || v.Code != "DryRunOperation" || v.RequestID == "" {
		t.Errorf("valid DryRun: verdict %+v", v)
	}
	v = c.Precheck(ctx, cloud.PlanDryRunForTest(c, "xx-nowhere-1"))
	if !v.Supported || v.OK || v.Code != "InvalidRegionId.NotFound" || v.RequestID == "" {
		t.Errorf("refused DryRun: verdict %+v", v)
	}
	if !strings.Contains(v.String(), "InvalidRegionId.NotFound") {
		t.Errorf("verdict text %q", v.String())
	}
}

// TestCLI: the runbook line names the product, action and parameters,
// quoted for a shell, secrets redacted; batches give one line per call.
func TestCLI(t *testing.T) {
	_, c := env(t, emulator.Options{Instances: 10})
	p := c.PlanCreateSnapshot("cn-beijing", "d-x", "nightly", "it's done", 7)
	want := `aliyun ecs CreateSnapshot --RegionId cn-beijing --Description 'it'\''s done' --DiskId d-x --RetentionDays 7 --SnapshotName nightly`
	if got := p.Op.CLI(); got != want {
		t.Errorf("CLI\n got %s\nwant %s", got, want)
	}
	if !p.Op.Create || p.Op.Destructive || len(p.ClientToken) == 0 || len(p.ClientToken) > 64 {
		t.Errorf("CreateSnapshot op %+v, token %q", p.Op, p.ClientToken)
	}
	p.Op.Params["Password"] = "hunter2"
	p.Op.Secret = []string{"Password"}
	if got := p.Op.CLI(); strings.Contains(got, "hunter2") || !strings.Contains(got, "--Password '<redacted>'") {
		t.Errorf("secret in CLI: %s", got)
	}

	ids := make([]string, 150)
	for i := range ids {
		ids[i] = fmt.Sprintf("r-%03d", i)
	}
	del := c.PlanDeleteAlarmRules(ids)
	if !del.Op.Destructive || del.Op.Idempotent || del.Parts() != 2 {
		t.Errorf("delete plan: %+v, %d parts", del.Op, del.Parts())
	}
	lines := strings.Split(del.CLI(), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "aliyun cms DeleteMetricRules --RegionId "+testRegion+" --Id.1 r-000 --Id.2 r-001 ") ||
		!strings.Contains(lines[0], "--Id.9 r-008 --Id.10 r-009") || strings.Contains(lines[0], "--Id.101") || !strings.Contains(lines[1], "--Id.50 r-149") {
		t.Errorf("batched CLI:\n%s", del.CLI())
	}
	if en := c.PlanEnableAlarmRules(ids[:2]); !en.Op.Idempotent || en.Parts() != 1 || en.CLI() != "aliyun cms EnableMetricRules --RegionId "+testRegion+" --RuleId.1 r-000 --RuleId.2 r-001" {
		t.Errorf("enable plan %+v: %s", en.Op, en.CLI())
	}
	if none := c.PlanDisableAlarmRules(nil); none.Parts() != 0 {
		t.Errorf("no ids: %d parts", none.Parts())
	}
}

// lossy wraps the emulator: every third CreateSnapshot is carried out but
// its answer is lost (503 from a "gateway"), the failure a ClientToken
// exists for.
func lossy(t testing.TB, srv *emulator.Server) (url string, lost *atomic.Int64) {
	var n atomic.Int64
	lost = new(atomic.Int64)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("Action") == "CreateSnapshot" && n.Add(1)%3 == 0 {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, r)
			if rec.Code == http.StatusOK {
				lost.Add(1)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"RequestId":"LOST-ANSWER","HostId":"ecs.aliyuncs.com","Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}`)
			return
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts.URL, lost
}

// TestCreateSnapshotsUnderFaults is the proof the issue asks for: with 30 %
// throttling, 5 % server errors and 200 ms latency (and, on top, answers
// lost after the snapshot was made), 20 concurrent CreateSnapshot plans
// leave exactly 20 snapshots, because every retry reuses the plan's
// ClientToken; and reads of every region still complete.
func TestCreateSnapshotsUnderFaults(t *testing.T) {
	const n = 20
	// Pick the disks on a fault-free twin (same seed, same fleet).
	_, calm := env(t, emulator.Options{Instances: 40})
	disks := snapshotDisks(t, calm, n)

	srv := emulator.New(emulator.Options{Seed: 1, Instances: 40, ThrottleRate: 0.3, ErrorRate: 0.05, Latency: 200 * time.Millisecond})
	url, lost := lossy(t, srv)
	audit := filepath.Join(t.TempDir(), "audit.jsonl")
	c := newClient(t, url, func(cfg *cloud.Config) { cfg.AuditLog = audit })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	beforeList, err := c.Snapshots(ctx, cloud.AllRegions, cloud.SnapshotFilter{})
	if err != nil {
		t.Fatalf("Snapshots under faults: %v", err)
	}
	callsBefore := srv.Stats().Calls["CreateSnapshot"]

	results := make([]cloud.Result, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, d := range disks {
		wg.Go(func() {
			results[i], errs[i] = c.Execute(ctx, c.PlanCreateSnapshot(d.RegionID, d.ID, fmt.Sprintf("fault-%02d", i), "", 0))
		})
	}
	wg.Wait()
	created := map[string]bool{}
	for i := range n {
		if errs[i] != nil || len(results[i].IDs) != 1 {
			t.Fatalf("Execute %d: %+v, %v", i, results[i], errs[i])
		}
		created[results[i].IDs[0]] = true
	}
	if len(created) != n {
		t.Errorf("%d distinct snapshot ids, want %d", len(created), n)
	}

	after, err := c.Snapshots(ctx, cloud.AllRegions, cloud.SnapshotFilter{})
	if err != nil {
		t.Fatalf("Snapshots under faults: %v", err)
	}
	perDisk := map[string]int{}
	for _, s := range after {
		perDisk[s.DiskID]++
	}
	for _, s := range beforeList {
		perDisk[s.DiskID]--
	}
	for _, d := range disks {
		if perDisk[d.ID] != 1 {
			t.Errorf("disk %s has %d new snapshots, want 1", d.ID, perDisk[d.ID])
		}
	}
	if len(after)-len(beforeList) != n {
		t.Errorf("%d snapshots before, %d after: want exactly %d more", len(beforeList), len(after), n)
	}
	for _, s := range after {
		if strings.HasPrefix(s.Name, "fault-") && !created[s.ID] {
			t.Errorf("snapshot %s (%s) was created but never returned", s.ID, s.Name)
		}
	}

	calls := srv.Stats().Calls["CreateSnapshot"] - callsBefore
	u := c.Usage(time.Now())
	t.Logf("CreateSnapshot: %d calls for %d snapshots (%d answers lost after the fact), %d retries in all, faults %v",
		calls, n, lost.Load(), u.Retries, srv.Stats().Faults)
	if calls <= n || lost.Load() == 0 {
		t.Errorf("%d CreateSnapshot calls (%d lost answers): the faults did not force retries", calls, lost.Load())
	}
	if u.Retries == 0 {
		t.Error("Usage.Retries = 0")
	}

	// Every retried create is audited once, with its attempts.
	entries := readAudit(t, audit)
	attempts := 0
	for _, e := range entries {
		if e.Result != cloud.AuditOK || e.ClientToken == "" || e.RequestID == "" || len(e.IDs) != 1 {
			t.Errorf("audit line %+v", e)
		}
		attempts += e.Attempts
	}
	if len(entries) != n || attempts != calls {
		t.Errorf("%d audit lines with %d attempts, want %d lines and %d attempts", len(entries), attempts, n, calls)
	}

	// Reads under the same faults always complete.
	ins, err := c.Instances(ctx, cloud.AllRegions)
	if err != nil || len(ins) != 40 {
		t.Errorf("Instances under faults: %d, %v", len(ins), err)
	}
	ds, err := c.Disks(ctx, cloud.AllRegions, cloud.DiskFilter{})
	calmDisks, _ := calm.Disks(ctx, cloud.AllRegions, cloud.DiskFilter{})
	if err != nil || len(ds) != len(calmDisks) {
		t.Errorf("Disks under faults: %d (want %d), %v", len(ds), len(calmDisks), err)
	}
}

// TestWriteRetryPolicy: a write that is neither a create with a token nor
// idempotent is sent once; an idempotent one is retried.
func TestWriteRetryPolicy(t *testing.T) {
	srv, url := start(t, emulator.Options{Instances: 10, ThrottleRate: 1})
	audit := filepath.Join(t.TempDir(), "audit.jsonl")
	c := newClient(t, url, func(cfg *cloud.Config) { cfg.AuditLog = audit })
	cloud.SetRetryPolicyForTest(c, time.Millisecond, 5*time.Millisecond, 300*time.Millisecond)
	ctx := context.Background()

	err := execute(ctx, c, c.PlanDeleteAlarmRules([]string{"r-1"}))
	if !cloud.IsCode(err, "Throttling.User") {
		t.Fatalf("DeleteAlarmRules: %v", err)
	}
	if got := srv.Stats().Calls["DeleteMetricRules"]; got != 1 {
		t.Errorf("DeleteMetricRules sent %d times, want once (not idempotent, no token)", got)
	}
	if u := c.Usage(time.Now()); u.Retries != 0 {
		t.Errorf("Retries = %d", u.Retries)
	}

	err = execute(ctx, c, c.PlanEnableAlarmRules([]string{"r-1"}))
	if !cloud.IsCode(err, "Throttling.User") {
		t.Fatalf("EnableAlarmRules: %v", err)
	}
	enables := srv.Stats().Calls["EnableMetricRules"]
	if enables < 2 {
		t.Errorf("EnableMetricRules sent %d times, want retries (idempotent)", enables)
	}
	if u := c.Usage(time.Now()); u.Retries != enables-1 {
		t.Errorf("Retries = %d, want %d", u.Retries, enables-1)
	}
	entries := readAudit(t, audit)
	if len(entries) != 2 || entries[0].Attempts != enables || entries[1].Attempts != 1 ||
		entries[0].Code != "Throttling.User" || entries[0].RequestID == "" || entries[0].Result != cloud.AuditError {
		t.Errorf("audit: %+v", entries)
	}
}

// TestNoSecretsAnywhere: a plan's secret parameter is in no audit line,
// log record, CLI line or error, on success and on failure.
func TestNoSecretsAnywhere(t *testing.T) {
	const secret = "Pw-zq81-very-distinctive"
	_, url := start(t, emulator.Options{Instances: 10})
	audit := filepath.Join(t.TempDir(), "audit.jsonl")
	var logs logBuffer
	c := newClient(t, url, func(cfg *cloud.Config) { cfg.AuditLog, cfg.Logger = audit, debugLogger(&logs) })
	disk := snapshotDisks(t, c, 1)[0]
	ctx := context.Background()

	// The description stands in for a password: sent, but secret.
	good := c.PlanCreateSnapshot(disk.RegionID, disk.ID, "", "desc-"+secret, 0)
	good.Op.Params["Password"] = secret
	good.Op.Secret = []string{"Description", "Password"}
	if _, err := c.Execute(ctx, good); err != nil {
		t.Fatal(err)
	}
	bad := c.PlanCreateSnapshot(disk.RegionID, "d-missing", "", "desc-"+secret, 0)
	bad.Op.Params["Password"] = secret
	bad.Op.Secret = []string{"Description", "Password"}
	_, err := c.Execute(ctx, bad)
	if !cloud.IsCode(err, "InvalidDiskId.NotFound") {
		t.Fatalf("unknown disk: %v", err)
	}
	raw, rerr := os.ReadFile(audit)
	if rerr != nil {
		t.Fatal(rerr)
	}
	everything := [][]byte{raw, []byte(logs.String()), []byte(err.Error()), []byte(good.CLI()), []byte(bad.CLI())}
	for _, b := range everything {
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("the secret leaked: %s", b)
		}
	}
	entries := readAudit(t, audit)
	if len(entries) != 2 {
		t.Fatalf("%d audit lines", len(entries))
	}
	failed, ok := entries[0], entries[1]
	if failed.Result != cloud.AuditError || failed.Code != "InvalidDiskId.NotFound" || failed.RequestID == "" || failed.Params["Password"] != "<redacted>" {
		t.Errorf("failure audited as %+v", failed)
	}
	if ok.Result != cloud.AuditOK || ok.RequestID == "" || ok.Params["Description"] != "<redacted>" || ok.Params["DiskId"] != disk.ID {
		t.Errorf("success audited as %+v", ok)
	}
	if !strings.Contains(logs.String(), `"msg":"mutation"`) {
		t.Errorf("no mutation debug record:\n%s", logs.String())
	}
}

// TestWaitSnapshot: Wait polls until the snapshot is accomplished and
// reports its progress on the way.
func TestWaitSnapshot(t *testing.T) {
	_, c := env(t, emulator.Options{Instances: 10, TransitionDelay: 400 * time.Millisecond})
	cloud.SetWaitPolicyForTest(c, 30*time.Millisecond, 60*time.Millisecond)
	disk := snapshotDisks(t, c, 1)[0]
	ctx := context.Background()
	res, err := c.Execute(ctx, c.PlanCreateSnapshot(disk.RegionID, disk.ID, "waited", "", 3))
	if err != nil {
		t.Fatal(err)
	}
	var seen []int
	snap, err := c.WaitSnapshot(ctx, disk.RegionID, res.IDs[0], func(pct int) { seen = append(seen, pct) })
	if err != nil {
		t.Fatal(err)
	}
	if snap.ID != res.IDs[0] || snap.Status != cloud.SnapshotAccomplished || snap.Progress != 100 || snap.DiskID != disk.ID || snap.RetentionDays != 3 || snap.Name != "waited" {
		t.Errorf("snapshot %+v", snap)
	}
	if len(seen) < 2 || seen[0] >= 100 || seen[len(seen)-1] != 100 || !slices.IsSorted(seen) {
		t.Errorf("progress reported %v, want a rise to 100", seen)
	}

	// A snapshot that does not exist ends the wait with an error.
	if _, err := c.WaitSnapshot(ctx, disk.RegionID, "s-missing", nil); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("missing snapshot: %v", err)
	}
	// Cancelling ends it at once.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := c.Wait(cctx, func(context.Context) (bool, string, error) { return false, "", nil }, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Wait: %v", err)
	}
}

// TestCancelStopsRetries: a read retrying through throttling stops as soon
// as its context is cancelled.
func TestCancelStopsRetries(t *testing.T) {
	_, c := env(t, emulator.Options{Instances: 10, ThrottleRate: 1})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(400*time.Millisecond, cancel)
	began := time.Now()
	_, err := c.Regions(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(began); d > 600*time.Millisecond {
		t.Errorf("returned %s after the start, want promptly after the cancel at 400ms", d)
	}
	if u := c.Usage(time.Now()); u.Retries == 0 {
		t.Error("no retries before the cancel")
	}
}

// TestReadRetriesCounted: reads ride out faults, and every fault the
// emulator injected is one retry counted by the client.
func TestReadRetriesCounted(t *testing.T) {
	srv, c := env(t, emulator.Options{Instances: 30, ThrottleRate: 0.3, ErrorRate: 0.1})
	cloud.SetRetryPolicyForTest(c, time.Millisecond, 20*time.Millisecond, 10*time.Second)
	ctx := context.Background()
	ins, err := c.Instances(ctx, cloud.AllRegions)
	if err != nil || len(ins) != 30 {
		t.Fatalf("Instances: %d, %v", len(ins), err)
	}
	if _, err := c.Snapshots(ctx, cloud.AllRegions, cloud.SnapshotFilter{}); err != nil {
		t.Fatalf("Snapshots: %v", err)
	}
	faults := 0
	for _, n := range srv.Stats().Faults {
		faults += n
	}
	if u := c.Usage(time.Now()); faults == 0 || u.Retries != faults {
		t.Errorf("Retries = %d, emulator injected %d faults", u.Retries, faults)
	}
}
