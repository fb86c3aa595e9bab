package cloud

import "time"

// SecurityGroup is a security group.
type SecurityGroup struct {
	ID          string
	Name        string
	Description string
	RegionID    string
	VpcID       string
	Type        string // "normal" or "enterprise"
	CreatedAt   time.Time
}

// SecurityGroupRule is one rule (permission) of a security group.
type SecurityGroupRule struct {
	ID            string
	GroupID       string // the group the rule belongs to
	Direction     string // "ingress" or "egress"
	Protocol      string // "TCP", "UDP", "ICMP", "GRE", "ALL"
	PortRange     string // "22/22", "-1/-1"
	SourceCIDR    string
	DestCIDR      string
	SourceGroupID string
	DestGroupID   string // egress to another group
	Policy        string // "Accept" or "Drop"
	Priority      int    // 1 (highest) .. 100
	Description   string
}
