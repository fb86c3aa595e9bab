package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"sort"
	"sync"
	"time"
)

// store is the emulated account: every resource in every region. One mutex
// guards it; the server holds it for the whole of a handler, so handlers never
// lock. Transient states settle lazily: each request first applies the
// transitions whose time has come (settle), so no goroutine ticks in the
// background and a pinned clock gives reproducible answers.
type store struct {
	mu    sync.Mutex
	now   func() time.Time
	delay time.Duration // how long a transient state lasts
	seed  uint64

	regions        []*region // in DescribeRegions order
	zones          map[string][]*zone
	instanceTypes  []*instanceType
	instances      map[string]*instance
	disks          map[string]*disk
	images         map[string]*image
	snapshots      map[string]*snapshot
	policies       map[string]*autoSnapshotPolicy
	securityGroups map[string]*securityGroup
	keyPairs       map[string]*keyPair // key: regionID + "/" + name
	cms            *cmsState           // CloudMonitor alarm rules, contacts, alert history

	pending []transition
	tokens  map[string]tokenEntry // action + "/" + ClientToken
	serial  int                   // for new resource ids

	snapshotGroups  map[string]*snapshotGroup // CreateSnapshotGroup (lazily made: see groups())
	tasks           map[string]*ecsTask       // ExportImage tasks (lazily made: see taskMap())
	policyCheckedAt time.Time                 // automatic snapshot policies have fired up to here
	invocations     map[string]*invocation    // Cloud Assistant runs by InvokeId (lazily made: see invocationMap())
}

type region struct {
	ID, LocalName, Endpoint, Status string
	idPrefix                        string // region-specific part of new ids, e.g. "bp1"
}

type zone struct {
	ID, RegionID, LocalName string
	DiskCategories          []string
	InstanceTypes           []string
}

type instanceType struct {
	ID, Family string
	CPU        int
	MemoryGiB  float64
	Generation string
}

// health is the metric generator's scenario for an instance: what kind of
// trouble (if any) its metrics show.
type health string

const (
	healthNormal     health = "normal"
	healthCPUPegged  health = "cpu-pegged"
	healthDiskFull   health = "disk-full"
	healthMemoryLeak health = "memory-leak"
	healthIdle       health = "idle"
)

type instance struct {
	ID, Name, Description, HostName  string
	RegionID, ZoneID                 string
	Status                           string // Pending, Starting, Running, Stopping, Stopped
	InstanceType, InstanceTypeFamily string
	CPU                              int
	MemoryMiB                        int
	ImageID, OSType, OSName          string
	InstanceChargeType               string // PostPaid, PrePaid
	InternetChargeType               string // PayByTraffic, PayByBandwidth
	InternetMaxBandwidthIn           int
	InternetMaxBandwidthOut          int
	PublicIP, PrivateIP              string
	VpcID, VSwitchID                 string
	SecurityGroupIDs                 []string
	KeyPairName                      string
	CreationTime, StartTime          time.Time
	ExpiredTime                      time.Time // zero for PostPaid
	StoppedMode                      string
	DeletionProtection               bool
	LockReasons                      []string
	Tags                             map[string]string
	Health                           health
	AgentStatus                      string // CMS agent: running, stopped, not_installed, ...
	AgentVersion                     string

	StoppedAt     time.Time // when it last reached Stopped through the API (zero: before the emulator started)
	BootedAt      time.Time // when it last booted through the API (Start/Reboot)
	SpecChangedAt time.Time // last successful ModifyInstanceSpec type change (5-minute throttle)
	Downgrades    int       // ModifyPrepayInstanceSpec downgrades so far (at most 3)
	FSEvents      []fsEvent // guest filesystem changes the metric generator applies

	// Login changes wait for a console/API restart (ecs_instance_attr.go,
	// ecs_keypair_ops.go): booted applies them.
	LoginPassword   string // the password the guest accepts (empty: never set through the API)
	PendingPassword string // ModifyInstanceAttribute Password, applied on the next boot
	GuestKeyPair    string // the key pair the guest accepts
	KeyPairPending  bool   // KeyPairName changed (Attach/DetachKeyPair) and waits for the next boot
}

type disk struct {
	ID, Name, Description         string
	RegionID, ZoneID              string
	Type                          string // system, data
	Category, PerformanceLevel    string
	SizeGiB                       int
	Status                        string // Creating, Available, Attaching, In_use, Detaching, ReIniting
	InstanceID, Device            string
	ImageID, SourceSnapshotID     string
	Portable, DeleteWithInstance  bool
	DeleteAutoSnapshot, Encrypted bool
	EnableAutoSnapshot            bool
	AutoSnapshotPolicyID          string
	ChargeType                    string
	CreationTime, AttachedTime    time.Time
	DetachedTime                  time.Time
	IOPS                          int
	Filesystem                    string // ext4 / xfs: what Cloud Assistant's growpart output names
	PartitionGiB                  int    // size the guest's filesystem has grown to
	GrownPartGiB                  int    // partition size after growpart, before the filesystem grew (0: = PartitionGiB)
	GuestGiB                      int    // size the guest sees until its next restart after an offline resize (0: = SizeGiB)
}

type image struct {
	ID, Name, Description, Family      string
	RegionID                           string
	OwnerAlias                         string // system, self, others, marketplace
	OwnerID                            string
	Status                             string // Creating, Waiting, Available, UnAvailable, CreateFailed, Deprecated
	Progress                           int
	SizeGiB                            int
	OSType, OSName, Platform, Arch     string
	CreationTime                       time.Time
	SourceInstanceID, SourceSnapshotID string
	SnapshotIDs                        []string // disk device mappings
	SharedWith                         []string
	IsCopied                           bool
	Usage                              string
	ImageFamily                        string               // a custom image's ImageFamily (system images: Family)
	ImageVersion                       string               // CreateImage ImageVersion
	SharedAt                           map[string]time.Time // account -> when it was shared
	CopiedFrom                         string               // CopyImage: source region + "/" + image id
}

type snapshot struct {
	ID, Name, Description string
	RegionID              string
	SourceDiskID          string
	SourceDiskType        string // System, Data
	SourceDiskSizeGiB     int
	Status                string // progressing, accomplished, failed
	Progress              int
	Type                  string // user, auto
	Category              string // standard, flash
	RetentionDays         int
	CreationTime          time.Time
	Usage                 string // image, disk, image_disk, none
	InstantAccess         bool
	SourceRegionID        string // CopySnapshot: the region of the snapshot copied
	SourceSnapshotID      string // CopySnapshot: the snapshot copied
	GroupID               string // CreateSnapshotGroup: the group it belongs to
}

type autoSnapshotPolicy struct {
	ID, Name       string
	RegionID       string
	TimePoints     []int
	RepeatWeekdays []int
	RetentionDays  int
	Status         string // Normal, Expire
	CreationTime   time.Time
}

type securityGroup struct {
	ID, Name, Description string
	RegionID, VpcID       string
	Type                  string // normal, enterprise
	CreationTime          time.Time
	Rules                 []*securityGroupRule
}

type securityGroupRule struct {
	ID                       string
	Direction                string // ingress, egress
	IPProtocol               string // TCP, UDP, ICMP, GRE, ALL
	PortRange                string // "22/22", "-1/-1"
	SourceCidrIP, DestCidrIP string
	Ipv6SourceCidrIP         string // an IPv6 source instead of SourceCidrIP
	Ipv6DestCidrIP           string
	SourceGroupID            string
	DestGroupID              string // egress to another group
	Policy                   string // Accept, Drop
	Priority                 int
	NicType                  string
	Description              string
	CreateTime               time.Time
}

type keyPair struct {
	ID                          string // KeyPairId of CreateKeyPair ("" for seeded and imported ones)
	Name, RegionID, FingerPrint string
	PublicKey                   string
	CreationTime                time.Time
}

// transition is a timed state change (Starting -> Running, ...).
type transition struct {
	at    time.Time
	apply func()
}

type tokenEntry struct {
	paramsHash string
	response   any
	err        error
}

func newStore(opts Options) *store {
	st := &store{
		now:            opts.Now,
		delay:          opts.TransitionDelay,
		seed:           opts.Seed,
		zones:          map[string][]*zone{},
		instances:      map[string]*instance{},
		disks:          map[string]*disk{},
		images:         map[string]*image{},
		snapshots:      map[string]*snapshot{},
		policies:       map[string]*autoSnapshotPolicy{},
		securityGroups: map[string]*securityGroup{},
		keyPairs:       map[string]*keyPair{},
		tokens:         map[string]tokenEntry{},
	}
	generateFleet(st, opts)
	st.cms = newCMSState(st)
	return st
}

// after schedules apply to run once the transition delay has passed.
func (st *store) after(d time.Duration, apply func()) {
	st.pending = append(st.pending, transition{at: st.now().Add(d), apply: apply})
}

// settle applies every transition that is due, oldest first.
func (st *store) settle(now time.Time) {
	if len(st.pending) == 0 {
		return
	}
	sort.SliceStable(st.pending, func(i, j int) bool { return st.pending[i].at.Before(st.pending[j].at) })
	n := 0
	for n < len(st.pending) && !st.pending[n].at.After(now) {
		st.pending[n].apply()
		n++
	}
	st.pending = st.pending[n:]
}

// region returns a region by id, or nil.
func (st *store) region(id string) *region {
	for _, r := range st.regions {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// requireRegion validates a RegionId parameter.
func (st *store) requireRegion(id string) (*region, error) {
	if id == "" {
		return nil, errMissing("RegionId")
	}
	r := st.region(id)
	if r == nil {
		return nil, errNotFound("InvalidRegionId.NotFound", "RegionId")
	}
	return r, nil
}

// idempotent runs a create-style call once per ClientToken: the same token
// with the same parameters replays the first answer; with different
// parameters it is refused, as the real service does.
func (st *store) idempotent(r *request, run func() (any, error)) (any, error) {
	return st.idempotentCall(r, true, run)
}

// idempotentCall is the ClientToken logic both variants share;
// rememberFailures says whether a refused call uses the token up.
func (st *store) idempotentCall(r *request, rememberFailures bool, run func() (any, error)) (any, error) {
	token := r.str("ClientToken")
	if token == "" {
		return run()
	}
	if len(token) > 64 {
		return nil, errInvalidParam("ClientToken", "at most 64 ASCII characters")
	}
	key := r.action + "/" + token
	hash := paramsHash(r.params)
	if e, ok := st.tokens[key]; ok {
		if e.paramsHash != hash {
			return nil, &APIError{Status: 400, Code: "IdempotentParameterMismatch", Message: "The request is retried with updated parameters."}
		}
		return e.response, e.err
	}
	resp, err := run()
	if apiErr, ok := err.(*APIError); ok && (apiErr.Code == "DryRunOperation" || !rememberFailures) {
		return resp, err // a precheck (or a refusal, for the lenient variant) does not consume the token
	}
	st.tokens[key] = tokenEntry{paramsHash: hash, response: resp, err: err}
	return resp, err
}

// paramsHash identifies a call's business parameters (signing ones excluded).
func paramsHash(params url.Values) string {
	skip := map[string]bool{"Signature": true, "SignatureNonce": true, "Timestamp": true, "AccessKeyId": true, "SecurityToken": true, "SignatureType": true}
	clean := url.Values{}
	for k, v := range params {
		if !skip[k] {
			clean[k] = v
		}
	}
	sum := sha256.Sum256([]byte(clean.Encode()))
	return hex.EncodeToString(sum[:])
}

// Time formats of the real API: instances use minute precision, the others seconds.
const (
	timeMinute = "2006-01-02T15:04Z"
	timeSecond = "2006-01-02T15:04:05Z"
)

func fmtMinute(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeMinute)
}

func fmtSecond(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeSecond)
}
