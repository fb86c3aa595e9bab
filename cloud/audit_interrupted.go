package cloud

import (
	"fmt"
	"time"
)

// AuditInterrupted is the result of an operation that was still running
// when ecsdash was stopped (a signal): what it had sent the cloud finishes,
// but nobody followed it to its end, so its outcome is not known.
const AuditInterrupted = "interrupted"

// Interruption is an operation ecsdash stopped following: the dashboard's
// name for it ("stop i-abc") and the last step it reported.
type Interruption struct {
	Region   string
	Action   string // e.g. "stop i-abc", as the activity list names it
	LastStep string // e.g. "stop i-abc: Stopping"
	Reason   string // why ecsdash stopped, e.g. "SIGHUP"
}

// RecordInterrupted writes one audit line (result AuditInterrupted) for an
// operation that was still running when ecsdash was stopped, so the log
// says it was never followed to its end rather than nothing at all. The
// calls it made already have their own lines. A client without an audit
// log writes nothing.
func (c *Client) RecordInterrupted(in Interruption) error {
	af, err := c.audit().open()
	if err != nil || af == nil {
		return err
	}
	profile := ""
	if c.safe != nil {
		profile = c.safe.profile
	}
	msg := fmt.Sprintf("ecsdash was stopped (%s) while this was running; the cloud finishes what was sent, but its outcome was not followed: check the resource", in.Reason)
	if in.LastStep != "" {
		msg += " (last step: " + in.LastStep + ")"
	}
	return af.write(AuditEntry{
		Time:    time.Now().UTC(),
		Profile: profile,
		Region:  in.Region,
		Action:  in.Action,
		Result:  AuditInterrupted,
		Code:    "Interrupted",
		Message: msg,
	})
}
