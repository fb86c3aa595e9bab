package emulator

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"
)

// Patch inventories (OOS ListInstancePatchStates / ListInstancePatches).
// Every instance has one, made the first time it is asked for from the
// seed and the instance id alone, so the same seed gives the same fleet
// state whatever was asked before: which patches of its OS's catalogue are
// installed, missing or failed, and when it was last scanned. Instances
// created after the emulator started (RunInstances) and a few seeded ones
// have never been scanned: they have no patch state until a scan or an
// install.

// Patch statuses (ListInstancePatches Status).
const (
	patchInstalled     = "Installed"
	patchPendingReboot = "InstalledPendingReboot"
	patchMissing       = "Missing"
	patchFailed        = "Failed"
)

// patchSpec is one patch of an OS's catalogue.
type patchSpec struct {
	KBId, Title, Classification, Severity string
	Reboot                                bool   // installing it needs a restart
	Broken                                string // when not "": every install of it fails, with this reason
}

// patchCatalogue is what the default patch baseline of each OS family
// approves. Linux ids are package-version strings (the fix's package, its
// CVE in the title); Windows ids are KB numbers.
var patchCatalogue = map[string][]patchSpec{
	"windows": {
		{"KB5039227", "2024-06 Cumulative Update for Microsoft server operating system version 21H2 for x64-based Systems (KB5039227)", "SecurityUpdates", "Critical", true, ""},
		{"KB5037782", "2024-05 Cumulative Update for Microsoft server operating system version 21H2 for x64-based Systems (KB5037782)", "SecurityUpdates", "Critical", true, ""},
		{"KB5036909", "2024-04 Cumulative Update for Microsoft server operating system version 21H2 for x64-based Systems (KB5036909)", "SecurityUpdates", "Critical", true, ""},
		{"KB5034439", "2024-01 Security Update for Windows Server 2022 for x64-based Systems (KB5034439)", "SecurityUpdates", "Important", true, "0x80070643: the recovery partition is too small for the WinRE image"},
		{"KB5037930", "2024-05 Cumulative Update for .NET Framework 3.5, 4.8 and 4.8.1 for Microsoft server operating system version 21H2 for x64 (KB5037930)", "SecurityUpdates", "Important", false, ""},
		{"KB5036620", "2024-04 Servicing Stack Update for Microsoft server operating system version 21H2 for x64-based Systems (KB5036620)", "CriticalUpdates", "Important", false, ""},
		{"KB890830", "Windows Malicious Software Removal Tool x64 - v5.124 (KB890830)", "UpdateRollups", "Moderate", false, ""},
		{"KB2267602", "Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.411.410.0)", "DefinitionUpdates", "Low", false, ""},
	},
	"ubuntu2204": {
		{"openssh-server-1:8.9p1-3ubuntu0.10", "openssh-server 1:8.9p1-3ubuntu0.10: CVE-2024-6387 remote code execution in sshd (regreSSHion)", "Security", "Critical", false, ""},
		{"libc6-2.35-0ubuntu3.7", "libc6 2.35-0ubuntu3.7: CVE-2024-2961 out-of-bounds write in iconv", "Security", "Important", false, ""},
		{"linux-image-5.15.0-105-generic", "linux-image-5.15.0-105-generic 5.15.0-105.115: kernel security update (CVE-2024-26581)", "Security", "Important", true, ""},
		{"openssl-3.0.2-0ubuntu1.15", "openssl 3.0.2-0ubuntu1.15: CVE-2024-0727 NULL dereference on malformed PKCS12 files", "Security", "Moderate", false, ""},
		{"curl-7.81.0-1ubuntu1.16", "curl 7.81.0-1ubuntu1.16: CVE-2024-2398 HTTP/2 push headers memory leak", "Security", "Moderate", false, ""},
		{"vim-2:8.2.3995-1ubuntu2.16", "vim 2:8.2.3995-1ubuntu2.16: CVE-2023-48231 use-after-free", "Security", "Low", false, "dpkg: dependency problems prevent configuration of vim"},
		{"tzdata-2024a-0ubuntu0.22.04", "tzdata 2024a-0ubuntu0.22.04: time zone data update", "Bugfix", "Low", false, ""},
	},
	"ubuntu2404": {
		{"openssh-server-1:9.6p1-3ubuntu13.3", "openssh-server 1:9.6p1-3ubuntu13.3: CVE-2024-6387 remote code execution in sshd (regreSSHion)", "Security", "Critical", false, ""},
		{"libc6-2.39-0ubuntu8.2", "libc6 2.39-0ubuntu8.2: CVE-2024-2961 out-of-bounds write in iconv", "Security", "Important", false, ""},
		{"linux-image-6.8.0-36-generic", "linux-image-6.8.0-36-generic 6.8.0-36.36: kernel security update (CVE-2024-26925)", "Security", "Important", true, ""},
		{"openssl-3.0.13-0ubuntu3.1", "openssl 3.0.13-0ubuntu3.1: CVE-2024-2511 unbounded memory growth with session handling", "Security", "Moderate", false, ""},
		{"curl-8.5.0-2ubuntu10.1", "curl 8.5.0-2ubuntu10.1: CVE-2024-2398 HTTP/2 push headers memory leak", "Security", "Moderate", false, ""},
		{"less-590-2ubuntu2.1", "less 590-2ubuntu2.1: CVE-2024-32487 command injection via LESSOPEN", "Security", "Low", false, ""},
	},
	"debian12": {
		{"openssh-server-1:9.2p1-2+deb12u3", "openssh-server 1:9.2p1-2+deb12u3: CVE-2024-6387 remote code execution in sshd (regreSSHion)", "Security", "Critical", false, ""},
		{"libc6-2.36-9+deb12u7", "libc6 2.36-9+deb12u7: CVE-2024-2961 out-of-bounds write in iconv", "Security", "Important", false, ""},
		{"linux-image-6.1.0-21-amd64", "linux-image-6.1.0-21-amd64 6.1.90-1: kernel security update (DSA-5681-1)", "Security", "Important", true, ""},
		{"openssl-3.0.13-1~deb12u1", "openssl 3.0.13-1~deb12u1: CVE-2024-0727 NULL dereference on malformed PKCS12 files", "Security", "Moderate", false, ""},
		{"curl-7.88.1-10+deb12u6", "curl 7.88.1-10+deb12u6: CVE-2024-2398 HTTP/2 push headers memory leak", "Security", "Moderate", false, "E: Sub-process /usr/bin/dpkg returned an error code (1)"},
		{"tzdata-2024a-0+deb12u1", "tzdata 2024a-0+deb12u1: time zone data update", "Bugfix", "Low", false, ""},
	},
	"centos79": {
		{"kernel-3.10.0-1160.119.1.el7", "kernel 3.10.0-1160.119.1.el7: CESA-2024:3138 kernel security update", "Security", "Important", true, ""},
		{"openssh-7.4p1-23.el7_9", "openssh 7.4p1-23.el7_9: CVE-2023-48795 prefix truncation attack (Terrapin)", "Security", "Important", false, ""},
		{"glibc-2.17-326.el7_9.3", "glibc 2.17-326.el7_9.3: CVE-2024-2961 out-of-bounds write in iconv", "Security", "Important", false, ""},
		{"sudo-1.8.23-10.el7_9.3", "sudo 1.8.23-10.el7_9.3: CVE-2023-22809 sudoedit arbitrary file write", "Security", "Important", false, ""},
		{"microcode_ctl-2.1-73.19.el7_9", "microcode_ctl 2.1-73.19.el7_9: CVE-2023-23583 Intel CPU microcode update", "Security", "Moderate", true, "Transaction check error: file /usr/share/doc/microcode_ctl conflicts"},
		{"openssl-1.0.2k-26.el7_9", "openssl 1.0.2k-26.el7_9: CVE-2023-0286 X.400 address type confusion", "Security", "Moderate", false, ""},
		{"curl-7.29.0-59.el7_9.2", "curl 7.29.0-59.el7_9.2: CVE-2023-27535 FTP connection reuse", "Security", "Low", false, ""},
	},
	"alinux3": {
		{"kernel-5.10.134-16.3.al8", "kernel 5.10.134-16.3.al8: ALINUX3-SA-2024:0057 kernel security update", "Security", "Important", true, ""},
		{"openssh-8.0p1-19.0.1.al8", "openssh 8.0p1-19.0.1.al8: CVE-2023-48795 prefix truncation attack (Terrapin)", "Security", "Important", false, ""},
		{"glibc-2.32-1.11.al8", "glibc 2.32-1.11.al8: CVE-2024-2961 out-of-bounds write in iconv", "Security", "Important", false, ""},
		{"openssl-1.1.1k-12.0.1.al8", "openssl 1.1.1k-12.0.1.al8: CVE-2023-5678 slow DH key generation", "Security", "Moderate", false, ""},
		{"python3-3.6.8-56.0.1.al8", "python3 3.6.8-56.0.1.al8: CVE-2023-27043 email address parsing", "Security", "Moderate", false, "Error: Transaction test error: file /usr/lib64/libpython3.6m.so.1.0 conflicts"},
		{"curl-7.61.1-34.0.1.al8", "curl 7.61.1-34.0.1.al8: CVE-2023-38546 cookie injection", "Security", "Low", false, ""},
	},
}

// baselineFamily maps an OS family key to its catalogue and default patch
// baseline.
func baselineFamily(osKey string) string {
	switch osKey {
	case "win2022":
		return "windows"
	case "alinux3", "alinux3arm":
		return "alinux3"
	case "ubuntu2204", "ubuntu2404", "debian12", "centos79":
		return osKey
	}
	return "alinux3"
}

// baselineID is the id of a family's default (public) patch baseline: the
// same in every account, so it does not depend on the seed.
func baselineID(family string) string {
	return fmt.Sprintf("pbl-%016x", hashKey(0, "oos-default-baseline", family))
}

// instancePatch is one patch's state on one instance.
type instancePatch struct {
	spec        *patchSpec
	Status      string
	InstalledAt time.Time
	transient   bool // Failed once, will install on the next try
}

// patchInventory is one instance's patch state.
type patchInventory struct {
	family         string
	baseline       string
	patches        []*instancePatch
	installedOther int // installed outside the baseline (InstalledOtherCount)
	scanned        bool
	opType         string // Scan, Install
	opStart, opEnd time.Time
}

// inventory returns an instance's patch inventory, making it on first use.
func (o *oosState) inventory(in *instance) *patchInventory {
	if inv := o.inventories[in.ID]; inv != nil {
		return inv
	}
	inv := o.seedInventory(in)
	o.inventories[in.ID] = inv
	return inv
}

// seedInventory draws an instance's inventory: a quarter fully patched,
// half a few patches behind, some far behind (a Critical one missing), one
// in ten with failed patches; one in twelve never scanned. Patches
// installed before a scan may still wait for a reboot.
func (o *oosState) seedInventory(in *instance) *patchInventory {
	h := hashKey(o.st.seed, "oos-patches", in.ID)
	rng := rand.New(rand.NewPCG(h, h^0x9e3779b97f4a7c15))
	family := baselineFamily(instanceOS(o.st, in).key)
	inv := &patchInventory{family: family, baseline: baselineID(family)}
	specs := patchCatalogue[family]
	profile := rng.Float64()
	missingP := 0.0
	switch {
	case profile < 0.25: // current
	case profile < 0.75:
		missingP = 0.35
	case profile < 0.9:
		missingP = 0.75
	default:
		missingP = 0.35
	}
	failed := profile >= 0.9
	lastScan := o.origin.Add(-time.Duration(1+rng.IntN(72*60)) * time.Minute).Truncate(time.Second)
	for i := range specs {
		sp := &specs[i]
		p := &instancePatch{spec: sp, Status: patchInstalled}
		switch {
		case failed && sp.Broken != "":
			p.Status = patchFailed
		case failed && rng.Float64() < 0.25:
			p.Status, p.transient = patchFailed, true
		case missingP > 0.5 && sp.Severity == "Critical":
			p.Status = patchMissing
		case rng.Float64() < missingP:
			p.Status = patchMissing
		}
		if p.Status == patchInstalled {
			p.InstalledAt = lastScan.Add(-time.Duration(1+rng.IntN(120*24)) * time.Hour)
		}
		inv.patches = append(inv.patches, p)
	}
	if failed && !slices.ContainsFunc(inv.patches, func(p *instancePatch) bool { return p.Status == patchFailed }) {
		p := inv.patches[len(inv.patches)-1]
		p.Status, p.InstalledAt, p.transient = patchFailed, time.Time{}, true
	}
	if profile >= 0.25 && rng.Float64() < 0.3 {
		// Installed by the last install, which did not reboot.
		for _, p := range inv.patches {
			if p.spec.Reboot && p.Status == patchInstalled {
				p.Status, p.InstalledAt = patchPendingReboot, lastScan.Add(-10*time.Minute)
				break
			}
		}
	}
	inv.installedOther = rng.IntN(6)
	inv.scanned = rng.Float64() >= 1.0/12 && !in.CreationTime.After(o.origin)
	if inv.scanned {
		inv.opType = "Scan"
		inv.opEnd = lastScan
		inv.opStart = lastScan.Add(-time.Duration(20+rng.IntN(100)) * time.Second)
	}
	return inv
}

// counts are the inventory's numbers by status.
func (inv *patchInventory) counts() (installed, pendingReboot, missing, failed int) {
	for _, p := range inv.patches {
		switch p.Status {
		case patchInstalled:
			installed++
		case patchPendingReboot:
			pendingReboot++
		case patchMissing:
			missing++
		case patchFailed:
			failed++
		}
	}
	return
}

// scan records a scan that ended at end: patches waiting for a reboot are
// installed when the instance has booted since they were.
func (inv *patchInventory) scan(in *instance, start, end time.Time) {
	for _, p := range inv.patches {
		if p.Status == patchPendingReboot && in.BootedAt.After(p.InstalledAt) {
			p.Status = patchInstalled
		}
	}
	inv.scanned, inv.opType, inv.opStart, inv.opEnd = true, "Scan", start, end
}

// install installs every Missing patch and retries every Failed one, at t:
// a patch that needs a restart waits for it (InstalledPendingReboot); a
// broken one fails again. It returns the patches that failed.
func (inv *patchInventory) install(t time.Time) (failed []*instancePatch) {
	for _, p := range inv.patches {
		switch {
		case p.Status == patchMissing, p.Status == patchFailed && p.transient:
			p.Status, p.InstalledAt, p.transient = patchInstalled, t, false
			if p.spec.Reboot {
				p.Status = patchPendingReboot
			}
		case p.Status == patchFailed:
			failed = append(failed, p)
		}
	}
	return failed
}

// needsReboot reports whether an install now would leave patches waiting
// for a restart.
func (inv *patchInventory) needsReboot() bool {
	for _, p := range inv.patches {
		switch {
		case p.Status == patchPendingReboot:
			return true
		case p.spec.Reboot && (p.Status == patchMissing || p.Status == patchFailed && p.transient):
			return true
		}
	}
	return false
}

// rebooted installs the patches waiting for the restart that ended at t.
func (inv *patchInventory) rebooted(t time.Time) {
	for _, p := range inv.patches {
		if p.Status == patchPendingReboot && !p.InstalledAt.After(t) {
			p.Status = patchInstalled
		}
	}
}

type instancePatchStateJSON struct {
	InstanceId                  string `json:"InstanceId"`
	BaselineId                  string `json:"BaselineId"`
	PatchGroup                  string `json:"PatchGroup"`
	OwnerInformation            string `json:"OwnerInformation"`
	OperationType               string `json:"OperationType"`
	OperationStartTime          string `json:"OperationStartTime"`
	OperationEndTime            string `json:"OperationEndTime"`
	InstalledCount              int    `json:"InstalledCount"`
	InstalledOtherCount         int    `json:"InstalledOtherCount"`
	InstalledPendingRebootCount int    `json:"InstalledPendingRebootCount"`
	InstalledRejectedCount      int    `json:"InstalledRejectedCount"`
	MissingCount                int    `json:"MissingCount"`
	FailedCount                 int    `json:"FailedCount"`
}

// ListInstancePatchStates: RegionId, InstanceIds (a JSON array of at most
// 100 ids; absent: every instance of the region with a state), MaxResults,
// NextToken. Unknown ids and instances never scanned are left out, not an
// error (notes §1: unknown ids in List APIs give an empty list).
func (o *oosState) listInstancePatchStates(r *request) (any, error) {
	st := o.st
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	ids, err := oosList(r, "InstanceIds")
	if err != nil {
		return nil, err
	}
	if len(ids) > 100 {
		return nil, errInvalidParam("InstanceIds", "at most 100 values")
	}
	var list []*instance
	if ids == nil {
		for _, in := range st.instances {
			if in.RegionID == rg.ID {
				list = append(list, in)
			}
		}
	} else {
		for _, id := range ids {
			if in := st.instances[id]; in != nil && in.RegionID == rg.ID && !slices.Contains(list, in) {
				list = append(list, in)
			}
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	var states []instancePatchStateJSON
	for _, in := range list {
		inv := o.inventory(in)
		if !inv.scanned {
			continue
		}
		installed, pending, missing, failed := inv.counts()
		states = append(states, instancePatchStateJSON{
			InstanceId: in.ID, BaselineId: inv.baseline,
			OperationType: inv.opType, OperationStartTime: fmtSecond(inv.opStart), OperationEndTime: fmtSecond(inv.opEnd),
			InstalledCount: installed, InstalledOtherCount: inv.installedOther, InstalledPendingRebootCount: pending,
			MissingCount: missing, FailedCount: failed,
		})
	}
	page, next, maxResults, err := oosPage(r, pagingOOSPatches, states)
	if err != nil {
		return nil, err
	}
	return map[string]any{"InstancePatchStates": page, "NextToken": next, "MaxResults": maxResults}, nil
}

type patchJSON struct {
	Title          string `json:"Title"`
	KBId           string `json:"KBId"`
	Classification string `json:"Classification"`
	Severity       string `json:"Severity"`
	Status         string `json:"Status"`
	InstalledTime  string `json:"InstalledTime"`
}

// ListInstancePatches: RegionId, InstanceId, PatchStatuses (a JSON array,
// a comma list or one status), MaxResults, NextToken. Patches come most
// severe first. An unknown or never scanned instance has none.
func (o *oosState) listInstancePatches(r *request) (any, error) {
	st := o.st
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	id, err := r.required("InstanceId")
	if err != nil {
		return nil, err
	}
	statuses, err := oosList(r, "PatchStatuses")
	if err != nil {
		return nil, err
	}
	var patches []patchJSON
	if in := st.instances[id]; in != nil && in.RegionID == rg.ID {
		if inv := o.inventory(in); inv.scanned {
			for _, p := range inv.patches {
				if len(statuses) > 0 && !slices.ContainsFunc(statuses, func(s string) bool { return strings.EqualFold(s, p.Status) }) {
					continue
				}
				patches = append(patches, patchJSON{
					Title: p.spec.Title, KBId: p.spec.KBId, Classification: p.spec.Classification,
					Severity: p.spec.Severity, Status: p.Status, InstalledTime: fmtSecond(p.InstalledAt),
				})
			}
		}
	}
	sort.SliceStable(patches, func(i, j int) bool { return severityRank(patches[i].Severity) < severityRank(patches[j].Severity) })
	page, next, maxResults, err := oosPage(r, pagingOOSPatches, patches)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Patches": page, "NextToken": next, "MaxResults": maxResults}, nil
}

func severityRank(s string) int {
	switch s {
	case "Critical":
		return 0
	case "Important":
		return 1
	case "Moderate":
		return 2
	case "Low":
		return 3
	}
	return 4
}
