package emulator

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Automatic snapshot policies: create, modify, apply to disks, cancel from
// disks, delete (API notes §3.5; addendum §3.4). The wire names are lower
// camel: timePoints, repeatWeekdays, retentionDays, autoSnapshotPolicyName,
// autoSnapshotPolicyId, diskIds; timePoints/repeatWeekdays/diskIds are JSON
// arrays in a string. The policies fire in policy_scheduler.go.

// maxPoliciesPerRegion is the documented quota (API notes §5).
const maxPoliciesPerRegion = 100

func errPolicyParam(what string) *APIError {
	return &APIError{Status: 403, Code: "ParameterInvalid", Message: fmt.Sprintf("The specified %s parameter is invalid.", what)}
}

func errPolicyNotFound() *APIError {
	return &APIError{Status: 404, Code: "ParameterInvalid", Message: "The specified automatic snapshot policy does not exist in the region."}
}

// bkIntList parses a JSON array of numbers given as strings (["0","12"]) or as
// numbers ([0,12]), each within lo..hi, at most max, de-duplicated and sorted.
func bkIntList(v string, lo, hi, max int) ([]int, bool) {
	var raw []any
	if err := json.Unmarshal([]byte(v), &raw); err != nil || len(raw) == 0 || len(raw) > max {
		return nil, false
	}
	var out []int
	for _, x := range raw {
		var n int
		switch t := x.(type) {
		case string:
			k, err := strconv.Atoi(strings.TrimSpace(t))
			if err != nil {
				return nil, false
			}
			n = k
		case float64:
			if t != float64(int(t)) {
				return nil, false
			}
			n = int(t)
		default:
			return nil, false
		}
		if n < lo || n > hi {
			return nil, false
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, true
}

// policyFields reads the settable fields of Create/ModifyAutoSnapshotPolicy;
// an absent one is left as it is in p.
func policyFields(r *request, p *autoSnapshotPolicy) error {
	if v := r.str("timePoints"); v != "" {
		tp, ok := bkIntList(v, 0, 23, 24)
		if !ok {
			return errPolicyParam("TimePoints")
		}
		p.TimePoints = tp
	}
	if v := r.str("repeatWeekdays"); v != "" {
		wd, ok := bkIntList(v, 1, 7, 7)
		if !ok {
			return errPolicyParam("RepeatWeekDays")
		}
		p.RepeatWeekdays = wd
	}
	if v := r.str("retentionDays"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || (n != -1 && (n < 1 || n > 65536)) {
			return errPolicyParam("RetentionDays")
		}
		p.RetentionDays = n
	}
	if r.has("autoSnapshotPolicyName") {
		name := r.str("autoSnapshotPolicyName")
		if !bkValidName(name, 2, 128) {
			return errPolicyParam("AutoSnapshotPolicyName")
		}
		p.Name = name
	}
	return nil
}

// CreateAutoSnapshotPolicy: ★timePoints ★repeatWeekdays ★retentionDays.
func createAutoSnapshotPolicy(r *request) (any, error) {
	return r.server.store.bkIdempotent(r, func() (any, error) { return createAutoSnapshotPolicyOnce(r) })
}

func createAutoSnapshotPolicyOnce(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"timePoints", "repeatWeekdays", "retentionDays"} {
		if !r.has(name) {
			return nil, errMissing(name)
		}
	}
	p := &autoSnapshotPolicy{RegionID: rg.ID, Status: "Normal"}
	if err := policyFields(r, p); err != nil {
		return nil, err
	}
	n := 0
	for _, q := range st.policies {
		if q.RegionID == rg.ID {
			n++
		}
	}
	if n >= maxPoliciesPerRegion {
		return nil, &APIError{Status: 403, Code: "QuotaExceed.AutoSnapshotPolicy", Message: fmt.Sprintf("The maximum number of automatic snapshot policies in a region (%d) is reached.", maxPoliciesPerRegion)}
	}
	p.ID = st.mintID("sp", rg.ID)
	p.CreationTime = st.now().UTC().Truncate(time.Second)
	st.policies[p.ID] = p
	return map[string]any{"AutoSnapshotPolicyId": p.ID}, nil
}

// policyParam finds the policy named by autoSnapshotPolicyId in the region.
func (st *store) policyParam(r *request, rg *region) (*autoSnapshotPolicy, error) {
	id := r.str("autoSnapshotPolicyId")
	if id == "" {
		id = r.str("AutoSnapshotPolicyId")
	}
	if id == "" {
		return nil, errMissing("autoSnapshotPolicyId")
	}
	p := st.policies[id]
	if p == nil || p.RegionID != rg.ID {
		return nil, errPolicyNotFound()
	}
	return p, nil
}

// ModifyAutoSnapshotPolicyEx: omitted fields keep their values; the change
// applies at once to the disks the policy is applied to.
func modifyAutoSnapshotPolicyEx(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	p, err := st.policyParam(r, rg)
	if err != nil {
		return nil, err
	}
	next := *p
	if err := policyFields(r, &next); err != nil {
		return nil, err
	}
	*p = next
	return map[string]any{}, nil
}

// policyDisks reads diskIds (a JSON array) and finds the disks in the region.
func (st *store) policyDisks(r *request, rg *region, notFound *APIError) ([]*disk, error) {
	v := r.str("diskIds")
	if v == "" {
		v = r.str("DiskIds")
	}
	if v == "" {
		return nil, errMissing("diskIds")
	}
	var ids []string
	if err := json.Unmarshal([]byte(v), &ids); err != nil || len(ids) == 0 || len(ids) > 1000 {
		return nil, errPolicyParam("DiskIds")
	}
	var out []*disk
	for _, id := range ids {
		d := st.disks[id]
		if d == nil || d.RegionID != rg.ID {
			return nil, notFound
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out, nil
}

// ApplyAutoSnapshotPolicy: a disk holds one policy; applying replaces the
// one it had.
func applyAutoSnapshotPolicy(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	p, err := st.policyParam(r, rg)
	if err != nil {
		return nil, err
	}
	disks, err := st.policyDisks(r, rg, bkErrDiskNotFound())
	if err != nil {
		return nil, err
	}
	for _, d := range disks {
		if strings.HasPrefix(d.Category, "ephemeral") || strings.HasPrefix(d.Category, "local") {
			return nil, &APIError{Status: 400, Code: "DiskCategory.OperationNotSupported", Message: "The category of the specified disk does not support automatic snapshot policies."}
		}
	}
	for _, d := range disks {
		d.AutoSnapshotPolicyID, d.EnableAutoSnapshot = p.ID, true
	}
	return map[string]any{}, nil
}

// CancelAutoSnapshotPolicy: diskIds only; the disks lose their policy.
func cancelAutoSnapshotPolicy(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	disks, err := st.policyDisks(r, rg, &APIError{Status: 404, Code: "ParameterInvalid", Message: "The specified disk does not exist in the region."})
	if err != nil {
		return nil, err
	}
	for _, d := range disks {
		d.AutoSnapshotPolicyID, d.EnableAutoSnapshot = "", false
	}
	return map[string]any{}, nil
}

// DeleteAutoSnapshotPolicy releases the disks the policy was applied to; the
// automatic snapshots it took stay (until their own retention ends).
func deleteAutoSnapshotPolicy(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	p, err := st.policyParam(r, rg)
	if err != nil {
		return nil, err
	}
	for _, d := range st.disks {
		if d.AutoSnapshotPolicyID == p.ID {
			d.AutoSnapshotPolicyID, d.EnableAutoSnapshot = "", false
		}
	}
	delete(st.policies, p.ID)
	return map[string]any{}, nil
}
