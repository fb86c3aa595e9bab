package cloud

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// SSH key pair operations (API notes §3.7; addendum §3.7).
//
// A created key pair's private key is returned by the API once. It is
// handed back in a *PrivateKey, not in Result: Result is shown, logged and
// passed around the UI; a PrivateKey prints, formats, marshals and logs as
// "<redacted>", can be read only with PEM, written only with WriteFile
// (0600, never over an existing file), and wiped with Wipe.

// PrivateKey holds a private key returned once by CreateKeyPair. The zero
// value (and the value before its plan is executed) is empty. Safe for
// use from several goroutines.
type PrivateKey struct {
	mu  sync.Mutex
	pem []byte
}

// String, GoString, Format, MarshalJSON, MarshalText and LogValue never
// show the key: they all give "<redacted>".
func (k *PrivateKey) String() string               { return redactedValue }
func (k *PrivateKey) GoString() string             { return redactedValue }
func (k *PrivateKey) Format(f fmt.State, _ rune)   { _, _ = f.Write([]byte(redactedValue)) }
func (k *PrivateKey) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(redactedValue)), nil }
func (k *PrivateKey) MarshalText() ([]byte, error) { return []byte(redactedValue), nil }
func (k *PrivateKey) LogValue() slog.Value         { return slog.StringValue(redactedValue) }

func (k *PrivateKey) set(pem string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.pem = []byte(pem)
}

// Empty reports whether there is no key (not created yet, or wiped).
func (k *PrivateKey) Empty() bool {
	if k == nil {
		return true
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.pem) == 0
}

// PEM returns a copy of the key, PEM-encoded as the API gave it, to show
// it to the user once; nil when Empty.
func (k *PrivateKey) PEM() []byte {
	if k == nil {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Clone(k.pem)
}

// Wipe zeroes and forgets the key (after it was shown or saved).
func (k *PrivateKey) Wipe() {
	if k == nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	clear(k.pem)
	k.pem = nil
}

// WriteFile writes the key to path with mode 0600, refusing to overwrite
// an existing file (or to follow a symlink there). The error never
// contains the key.
func (k *PrivateKey) WriteFile(path string) error {
	b := k.PEM()
	if len(b) == 0 {
		return errors.New("private key: nothing to write (the key pair was not created, or the key was wiped)")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("private key: %s already exists: choose another file", path)
		}
		return fmt.Errorf("private key: %w", err)
	}
	_, err = f.Write(b)
	clear(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("private key: writing %s: %w", path, err)
	}
	return nil
}

// PlanCreateKeyPair plans CreateKeyPair: the name is checked first
// (ValidateKeyPairName). When the plan is executed the API's one copy of
// the private key goes into the returned *PrivateKey (never into Result,
// the audit log or a log); Result.IDs holds the key pair's name and its
// fingerprint. ClientToken-less API, but a create: sent once (a lost
// answer leaves the key pair without its private key: delete it and
// create it again).
func (c *Client) PlanCreateKeyPair(regionID, name string) (*Plan, *PrivateKey, error) {
	region, err := c.oneRegion("CreateKeyPair", regionID)
	if err != nil {
		return nil, nil, err
	}
	if err := ValidateKeyPairName(name); err != nil {
		return nil, nil, err
	}
	key := &PrivateKey{}
	op := Operation{
		Product: "ecs", Action: "CreateKeyPair", Region: region, Resources: []string{name},
		Params: map[string]string{"RegionId": region, "KeyPairName": name},
	}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		req := ecs.CreateCreateKeyPairRequest()
		req.RegionId = region
		req.KeyPairName = name
		r, err := api.ecs.CreateKeyPair(req)
		if err != nil {
			return Result{RequestID: r.RequestId}, err
		}
		key.set(r.PrivateKeyBody)
		r.PrivateKeyBody = ""
		return Result{RequestID: r.RequestId, IDs: []string{r.KeyPairName, r.KeyPairFingerPrint}}, nil
	}), key, nil
}

// CreateKeyPair creates a key pair through Execute (read-only guard,
// audit) and returns it with its private key, which the API gives only
// this once.
func (c *Client) CreateKeyPair(ctx context.Context, regionID, name string) (KeyPair, *PrivateKey, error) {
	p, key, err := c.PlanCreateKeyPair(regionID, name)
	if err != nil {
		return KeyPair{}, nil, err
	}
	res, err := c.Execute(ctx, p)
	if err != nil {
		return KeyPair{}, nil, err
	}
	kp := KeyPair{Name: name, RegionID: p.Op.Region}
	if len(res.IDs) == 2 {
		kp.Fingerprint = res.IDs[1]
	}
	return kp, key, nil
}

// PlanImportKeyPair plans ImportKeyPair of an OpenSSH public key line
// (ValidatePublicKey and ValidateKeyPairName check it first). Result.IDs:
// the name and the fingerprint.
func (c *Client) PlanImportKeyPair(regionID, name, publicKey string) (*Plan, error) {
	region, err := c.oneRegion("ImportKeyPair", regionID)
	if err != nil {
		return nil, err
	}
	if err := ValidateKeyPairName(name); err != nil {
		return nil, err
	}
	if err := ValidatePublicKey(publicKey); err != nil {
		return nil, err
	}
	body := strings.TrimSpace(publicKey)
	op := Operation{
		Product: "ecs", Action: "ImportKeyPair", Region: region, Resources: []string{name},
		Params: map[string]string{"RegionId": region, "KeyPairName": name, "PublicKeyBody": body},
	}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		req := ecs.CreateImportKeyPairRequest()
		req.RegionId = region
		req.KeyPairName = name
		req.PublicKeyBody = body
		r, err := api.ecs.ImportKeyPair(req)
		return Result{RequestID: r.RequestId, IDs: []string{r.KeyPairName, r.KeyPairFingerPrint}}, err
	}), nil
}

// MaxKeyPairInstances is how many instances one Attach/DetachKeyPair call
// takes.
const MaxKeyPairInstances = 50

// PlanAttachKeyPair plans AttachKeyPair of the named key pair to Linux
// instances (50 per call, batched). A Windows instance is refused before
// any call, with the reason. Result.Items has one outcome per instance
// (Code "200" for success). The key replaces the instance's old one and
// disables password login, but takes effect only after a restart: chain
// PlanApplyLogin. Binding again is harmless: Execute retries it.
func (c *Client) PlanAttachKeyPair(regionID, name string, targets []Instance) (*Plan, error) {
	return c.planBindKeyPair("AttachKeyPair", regionID, name, targets)
}

// PlanDetachKeyPair plans DetachKeyPair of the named key pair from Linux
// instances; as PlanAttachKeyPair.
func (c *Client) PlanDetachKeyPair(regionID, name string, targets []Instance) (*Plan, error) {
	return c.planBindKeyPair("DetachKeyPair", regionID, name, targets)
}

func (c *Client) planBindKeyPair(action, regionID, name string, targets []Instance) (*Plan, error) {
	region, err := c.oneRegion(action, regionID)
	if err != nil {
		return nil, err
	}
	if err := requireID("key pair", name); err != nil {
		return nil, err
	}
	ids := instanceIDs(targets)
	if err := ValidateInstanceIDs(ids); err != nil {
		return nil, err
	}
	for _, in := range targets {
		if in.OSType == "windows" {
			return nil, invalid("instances", "%s runs Windows: SSH key pairs are for Linux instances only (log in to Windows with its password)", in.ID)
		}
	}
	params := func(part []string) map[string]string {
		return map[string]string{"RegionId": region, "KeyPairName": name, "InstanceIds": jsonList(part)}
	}
	whole := Operation{Product: "ecs", Action: action, Region: region, Resources: append([]string{name}, ids...), Params: params(ids), Idempotent: true}
	var parts []*Plan
	for _, part := range batches(slices.Clone(ids), MaxKeyPairInstances) {
		op := whole
		op.Resources, op.Params = append([]string{name}, part...), params(part)
		parts = append(parts, newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
			var (
				id      string
				results []ecs.Result
				err     error
			)
			if action == "AttachKeyPair" {
				req := ecs.CreateAttachKeyPairRequest()
				req.RegionId, req.KeyPairName, req.InstanceIds = region, name, jsonList(part)
				var r *ecs.AttachKeyPairResponse
				r, err = api.ecs.AttachKeyPair(req)
				id, results = r.RequestId, r.Results.Result
			} else {
				req := ecs.CreateDetachKeyPairRequest()
				req.RegionId, req.KeyPairName, req.InstanceIds = region, name, jsonList(part)
				var r *ecs.DetachKeyPairResponse
				r, err = api.ecs.DetachKeyPair(req)
				id, results = r.RequestId, r.Results.Result
			}
			if err != nil {
				return Result{RequestID: id}, err
			}
			items := make([]ItemResult, 0, len(results))
			for _, x := range results {
				code := x.Code
				if strings.EqualFold(x.Success, "true") && code == "" {
					code = "200"
				}
				items = append(items, ItemResult{ID: x.InstanceId, Code: code, Message: x.Message})
			}
			return Result{RequestID: id, Items: orderItems(part, items)}, nil
		}))
	}
	return newBatchPlan(whole, parts), nil
}

// MaxKeyPairNames is how many key pairs one DeleteKeyPairs call takes.
const MaxKeyPairNames = 100

// PlanDeleteKeyPairs plans DeleteKeyPairs (100 names per call, batched).
// Destructive: the UI asks for the names typed and lists the instances
// still bound (they keep working, and still show the name, but the key
// pair cannot be bound again). Deleting again changes nothing: Execute
// retries it.
func (c *Client) PlanDeleteKeyPairs(regionID string, names []string) (*Plan, error) {
	region, err := c.oneRegion("DeleteKeyPairs", regionID)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, invalid("key pairs", "none selected: choose at least one")
	}
	for i, n := range names {
		if err := requireID("key pair", n); err != nil {
			return nil, err
		}
		if slices.Contains(names[:i], n) {
			return nil, invalid("key pairs", "%s is listed twice", n)
		}
	}
	whole := Operation{
		Product: "ecs", Action: "DeleteKeyPairs", Region: region, Resources: slices.Clone(names),
		Params: map[string]string{"RegionId": region, "KeyPairNames": jsonList(names)}, Idempotent: true, Destructive: true,
	}
	var parts []*Plan
	for _, part := range batches(slices.Clone(names), MaxKeyPairNames) {
		op := whole
		op.Resources, op.Params = part, map[string]string{"RegionId": region, "KeyPairNames": jsonList(part)}
		parts = append(parts, newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
			req := ecs.CreateDeleteKeyPairsRequest()
			req.RegionId, req.KeyPairNames = region, jsonList(part)
			r, err := api.ecs.DeleteKeyPairs(req)
			return Result{RequestID: r.RequestId}, err
		}))
	}
	return newBatchPlan(whole, parts), nil
}
