package cloud

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Ambiguous failures. A write whose answer was lost — no answer (timeout,
// connection reset), a 5xx after the request was sent, an answer the SDK
// could not read — may or may not have been applied. Execute never reports
// one as a failure from the error alone: it reads the resource back (the
// plan's readBack) and decides from its state, before retrying and before
// reporting. When it cannot tell, the error is an *OutcomeUnknownError
// (errors.Is(err, ErrOutcomeUnknown)): "could not confirm", never "failed".

// ErrOutcomeUnknown is matched (errors.Is) by every *OutcomeUnknownError.
var ErrOutcomeUnknown = errors.New("outcome unknown")

// OutcomeUnknownError says a write's answer was lost and reading the
// resource back could not tell whether it was applied.
type OutcomeUnknownError struct {
	Action    string
	Resources []string
	Lost      error // the failure that left the outcome open (an *APIError, or a deadline)
	// ReadBack is why the read-back could not tell; nil when the action has
	// no read-back.
	ReadBack error
}

// Error says what is known and what to do.
func (e *OutcomeUnknownError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: could not confirm the outcome: the answer was lost (%v)", e.Action, strings.Join(e.Resources, ", "), e.Lost)
	if e.ReadBack != nil {
		fmt.Fprintf(&b, " and reading it back failed (%v)", e.ReadBack)
	} else {
		b.WriteString(" and this action cannot be read back")
	}
	b.WriteString("; the change may have been made: look at the resource before trying again")
	return b.String()
}

// Is makes errors.Is(err, ErrOutcomeUnknown) hold.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// Unwrap returns the failure whose answer was lost.
func (e *OutcomeUnknownError) Unwrap() error { return e.Lost }

// Ambiguous reports whether err leaves a write's outcome open: no answer
// (SDK.TimeoutError, SDK.ServerUnreachable, or the call's deadline passed
// while it was out), an answer that could not be read (any other SDK.*
// code without an HTTP status), or a 5xx (the request reached the
// service). A 4xx, throttling included, is a refusal: nothing was done.
// The caller's own cancellation is not ambiguous here: the caller chose
// not to know.
func Ambiguous(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var e *APIError
	if errors.As(err, &e) {
		if e.Code == CodeMalformedAnswer {
			return true // the service answered, but unreadably: it may have acted
		}
		if e.HTTPStatus == 0 {
			return strings.HasPrefix(e.Code, "SDK.")
		}
		return e.HTTPStatus >= 500
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// sighting is what a read-back saw of one resource.
type sighting struct {
	applied bool
	unsure  bool   // the state cannot tell (a reboot that may have finished)
	seen    string // e.g. "Stopping", "type ecs.g7.large"
}

// readBack reads the resources of a write whose answer was lost and says,
// per resource id, whether the write was applied. since is when the write
// was first sent.
type readBack func(ctx context.Context, c *Client, since time.Time) (map[string]sighting, error)

// readBackTimeout bounds one read-back, on a context of its own when the
// call's deadline has passed (the deadline is what lost the answer).
const readBackTimeout = 20 * time.Second

// confirmation is the result of one read-back of a plan.
type confirmation struct {
	seen map[string]sighting
	err  error
}

// allApplied reports whether the read-back saw the write applied to every
// resource it read.
func (cf confirmation) allApplied() bool {
	if cf.err != nil || len(cf.seen) == 0 {
		return false
	}
	for _, s := range cf.seen {
		if !s.applied || s.unsure {
			return false
		}
	}
	return true
}

// noneApplied reports whether the read-back saw the write applied nowhere,
// with certainty.
func (cf confirmation) noneApplied() bool {
	if cf.err != nil || len(cf.seen) == 0 {
		return false
	}
	for _, s := range cf.seen {
		if s.applied || s.unsure {
			return false
		}
	}
	return true
}

// anyApplied reports whether the read-back saw the write applied to at
// least one resource.
func (cf confirmation) anyApplied() bool {
	for _, s := range cf.seen {
		if s.applied && !s.unsure && cf.err == nil {
			return true
		}
	}
	return false
}

// describe is what was seen, for the audit line and Result.ReadBack:
// "i-1 Stopping, i-2 Stopped".
func (cf confirmation) describe() string {
	ids := make([]string, 0, len(cf.seen))
	for id := range cf.seen {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = id + " " + cf.seen[id].seen
	}
	return strings.Join(parts, ", ")
}

// readBackOf runs p's read-back; a plan without one gives an empty
// confirmation (nothing can be told).
func (c *Client) readBackOf(ctx context.Context, p *Plan, since time.Time) confirmation {
	if p.confirm == nil {
		return confirmation{}
	}
	if ctx.Err() != nil {
		// The call's deadline lost the answer: the read gets its own time.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), readBackTimeout)
		defer cancel()
	}
	seen, err := p.confirm(ctx, c, since)
	if err == nil && len(seen) == 0 {
		err = errors.New("the read-back saw nothing")
	}
	return confirmation{seen: seen, err: err}
}

// Read-backs of the writes that have one (set by their Plan constructors).

// instancesIn is the read-back of a power operation: applied when the
// instance is in one of the states the operation leads to. unsure states
// cannot tell (a reboot that may already have finished).
func instancesIn(region string, ids []string, applied, unsure []InstanceState) readBack {
	ids = slices.Clone(ids)
	return func(ctx context.Context, c *Client, _ time.Time) (map[string]sighting, error) {
		got, err := c.InstanceStatuses(ctx, region, ids)
		if err != nil {
			return nil, err
		}
		out := make(map[string]sighting, len(ids))
		for _, id := range ids {
			s, ok := got[id]
			if !ok {
				return nil, fmt.Errorf("%s not found in %s", id, region)
			}
			out[id] = sighting{applied: slices.Contains(applied, s), unsure: slices.Contains(unsure, s), seen: string(s)}
		}
		return out, nil
	}
}

// instanceIs is the read-back of a change of one instance: applied when
// judge says so of the instance as read now.
func instanceIs(region, id string, judge func(Instance) sighting) readBack {
	return func(ctx context.Context, c *Client, _ time.Time) (map[string]sighting, error) {
		in, err := c.describeOneInstance(ctx, region, id)
		if err != nil {
			return nil, err
		}
		return map[string]sighting{id: judge(in)}, nil
	}
}

// diskIs is the read-back of a change of one disk: applied when judge
// says so of the disk as read now.
func diskIs(region, id string, judge func(Disk) sighting) readBack {
	return func(ctx context.Context, c *Client, _ time.Time) (map[string]sighting, error) {
		list, err := c.Disks(ctx, region, DiskFilter{DiskIDs: []string{id}})
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, fmt.Errorf("disk %s not found in %s", id, region)
		}
		return map[string]sighting{id: judge(list[0])}, nil
	}
}
