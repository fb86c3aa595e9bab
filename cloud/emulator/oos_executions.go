package emulator

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// OOS executions of the public template ACS-ECS-BulkyApplyPatchBaseline
// (notes addendum §2): StartExecution, ListExecutions, ListTaskExecutions,
// CancelExecution, NotifyExecution. An execution has two tasks,
// getInstance (ACS::SelectTargets) and applyPatchBaseline
// (ACS::ECS::ApplyPatchBaseline, a loop over the instances in batches of
// rateControl.Concurrency), and one child task execution per instance.
// Its whole timeline is planned when it starts (or is approved), each step
// at its own time on the emulated clock; see oos_routes.go for what is
// assumed.

const (
	patchTemplateName    = "ACS-ECS-BulkyApplyPatchBaseline"
	patchTemplateID      = "t-94ac7ac5f5c44e0b8d3e"
	patchTemplateVersion = "v12"
	taskSelect           = "getInstance"
	taskSelectAction     = "ACS::SelectTargets"
	taskApply            = "applyPatchBaseline"
	taskApplyAction      = "ACS::ECS::ApplyPatchBaseline"
)

// Execution statuses.
const (
	execStarted   = "Started"
	execRunning   = "Running"
	execWaiting   = "Waiting"
	execSuccess   = "Success"
	execFailed    = "Failed"
	execCancelled = "Cancelled"
)

type oosExecution struct {
	ID, RegionID                       string
	Mode, LoopMode, SafetyCheck        string
	Description, ResourceGroupID       string
	Params                             map[string]any // effective parameters (defaults filled)
	Tags                               map[string]any
	Status, StatusMessage, WaitingNote string
	Created, Started, Ended, Updated   time.Time

	action      string // scan, install
	reboot      bool
	concurrency int
	maxErrors   int
	targets     []string

	selectTask *oosTask
	applyTask  *oosTask
	items      []*oosItem
	stopped    bool // no more batches start (cancelled, or too many errors)
	outputs    []string
}

// oosTask is a task execution (a child one has LoopItem).
type oosTask struct {
	ID, Name, Action, ParentID string
	LoopItem                   string
	Batch                      int
	Status, StatusMessage      string
	Outputs                    string
	Start, End, Updated        time.Time
}

// oosItem is one target instance's run.
type oosItem struct {
	instanceID string
	task       *oosTask // nil until its batch starts
	rebooting  bool     // this run moved the instance into a reboot
	failures   string   // patches that failed, for the message
}

func (ex *oosExecution) finished() bool {
	return ex.Status == execSuccess || ex.Status == execFailed || ex.Status == execCancelled
}

// patchRun is StartExecution's Parameters for the patch template.
type patchRun struct {
	params      map[string]any
	action      string
	reboot      bool
	concurrency int
	maxErrors   int
	targets     []string
}

// patchTemplateParams are the template's parameters (both stored versions
// plus the two the live template is seen with).
var patchTemplateParams = []string{"regionId", "resourceType", "targets", "action", "rebootIfNeed", "rateControl", "OOSAssumeRole", "timeout", "whetherCreateSnapshot", "retentionDays"}

// parsePatchParams validates Parameters against the template and resolves
// the targets in region rg.
func (o *oosState) parsePatchParams(raw, regionID string) (*patchRun, error) {
	bad := func(format string, args ...any) error {
		return errInvalidParam("Parameters", fmt.Sprintf(format, args...))
	}
	if strings.TrimSpace(raw) == "" || raw == "null" {
		raw = "{}"
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil || m == nil {
		return nil, bad("must be a JSON object")
	}
	for k := range m {
		if !slices.Contains(patchTemplateParams, k) {
			return nil, bad("the template %s has no parameter %q", patchTemplateName, k)
		}
	}
	run := &patchRun{params: map[string]any{}, action: "install", concurrency: 10}
	for k, v := range m {
		run.params[k] = v
	}
	if v, ok := m["regionId"]; ok {
		if s, _ := v.(string); s != regionID && s != "{{ ACS::RegionId }}" {
			return nil, bad("regionId %v is not the region of the call (%s)", v, regionID)
		}
	}
	run.params["regionId"] = regionID
	if v, ok := m["resourceType"]; ok && v != "ALIYUN::ECS::Instance" {
		return nil, bad("resourceType %v: only ALIYUN::ECS::Instance is supported", v)
	}
	run.params["resourceType"] = "ALIYUN::ECS::Instance"
	if v, ok := m["action"]; ok {
		s, _ := v.(string)
		if s != "install" && s != "scan" {
			return nil, bad("action %v: want install or scan", v)
		}
		run.action = s
	}
	run.params["action"] = run.action
	if v, ok := m["rebootIfNeed"]; ok {
		b, ok := jsonBool(v)
		if !ok {
			return nil, bad("rebootIfNeed %v: want true or false", v)
		}
		run.reboot = b
	}
	run.params["rebootIfNeed"] = run.reboot
	rc := map[string]any{"Mode": "Concurrency", "MaxErrors": 0, "Concurrency": 10}
	if v, ok := m["rateControl"]; ok {
		if s, isString := v.(string); isString { // a Json parameter may come as a string
			var obj map[string]any
			if json.Unmarshal([]byte(s), &obj) != nil {
				return nil, bad("rateControl must be a JSON object")
			}
			v = obj
		}
		obj, isObj := v.(map[string]any)
		if !isObj {
			return nil, bad("rateControl must be a JSON object")
		}
		for k, x := range obj {
			rc[k] = x
		}
		if rc["Mode"] != "Concurrency" {
			return nil, bad("rateControl.Mode %v: only Concurrency is supported", rc["Mode"])
		}
	}
	run.params["rateControl"] = rc
	targets, err := o.resolveTargets(m["targets"], regionID)
	if err != nil {
		return nil, err
	}
	run.targets = targets
	if run.concurrency, err = countOrPercent(rc["Concurrency"], len(targets), 1); err != nil {
		return nil, bad("rateControl.Concurrency: %v", err)
	}
	if run.maxErrors, err = countOrPercent(rc["MaxErrors"], len(targets), 0); err != nil {
		return nil, bad("rateControl.MaxErrors: %v", err)
	}
	if v, ok := m["timeout"]; ok {
		if n, isNum := v.(float64); !isNum || n <= 0 {
			return nil, bad("timeout %v: want a positive number of seconds", v)
		}
	}
	return run, nil
}

// resolveTargets reads targets: {"Type":"ResourceIds","ResourceIds":[...]}
// or {"Type":"Tags","Tags":[{"Key","Value"}]} (instances of the region
// with every tag), as an object or a JSON string holding one.
func (o *oosState) resolveTargets(v any, regionID string) ([]string, error) {
	bad := func(format string, args ...any) error {
		return errInvalidParam("Parameters", fmt.Sprintf(format, args...))
	}
	if v == nil {
		return nil, bad("targets is required")
	}
	if s, ok := v.(string); ok {
		var obj map[string]any
		if json.Unmarshal([]byte(s), &obj) != nil {
			return nil, bad("targets must be a JSON object")
		}
		v = obj
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, bad("targets must be a JSON object")
	}
	if rid, ok := obj["RegionId"]; ok && rid != regionID {
		return nil, bad("targets.RegionId %v is not the region of the call (%s)", rid, regionID)
	}
	var ids []string
	switch obj["Type"] {
	case "ResourceIds":
		list, _ := obj["ResourceIds"].([]any)
		for _, x := range list {
			s, ok := x.(string)
			if !ok || s == "" {
				return nil, bad("targets.ResourceIds must be instance ids")
			}
			if !slices.Contains(ids, s) {
				ids = append(ids, s)
			}
		}
	case "Tags":
		tags, _ := obj["Tags"].([]any)
		var filters []tagFilter
		for _, t := range tags {
			kv, _ := t.(map[string]any)
			k, _ := kv["Key"].(string)
			val, _ := kv["Value"].(string)
			if k == "" {
				return nil, bad("targets.Tags: every tag needs a Key")
			}
			filters = append(filters, tagFilter{k, val})
		}
		if len(filters) == 0 {
			return nil, bad("targets.Tags is empty")
		}
		for _, in := range o.st.instances {
			if in.RegionID == regionID && matchTags(in.Tags, filters) {
				ids = append(ids, in.ID)
			}
		}
		sort.Strings(ids)
	default:
		return nil, bad("targets.Type %v: want ResourceIds or Tags", obj["Type"])
	}
	if len(ids) == 0 {
		return nil, bad("targets selects no instance")
	}
	return ids, nil
}

// jsonBool reads true/false, or "true"/"false".
func jsonBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		b, err := strconv.ParseBool(x)
		return b, err == nil
	}
	return false, false
}

// countOrPercent reads a count (a number or a numeric string) or "N%" of
// total, from least to 100000.
func countOrPercent(v any, total, least int) (int, error) {
	var n int
	switch x := v.(type) {
	case float64:
		if x != float64(int(x)) {
			return 0, fmt.Errorf("%v is not a whole number", x)
		}
		n = int(x)
	case string:
		if p, ok := strings.CutSuffix(x, "%"); ok {
			pc, err := strconv.Atoi(p)
			if err != nil || pc < 0 || pc > 100 {
				return 0, fmt.Errorf("%q is not a percentage", x)
			}
			n = (total*pc + 99) / 100
			break
		}
		i, err := strconv.Atoi(x)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number", x)
		}
		n = i
	case int:
		n = x
	default:
		return 0, fmt.Errorf("%v is not a number", v)
	}
	if n < least || n > 100000 {
		return 0, fmt.Errorf("%d is not between %d and 100000", n, least)
	}
	return n, nil
}

// StartExecution: RegionId, ★TemplateName (only the patch template),
// TemplateVersion, Parameters (a JSON object in a string), Mode
// (Automatic | FailurePause | Debug), LoopMode, SafetyCheck
// (ConfirmEveryHighRiskAction | Skip), Description, Tags, ResourceGroupId,
// ClientToken (the same token with the same parameters answers the first
// execution again).
func (o *oosState) startExecution(r *request) (any, error) {
	st := o.st
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	return st.idempotent(r, func() (any, error) {
		if r.has("TemplateContent") || r.has("TemplateURL") {
			return nil, errInvalidParam("TemplateContent", "the emulator runs only the public template "+patchTemplateName)
		}
		name, err := r.required("TemplateName")
		if err != nil {
			return nil, err
		}
		if name != patchTemplateName || (r.has("TemplateVersion") && r.str("TemplateVersion") != patchTemplateVersion) {
			return nil, &APIError{Status: 404, Code: "EntityNotExists.Template", Message: "The Template does not exist."}
		}
		mode := oneOf(r, "Mode", "Automatic", "FailurePause", "Debug")
		loopMode := oneOf(r, "LoopMode", "Automatic", "FirstBatchPause", "EveryBatchPause")
		safety := oneOf(r, "SafetyCheck", "ConfirmEveryHighRiskAction", "Skip")
		for _, v := range []struct{ name, value string }{{"Mode", mode}, {"LoopMode", loopMode}, {"SafetyCheck", safety}} {
			if v.value == "" {
				return nil, errInvalidParam(v.name, "not a supported value")
			}
		}
		run, err := o.parsePatchParams(r.str("Parameters"), rg.ID)
		if err != nil {
			return nil, err
		}
		tags := map[string]any{}
		if t := oosParam(r, "Tags"); t != "" {
			if json.Unmarshal([]byte(t), &tags) != nil {
				return nil, errInvalidParam("Tags", "must be a JSON object")
			}
		}
		now := st.now().UTC().Truncate(time.Second)
		ex := &oosExecution{
			ID: "exec-" + oosHex(st, "execution"), RegionID: rg.ID,
			Mode: mode, LoopMode: loopMode, SafetyCheck: safety,
			Description: r.str("Description"), ResourceGroupID: r.str("ResourceGroupId"),
			Params: run.params, Tags: tags,
			Status: execStarted, Created: now, Started: now, Updated: now,
			action: run.action, reboot: run.reboot, concurrency: run.concurrency, maxErrors: run.maxErrors, targets: run.targets,
		}
		ex.selectTask = &oosTask{ID: "task-exec-" + oosHex(st, "task"), Name: taskSelect, Action: taskSelectAction, Status: execRunning, Start: now, Updated: now}
		for _, id := range run.targets {
			ex.items = append(ex.items, &oosItem{instanceID: id})
		}
		o.executions[ex.ID] = ex
		selected := now.Add(st.delay / 2)
		o.at(selected, func() {
			if ex.finished() {
				return
			}
			ex.selectTask.Status, ex.selectTask.End, ex.selectTask.Updated = execSuccess, selected, selected
			ids, _ := json.Marshal(ex.targets)
			ex.selectTask.Outputs = fmt.Sprintf(`{"instanceIds":%s}`, ids)
			ex.applyTask = &oosTask{ID: "task-exec-" + oosHex(st, "task"), Name: taskApply, Action: taskApplyAction, Updated: selected}
			ex.Updated = selected
			if ex.action == "install" && ex.SafetyCheck != "Skip" {
				// A high-risk action: wait for NotifyExecution Approve.
				ex.Status, ex.applyTask.Status, ex.WaitingNote = execWaiting, execWaiting, "WaitingForApproval"
				return
			}
			o.runBatches(ex, selected)
		})
		return map[string]any{"Execution": o.executionJSON(ex, true)}, nil
	})
}

// oneOf returns the parameter's value, the first of values when absent,
// "" when it is not one of them.
func oneOf(r *request, name string, values ...string) string {
	v := r.str(name)
	if v == "" {
		return values[0]
	}
	if slices.Contains(values, v) {
		return v
	}
	return ""
}

// oosHex is 20 hex digits for a new id.
func oosHex(st *store, kind string) string {
	return (hexID(st, "oos-"+kind) + hexID(st, "oos-"+kind))[:20]
}

// runBatches plans the loop from t: batches of concurrency instances, one
// after another; each instance's run lasts one delay (scan, or install)
// plus, for an install that needs it with rebootIfNeed, a reboot of two
// delays (Stopping, Starting). A batch lasts as long as its longest run.
func (o *oosState) runBatches(ex *oosExecution, t time.Time) {
	st := o.st
	d := st.delay
	ex.Status, ex.WaitingNote = execRunning, ""
	ex.applyTask.Status, ex.applyTask.Start, ex.applyTask.Updated = execRunning, t, t
	start := t
	for b := 0; b*ex.concurrency < len(ex.items); b++ {
		batch := ex.items[b*ex.concurrency : min((b+1)*ex.concurrency, len(ex.items))]
		end := start.Add(d)
		for _, it := range batch {
			rebootPlanned := false
			if in := st.instances[it.instanceID]; in != nil && ex.action == "install" && ex.reboot {
				rebootPlanned = o.inventory(in).needsReboot()
			}
			o.planItem(ex, it, b+1, start, rebootPlanned)
			if rebootPlanned {
				end = start.Add(3 * d)
			}
		}
		batchEnd := end
		o.at(batchEnd, func() { o.batchDone(ex, batchEnd) })
		start = end
	}
	last := start
	o.at(last, func() { o.finish(ex, last) })
}

// planItem plans one instance's run from s.
func (o *oosState) planItem(ex *oosExecution, it *oosItem, batch int, s time.Time, rebootPlanned bool) {
	st := o.st
	d := st.delay
	o.at(s, func() {
		if ex.stopped || ex.finished() {
			return
		}
		it.task = &oosTask{
			ID: "task-exec-" + oosHex(st, "task"), Name: taskApply, Action: taskApplyAction,
			ParentID: ex.applyTask.ID, LoopItem: it.instanceID, Batch: batch, Status: execRunning, Start: s, Updated: s,
		}
		ex.Updated = s
		in := st.instances[it.instanceID]
		switch {
		case in == nil || in.RegionID != ex.RegionID:
			o.itemDone(ex, it, s, execFailed, "InvalidInstance.NotFound: the instance "+it.instanceID+" does not exist")
		case in.Status != "Running":
			o.itemDone(ex, it, s, execFailed, "InstanceNotRunning: the instance is "+in.Status+", not Running")
		}
	})
	o.at(s.Add(d), func() {
		if it.task == nil || it.task.Status != execRunning {
			return
		}
		t := s.Add(d)
		in := st.instances[it.instanceID]
		if in == nil || in.Status != "Running" {
			o.itemDone(ex, it, t, execFailed, "ExecutionInterrupted: the instance stopped while the command ran")
			return
		}
		inv := o.inventory(in)
		if ex.action == "scan" {
			inv.scan(in, s, t)
			installed, pending, missing, failed := inv.counts()
			o.itemOutput(it, fmt.Sprintf("scan finished: %d installed, %d pending reboot, %d missing, %d failed", installed, pending, missing, failed))
			o.itemDone(ex, it, t, execSuccess, "")
			return
		}
		failed := inv.install(t)
		inv.scanned, inv.opType, inv.opStart, inv.opEnd = true, "Install", s, t
		for _, p := range failed {
			it.failures += fmt.Sprintf("; %s: %s", p.spec.KBId, p.spec.Broken)
		}
		if rebootPlanned && inv.needsReboot() {
			// The restart RebootInstance makes: Running -> Stopping ->
			// Starting -> Running, one delay each (the phases are planned
			// below, at their own times).
			it.rebooting = true
			in.Status = "Stopping"
			return
		}
		o.installDone(ex, it, inv, t)
	})
	if !rebootPlanned {
		return
	}
	o.at(s.Add(2*d), func() {
		if in := st.instances[it.instanceID]; it.rebooting && in != nil && in.Status == "Stopping" {
			in.Status = "Starting"
		}
	})
	end := s.Add(3 * d)
	o.at(end, func() {
		if !it.rebooting {
			return
		}
		in := st.instances[it.instanceID]
		if in == nil {
			return
		}
		if in.Status == "Starting" {
			st.booted(in) // what every restart does (ecs_instance_ops.go)
			in.BootedAt, in.StartTime = end, end.Truncate(time.Minute)
		}
		inv := o.inventory(in)
		inv.rebooted(end)
		inv.opEnd = end
		o.installDone(ex, it, inv, end)
	})
}

// installDone ends an install run: failed patches fail it.
func (o *oosState) installDone(ex *oosExecution, it *oosItem, inv *patchInventory, t time.Time) {
	if it.task == nil || it.task.Status != execRunning {
		return
	}
	installed, pending, missing, failed := inv.counts()
	msg := fmt.Sprintf("install finished: %d installed, %d pending reboot, %d missing, %d failed", installed, pending, missing, failed)
	if it.rebooting {
		msg += "; the instance was restarted"
	}
	o.itemOutput(it, msg)
	if it.failures != "" {
		o.itemDone(ex, it, t, execFailed, "PatchInstallFailed: "+strings.TrimPrefix(it.failures, "; "))
		return
	}
	o.itemDone(ex, it, t, execSuccess, "")
}

func (o *oosState) itemOutput(it *oosItem, text string) {
	b, _ := json.Marshal(map[string]string{"commandOutput": text})
	it.task.Outputs = string(b)
}

func (o *oosState) itemDone(ex *oosExecution, it *oosItem, t time.Time, status, msg string) {
	it.task.Status, it.task.StatusMessage, it.task.End, it.task.Updated = status, msg, t, t
	ex.Updated = t
	line := it.instanceID + ": " + status
	if msg != "" {
		line += ": " + msg
	}
	ex.outputs = append(ex.outputs, line)
}

// failures counts the runs that failed so far.
func (ex *oosExecution) failures() int {
	n := 0
	for _, it := range ex.items {
		if it.task != nil && it.task.Status == execFailed {
			n++
		}
	}
	return n
}

// batchDone stops the loop once more runs failed than MaxErrors allows.
func (o *oosState) batchDone(ex *oosExecution, t time.Time) {
	if !ex.finished() && ex.failures() > ex.maxErrors {
		ex.stopped = true
	}
}

// finish settles the execution when its last batch is done.
func (o *oosState) finish(ex *oosExecution, t time.Time) {
	if ex.finished() || ex.applyTask == nil || ex.applyTask.Status != execRunning {
		return
	}
	for _, it := range ex.items {
		if it.task != nil && it.task.Status == execRunning {
			return // a reboot outlasting the plan: its end finishes the loop
		}
	}
	n := ex.failures()
	status, msg := execSuccess, ""
	if n > ex.maxErrors {
		status = execFailed
		var first string
		for _, it := range ex.items {
			if it.task != nil && it.task.Status == execFailed {
				first = it.instanceID + ": " + it.task.StatusMessage
				break
			}
		}
		msg = fmt.Sprintf("%d of %d instances failed (MaxErrors %d); first: %s", n, len(ex.items), ex.maxErrors, first)
	}
	ex.applyTask.Status, ex.applyTask.StatusMessage, ex.applyTask.End, ex.applyTask.Updated = status, msg, t, t
	out, _ := json.Marshal(map[string]any{"commandOutputs": ex.outputs})
	ex.applyTask.Outputs = string(out)
	ex.Status, ex.StatusMessage, ex.Ended, ex.Updated = status, msg, t, t
}

// counters are the per-instance counts of an execution.
func (ex *oosExecution) counters() map[string]any {
	c := map[string]int{"Total": len(ex.items), "Success": 0, "Failed": 0, "Running": 0, "Waiting": 0, "Cancelled": 0, "Skipped": 0}
	for _, it := range ex.items {
		switch {
		case it.task != nil:
			c[it.task.Status]++
		case ex.finished():
			c["Skipped"]++
		default:
			c["Waiting"]++
		}
	}
	out := map[string]any{}
	for k, v := range c {
		out[k] = v
	}
	return out
}

// executionJSON renders an execution: for StartExecution Parameters is a
// JSON string, for ListExecutions an object (notes §4).
func (o *oosState) executionJSON(ex *oosExecution, forStart bool) map[string]any {
	var params any = ex.Params
	if forStart {
		b, _ := json.Marshal(ex.Params)
		params = string(b)
	}
	outputs := "{}"
	if ex.finished() && ex.applyTask != nil && ex.applyTask.Outputs != "" {
		outputs = ex.applyTask.Outputs
	}
	current := []map[string]any{}
	for _, t := range []*oosTask{ex.selectTask, ex.applyTask} {
		if t != nil && (t.Status == execRunning || t.Status == execWaiting) {
			current = append(current, map[string]any{"TaskExecutionId": t.ID, "TaskName": t.Name, "TaskAction": t.Action})
		}
	}
	m := map[string]any{
		"ExecutionId": ex.ID, "Status": ex.Status, "StatusMessage": ex.StatusMessage,
		"TemplateName": patchTemplateName, "TemplateId": patchTemplateID, "TemplateVersion": patchTemplateVersion,
		"Mode": ex.Mode, "LoopMode": ex.LoopMode, "SafetyCheck": ex.SafetyCheck,
		"ExecutedBy": cmsUserID, "RamRole": "", "IsParent": false, "ParentExecutionId": "",
		"ResourceGroupId": ex.ResourceGroupID, "Description": ex.Description,
		"StartDate": fmtSecond(ex.Started), "EndDate": fmtSecond(ex.Ended),
		"CreateDate": fmtSecond(ex.Created), "UpdateDate": fmtSecond(ex.Updated),
		"Outputs": outputs, "Parameters": params, "Counters": ex.counters(), "Tags": ex.Tags,
		"CurrentTasks": current,
	}
	if !forStart {
		m["Category"] = "Other"
		m["WaitingStatus"] = ex.WaitingNote
		m["Targets"] = ""
		m["StatusReason"] = ex.StatusMessage
		m["ResourceStatus"] = ""
	}
	return m
}

// ListExecutions: RegionId, ExecutionId, TemplateName (substring), Status,
// Mode, ResourceId (an instance among the targets), StartDateBefore/After,
// EndDateBefore/After, SortField (StartDate | EndDate | Status), SortOrder
// (Descending default), MaxResults 10-100, NextToken. Unknown ids give an
// empty list.
func (o *oosState) listExecutions(r *request) (any, error) {
	rg, err := o.st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	bounds, err := oosDateBounds(r)
	if err != nil {
		return nil, err
	}
	var list []*oosExecution
	for _, ex := range o.executions {
		switch {
		case ex.RegionID != rg.ID,
			r.has("ExecutionId") && ex.ID != r.str("ExecutionId"),
			r.has("TemplateName") && !strings.Contains(patchTemplateName, r.str("TemplateName")),
			r.has("Status") && ex.Status != r.str("Status"),
			r.has("Mode") && ex.Mode != r.str("Mode"),
			r.has("ResourceId") && !slices.Contains(ex.targets, r.str("ResourceId")),
			!bounds.match(ex.Started, ex.Ended):
			continue
		}
		list = append(list, ex)
	}
	field := r.str("SortField")
	if field != "" && field != "StartDate" && field != "EndDate" && field != "Status" {
		return nil, errInvalidParam("SortField", "want StartDate, EndDate or Status")
	}
	desc, err := oosSortOrder(r)
	if err != nil {
		return nil, err
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if desc {
			a, b = b, a
		}
		switch field {
		case "EndDate":
			if !a.Ended.Equal(b.Ended) {
				return a.Ended.Before(b.Ended)
			}
		case "Status":
			if a.Status != b.Status {
				return a.Status < b.Status
			}
		default:
			if !a.Started.Equal(b.Started) {
				return a.Started.Before(b.Started)
			}
		}
		return a.ID < b.ID
	})
	page, next, maxResults, err := oosPage(r, pagingOOSExecutions, list)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(page))
	for _, ex := range page {
		out = append(out, o.executionJSON(ex, false))
	}
	return map[string]any{"Executions": out, "NextToken": next, "MaxResults": maxResults}, nil
}

func oosSortOrder(r *request) (desc bool, err error) {
	switch r.str("SortOrder") {
	case "", "Descending":
		return true, nil
	case "Ascending":
		return false, nil
	}
	return false, errInvalidParam("SortOrder", "want Ascending or Descending")
}

// dateBounds are the Start/EndDate Before/After filters.
type dateBounds struct{ startBefore, startAfter, endBefore, endAfter time.Time }

func oosDateBounds(r *request) (dateBounds, error) {
	var b dateBounds
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"StartDateBefore", &b.startBefore}, {"StartDateAfter", &b.startAfter}, {"EndDateBefore", &b.endBefore}, {"EndDateAfter", &b.endAfter}} {
		if v := r.str(f.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return b, errInvalidParam(f.name, "want a time such as 2019-05-16T10:26:14Z")
			}
			*f.dst = t
		}
	}
	return b, nil
}

func (b dateBounds) match(start, end time.Time) bool {
	switch {
	case !b.startBefore.IsZero() && !start.Before(b.startBefore),
		!b.startAfter.IsZero() && !start.After(b.startAfter),
		!b.endBefore.IsZero() && (end.IsZero() || !end.Before(b.endBefore)),
		!b.endAfter.IsZero() && (end.IsZero() || !end.After(b.endAfter)):
		return false
	}
	return true
}

// ListTaskExecutions: RegionId, ExecutionId, TaskExecutionId, TaskName,
// TaskAction, Status, ParentTaskExecutionId (the loop task's children),
// IncludeChildTaskExecution (children too), date filters, SortField
// (StartDate default | EndDate | Status), SortOrder, MaxResults 20-100,
// NextToken. Children have LoopItem (the instance id) and LoopBatchNumber.
func (o *oosState) listTaskExecutions(r *request) (any, error) {
	rg, err := o.st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	bounds, err := oosDateBounds(r)
	if err != nil {
		return nil, err
	}
	children, err := r.boolParam("IncludeChildTaskExecution", false)
	if err != nil {
		return nil, err
	}
	parent := r.str("ParentTaskExecutionId")
	type row struct {
		ex  *oosExecution
		t   *oosTask
		seq int
	}
	var rows []row
	for _, ex := range o.executions {
		if ex.RegionID != rg.ID || (r.has("ExecutionId") && ex.ID != r.str("ExecutionId")) {
			continue
		}
		tasks := []*oosTask{ex.selectTask, ex.applyTask}
		for _, it := range ex.items {
			tasks = append(tasks, it.task)
		}
		for i, t := range tasks {
			switch {
			case t == nil,
				parent != "" && t.ParentID != parent,
				parent == "" && t.ParentID != "" && !children,
				r.has("TaskExecutionId") && t.ID != r.str("TaskExecutionId"),
				r.has("TaskName") && t.Name != r.str("TaskName"),
				r.has("TaskAction") && t.Action != r.str("TaskAction"),
				r.has("Status") && t.Status != r.str("Status"),
				!bounds.match(t.Start, t.End):
				continue
			}
			rows = append(rows, row{ex, t, i})
		}
	}
	desc, err := oosSortOrder(r)
	if err != nil {
		return nil, err
	}
	field := r.str("SortField")
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if desc {
			a, b = b, a
		}
		switch {
		case field == "EndDate" && !a.t.End.Equal(b.t.End):
			return a.t.End.Before(b.t.End)
		case field == "Status" && a.t.Status != b.t.Status:
			return a.t.Status < b.t.Status
		case !a.t.Start.Equal(b.t.Start):
			return a.t.Start.Before(b.t.Start)
		case a.ex != b.ex:
			return a.ex.ID < b.ex.ID
		}
		return a.seq < b.seq
	})
	page, next, maxResults, err := oosPage(r, pagingOOSTasks, rows)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(page))
	for _, rw := range page {
		t := rw.t
		loop := map[string]any{}
		if t == rw.ex.applyTask {
			loop = map[string]any{"Items": len(rw.ex.items), "Concurrency": rw.ex.concurrency, "MaxErrors": rw.ex.maxErrors}
		}
		out = append(out, map[string]any{
			"TaskExecutionId": t.ID, "ExecutionId": rw.ex.ID, "TaskName": t.Name, "TaskAction": t.Action,
			"Status": t.Status, "StatusMessage": t.StatusMessage, "Outputs": oosOr(t.Outputs, "{}"), "Properties": "{}",
			"StartDate": fmtSecond(t.Start), "EndDate": fmtSecond(t.End), "CreateDate": fmtSecond(t.Start), "UpdateDate": fmtSecond(t.Updated),
			"ParentTaskExecutionId": t.ParentID, "ChildExecutionId": "", "TemplateId": patchTemplateID,
			"LoopItem": t.LoopItem, "LoopBatchNumber": t.Batch, "Loop": loop, "ExtraData": map[string]any{},
		})
	}
	return map[string]any{"TaskExecutions": out, "NextToken": next, "MaxResults": maxResults}, nil
}

func oosOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// executionOf finds ExecutionId in the request's region.
func (o *oosState) executionOf(r *request) (*oosExecution, error) {
	rg, err := o.st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	id, err := r.required("ExecutionId")
	if err != nil {
		return nil, err
	}
	ex := o.executions[id]
	if ex == nil || ex.RegionID != rg.ID {
		return nil, &APIError{Status: 404, Code: "EntityNotExists.Execution", Message: "The Execution does not exist."}
	}
	return ex, nil
}

// CancelExecution: RegionId, ★ExecutionId. Runs under way are cancelled
// (what they already changed stays; a reboot they began completes); a
// finished execution is left as it is.
func (o *oosState) cancelExecution(r *request) (any, error) {
	ex, err := o.executionOf(r)
	if err != nil {
		return nil, err
	}
	if ex.finished() {
		return map[string]any{}, nil
	}
	now := o.st.now().UTC().Truncate(time.Second)
	ex.stopped = true
	for _, t := range []*oosTask{ex.selectTask, ex.applyTask} {
		if t != nil && !slices.Contains([]string{execSuccess, execFailed}, t.Status) {
			t.Status, t.End, t.Updated = execCancelled, now, now
		}
	}
	for _, it := range ex.items {
		if it.task != nil && it.task.Status == execRunning {
			it.task.Status, it.task.End, it.task.Updated = execCancelled, now, now
		}
	}
	ex.Status, ex.StatusMessage, ex.WaitingNote, ex.Ended, ex.Updated = execCancelled, "cancelled by the user", "", now, now
	return map[string]any{}, nil
}

// NotifyExecution: RegionId, ★ExecutionId, ★NotifyType (Approve | Reject)
// for an execution Waiting for approval. Approve runs the loop from now;
// Reject cancels it.
func (o *oosState) notifyExecution(r *request) (any, error) {
	ex, err := o.executionOf(r)
	if err != nil {
		return nil, err
	}
	typ, err := r.required("NotifyType")
	if err != nil {
		return nil, err
	}
	if ex.Status != execWaiting {
		return nil, &APIError{Status: 400, Code: "InvalidStatus.Execution", Message: "The execution is " + ex.Status + ", not Waiting."}
	}
	switch typ {
	case "Approve":
		o.runBatches(ex, o.st.now().UTC().Truncate(time.Second))
	case "Reject":
		return o.cancelExecution(r)
	default:
		return nil, errInvalidParam("NotifyType", "want Approve or Reject")
	}
	return map[string]any{}, nil
}
