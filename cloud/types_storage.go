package cloud

import "time"

// DiskType says whether a disk is an instance's system disk or a data disk.
type DiskType string

// Disk types.
const (
	DiskSystem DiskType = "system"
	DiskData   DiskType = "data"
)

// DiskState is the state of a block storage disk.
type DiskState string

// Disk states as the ECS API spells them (note "In_use").
const (
	DiskInUse     DiskState = "In_use"
	DiskAvailable DiskState = "Available"
	DiskAttaching DiskState = "Attaching"
	DiskDetaching DiskState = "Detaching"
	DiskCreating  DiskState = "Creating"
	DiskReIniting DiskState = "ReIniting"
)

// DiskFilter narrows Disks. Empty fields do not filter.
type DiskFilter struct {
	InstanceID string
	DiskIDs    []string
}

// Disk is a block storage disk.
type Disk struct {
	ID                   string
	Name                 string
	RegionID             string
	ZoneID               string
	Type                 DiskType
	Category             string // e.g. "cloud_essd"
	PerformanceLevel     string // "PL0".."PL3" for ESSD
	SizeGiB              int
	Status               DiskState
	InstanceID           string
	Device               string
	Portable             bool
	DeleteWithInstance   bool
	AutoSnapshotPolicyID string
	ImageID              string
	SourceSnapshotID     string
	Encrypted            bool
	CreatedAt            time.Time
}

// ImageOwner selects images by who owns them.
type ImageOwner string

// Image owners, as DescribeImages' ImageOwnerAlias.
const (
	OwnerSelf        ImageOwner = "self"
	OwnerSystem      ImageOwner = "system"
	OwnerOthers      ImageOwner = "others"
	OwnerMarketplace ImageOwner = "marketplace"
)

// Image is an ECS image.
type Image struct {
	ID           string
	Name         string
	RegionID     string
	Owner        ImageOwner
	Status       string // "Available", "Creating", "CreateFailed", ...
	SizeGiB      int
	OSType       string
	OSName       string
	Platform     string
	Architecture string
	CreatedAt    time.Time
	Progress     int    // percent
	Family       string // image family, "" when none
}

// SnapshotFilter narrows Snapshots. Empty fields do not filter.
type SnapshotFilter struct {
	DiskID     string
	InstanceID string
	IDs        []string // at most 100 (DescribeSnapshots' SnapshotIds)
}

// Snapshot is a disk snapshot.
type Snapshot struct {
	ID            string
	Name          string
	RegionID      string
	DiskID        string
	DiskType      DiskType
	DiskSizeGiB   int
	Status        string // "progressing", "accomplished" or "failed"
	Progress      int    // percent
	Type          string // "user" or "auto"
	RetentionDays int    // 0 = kept until deleted
	CreatedAt     time.Time
}

// AutoSnapshotPolicy is an automatic snapshot policy.
type AutoSnapshotPolicy struct {
	ID             string
	Name           string
	RegionID       string
	TimePoints     []int // hours of the day (UTC+8), 0-23
	RepeatWeekdays []int // 1 = Monday .. 7 = Sunday
	RetentionDays  int   // -1 = forever
	DiskCount      int
	Status         string // "Normal" or "Expire"
}
