package cloud

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ErrReadOnly is the error Execute returns, before any network call, when
// the session may not change anything.
var ErrReadOnly = errors.New("read-only: this session cannot change anything (a production profile: :arm 10m allows changes for a while; --read-only: restart without it)")

// redactedValue stands for a secret parameter's value wherever parameters
// are shown or recorded.
const redactedValue = "<redacted>"

// Operation describes one mutating call so the path can guard, precheck,
// audit and explain it.
type Operation struct {
	Product   string            // "ecs", "cms"
	Action    string            // API action, e.g. "CreateSnapshot"
	Region    string            // the region the call is sent for
	Resources []string          // ids it touches
	Params    map[string]string // the API parameters as the aliyun CLI takes them
	// Secret names the Params whose values are secrets: they never appear
	// in the audit log, the CLI line, errors or logs.
	Secret []string
	// Create marks a create-style call: it carries a ClientToken, made once
	// per Plan, so every retry and a re-Execute of the same Plan reuse it
	// and the service creates the resource at most once.
	Create bool
	// Idempotent marks a call that is naturally safe to repeat without a
	// token (e.g. EnableMetricRules): Execute retries it.
	Idempotent bool
	// DryRun says the API takes DryRun=true: Precheck calls it.
	DryRun bool
	// Destructive marks what cannot be undone (the UI asks for the id
	// typed, not just y).
	Destructive bool
}

// isSecret reports whether the parameter name holds a secret.
func (o Operation) isSecret(name string) bool { return slices.Contains(o.Secret, name) }

// SafeParams returns a copy of Params with every secret value replaced by
// "<redacted>": what may be shown, logged and audited.
func (o Operation) SafeParams() map[string]string {
	out := make(map[string]string, len(o.Params))
	for k, v := range o.Params {
		if o.isSecret(k) {
			v = redactedValue
		}
		out[k] = v
	}
	return out
}

// CLI is the equivalent aliyun CLI command, copyable into a runbook:
//
//	aliyun ecs CreateSnapshot --RegionId cn-hangzhou --DiskId d-x --SnapshotName 'nightly build'
//
// RegionId comes first, then the other parameters by name (numbered ones
// such as RuleId.2 before RuleId.10). Values are quoted for a POSIX shell
// when they need it; secrets are shown as '<redacted>'. No ClientToken:
// a runbook run is a new request.
func (o Operation) CLI() string {
	keys := make([]string, 0, len(o.Params))
	for k := range o.Params {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareParamNames)
	var b strings.Builder
	b.WriteString("aliyun ")
	b.WriteString(o.Product)
	b.WriteString(" ")
	b.WriteString(o.Action)
	for _, k := range keys {
		v := o.Params[k]
		if o.isSecret(k) {
			v = redactedValue
		}
		b.WriteString(" --")
		b.WriteString(k)
		b.WriteString(" ")
		b.WriteString(shellQuote(v))
	}
	return b.String()
}

// compareParamNames orders RegionId first, then by name, comparing the
// numeric parts of dotted names as numbers (Tag.2.Key before Tag.10.Key).
func compareParamNames(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "RegionId":
		return -1
	case b == "RegionId":
		return 1
	}
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] == pb[i] {
			continue
		}
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		if ea == nil && eb == nil {
			return na - nb
		}
		return strings.Compare(pa[i], pb[i])
	}
	return len(pa) - len(pb)
}

// shellQuote quotes s for a POSIX shell unless it is made only of
// characters no shell treats specially.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.,:/=@%+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Result is what an executed Plan produced.
type Result struct {
	RequestID string   // of the (last) call
	IDs       []string // ids created, e.g. the new snapshot's
	// Items are per-resource outcomes of a batch API (StartInstances,
	// StopInstances, RebootInstances with SuccessFirst): which succeeded,
	// which failed and why. Empty for other calls.
	Items []ItemResult
	// ReadBack, when not "", says the answer of a call was lost and what
	// reading the resources back saw ("confirmed by read-back: i-1
	// Stopping"): the outcome was decided from it.
	ReadBack string
}

// ItemResult is one resource's outcome within a batch call, as the API
// reports it (InstanceResponses.InstanceResponse[]).
type ItemResult struct {
	ID       string
	Code     string // "200" when it succeeded, else the error code, e.g. IncorrectInstanceStatus
	Message  string
	Previous string // status before the call, e.g. "Running"
	Current  string // status right after it, e.g. "Stopping"
}

// OK reports whether the item succeeded.
func (r ItemResult) OK() bool { return r.Code == "200" }

// Verdict is a DryRun precheck's answer. OK: the API answered
// DryRunOperation (the call would succeed); !OK: the API's refusal, Code
// names it; !Supported: the API has no DryRun, so nothing was asked.
type Verdict struct {
	Supported bool
	OK        bool
	Code      string
	Message   string
	RequestID string
}

// String renders the verdict for a confirmation.
func (v Verdict) String() string {
	switch {
	case !v.Supported:
		return "no precheck: this API has no DryRun"
	case v.OK:
		return "precheck passed (DryRunOperation): the call would succeed"
	case v.Message != "":
		return "precheck refused: " + v.Code + ": " + v.Message
	default:
		return "precheck refused: " + v.Code
	}
}

// planCall performs the Plan's request on a leased SDK client pair: with
// DryRun=true when dryRun, with ClientToken token when token is not "".
// The SDK takes no context; the call path bounds it.
type planCall func(api *sdkClients, dryRun bool, token string) (Result, error)

// Plan is one mutation ready to be prechecked, shown and executed. Build
// it with a Plan* method of Client; a Plan made any other way does nothing
// (Execute refuses it).
type Plan struct {
	Op Operation
	// ClientToken is sent with a Create operation; made when the Plan is,
	// so executing the same Plan twice creates the resource once.
	ClientToken string

	call  planCall
	parts []*Plan // a batched plan: executed one after another instead of call
	batch bool    // made by newBatchPlan: no parts means nothing to do

	// confirm reads the resources back after an ambiguous failure (the
	// answer lost): set by the constructors of writes whose outcome the
	// resource's state shows (readback.go). items: the call answers per
	// resource (Result.Items), so a read-back answers per resource too.
	confirm readBack
	items   bool
}

// newPlan builds a plan for one API call.
func newPlan(op Operation, call planCall) *Plan {
	p := &Plan{Op: op, call: call}
	if op.Create {
		p.ClientToken = newClientToken()
	}
	return p
}

// withReadBack sets the read-back that judges the plan's call after a lost
// answer (readback.go).
func (p *Plan) withReadBack(rb readBack) *Plan {
	p.confirm = rb
	return p
}

// newBatchPlan builds a plan whose calls are parts (each its own request,
// retried and audited on its own); op describes the whole for display.
// A single part is returned as it is.
func newBatchPlan(op Operation, parts []*Plan) *Plan {
	if len(parts) == 1 {
		return parts[0]
	}
	return &Plan{Op: op, parts: parts, batch: true}
}

// Parts is the number of API calls the plan makes (0: nothing to do).
func (p *Plan) Parts() int {
	if p.batch {
		return len(p.parts)
	}
	return 1
}

// CLI is the equivalent aliyun CLI command(s), one per line for a batched
// plan (each within the API's limits).
func (p *Plan) CLI() string {
	if !p.batch {
		return p.Op.CLI()
	}
	lines := make([]string, len(p.parts))
	for i, part := range p.parts {
		lines[i] = part.Op.CLI()
	}
	return strings.Join(lines, "\n")
}

// newClientToken returns a fresh ClientToken: 40 ASCII characters, within
// the API's 64 (API notes §2.3).
func newClientToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return "ecsdash-" + hex.EncodeToString(b[:])
}

// Format prints the operation with its secrets redacted, whatever the verb
// (%v, %+v, %#v, %s), so a plan printed by mistake cannot leak a password.
func (o Operation) Format(f fmt.State, verb rune) {
	type plain Operation // no methods: no recursion
	safe := plain(o)
	safe.Params = o.SafeParams()
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprintf(f, "cloud.Operation%+v", safe)
	case verb == 'v' && f.Flag('+'):
		fmt.Fprintf(f, "%+v", safe)
	default:
		fmt.Fprintf(f, "%v", safe)
	}
}
