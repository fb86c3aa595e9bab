package cloud

import (
	"fmt"
	"slices"
	"time"
)

// Patching through OOS (CloudOps Orchestration Service, 2019-06-01): each
// instance's patch state against its OS's default patch baseline, and the
// public template ACS-ECS-BulkyApplyPatchBaseline to scan for or install
// the missing patches (API notes addendum §1-§2).

// PatchTemplate is the public OOS template PlanPatch runs.
const PatchTemplate = "ACS-ECS-BulkyApplyPatchBaseline"

// Patch actions of a PatchRun.
const (
	PatchScan    = "scan"
	PatchInstall = "install"
)

// Patch statuses (Patch.Status, and the status filter of Patches).
const (
	PatchMissing       = "Missing"
	PatchInstalled     = "Installed"
	PatchPendingReboot = "InstalledPendingReboot"
	PatchFailed        = "Failed"
)

// Execution statuses. Started, Queued, Running and Waiting (for an
// approval: PlanPatch asks for none) are not finished; Success, Failed and
// Cancelled are.
const (
	ExecutionStarted   = "Started"
	ExecutionQueued    = "Queued"
	ExecutionRunning   = "Running"
	ExecutionWaiting   = "Waiting"
	ExecutionSuccess   = "Success"
	ExecutionFailed    = "Failed"
	ExecutionCancelled = "Cancelled"
	// ExecutionSkipped is an ExecutionInstance's status when the execution
	// ended before its turn (too many failures, or cancelled).
	ExecutionSkipped = "Skipped"
)

// DefaultPatchConcurrency is how many instances a PatchRun works on at
// once when Concurrency is 0 (the template's default).
const DefaultPatchConcurrency = 10

// MaxPatchConcurrency bounds PatchRun.Concurrency.
const MaxPatchConcurrency = 100

// PatchState is an instance's patch state as of its last scan or install
// (ListInstancePatchStates). An instance never scanned has none.
type PatchState struct {
	InstanceID    string
	Installed     int // baseline patches installed (InstalledCount)
	Missing       int
	Failed        int
	PendingReboot int       // installed, effective after a restart
	LastScan      time.Time // end of the last scan or install (OperationEndTime)
	Baseline      string    // the patch baseline's id
}

// Patch is one patch of an instance's baseline (ListInstancePatches).
type Patch struct {
	ID             string // the service's KBId: "KB5039227" on Windows, a package-version such as "openssl-3.0.2-0ubuntu1.15" on Linux
	Title          string
	Severity       string // Critical, Important, Moderate, Low, ...
	Classification string // e.g. SecurityUpdates, Security, Bugfix
	Status         string // Missing, Installed, InstalledPendingReboot, Failed, ...
	KB             string // the Windows KB number ("KB5039227"); "" for Linux packages
	InstalledAt    time.Time
}

// PatchRun is a scan or an install on instances of one region.
type PatchRun struct {
	Action      string // PatchScan or PatchInstall
	InstanceIDs []string
	Reboot      bool // install only: restart the instances whose patches need it (rebootIfNeed)
	Concurrency int  // instances at once: 0 = DefaultPatchConcurrency, else 1..MaxPatchConcurrency
}

// Validate checks the run before any call: the action, the instances (at
// least one, none empty or twice), Reboot only with an install, the
// concurrency's range.
func (r PatchRun) Validate() error {
	if r.Action != PatchScan && r.Action != PatchInstall {
		return &ValidationError{Field: "action", Rule: fmt.Sprintf("%q: want %s or %s", r.Action, PatchScan, PatchInstall)}
	}
	if err := ValidateInstanceIDs(r.InstanceIDs); err != nil {
		return err
	}
	if r.Reboot && r.Action != PatchInstall {
		return &ValidationError{Field: "reboot", Rule: "a scan changes nothing: reboot applies to an install only"}
	}
	if r.Concurrency < 0 || r.Concurrency > MaxPatchConcurrency {
		return &ValidationError{Field: "concurrency", Rule: fmt.Sprintf("%d: want 1 to %d instances at once (0 for %d)", r.Concurrency, MaxPatchConcurrency, DefaultPatchConcurrency)}
	}
	return nil
}

func (r PatchRun) concurrency() int {
	if r.Concurrency == 0 {
		return DefaultPatchConcurrency
	}
	return r.Concurrency
}

// Execution is an OOS execution and its outcome per instance.
type Execution struct {
	ID            string
	Status        string // see the Execution* constants
	StatusMessage string
	Started       time.Time
	Ended         time.Time // zero while it runs
	Instances     []ExecutionInstance
}

// ExecutionInstance is one target instance's run within an execution.
type ExecutionInstance struct {
	InstanceID string
	Status     string // Queued (not begun), Running, Success, Failed, Cancelled, Skipped
	Message    string // why it failed, or what it found/did
}

// Done reports whether the execution is finished.
func (e Execution) Done() bool {
	return slices.Contains([]string{ExecutionSuccess, ExecutionFailed, ExecutionCancelled}, e.Status)
}

// OK reports whether it finished with every instance's run succeeding.
func (e Execution) OK() bool { return e.Status == ExecutionSuccess }

// Progress is a one-line summary for the activity list, e.g.
// "Running: 2/5 instances done, 1 failed".
func (e Execution) Progress() string {
	done, failed := 0, 0
	for _, in := range e.Instances {
		switch in.Status {
		case ExecutionSuccess, ExecutionCancelled, ExecutionSkipped:
			done++
		case ExecutionFailed:
			done++
			failed++
		}
	}
	s := fmt.Sprintf("%s: %d/%d instances done", e.Status, done, len(e.Instances))
	if failed > 0 {
		s += fmt.Sprintf(", %d failed", failed)
	}
	return s
}
