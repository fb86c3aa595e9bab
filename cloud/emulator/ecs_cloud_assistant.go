package emulator

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Cloud Assistant (notes §3.8): RunCommand, DescribeInvocations,
// DescribeInvocationResults. A run is Pending for one transition delay,
// Running for another, then finished: Success (exit 0) or Failed. The guest
// is simulated: growpart, resize2fs, xfs_growfs, df, lsblk, uname, uptime,
// free and a few more answer as the real tools do from the store's disks
// and the metric generator, and a grown filesystem is recorded on the disk
// (PartitionGiB) and in the metrics (fsEvent).

// fsEvent is a change to a guest filesystem that the metric generator
// applies to diskusage_utilization of Device from At on.
type fsEvent struct {
	Device string
	At     time.Time
	Scale  float64 // usage multiplier: the same data in a grown filesystem
	Reset  bool    // the filesystem started over (re-initialised, new OS)...
	Level  float64 // ...at this usage, in %
}

// invocation is one RunCommand: the command and a result per instance.
type invocation struct {
	ID, CommandID, RegionID      string
	Name, Description, Type      string
	Content                      string // plain text
	Username, WorkingDir, Params string
	Timeout                      int
	Created                      time.Time
	Tags                         map[string]string
	Results                      []*invocationResult
}

type invocationResult struct {
	InstanceID           string
	Status               string // Pending, Running, Success, Failed, Aborted, Error
	ErrorCode, ErrorInfo string
	ExitCode             int
	Output               string
	Dropped              int
	Start, Finish        time.Time
}

func (st *store) invocationMap() map[string]*invocation {
	if st.invocations == nil {
		st.invocations = map[string]*invocation{}
	}
	return st.invocations
}

// cloudAssistant binds a Cloud Assistant handler to a metric generator with
// the same seed and anchor as CloudMonitor's (both are made in New), so
// what df reports matches diskusage_utilization.
func (s *Server) cloudAssistant(h func(*Server, *metricGen, *request) (any, error)) handler {
	g := newMetricGen(s.store.seed, s.opts.Now())
	return func(r *request) (any, error) { return h(s, g, r) }
}

// maxOutput is what an execution keeps of its output (24 KB); the rest is
// counted in Dropped.
const maxOutput = 24 * 1024

// RunCommand: ★RegionId ★Type ★CommandContent, InstanceId.N (1-100),
// ContentEncoding (PlainText default | Base64), Name, Description, Timeout,
// WorkingDir, Username, EnableParameter + Parameters, ClientToken, Tag.N.
// Unknown instances fail the call (InvalidInstance.NotFound); a Linux
// instance with a Windows command type or the reverse fails it too
// (InvalidInstance.NotMatch: "The specified instance type does not match the
// command"); an instance that is not Running gets an Aborted result
// (InstanceNotRunning), as DescribeInvocationResults documents.
func runCommand(s *Server, g *metricGen, r *request) (any, error) {
	st := s.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	return st.idempotent(r, func() (any, error) {
		typ, err := r.required("Type")
		if err != nil {
			return nil, err
		}
		if !slices.Contains([]string{"RunShellScript", "RunBatScript", "RunPowerShellScript"}, typ) {
			return nil, &APIError{Status: 403, Code: "InvalidCmdType.NotFound", Message: "The specified command type does not exist."}
		}
		content, err := r.required("CommandContent")
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(r.str("ContentEncoding"), "Base64") {
			b, err := base64.StdEncoding.DecodeString(content)
			if err != nil {
				return nil, &APIError{Status: 400, Code: "InvalidCommandContent.Malformed", Message: "The specified command content is not valid Base64."}
			}
			content = string(b)
		}
		keep, err := r.boolParam("KeepCommand", false)
		if err != nil {
			return nil, err
		}
		if limit := map[bool]int{true: 18 * 1024, false: 24 * 1024}[keep]; base64.StdEncoding.EncodedLen(len(content)) > limit {
			return nil, &APIError{Status: 403, Code: "CmdContent.ExceedLimit", Message: "The length of the command content exceeds the upper limit."}
		}
		if len([]rune(r.str("Name"))) > 128 {
			return nil, &APIError{Status: 403, Code: "CmdName.ExceedLimit", Message: "The length of the command name exceeds the upper limit."}
		}
		if len([]rune(r.str("Description"))) > 512 {
			return nil, &APIError{Status: 403, Code: "CmdDesc.ExceedLimit", Message: "The length of the command description exceeds the upper limit."}
		}
		timeout, err := r.intParam("Timeout", 60)
		if err != nil {
			return nil, err
		}
		params := "{}"
		if enable, err := r.boolParam("EnableParameter", false); err != nil {
			return nil, err
		} else if enable && r.has("Parameters") {
			var m map[string]any
			if err := json.Unmarshal([]byte(r.str("Parameters")), &m); err != nil {
				return nil, errInvalidParam("Parameters", "must be a JSON object")
			}
			for k, v := range m {
				content = strings.ReplaceAll(content, "{{"+k+"}}", fmt.Sprint(v))
			}
			params = r.str("Parameters")
		}
		var ids []string
		for _, id := range r.repeated("InstanceId") {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return nil, errMissing("InstanceId")
		}
		if len(ids) > 100 {
			return nil, &APIError{Status: 403, Code: "InstanceIds.ExceedLimit", Message: "The number of instance IDs exceeds the upper limit."}
		}
		var targets []*instance
		for _, id := range ids {
			in := st.instances[id]
			if in == nil || in.RegionID != rg.ID {
				return nil, &APIError{Status: 404, Code: "InvalidInstance.NotFound", Message: "The specified instance does not exist: " + id + "."}
			}
			if (in.OSType == "windows") != (typ != "RunShellScript") {
				return nil, &APIError{Status: 403, Code: "InvalidInstance.NotMatch", Message: fmt.Sprintf("The specified instance type does not match the command: %s is a %s instance and %s is not for it.", id, in.OSType, typ)}
			}
			targets = append(targets, in)
		}
		tags := map[string]string{}
		if filters, err := r.tagFilters(); err != nil {
			return nil, err
		} else {
			for _, f := range filters {
				tags[f.key] = f.value
			}
		}
		now := st.now().UTC()
		inv := &invocation{
			ID: "t-" + regionShort(rg.ID) + hexID(st, "invoke")[:12], CommandID: "c-" + regionShort(rg.ID) + hexID(st, "command")[:12],
			RegionID: rg.ID, Name: r.str("Name"), Description: r.str("Description"), Type: typ, Content: content,
			Username: r.str("Username"), WorkingDir: r.str("WorkingDir"), Params: params, Timeout: timeout,
			Created: now, Tags: tags,
		}
		for _, in := range targets {
			res := &invocationResult{InstanceID: in.ID, Status: "Pending"}
			if in.Status != "Running" {
				res.Status, res.ErrorCode, res.ErrorInfo = "Aborted", "InstanceNotRunning", "the instance is not running when create task"
				res.Finish = now
			}
			inv.Results = append(inv.Results, res)
		}
		st.invocationMap()[inv.ID] = inv
		// Both phases are scheduled now, so each lasts one delay however
		// lazily the store settles.
		st.after(st.delay, func() {
			for _, res := range inv.Results {
				if res.Status != "Pending" {
					continue
				}
				in := st.instances[res.InstanceID]
				switch {
				case in == nil:
					res.Status, res.ErrorCode, res.ErrorInfo = "Error", "InstanceReleased", "the instance has released when create task"
					res.Finish = st.now().UTC()
				case in.Status != "Running":
					res.Status, res.ErrorCode, res.ErrorInfo = "Aborted", "InstanceNotRunning", "the instance is not running when create task"
					res.Finish = st.now().UTC()
				default:
					res.Status, res.Start = "Running", st.now().UTC()
				}
			}
		})
		st.after(2*st.delay, func() {
			for _, res := range inv.Results {
				if res.Status != "Running" {
					continue
				}
				res.Finish = st.now().UTC()
				in := st.instances[res.InstanceID]
				if in == nil || in.Status != "Running" {
					res.Status, res.ErrorCode, res.ErrorInfo = "Error", "ExecutionInterrupted", "the command execution has been interrupted"
					continue
				}
				gs := newGuest(st, g, in, res.Finish, inv)
				out, code := gs.run(inv.Content)
				if len(out) > maxOutput {
					res.Dropped = len(out) - maxOutput
					out = out[:maxOutput]
				}
				res.Output, res.ExitCode = out, code
				res.Status = "Success"
				if code != 0 {
					res.Status, res.ErrorCode, res.ErrorInfo = "Failed", "ExitCodeNonzero", "the command execution exit code is not zero."
				}
			}
		})
		return map[string]any{"CommandId": inv.CommandID, "InvokeId": inv.ID}, nil
	})
}

// regionShort is the region part of Cloud Assistant ids (t-hz..., c-sh...).
func regionShort(regionID string) string {
	switch regionID {
	case "cn-hangzhou":
		return "hz"
	case "cn-shanghai":
		return "sh"
	case "cn-beijing":
		return "bj"
	case "cn-shenzhen":
		return "sz"
	}
	parts := strings.Split(regionID, "-")
	return string(parts[0][0]) + string(parts[len(parts)-1][0])
}

// overall is an invocation's InvocationStatus and legacy InvokeStatus.
func (inv *invocation) overall() (status, invokeStatus string) {
	var pending, running, success int
	for _, res := range inv.Results {
		switch res.Status {
		case "Pending":
			pending++
		case "Running":
			running++
		case "Success":
			success++
		}
	}
	n := len(inv.Results)
	switch {
	case pending == n:
		return "Pending", "Running"
	case pending+running > 0:
		return "Running", "Running"
	case success == n:
		return "Success", "Finished"
	case success == 0:
		return "Failed", "Failed"
	}
	return "PartialFailed", "PartialFinished"
}

func (res *invocationResult) recordStatus() string {
	switch res.Status {
	case "Pending", "Running":
		return "Running"
	}
	return "Finished"
}

// encoding reads ContentEncoding of the Describe calls: Base64 unless
// PlainText (any other value means the default).
func outputEncoding(r *request) func(string) string {
	if strings.EqualFold(r.str("ContentEncoding"), "PlainText") {
		return func(s string) string { return s }
	}
	return func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
}

var pagingInvocations = pageLimits{pageSizeDefault: 10, pageSizeMax: 50, maxResultsDefault: 10, maxResultsMin: 1, maxResultsMax: 50}

func invocationPager(r *request) (pager, error) {
	if n, err := r.intParam("PageSize", 10); err != nil || n < 1 || n > 50 {
		return pager{}, &APIError{Status: 403, Code: "InvalidParam.PageSize", Message: "The specified parameter is invalid."}
	}
	if n, err := r.intParam("PageNumber", 1); err != nil || n < 1 {
		return pager{}, &APIError{Status: 403, Code: "InvalidParam.PageNumber", Message: "The specified parameter is invalid."}
	}
	return r.pager(pagingInvocations)
}

// sortedInvocations lists a region's invocations, newest first.
func (st *store) sortedInvocations(regionID string, keep func(*invocation) bool) []*invocation {
	var out []*invocation
	for _, inv := range st.invocationMap() {
		if inv.RegionID == regionID && (keep == nil || keep(inv)) {
			out = append(out, inv)
		}
	}
	slices.SortFunc(out, func(a, b *invocation) int { return newestFirst(a.Created, b.Created, a.ID, b.ID) })
	return out
}

type invocationResultJSON struct {
	InvokeId           string  `json:"InvokeId"`
	CommandId          string  `json:"CommandId"`
	InstanceId         string  `json:"InstanceId"`
	InvocationStatus   string  `json:"InvocationStatus"`
	InvokeRecordStatus string  `json:"InvokeRecordStatus"`
	ExitCode           int     `json:"ExitCode"`
	Output             string  `json:"Output"`
	ErrorCode          string  `json:"ErrorCode"`
	ErrorInfo          string  `json:"ErrorInfo"`
	StartTime          string  `json:"StartTime"`
	FinishedTime       string  `json:"FinishedTime"`
	StopTime           string  `json:"StopTime"`
	Repeats            int     `json:"Repeats"`
	Dropped            int     `json:"Dropped"`
	Username           string  `json:"Username"`
	ContainerId        string  `json:"ContainerId"`
	ContainerName      string  `json:"ContainerName"`
	TerminationMode    string  `json:"TerminationMode"`
	Launcher           string  `json:"Launcher"`
	Tags               ecsTags `json:"Tags"`
}

func (inv *invocation) username(in *instance) string {
	switch {
	case inv.Username != "":
		return inv.Username
	case in != nil && in.OSType == "windows":
		return "System"
	}
	return "root"
}

func repeats(res *invocationResult) int {
	if res.Start.IsZero() {
		return 0
	}
	return 1
}

// DescribeInvocationResults: InvokeId, InstanceId, CommandId,
// InvokeRecordStatus, ContentEncoding (Base64 default), PageNumber/PageSize
// (≤50) or NextToken/MaxResults.
func describeInvocationResults(s *Server, _ *metricGen, r *request) (any, error) {
	st := s.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	p, err := invocationPager(r)
	if err != nil {
		return nil, err
	}
	enc := outputEncoding(r)
	invokeID, instanceID, commandID, recordStatus := r.str("InvokeId"), r.str("InstanceId"), r.str("CommandId"), r.str("InvokeRecordStatus")
	var rows []invocationResultJSON
	for _, inv := range st.sortedInvocations(rg.ID, func(inv *invocation) bool {
		return (invokeID == "" || inv.ID == invokeID) && (commandID == "" || inv.CommandID == commandID)
	}) {
		for _, res := range inv.Results {
			if instanceID != "" && res.InstanceID != instanceID {
				continue
			}
			if recordStatus != "" && res.recordStatus() != recordStatus {
				continue
			}
			rows = append(rows, invocationResultJSON{
				InvokeId: inv.ID, CommandId: inv.CommandID, InstanceId: res.InstanceID,
				InvocationStatus: res.Status, InvokeRecordStatus: res.recordStatus(), ExitCode: res.ExitCode,
				Output: enc(res.Output), ErrorCode: res.ErrorCode, ErrorInfo: res.ErrorInfo,
				StartTime: fmtSecond(res.Start), FinishedTime: fmtSecond(res.Finish), Repeats: repeats(res),
				Dropped: res.Dropped, Username: inv.username(st.instances[res.InstanceID]),
				TerminationMode: "Process", Tags: tagsJSON(inv.Tags),
			})
		}
	}
	page, next := pageOf(rows, p)
	return map[string]any{"Invocation": map[string]any{
		"PageSize": p.PageSize, "PageNumber": p.PageNumber, "TotalCount": len(rows), "NextToken": next,
		"InvocationResults": map[string]any{"InvocationResult": nonNil(page)},
	}}, nil
}

type invokeInstanceJSON struct {
	InstanceId           string `json:"InstanceId"`
	InstanceInvokeStatus string `json:"InstanceInvokeStatus"`
	InvocationStatus     string `json:"InvocationStatus"`
	Output               string `json:"Output"`
	ExitCode             int    `json:"ExitCode"`
	ErrorCode            string `json:"ErrorCode"`
	ErrorInfo            string `json:"ErrorInfo"`
	CreationTime         string `json:"CreationTime"`
	StartTime            string `json:"StartTime"`
	FinishTime           string `json:"FinishTime"`
	UpdateTime           string `json:"UpdateTime"`
	StopTime             string `json:"StopTime"`
	Repeats              int    `json:"Repeats"`
	Dropped              int    `json:"Dropped"`
	Timed                bool   `json:"Timed"`
}

// instanceInvokeStatus is the legacy per-instance status.
func instanceInvokeStatus(res *invocationResult) string {
	switch res.Status {
	case "Pending", "Running":
		return "Running"
	case "Success", "Failed":
		return "Finished"
	}
	return "Failed"
}

// DescribeInvocations: InvokeId, CommandId, CommandName, CommandType,
// InstanceId, InvokeStatus, IncludeOutput, ContentEncoding (Base64 default,
// for CommandContent and Output), paging as DescribeInvocationResults.
func describeInvocations(s *Server, _ *metricGen, r *request) (any, error) {
	st := s.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	p, err := invocationPager(r)
	if err != nil {
		return nil, err
	}
	includeOutput, err := r.boolParam("IncludeOutput", false)
	if err != nil {
		return nil, err
	}
	enc := outputEncoding(r)
	eq := func(param, v string) bool { w := r.str(param); return w == "" || w == v }
	list := st.sortedInvocations(rg.ID, func(inv *invocation) bool {
		status, legacy := inv.overall()
		hasInstance := r.str("InstanceId") == "" || slices.ContainsFunc(inv.Results, func(res *invocationResult) bool { return res.InstanceID == r.str("InstanceId") })
		return eq("InvokeId", inv.ID) && eq("CommandId", inv.CommandID) && eq("CommandName", inv.Name) &&
			eq("CommandType", inv.Type) && (eq("InvokeStatus", status) || eq("InvokeStatus", legacy)) && hasInstance
	})
	page, next := pageOf(list, p)
	out := make([]map[string]any, 0, len(page))
	for _, inv := range page {
		status, legacy := inv.overall()
		instances := make([]invokeInstanceJSON, 0, len(inv.Results))
		for _, res := range inv.Results {
			ii := invokeInstanceJSON{
				InstanceId: res.InstanceID, InstanceInvokeStatus: instanceInvokeStatus(res), InvocationStatus: res.Status,
				ExitCode: res.ExitCode, ErrorCode: res.ErrorCode, ErrorInfo: res.ErrorInfo,
				CreationTime: fmtSecond(inv.Created), StartTime: fmtSecond(res.Start), FinishTime: fmtSecond(res.Finish),
				UpdateTime: fmtSecond(latest(inv.Created, res.Start, res.Finish)), Repeats: repeats(res), Dropped: res.Dropped,
			}
			if includeOutput {
				ii.Output = enc(res.Output)
			}
			instances = append(instances, ii)
		}
		var first *instance
		if len(inv.Results) > 0 {
			first = st.instances[inv.Results[0].InstanceID]
		}
		out = append(out, map[string]any{
			"InvokeId": inv.ID, "CommandId": inv.CommandID, "CommandName": inv.Name, "CommandType": inv.Type,
			"CommandDescription": inv.Description, "CommandContent": enc(inv.Content),
			"InvocationStatus": status, "InvokeStatus": legacy, "CreationTime": fmtSecond(inv.Created),
			"Timed": false, "RepeatMode": "Once", "Frequency": "", "Parameters": inv.Params,
			"Username": inv.username(first), "WorkingDir": inv.WorkingDir, "Timeout": inv.Timeout,
			"VmCount": len(inv.Results), "ContainerId": "", "ContainerName": "", "TerminationMode": "Process", "Launcher": "",
			"InvokeInstances": map[string]any{"InvokeInstance": instances},
			"Tags":            tagsJSON(inv.Tags),
		})
	}
	return map[string]any{
		"PageSize": p.PageSize, "PageNumber": p.PageNumber, "TotalCount": len(list), "NextToken": next,
		"Invocations": map[string]any{"Invocation": out},
	}, nil
}

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}

// --- the simulated guest ----------------------------------------------------

// guestDisk is one disk as the guest sees it.
type guestDisk struct {
	d                *disk
	dev, part, mount string // /dev/vdb, /dev/vdb1, /data
}

func (gd guestDisk) diskGiB() int {
	if gd.d.GuestGiB > 0 {
		return gd.d.GuestGiB
	}
	return gd.d.SizeGiB
}

func (gd guestDisk) partGiB() int { return max(gd.d.GrownPartGiB, gd.d.PartitionGiB) }

// guest runs a script on an instance at a moment.
type guest struct {
	st    *store
	g     *metricGen
	in    *instance
	now   time.Time
	inv   *invocation
	os    osSpec
	disks []guestDisk
}

func newGuest(st *store, g *metricGen, in *instance, now time.Time, inv *invocation) *guest {
	gs := &guest{st: st, g: g, in: in, now: now, inv: inv, os: instanceOS(st, in)}
	var data []*disk
	for _, d := range st.disks {
		if d.InstanceID != in.ID || (d.Status != "In_use" && d.Status != "Detaching") {
			continue
		}
		if d.Type == "system" {
			gs.disks = append(gs.disks, guestDisk{d: d, dev: "/dev/vda", part: "/dev/vda1", mount: "/"})
		} else {
			data = append(data, d)
		}
	}
	slices.SortFunc(data, func(a, b *disk) int { return strings.Compare(a.Device+a.ID, b.Device+b.ID) })
	for i, d := range data {
		part := guestPartition(d)
		if part == "" {
			continue
		}
		mount := "/data"
		if i > 0 {
			mount = fmt.Sprintf("/data%d", i+1)
		}
		gs.disks = append(gs.disks, guestDisk{d: d, dev: strings.TrimSuffix(part, "1"), part: part, mount: mount})
	}
	return gs
}

// instanceOS is the OS family of an instance's image.
func instanceOS(st *store, in *instance) osSpec {
	if img := st.image(in.RegionID, in.ImageID); img != nil {
		key := strings.TrimPrefix(img.Family, "acs:")
		for _, o := range fleetOSes {
			if o.key == key || o.imageID == img.ID {
				return o
			}
		}
	}
	for _, o := range fleetOSes {
		if o.name == in.OSName {
			return o
		}
	}
	if in.OSType == "windows" {
		return osByKey("win2022")
	}
	return osByKey("alinux3")
}

// run interprets a script: lines, `;`, `&&`, `||`, pipes into grep / head /
// tail / wc -l, `set -e`, `exit N`. The exit code is the last command's.
func (gs *guest) run(script string) (string, int) {
	var out strings.Builder
	code, errexit := 0, false
	for _, line := range strings.Split(strings.ReplaceAll(script, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if f := strings.Fields(line); f[0] == "set" {
			for _, opt := range f[1:] {
				if strings.HasPrefix(opt, "-") && strings.Contains(opt, "e") {
					errexit = true
				}
			}
			continue
		}
		for _, seg := range splitOps(line) {
			if (seg.op == "&&" && code != 0) || (seg.op == "||" && code == 0) {
				continue
			}
			o, c, exit := gs.pipeline(seg.cmd, code)
			out.WriteString(o)
			code = c
			if exit {
				return out.String(), code
			}
		}
		if errexit && code != 0 {
			return out.String(), code
		}
	}
	return out.String(), code
}

type segment struct{ op, cmd string } // op: the operator before cmd ("" for the first)

// splitOps splits a line at ; && || outside quotes.
func splitOps(line string) []segment {
	var out []segment
	var cur strings.Builder
	op, quote := "", rune(0)
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == ';' || (c == '&' && i+1 < len(rs) && rs[i+1] == '&') || (c == '|' && i+1 < len(rs) && rs[i+1] == '|'):
			out = append(out, segment{op, strings.TrimSpace(cur.String())})
			cur.Reset()
			op = ";"
			if c != ';' {
				op = string([]rune{c, c})
				i++
			}
			continue
		}
		cur.WriteRune(c)
	}
	out = append(out, segment{op, strings.TrimSpace(cur.String())})
	return slices.DeleteFunc(out, func(s segment) bool { return s.cmd == "" })
}

// fields splits a command into words, honouring quotes and dropping
// redirections.
func fields(cmd string) []string {
	var out []string
	var cur strings.Builder
	quote, inWord := rune(0), false
	for _, c := range cmd {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteRune(c)
			}
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == ' ' || c == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	var clean []string
	for i := 0; i < len(out); i++ {
		w := out[i]
		switch {
		case w == ">" || w == ">>" || w == "2>" || w == "<":
			i++
		case strings.HasPrefix(w, ">") || strings.HasPrefix(w, "2>") || strings.HasPrefix(w, "&>") || strings.HasPrefix(w, "1>"):
		default:
			clean = append(clean, w)
		}
	}
	if len(clean) > 0 && clean[0] == "sudo" {
		clean = clean[1:]
	}
	return clean
}

// pipeline runs cmd | filter | ...; exit reports an `exit` builtin.
func (gs *guest) pipeline(cmd string, last int) (out string, code int, exit bool) {
	stages := splitPipes(cmd)
	out, code, exit = gs.command(fields(stages[0]), last)
	for _, st := range stages[1:] {
		out, code = filter(fields(st), out)
	}
	return out, code, exit
}

func splitPipes(cmd string) []string {
	var out []string
	var cur strings.Builder
	quote := rune(0)
	for _, c := range cmd {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '|':
			out = append(out, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteRune(c)
	}
	return append(out, cur.String())
}

// filter applies grep / head / tail / wc -l / sort to text; anything else
// passes it through.
func filter(args []string, in string) (string, int) {
	if len(args) == 0 {
		return in, 0
	}
	lines := strings.SplitAfter(in, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	count := func(def int) int {
		for i, a := range args[1:] {
			if a == "-n" && i+2 < len(args) {
				if n, err := strconv.Atoi(args[i+2]); err == nil {
					return n
				}
			}
			if n, err := strconv.Atoi(strings.TrimPrefix(a, "-")); err == nil && strings.HasPrefix(a, "-") {
				return n
			}
		}
		return def
	}
	switch args[0] {
	case "grep", "egrep":
		var pat string
		invert, fold := false, false
		for _, a := range args[1:] {
			switch {
			case a == "-v":
				invert = true
			case a == "-i":
				fold = true
			case strings.HasPrefix(a, "-"):
			default:
				if pat == "" {
					pat = a
				}
			}
		}
		var b strings.Builder
		for _, l := range lines {
			hay, needle := l, pat
			if fold {
				hay, needle = strings.ToLower(l), strings.ToLower(pat)
			}
			if strings.Contains(hay, needle) != invert {
				b.WriteString(l)
			}
		}
		if b.Len() == 0 {
			return "", 1
		}
		return b.String(), 0
	case "head":
		return strings.Join(lines[:min(count(10), len(lines))], ""), 0
	case "tail":
		return strings.Join(lines[max(0, len(lines)-count(10)):], ""), 0
	case "wc":
		return fmt.Sprintf("%d\n", len(lines)), 0
	case "sort":
		s := slices.Clone(lines)
		slices.Sort(s)
		return strings.Join(s, ""), 0
	}
	return in, 0
}

// command runs one simple command.
func (gs *guest) command(args []string, last int) (string, int, bool) {
	if len(args) == 0 {
		return "", 0, false
	}
	name := args[0]
	if name == "exit" {
		code := last
		if len(args) > 1 {
			a := args[1]
			if a == "/b" && len(args) > 2 {
				a = args[2]
			}
			if n, err := strconv.Atoi(a); err == nil {
				code = n & 0xff
				if gs.in.OSType == "windows" {
					code = n
				}
			}
		}
		return "", code, true
	}
	if gs.in.OSType == "windows" {
		out, code := gs.windows(name, args)
		return out, code, false
	}
	out, code := gs.linux(name, args)
	return out, code, false
}

func (gs *guest) windows(name string, args []string) (string, int) {
	switch strings.ToLower(name) {
	case "hostname":
		return gs.in.HostName + "\r\n", 0
	case "whoami":
		return `nt authority\system` + "\r\n", 0
	case "echo", "write-output", "write-host":
		return strings.Join(args[1:], " ") + "\r\n", 0
	case "get-date":
		return gs.local().Format("Monday, January 2, 2006 3:04:05 PM") + "\r\n", 0
	case "ver":
		return "\r\nMicrosoft Windows [Version 10.0.20348.2582]\r\n", 0
	case "get-volume":
		var b strings.Builder
		b.WriteString("\r\nDriveLetter FriendlyName FileSystemType DriveType HealthStatus OperationalStatus SizeRemaining      Size\r\n")
		b.WriteString("----------- ------------ -------------- --------- ------------ ----------------- -------------      ----\r\n")
		for i, gd := range gs.disks {
			letter := string(rune('C' + i))
			size := float64(gd.d.PartitionGiB)
			free := size * (1 - gs.usage(gd)/100)
			fmt.Fprintf(&b, "%-11s %-12s %-14s %-9s %-12s %-17s %10.2f GB %6.2f GB\r\n", letter, "", "NTFS", "Fixed", "Healthy", "OK", free, size)
		}
		return b.String(), 0
	}
	return "", 0
}

// local is the guest's clock: the region's time zone.
func (gs *guest) local() time.Time {
	off := regionUTCOffset(gs.in.RegionID)
	name := fmt.Sprintf("%+03d", off/3600)
	if strings.HasPrefix(gs.in.RegionID, "cn-") {
		name = "CST"
	}
	return gs.now.In(time.FixedZone(name, int(off)))
}

// usage is a filesystem's use in % now, from the metric generator.
func (gs *guest) usage(gd guestDisk) float64 {
	s := gs.g.series(gs.in, ecsMetricDefs["diskusage_utilization"], gd.part)
	return gs.g.disk(s, gs.now.Unix())
}

type kernelInfo struct{ release, version, machine, e2fs string }

func (gs *guest) kernel() kernelInfo {
	switch gs.os.key {
	case "ubuntu2204":
		return kernelInfo{"5.15.0-113-generic", "#123-Ubuntu SMP Mon Jun 10 08:16:17 UTC 2024", "x86_64", "1.46.5 (30-Dec-2021)"}
	case "ubuntu2404":
		return kernelInfo{"6.8.0-40-generic", "#40-Ubuntu SMP PREEMPT_DYNAMIC Fri Jul  5 10:34:03 UTC 2024", "x86_64", "1.47.0 (5-Feb-2023)"}
	case "centos79":
		return kernelInfo{"3.10.0-1160.119.1.el7.x86_64", "#1 SMP Tue Jun 4 14:43:51 UTC 2024", "x86_64", "1.42.9 (28-Dec-2013)"}
	case "debian12":
		return kernelInfo{"6.1.0-22-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.94-1 (2024-06-21)", "x86_64", "1.47.0 (5-Feb-2023)"}
	case "alinux3arm":
		return kernelInfo{"5.10.134-16.3.al8.aarch64", "#1 SMP Thu Jun 13 17:24:56 CST 2024", "aarch64", "1.46.0 (29-Jan-2020)"}
	}
	return kernelInfo{"5.10.134-16.3.al8.x86_64", "#1 SMP Thu Jun 13 17:24:56 CST 2024", "x86_64", "1.46.0 (29-Jan-2020)"}
}

// findDisk resolves a device, partition or mount point.
func (gs *guest) findDisk(arg string) (guestDisk, bool) {
	arg = strings.Replace(arg, "/dev/xvd", "/dev/vd", 1)
	for _, gd := range gs.disks {
		if arg == gd.dev || arg == gd.part || arg == gd.mount || (gd.mount != "/" && arg == gd.mount+"/") {
			return gd, true
		}
	}
	return guestDisk{}, false
}

const sectorsPerGiB = 2097152 // 512-byte sectors

func (gs *guest) linux(name string, args []string) (string, int) {
	switch name {
	case "growpart":
		return gs.growpart(args)
	case "resize2fs":
		return gs.resize2fs(args)
	case "xfs_growfs":
		return gs.xfsGrowfs(args)
	case "df":
		return gs.df(args)
	case "lsblk":
		return gs.lsblk(), 0
	case "uname":
		k := gs.kernel()
		switch {
		case len(args) == 1 || args[1] == "-s":
			return "Linux\n", 0
		case args[1] == "-r":
			return k.release + "\n", 0
		case args[1] == "-m":
			return k.machine + "\n", 0
		case args[1] == "-n":
			return gs.in.HostName + "\n", 0
		}
		if gs.os.key == "debian12" {
			return fmt.Sprintf("Linux %s %s %s %s GNU/Linux\n", gs.in.HostName, k.release, k.version, k.machine), 0
		}
		return fmt.Sprintf("Linux %s %s %s %s %s %s GNU/Linux\n", gs.in.HostName, k.release, k.version, k.machine, k.machine, k.machine), 0
	case "hostname":
		return gs.in.HostName + "\n", 0
	case "whoami":
		return gs.inv.username(gs.in) + "\n", 0
	case "id":
		if u := gs.inv.username(gs.in); u != "root" {
			return fmt.Sprintf("uid=1000(%s) gid=1000(%s) groups=1000(%s)\n", u, u, u), 0
		}
		return "uid=0(root) gid=0(root) groups=0(root)\n", 0
	case "pwd":
		if gs.inv.WorkingDir != "" {
			return gs.inv.WorkingDir + "\n", 0
		}
		return "/root\n", 0
	case "nproc":
		return fmt.Sprintf("%d\n", gs.in.CPU), 0
	case "uptime":
		return gs.uptime(), 0
	case "date":
		return gs.local().Format("Mon Jan _2 15:04:05 MST 2006") + "\n", 0
	case "free":
		return gs.free(args), 0
	case "echo":
		return strings.Join(args[1:], " ") + "\n", 0
	case "cat":
		if len(args) > 1 && args[1] == "/etc/hostname" {
			return gs.in.HostName + "\n", 0
		}
		if len(args) > 1 && args[1] == "/etc/os-release" {
			return fmt.Sprintf("NAME=%q\nPRETTY_NAME=%q\nID=%s\n", gs.os.platform, strings.Join(strings.Fields(gs.in.OSName), " "), strings.ToLower(gs.os.platform)), 0
		}
		if len(args) > 1 {
			return fmt.Sprintf("cat: %s: No such file or directory\n", args[1]), 1
		}
	case "false":
		return "", 1
	case "systemctl":
		if len(args) > 2 && args[1] == "status" {
			return fmt.Sprintf("● %s.service\n     Loaded: loaded (/usr/lib/systemd/system/%s.service; enabled; vendor preset: disabled)\n     Active: active (running) since %s; 3 days ago\n",
				strings.TrimSuffix(args[2], ".service"), strings.TrimSuffix(args[2], ".service"), gs.local().Add(-72*time.Hour).Format("Mon 2006-01-02 15:04:05 MST")), 0
		}
	case "yum", "dnf":
		return "Last metadata expiration check: 0:42:17 ago.\nDependencies resolved.\nNothing to do.\nComplete!\n", 0
	case "apt", "apt-get":
		return "Reading package lists...\nBuilding dependency tree...\nReading state information...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n", 0
	}
	// true, sleep, systemctl restart, mkdir, ... and anything else: a
	// command that succeeds silently, as most do.
	return "", 0
}

func (gs *guest) growpart(args []string) (string, int) {
	if len(args) < 3 {
		return "growpart disk partition\n   rewrite partition table so that partition takes up all the space it can\n", 2
	}
	gd, ok := gs.findDisk(args[1])
	if !ok || strings.Replace(args[1], "/dev/xvd", "/dev/vd", 1) != gd.dev {
		return fmt.Sprintf("FAILED: %s: does not exist\n", args[1]), 2
	}
	if args[2] != "1" {
		return fmt.Sprintf("FAILED: failed to get start and end for %s%s in %s\n", gd.dev, args[2], gd.dev), 2
	}
	total := int64(gd.diskGiB()) * sectorsPerGiB
	old := int64(gd.partGiB())*sectorsPerGiB - 2048
	if int64(gd.diskGiB()) <= int64(gd.partGiB()) {
		return fmt.Sprintf("NOCHANGE: partition 1 is size %d. it cannot be grown\n", old), 1
	}
	gd.d.GrownPartGiB = gd.diskGiB()
	return fmt.Sprintf("CHANGED: partition=1 start=2048 old: size=%d end=%d new: size=%d end=%d\n", old, old+2048, total-2048, total), 0
}

// fsBlocks is the 4k block count of a filesystem filling a partition of gib.
func fsBlocks(gib int) int64 { return (int64(gib)*sectorsPerGiB - 2048) / 8 }

// grow records a filesystem grown to the partition: the disk's PartitionGiB
// and, for the metrics, the same data in more room.
func (gs *guest) grow(gd guestDisk) {
	oldGiB, newGiB := gd.d.PartitionGiB, gd.partGiB()
	gd.d.PartitionGiB, gd.d.GrownPartGiB = newGiB, 0
	gs.in.FSEvents = append(gs.in.FSEvents, fsEvent{Device: gd.part, At: gs.now, Scale: float64(oldGiB) / float64(newGiB)})
}

func (gs *guest) resize2fs(args []string) (string, int) {
	head := "resize2fs " + gs.kernel().e2fs + "\n"
	var dev string
	for _, a := range args[1:] {
		if !strings.HasPrefix(a, "-") {
			dev = a
			break
		}
	}
	if dev == "" {
		return head + "Usage: resize2fs [-d debug_flags] [-f] [-F] [-M] [-P] [-p] device [-b|-s|new_size] [-S RAID-stride] [-z undo_file]\n\n", 1
	}
	gd, ok := gs.findDisk(dev)
	if !ok {
		return head + fmt.Sprintf("open: No such file or directory while opening %s\n", dev), 1
	}
	if gd.d.Filesystem != "ext4" {
		return head + fmt.Sprintf("resize2fs: Bad magic number in super-block while trying to open %s\nCouldn't find valid filesystem superblock.\n", dev), 1
	}
	oldBlocks := fsBlocks(gd.d.PartitionGiB)
	if gd.partGiB() <= gd.d.PartitionGiB {
		return head + fmt.Sprintf("The filesystem is already %d (4k) blocks long.  Nothing to do!\n\n", oldBlocks), 0
	}
	newBlocks := fsBlocks(gd.partGiB())
	descBlocks := func(blocks int64) int64 { return (blocks/32768 + 1 + 63) / 64 }
	gs.grow(gd)
	return head + fmt.Sprintf("Filesystem at %s is mounted on %s; on-line resizing required\nold_desc_blocks = %d, new_desc_blocks = %d\nThe filesystem on %s is now %d (4k) blocks long.\n\n",
		gd.part, gd.mount, descBlocks(oldBlocks), descBlocks(newBlocks), gd.part, newBlocks), 0
}

func (gs *guest) xfsGrowfs(args []string) (string, int) {
	var target string
	for _, a := range args[1:] {
		if !strings.HasPrefix(a, "-") {
			target = a
		}
	}
	if target == "" {
		return "Usage: xfs_growfs [options] mountpoint\n", 1
	}
	gd, ok := gs.findDisk(target)
	if !ok || gd.d.Filesystem != "xfs" {
		return fmt.Sprintf("xfs_growfs: %s is not a mounted XFS filesystem\n", target), 1
	}
	oldBlocks := fsBlocks(gd.d.PartitionGiB)
	agsize := (oldBlocks + 3) / 4
	info := fmt.Sprintf(`meta-data=%-22s isize=512    agcount=4, agsize=%d blks
         =                       sectsz=512   attr=2, projid32bit=1
         =                       crc=1        finobt=0 spinodes=0
data     =                       bsize=4096   blocks=%d, imaxpct=25
         =                       sunit=0      swidth=0 blks
naming   =version 2              bsize=4096   ascii-ci=0 ftype=1
log      =internal               bsize=4096   blocks=2560, version=2
         =                       sectsz=512   sunit=0 blks, lazy-count=1
realtime =none                   extsz=4096   blocks=0, rtextents=0
`, gd.part, agsize, oldBlocks)
	if gd.partGiB() <= gd.d.PartitionGiB {
		return info, 0
	}
	newBlocks := fsBlocks(gd.partGiB())
	gs.grow(gd)
	return info + fmt.Sprintf("data blocks changed from %d to %d\n", oldBlocks, newBlocks), 0
}

// human formats GiB the way df -h / lsblk do (powers of 1024, rounded up).
func human(gib float64) string {
	switch {
	case gib <= 0:
		return "0"
	case gib < 1.0/1024:
		return fmt.Sprintf("%.0fK", math.Ceil(gib*1024*1024))
	case gib < 1:
		return fmt.Sprintf("%.0fM", math.Ceil(gib*1024))
	case gib < 10:
		return fmt.Sprintf("%.1fG", math.Ceil(gib*10)/10)
	case gib < 1024:
		return fmt.Sprintf("%.0fG", math.Ceil(gib))
	case gib < 10*1024:
		return fmt.Sprintf("%.1fT", math.Ceil(gib/1024*10)/10)
	}
	return fmt.Sprintf("%.0fT", math.Ceil(gib/1024))
}

func (gs *guest) df(args []string) (string, int) {
	humanOut, withType := false, false
	var only []string
	for _, a := range args[1:] {
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") {
			humanOut = humanOut || strings.Contains(a, "h")
			withType = withType || strings.Contains(a, "T")
			continue
		}
		only = append(only, a)
	}
	type row struct {
		fs, typ, mount string
		size, used     float64 // GiB
	}
	memGiB := float64(gs.in.MemoryMiB) / 1024
	rows := []row{
		{"devtmpfs", "devtmpfs", "/dev", memGiB / 2, 0},
		{"tmpfs", "tmpfs", "/dev/shm", memGiB / 2, 0},
		{"tmpfs", "tmpfs", "/run", memGiB / 2, 0.0005},
	}
	for _, gd := range gs.disks {
		size := float64(gd.d.PartitionGiB)
		rows = append(rows, row{gd.part, gd.d.Filesystem, gd.mount, size, size * gs.usage(gd) / 100})
	}
	rows = append(rows, row{"tmpfs", "tmpfs", "/run/user/0", memGiB / 10, 0})
	if len(only) > 0 {
		var keep []row
		for _, o := range only {
			found := false
			for _, rw := range rows {
				if rw.mount == o || rw.fs == o {
					keep, found = append(keep, rw), true
				}
			}
			if !found {
				return fmt.Sprintf("df: %s: No such file or directory\n", o), 1
			}
		}
		rows = keep
	}
	typeCol := func(t string) string {
		if withType {
			return fmt.Sprintf("%-8s ", t)
		}
		return ""
	}
	// Columns as coreutils lays them out: Filesystem 14 wide, numbers right
	// aligned in at least 5 (10 for 1K-blocks), widened to fit.
	type cells struct{ size, used, avail string }
	cellsOf := func(rw row) cells {
		if humanOut {
			return cells{human(rw.size), human(rw.used), human(rw.size - rw.used)}
		}
		k := func(g float64) string { return strconv.FormatInt(int64(g*1024*1024), 10) }
		return cells{k(rw.size), k(rw.used), k(rw.size - rw.used)}
	}
	hdr := cells{"Size", "Used", "Avail"}
	w := [3]int{5, 5, 5}
	if !humanOut {
		hdr, w = cells{"1K-blocks", "Used", "Available"}, [3]int{10, 10, 10}
	}
	for _, rw := range rows {
		c := cellsOf(rw)
		w = [3]int{max(w[0], len(c.size)), max(w[1], len(c.used)), max(w[2], len(c.avail))}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-14s %s%*s %*s %*s %4s %s\n", "Filesystem", typeCol("Type"), w[0], hdr.size, w[1], hdr.used, w[2], hdr.avail, "Use%", "Mounted on")
	for _, rw := range rows {
		pct := 0
		if rw.size > 0 {
			pct = int(math.Ceil(100 * rw.used / rw.size))
		}
		c := cellsOf(rw)
		fmt.Fprintf(&b, "%-14s %s%*s %*s %*s %3d%% %s\n", rw.fs, typeCol(rw.typ), w[0], c.size, w[1], c.used, w[2], c.avail, pct, rw.mount)
	}
	return b.String(), 0
}

func (gs *guest) lsblk() string {
	col := "MOUNTPOINT"
	if gs.os.key == "ubuntu2204" || gs.os.key == "ubuntu2404" || gs.os.key == "debian12" {
		col = "MOUNTPOINTS"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "NAME   MAJ:MIN RM  SIZE RO TYPE %s\n", col)
	for i, gd := range gs.disks {
		name := strings.TrimPrefix(gd.dev, "/dev/")
		fmt.Fprintf(&b, "%-6s 253:%-3d  0 %4s  0 disk \n", name, i*16, human(float64(gd.diskGiB())))
		fmt.Fprintf(&b, "└─%-4s 253:%-3d  0 %4s  0 part %s\n", name+"1", i*16+1, human(float64(gd.partGiB())), gd.mount)
	}
	return b.String()
}

// booted is when the guest last booted.
func (gs *guest) booted() time.Time {
	if !gs.in.BootedAt.IsZero() {
		return gs.in.BootedAt
	}
	return gs.in.StartTime
}

func (gs *guest) uptime() string {
	up := gs.now.Sub(gs.booted())
	days := int(up.Hours()) / 24
	hm := fmt.Sprintf("%d:%02d", int(up.Hours())%24, int(up.Minutes())%60)
	if up < time.Hour {
		hm = fmt.Sprintf("%d min", int(up.Minutes()))
	}
	upStr := hm
	switch {
	case days == 1:
		upStr = "1 day, " + hm
	case days > 1:
		upStr = fmt.Sprintf("%d days, %s", days, hm)
	}
	load := func(m int64, name string) float64 {
		return gs.g.load(gs.g.series(gs.in, ecsMetricDefs[name], ""), gs.now.Unix(), m)
	}
	return fmt.Sprintf(" %s up %s,  0 users,  load average: %.2f, %.2f, %.2f\n",
		gs.local().Format("15:04:05"), upStr, load(1, "load_1m"), load(5, "load_5m"), load(15, "load_15m"))
}

func (gs *guest) free(args []string) string {
	totalMiB := float64(gs.in.MemoryMiB) * 0.96
	pct := gs.g.memory(gs.g.series(gs.in, ecsMetricDefs["memory_usedutilization"], ""), gs.now.Unix())
	used := totalMiB * pct / 100
	cache := (totalMiB - used) * 0.3
	free := totalMiB - used - cache
	f := func(mib float64) string { return fmt.Sprintf("%.0f", mib) }
	if len(args) > 1 && strings.Contains(args[1], "h") {
		f = func(mib float64) string {
			if mib == 0 {
				return "0B"
			}
			if mib >= 1024 {
				return fmt.Sprintf("%.1fGi", mib/1024)
			}
			return fmt.Sprintf("%.0fMi", mib)
		}
	}
	return fmt.Sprintf("%15s %11s %11s %11s %11s %11s\nMem:    %11s %11s %11s %11s %11s %11s\nSwap:   %11s %11s %11s\n",
		"total", "used", "free", "shared", "buff/cache", "available",
		f(totalMiB), f(used), f(free), f(2), f(cache), f(totalMiB-used), f(0), f(0), f(0))
}
