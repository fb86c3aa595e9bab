package emulator

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var ecsTestNow = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

func ecsTestStore(seed uint64, n int) *store {
	return newStore(Options{Seed: seed, Instances: n, Now: func() time.Time { return ecsTestNow }, TransitionDelay: time.Second})
}

// ecsFleetFingerprint is a stable text summary of a fleet for comparisons.
func ecsFleetFingerprint(st *store) string {
	var lines []string
	for _, in := range st.instances {
		lines = append(lines, fmt.Sprintf("%s %s %s %s %s %s %s %v %s", in.ID, in.Name, in.ZoneID, in.InstanceType, in.Status,
			in.PrivateIP, in.PublicIP, in.Health, fmtMinute(in.CreationTime)))
	}
	for _, d := range st.disks {
		lines = append(lines, fmt.Sprintf("%s %s %d %s", d.ID, d.InstanceID, d.SizeGiB, d.AutoSnapshotPolicyID))
	}
	for _, s := range st.snapshots {
		lines = append(lines, s.ID+" "+s.SourceDiskID)
	}
	for k := range st.images {
		lines = append(lines, k)
	}
	for k, sg := range st.securityGroups {
		lines = append(lines, k+" "+sg.Name)
	}
	for k, kp := range st.keyPairs {
		lines = append(lines, k+" "+kp.FingerPrint)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func TestFleetDeterministic(t *testing.T) {
	a := ecsFleetFingerprint(ecsTestStore(7, 200))
	b := ecsFleetFingerprint(ecsTestStore(7, 200))
	if a != b {
		t.Fatal("same seed gave different fleets")
	}
	if c := ecsFleetFingerprint(ecsTestStore(8, 200)); c == a {
		t.Fatal("different seeds gave the same fleet")
	}
}

func TestFleetShape(t *testing.T) {
	st := ecsTestStore(1, DefaultFleetSize)
	if len(st.instances) != DefaultFleetSize {
		t.Fatalf("instances = %d, want %d", len(st.instances), DefaultFleetSize)
	}
	if len(st.regions) != 7 || st.regions[0].ID != "cn-hangzhou" || st.regions[0].Endpoint != "ecs-cn-hangzhou.aliyuncs.com" {
		t.Fatalf("regions: %+v", st.regions[0])
	}
	perRegion := map[string]int{}
	names := map[string]bool{}
	idRE := regexp.MustCompile(`^i-(bp1|uf6|2ze|wz9|t4n|gw8|rj9)[a-z0-9]{17}$`)
	stopped, public, windows := 0, 0, 0
	for _, in := range st.instances {
		perRegion[in.RegionID]++
		if !idRE.MatchString(in.ID) {
			t.Errorf("bad instance id %q", in.ID)
		}
		if r := st.region(in.RegionID); !strings.HasPrefix(in.ID, "i-"+r.idPrefix) {
			t.Errorf("%s: id prefix does not match region %s", in.ID, in.RegionID)
		}
		if names[in.Name] {
			t.Errorf("duplicate name %q", in.Name)
		}
		names[in.Name] = true
		if in.Status == "Stopped" {
			stopped++
			if in.StoppedMode != "KeepCharging" && in.StoppedMode != "StopCharging" {
				t.Errorf("%s: stopped mode %q", in.ID, in.StoppedMode)
			}
			if in.AgentStatus != "stopped" {
				t.Errorf("%s: stopped instance agent %q", in.ID, in.AgentStatus)
			}
		}
		if in.PublicIP != "" {
			public++
		}
		if in.OSType == "windows" {
			windows++
		}
		if in.InstanceChargeType == "PrePaid" && !in.ExpiredTime.After(ecsTestNow) {
			t.Errorf("%s: prepaid without future expiry", in.ID)
		}
		if age := ecsTestNow.Sub(in.CreationTime); age < 0 || age > 401*24*time.Hour {
			t.Errorf("%s: created %v ago", in.ID, age)
		}
		var sys *disk
		for _, d := range st.disks {
			if d.InstanceID == in.ID && d.Type == "system" {
				sys = d
			}
		}
		if sys == nil || sys.Device != "/dev/xvda" || sys.PartitionGiB != sys.SizeGiB || sys.Status != "In_use" {
			t.Errorf("%s: system disk %+v", in.ID, sys)
		}
		if in.MemoryMiB < 1024 || in.CPU < 1 {
			t.Errorf("%s: cpu %d mem %d", in.ID, in.CPU, in.MemoryMiB)
		}
	}
	for _, r := range st.regions {
		if perRegion[r.ID] == 0 {
			t.Errorf("region %s has no instances", r.ID)
		}
		if len(st.zones[r.ID]) < 2 {
			t.Errorf("region %s has %d zones", r.ID, len(st.zones[r.ID]))
		}
	}
	if perRegion["cn-hangzhou"] < perRegion["cn-beijing"] {
		t.Errorf("distribution not weighted to hangzhou: %v", perRegion)
	}
	if stopped == 0 || stopped > DefaultFleetSize/3 {
		t.Errorf("stopped = %d", stopped)
	}
	if public < DefaultFleetSize/3 || public == DefaultFleetSize {
		t.Errorf("public = %d", public)
	}
	if windows < 1 || windows > 2 {
		t.Errorf("windows = %d", windows)
	}
	available := 0
	for _, d := range st.disks {
		if d.Status == "Available" {
			available++
		}
	}
	if available < len(st.regions) {
		t.Errorf("available disks = %d", available)
	}
	owners := map[string]int{}
	for _, img := range st.images {
		owners[img.OwnerAlias]++
	}
	for _, o := range []string{"system", "self", "others", "marketplace"} {
		if owners[o] == 0 {
			t.Errorf("no %s images", o)
		}
	}
	risky := map[string]bool{}
	for _, sg := range st.securityGroups {
		for _, r := range sg.Rules {
			if r.Direction == "ingress" && r.SourceCidrIP == "0.0.0.0/0" && r.Policy == "Accept" {
				risky[r.PortRange] = true
			}
		}
	}
	for _, p := range []string{"22/22", "80/80", "443/443", "3389/3389"} {
		if !risky[p] {
			t.Errorf("no group opens %s to the world", p)
		}
	}
}

func TestFleetTroubledInstances(t *testing.T) {
	for _, n := range []int{10, 11, 36, 500} {
		seeds := uint64(5)
		if n < 50 {
			seeds = 60
		}
		for seed := range seeds {
			st := ecsTestStore(seed, n)
			got := map[health]int{}
			for _, in := range st.instances {
				got[in.Health]++
				if in.Health != healthNormal && in.Health != healthIdle && (in.Status != "Running" || in.AgentStatus != "running") {
					t.Errorf("n=%d seed=%d: troubled %s is %s/%s", n, seed, in.ID, in.Status, in.AgentStatus)
				}
			}
			for _, h := range []health{healthCPUPegged, healthDiskFull, healthMemoryLeak} {
				if got[h] == 0 {
					t.Errorf("n=%d seed=%d: no %s instance (%v)", n, seed, h, got)
				}
			}
			bad := got[healthCPUPegged] + got[healthDiskFull] + got[healthMemoryLeak]
			if n >= 100 && (bad < n/20 || bad > n/5) {
				t.Errorf("n=%d: %d troubled", n, bad)
			}
		}
	}
}

func TestFleetLargeIsFast(t *testing.T) {
	start := time.Now()
	st := ecsTestStore(3, 5000)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("5000-instance fleet took %v", d)
	}
	if len(st.instances) != 5000 {
		t.Fatalf("instances = %d", len(st.instances))
	}
}
