package emulator

// ecsRoutes maps ECS (2014-05-26) actions to handlers.
func (s *Server) ecsRoutes() map[string]handler {
	return map[string]handler{
		"DescribeRegions":                describeRegions,
		"DescribeZones":                  describeZones,
		"DescribeInstances":              describeInstances,
		"DescribeInstanceStatus":         describeInstanceStatus,
		"DescribeInstanceTypes":          describeInstanceTypes,
		"DescribeDisks":                  describeDisks,
		"DescribeImages":                 describeImages,
		"DescribeSnapshots":              describeSnapshots,
		"DescribeAutoSnapshotPolicyEx":   describeAutoSnapshotPolicyEx,
		"DescribeSecurityGroups":         describeSecurityGroups,
		"DescribeSecurityGroupAttribute": describeSecurityGroupAttribute,
		"DescribeKeyPairs":               describeKeyPairs,
	}
}
