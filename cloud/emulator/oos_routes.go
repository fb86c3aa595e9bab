package emulator

import (
	"encoding/json"
	"strings"
	"time"
)

// VersionOOS is the CloudOps Orchestration Service (OOS) API version the
// emulator serves: the patching part of it (ECS patch baselines through
// the public template ACS-ECS-BulkyApplyPatchBaseline).
const VersionOOS = "2019-06-01"

// OOS (API notes addendum §1-§2). The wire is the ECS one (RPC, V1/V3
// signatures, POST with every parameter in the query); the differences
// that matter to the SDK are in the bodies: every list is a bare JSON
// array (never {"Execution":[...]}), lists page with MaxResults + NextToken,
// times are ISO-8601 seconds in UTC.
//
// What the real service does that no source confirms, and what the
// emulator assumes (the notes' §5):
//   - error codes: an unknown TemplateName (or TemplateVersion) is 404
//     EntityNotExists.Template (the code is in the Terraform provider; the
//     status is assumed); an unknown ExecutionId for Cancel/NotifyExecution
//     is 404 EntityNotExists.Execution (by analogy); a Parameters value the
//     template refuses is 400 InvalidParameter naming the key;
//   - an execution is Started while its first task (getInstance) selects
//     the targets (half a transition delay), then Running, and Success or
//     Failed when every instance is done (Failed when more instances failed
//     than rateControl.MaxErrors allows: default 0). With SafetyCheck
//     ConfirmEveryHighRiskAction (the API's default) an install waits
//     (Waiting, WaitingStatus "WaitingForApproval") for NotifyExecution
//     Approve before it changes anything; scans and SafetyCheck=Skip run at
//     once. Queued is never reported: the account has no execution quota;
//   - per instance (a child task execution of applyPatchBaseline with
//     LoopItem = the instance id): a scan lasts one transition delay; an
//     install one delay, then, when rebootIfNeed and a patch needs it, a
//     reboot that really moves the instance Stopping -> Starting -> Running
//     (one delay each); an instance not Running when its turn comes fails
//     (InstanceNotRunning), as Cloud Assistant would;
//   - patch states: Installed, InstalledPendingReboot, Missing, Failed;
//     OperationType Scan / Install; Severity Critical / Important /
//     Moderate / Low; a Failed patch is retried by every install: some
//     succeed on the retry, some (a broken package, Windows' KB5034439
//     0x80070643) fail every time;
//   - Counters keys: Total, Success, Failed, Running, Waiting, Cancelled,
//     Skipped (per target instance).

// oosState is the account's OOS side: patch inventories (made lazily per
// instance, deterministic from the seed) and executions. The store's mutex
// guards it (the server holds it for every handler and transition).
type oosState struct {
	st          *store
	origin      time.Time // the emulator's start: seeded scans happened before it
	inventories map[string]*patchInventory
	executions  map[string]*oosExecution
}

// oosRoutes maps OOS (2019-06-01) actions to handlers.
func (s *Server) oosRoutes() map[string]handler {
	o := &oosState{
		st:          s.store,
		origin:      s.opts.Now().UTC(),
		inventories: map[string]*patchInventory{},
		executions:  map[string]*oosExecution{},
	}
	return map[string]handler{
		"ListInstancePatchStates": o.listInstancePatchStates,
		"ListInstancePatches":     o.listInstancePatches,
		"StartExecution":          o.startExecution,
		"ListExecutions":          o.listExecutions,
		"ListTaskExecutions":      o.listTaskExecutions,
		"CancelExecution":         o.cancelExecution,
		"NotifyExecution":         o.notifyExecution,
	}
}

// Paging of the OOS lists (MaxResults + NextToken). ListExecutions takes
// 10-100 and ListTaskExecutions 20-100 (META); the patch lists' bounds are
// not documented: 10-100 is assumed.
var (
	pagingOOSExecutions = pageLimits{maxResultsDefault: 50, maxResultsMin: 10, maxResultsMax: 100}
	pagingOOSTasks      = pageLimits{maxResultsDefault: 50, maxResultsMin: 20, maxResultsMax: 100}
	pagingOOSPatches    = pageLimits{maxResultsDefault: 50, maxResultsMin: 10, maxResultsMax: 100}
)

// oosParam is a parameter the SDK may send as JSON: its Json-typed fields
// are marshalled even when unset, as the literal null, which means "not
// given" (notes §1).
func oosParam(r *request, name string) string {
	v := strings.TrimSpace(r.str(name))
	if v == "null" {
		return ""
	}
	return v
}

// oosList reads a parameter holding a list of strings: a JSON array
// (`["Missing","Failed"]`, as the SDK users send it), or a comma-separated
// list, or one value.
func oosList(r *request, name string) ([]string, error) {
	v := oosParam(r, name)
	if v == "" {
		return nil, nil
	}
	if strings.HasPrefix(v, "[") {
		var list []string
		if err := json.Unmarshal([]byte(v), &list); err != nil {
			return nil, errInvalidParam(name, "must be a JSON array of strings")
		}
		return list, nil
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

// oosPage answers one page of a list: the items, and NextToken/MaxResults.
func oosPage[T any](r *request, l pageLimits, items []T) (page []T, next string, maxResults int, err error) {
	p, err := r.pager(l)
	if err != nil {
		return nil, "", 0, err
	}
	page, next = pageOf(items, p)
	if page == nil {
		page = []T{} // a bare [] rather than null
	}
	return page, next, p.limit, nil
}

// at schedules apply at an absolute time of the emulated clock. OOS
// timelines are planned when an execution starts, so each step happens at
// its own time however lazily the store settles (st.after counts from the
// moment a transition is applied).
func (o *oosState) at(t time.Time, apply func()) {
	o.st.pending = append(o.st.pending, transition{at: t, apply: apply})
}
