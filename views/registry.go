package views

// Registry builds every view once; the shell keeps them for the whole
// session, so each view keeps its cursor, filter and sort when you leave
// and come back.
func Registry(ctx Context) []View {
	return []View{
		NewList(ctx, WithInstancePatches(WithInstanceCoverage(InstancesKind(ctx), ctx.CoverageMaxAge))),
		NewList(ctx, MetricsKind(ctx)),
		NewHistory(),
		NewList(ctx, RegionsKind()),
		NewList(ctx, SnapshotGroupsKind(ctx)),
		NewList(ctx, AuditKind(ctx)),
		NewList(ctx, WithDiskCoverage(DisksKind(ctx), ctx.CoverageMaxAge)),
		NewList(ctx, ImagesKind(ctx)),
		NewList(ctx, SnapshotsKind(ctx)),
		NewList(ctx, PoliciesKind(ctx)),
		NewList(ctx, SecurityGroupsKind(ctx)),
		NewList(ctx, AuditPortsKind()),
		NewList(ctx, KeyPairsKind(ctx)),
		NewList(ctx, AlarmsKind(ctx)),
		NewList(ctx, AlertsKind(ctx)),
	}
}

// Aliases maps extra palette names to view names.
func Aliases() map[string]string {
	return map[string]string{
		"securitygroups": "sg",
		"snapgroups":     "snapshot-groups",
		"instance":       "instances",
		"disk":           "disks",
		"image":          "images",
		"snapshot":       "snapshots",
		"policy":         "policies",
		"keypair":        "keypairs",
		"autosnapshot":   "policies",
		"volumes":        "disks",
		"exposure":       "audit-ports",
	}
}
