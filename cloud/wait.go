package cloud

import (
	"context"
	"fmt"
	"time"
)

// waitPolicy is Wait's polling: first after base, doubling up to cap.
type waitPolicy struct {
	base, cap time.Duration
}

var defaultWaitPolicy = waitPolicy{base: time.Second, cap: 10 * time.Second}

// Wait is the one helper for waiting on a target state (an instance
// Stopped, a disk Available, a snapshot at 100 %). It calls check at once
// and then with back-off (1 s, 2 s, 4 s, ... at most 10 s apart) until
// check reports done or fails, or ctx is done (the error then wraps
// ctx.Err()). progress, if not nil, receives check's progress text each
// time it changes (for the activity list). check's reads retry on their
// own; an error from check ends the wait.
func (c *Client) Wait(ctx context.Context, check func(ctx context.Context) (done bool, progress string, err error), progress func(string)) error {
	pol := c.waitPolicy()
	delay := pol.base
	last := ""
	for {
		done, prog, err := check(ctx)
		if err != nil {
			return err
		}
		if progress != nil && prog != "" && prog != last {
			progress(prog)
			last = prog
		}
		if done {
			return nil
		}
		if err := sleepCtx(ctx, delay); err != nil {
			return fmt.Errorf("waiting: %w", err)
		}
		delay = min(delay*2, pol.cap)
	}
}
