package cloud

import "time"

// AllRegions is the region value meaning every region from DescribeRegions.
const AllRegions = "all"

// Region is an Alibaba Cloud region as DescribeRegions reports it.
type Region struct {
	ID       string // e.g. "cn-hangzhou"
	Name     string // localised name, e.g. "China (Hangzhou)"
	Endpoint string // ECS API host for the region
}

// Zone is an availability zone of a region.
type Zone struct {
	ID             string
	RegionID       string
	Name           string
	DiskCategories []string // disk categories that can be created in the zone
	InstanceTypes  []string // instance types that can be created in the zone
	// SystemDiskCategories are the categories a new instance's system
	// disk may have in the zone (DescribeZones' AvailableResources).
	SystemDiskCategories []string
}

// InstanceState is the lifecycle state of an instance.
type InstanceState string

// Instance states as the ECS API spells them.
const (
	StatePending  InstanceState = "Pending"
	StateRunning  InstanceState = "Running"
	StateStarting InstanceState = "Starting"
	StateStopping InstanceState = "Stopping"
	StateStopped  InstanceState = "Stopped"
)

// InstanceStatus is the state DescribeInstanceStatus reports for an
// instance; it is the same type as Instance.Status so the two compare.
type InstanceStatus = InstanceState

// Instance is an ECS instance.
type Instance struct {
	ID          string
	Name        string
	Description string
	RegionID    string
	ZoneID      string
	Status      InstanceState

	Type       string // instance type, e.g. "ecs.g7.large"
	TypeFamily string // e.g. "ecs.g7"
	CPU        int    // vCPUs
	MemoryMiB  int

	ImageID string
	OSType  string // "linux" or "windows"
	OSName  string

	PublicIP         string // public or elastic IP, "" if none
	PrivateIP        string
	VpcID            string
	VSwitchID        string
	SecurityGroupIDs []string
	KeyPairName      string

	ChargeType         string // "PostPaid" or "PrePaid"
	InternetChargeType string // "PayByTraffic" or "PayByBandwidth"
	BandwidthOutMbps   int

	CreatedAt time.Time
	ExpiresAt time.Time // zero when the API reports none

	StoppedMode string   // "KeepCharging", "StopCharging" or "Not-applicable"
	LockReasons []string // operation locks, e.g. "security", "financial"
	Tags        map[string]string
}

// InstanceType is the specification of an instance type.
type InstanceType struct {
	ID        string
	Family    string
	CPU       int
	MemoryGiB float64
}

// KeyPair is an SSH key pair registered in a region.
type KeyPair struct {
	Name        string
	RegionID    string
	Fingerprint string
	CreatedAt   time.Time
}
