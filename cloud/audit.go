package cloud

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Audit results.
const (
	AuditOK      = "ok"      // the API accepted the call
	AuditError   = "error"   // the call failed (Code says why), or its answer never came
	AuditRefused = "refused" // refused before any call (read-only)
	// AuditUnknown: the answer was lost and reading the resource back could
	// not tell whether the change was made (Message says why).
	AuditUnknown = "unknown"
)

// AuditEntry is one line of the audit log: one mutation attempted through
// Execute (all its retries included). Secret parameter values are never in
// it.
type AuditEntry struct {
	Time        time.Time         `json:"time"`
	Profile     string            `json:"profile"`
	Region      string            `json:"region"`
	Action      string            `json:"action"`
	Resources   []string          `json:"resources"`
	Params      map[string]string `json:"params"`
	Result      string            `json:"result"` // AuditOK, AuditError, AuditRefused or AuditUnknown
	Code        string            `json:"code,omitempty"`
	Message     string            `json:"message,omitempty"`
	RequestID   string            `json:"requestId,omitempty"`
	ClientToken string            `json:"clientToken,omitempty"`
	IDs         []string          `json:"ids,omitempty"`      // created
	Attempts    int               `json:"attempts,omitempty"` // requests sent, retries included
	// Armed says the change was made in a read-only session under :arm:
	// until when, and whether the arming had ended by the time this call
	// ran (an operation confirmed while armed runs to its end).
	Armed string `json:"armed,omitempty"`
}

// DefaultAuditPath is the audit log under the XDG state directory:
// $XDG_STATE_HOME/ecsdash/audit.jsonl, else ~/.local/state/ecsdash/audit.jsonl.
func DefaultAuditPath() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cloud: audit log: %w", err)
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "ecsdash", "audit.jsonl"), nil
}

// auditLog appends JSON Lines to a file. Each entry is one write of one
// line on a file opened O_APPEND, under a mutex: concurrent Executes never
// interleave.
type auditLog struct {
	path string
	mu   sync.Mutex
}

// auditFile is the log opened for one Execute (nil when there is no log).
type auditFile struct {
	log *auditLog
	f   *os.File
}

// open opens the log (creating it 0600, and its directory 0700) before the
// call it records is sent, so a mutation is never made that cannot be
// audited. A nil or path-less log opens nothing.
func (a *auditLog) open() (*auditFile, error) {
	if a == nil || a.path == "" {
		return nil, nil
	}
	if err := os.MkdirAll(filepath.Dir(a.path), 0o700); err != nil {
		return nil, fmt.Errorf("cloud: audit log: %w", err)
	}
	f, err := os.OpenFile(a.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cloud: audit log: %w", err)
	}
	return &auditFile{log: a, f: f}, nil
}

// write appends e as one line and closes the file.
func (af *auditFile) write(e AuditEntry) error {
	if af == nil {
		return nil
	}
	defer af.f.Close()
	if e.Resources == nil {
		e.Resources = []string{}
	}
	if e.Params == nil {
		e.Params = map[string]string{}
	}
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("cloud: audit log: %w", err)
	}
	line = append(line, '\n')
	af.log.mu.Lock()
	defer af.log.mu.Unlock()
	if _, err := af.f.Write(line); err != nil {
		return fmt.Errorf("cloud: audit log: %w", err)
	}
	return nil
}

// maxAuditLine bounds one line ReadAudit accepts.
const maxAuditLine = 1 << 20

// ReadAudit reads the audit log at path, newest entry first, at most limit
// entries (limit <= 0: all). A missing file is an empty log. Lines that do
// not parse (e.g. one cut short by a crash) are skipped.
func ReadAudit(path string, limit int) ([]AuditEntry, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cloud: audit log: %w", err)
	}
	defer f.Close()
	return readAudit(f, limit)
}

func readAudit(r io.Reader, limit int) ([]AuditEntry, error) {
	var all []AuditEntry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxAuditLine)
	for sc.Scan() {
		var e AuditEntry
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.Action == "" {
			continue
		}
		all = append(all, e)
		if limit > 0 && len(all) > 2*limit {
			all = append(all[:0], all[len(all)-limit:]...) // keep memory bounded
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("cloud: audit log: %w", err)
	}
	if limit > 0 && len(all) > limit {
		all = all[len(all)-limit:]
	}
	for i, j := 0, len(all)-1; i < j; i, j = i+1, j-1 {
		all[i], all[j] = all[j], all[i]
	}
	return all, nil
}
