package emulator

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// RunInstances (addendum §3.1): launch Amount instances from an image (or
// the newest image of ImageFamily). They are Pending, then Starting, then
// Running over transition delays, with a system disk from the image (and
// data disks from its data snapshots or DataDisk.N), a private IP in the
// vSwitch, a public IP when InternetMaxBandwidthOut > 0, the CloudMonitor
// agent running and metrics like the rest of the fleet. ClientToken makes a
// retry answer the same InstanceIdSets; DryRun answers DryRunOperation after
// every check.

var bkSystemDiskCategories = []string{"cloud_efficiency", "cloud_essd", "cloud_ssd", "cloud_auto", "cloud_essd_entry", "cloud"}

// bkVSwitch is what the account knows of a vSwitch.
type bkVSwitch struct{ vpcID, zoneID string }

// bkVSwitches derives a region's vSwitches from the instances placed in them
// (the store keeps no VPC objects).
func (st *store) bkVSwitches(regionID string) map[string]bkVSwitch {
	out := map[string]bkVSwitch{}
	for _, in := range st.instances {
		if in.RegionID == regionID && in.VSwitchID != "" {
			out[in.VSwitchID] = bkVSwitch{in.VpcID, in.ZoneID}
		}
	}
	return out
}

// bkNextPrivateIP hands out the next free address after the highest one used in
// the vSwitch.
func (st *store) bkNextPrivateIP(vswitchID, vpcID string) string {
	used := map[netip.Addr]bool{}
	var top netip.Addr
	for _, in := range st.instances {
		a, err := netip.ParseAddr(in.PrivateIP)
		if err != nil || in.VpcID != vpcID {
			continue
		}
		used[a] = true
		if in.VSwitchID == vswitchID && (!top.IsValid() || top.Less(a)) {
			top = a
		}
	}
	if !top.IsValid() {
		top = netip.MustParseAddr("172.16.0.10")
	}
	for a := top.Next(); ; a = a.Next() {
		b := a.As4()
		if b[3] == 0 || b[3] == 255 || b[3] == 1 || used[a] {
			continue
		}
		return a.String()
	}
}

// bkSequentialNames expands name_prefix[begin,bits]name_suffix for n
// instances; a plain name is repeated, or numbered 001... with UniqueSuffix.
func bkSequentialNames(pattern string, n int, uniqueSuffix bool) ([]string, bool) {
	open, close := strings.IndexByte(pattern, '['), strings.IndexByte(pattern, ']')
	out := make([]string, n)
	if open < 0 || close < open {
		for i := range out {
			out[i] = pattern
			if uniqueSuffix && n > 1 {
				out[i] = fmt.Sprintf("%s%03d", pattern, i+1)
			}
		}
		return out, true
	}
	inner := pattern[open+1 : close]
	if open == 0 || strings.ContainsRune(inner, ' ') {
		return nil, false
	}
	begin, bits := 0, 6
	if inner != "" {
		parts := strings.Split(inner, ",")
		if len(parts) > 2 {
			return nil, false
		}
		var err error
		if parts[0] != "" {
			if begin, err = strconv.Atoi(parts[0]); err != nil || begin < 0 || begin > 999999 {
				return nil, false
			}
		}
		if len(parts) == 2 && parts[1] != "" {
			if bits, err = strconv.Atoi(parts[1]); err != nil || bits < 1 || bits > 6 {
				return nil, false
			}
		}
		if len(parts[0]) > bits {
			bits = 6
		}
	}
	for i := range out {
		out[i] = fmt.Sprintf("%s%0*d%s", pattern[:open], bits, begin+i, pattern[close+1:])
	}
	return out, true
}

// bkValidInstanceName: 2-128 characters, starts with a letter, letters, digits,
// '.', '_', ':', '-'.
func bkValidInstanceName(s string) bool { return bkValidName(s, 2, 128) }

// bkValidHostName: Linux 2-64 characters, dot-separated segments of letters,
// digits and '-', no leading/trailing/double '.' or '-'; Windows 2-15.
func bkValidHostName(s string, windows bool) bool {
	if windows {
		return len(s) >= 2 && len(s) <= 15 && !strings.ContainsAny(s, ". ") && strings.IndexFunc(s, func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '-' }) < 0
	}
	if len(s) < 2 || len(s) > 64 {
		return false
	}
	for _, seg := range strings.Split(s, ".") {
		if seg == "" || strings.HasPrefix(seg, "-") || strings.HasSuffix(seg, "-") || strings.Contains(seg, "--") {
			return false
		}
		for _, c := range seg {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// bkValidPassword: 8-30 characters, three of upper, lower, digit, special.
func bkValidPassword(p string, windows bool) bool {
	const specials = "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/"
	if len(p) < 8 || len(p) > 30 || (windows && strings.HasPrefix(p, "/")) {
		return false
	}
	var up, low, dig, sp bool
	for _, c := range p {
		switch {
		case c >= 'A' && c <= 'Z':
			up = true
		case c >= 'a' && c <= 'z':
			low = true
		case c >= '0' && c <= '9':
			dig = true
		case strings.ContainsRune(specials, c):
			sp = true
		default:
			return false
		}
	}
	n := 0
	for _, b := range []bool{up, low, dig, sp} {
		if b {
			n++
		}
	}
	return n >= 3
}

// bkLaunchDisk is one data disk of a launch.
type bkLaunchDisk struct {
	size               int
	category, pl, name string
	snap               *snapshot
	deleteWithInstance bool
}

func runInstances(r *request) (any, error) {
	return r.server.store.bkIdempotent(r, func() (any, error) { return runInstancesOnce(r) })
}

func runInstancesOnce(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	// Image: ImageId, or the newest Available image of ImageFamily.
	var img *image
	switch {
	case r.has("ImageId"):
		img = st.image(rg.ID, r.str("ImageId"))
		if img == nil {
			return nil, errNotFound("InvalidImageId.NotFound", "ImageId")
		}
	case r.has("ImageFamily"):
		img = st.bkFamilyImage(rg.ID, r.str("ImageFamily"))
		if img == nil {
			return nil, &APIError{Status: 404, Code: "InvalidImageFamily.NotFound", Message: "The specified ImageFamily has no available image."}
		}
	default:
		return nil, errMissing("ImageId")
	}
	if img.Status != "Available" && img.Status != "Deprecated" {
		return nil, &APIError{Status: 403, Code: "OperationDenied.ImageNotValid", Message: "The specified image is not available: its status is " + img.Status + "."}
	}
	typeID, err := r.required("InstanceType")
	if err != nil {
		return nil, err
	}
	var it *instanceType
	for _, t := range st.instanceTypes {
		if t.ID == typeID {
			it = t
		}
	}
	if it == nil {
		return nil, &APIError{Status: 400, Code: "InvalidInstanceType.ValueNotSupported", Message: "The specified InstanceType does not exist or is not supported."}
	}
	if img.Arch == "arm64" {
		return nil, &APIError{Status: 403, Code: "ImageNotSupportInstanceType", Message: "The specified instance type does not support this image (arm64)."}
	}
	amount, err := r.intParam("Amount", 1)
	if err != nil {
		return nil, err
	}
	if amount < 1 || amount > 100 {
		return nil, &APIError{Status: 403, Code: "InvalidParam.Amount", Message: "The specified Amount is not valid: 1 to 100."}
	}
	if r.has("MinAmount") {
		minAmount, err := r.intParam("MinAmount", 1)
		if err != nil || minAmount < 1 || minAmount > amount {
			return nil, &APIError{Status: 400, Code: "InvalidMinAmount.Malformed", Message: "The specified MinAmount is not valid: 1 to Amount."}
		}
	}

	// Network: vSwitch (and its zone), security groups of its VPC.
	vswID := r.str("VSwitchId")
	if vswID == "" {
		return nil, errMissing("VSwitchId")
	}
	vsw, ok := st.bkVSwitches(rg.ID)[vswID]
	if !ok {
		return nil, errNotFound("InvalidVSwitchId.NotFound", "VSwitchId")
	}
	if z := r.str("ZoneId"); z != "" {
		if !slices.ContainsFunc(st.zones[rg.ID], func(zz *zone) bool { return zz.ID == z }) {
			return nil, errNotFound("InvalidZoneId.NotFound", "ZoneId")
		}
		if z != vsw.zoneID {
			return nil, &APIError{Status: 400, Code: "InvalidParameter.Mismatch", Message: "The specified vSwitch is not in the specified zone."}
		}
	}
	var zn *zone
	for _, z := range st.zones[rg.ID] {
		if z.ID == vsw.zoneID {
			zn = z
		}
	}
	if zn != nil && !slices.Contains(zn.InstanceTypes, it.ID) {
		return nil, &APIError{Status: 400, Code: "InvalidInstanceType.ValueNotSupported", Message: fmt.Sprintf("The instance type %s is not offered in zone %s.", it.ID, vsw.zoneID)}
	}
	sgIDs := r.repeated("SecurityGroupIds")
	if r.has("SecurityGroupId") {
		if len(sgIDs) > 0 {
			return nil, errInvalidParam("SecurityGroupId", "give SecurityGroupId or SecurityGroupIds.N, not both")
		}
		sgIDs = []string{r.str("SecurityGroupId")}
	}
	if len(sgIDs) == 0 {
		return nil, errMissing("SecurityGroupId")
	}
	if len(sgIDs) > 5 {
		return nil, errInvalidParam("SecurityGroupIds.N", "at most 5 security groups")
	}
	for _, id := range sgIDs {
		sg := st.securityGroups[id]
		if sg == nil || sg.RegionID != rg.ID {
			return nil, &APIError{Status: 400, Code: "InvalidSecurityGroupId.NotFound", Message: "The specified security group does not exist."}
		}
		if sg.VpcID != vsw.vpcID {
			return nil, &APIError{Status: 400, Code: "InvalidParameter.Mismatch", Message: "The specified security group and vSwitch are not in the same VPC."}
		}
	}

	// Login, names.
	windows := img.OSType == "windows"
	keyPair := r.str("KeyPairName")
	if keyPair != "" && !windows {
		if st.keyPairs[rg.ID+"/"+keyPair] == nil {
			return nil, errNotFound("InvalidKeyPairName.NotFound", "KeyPairName")
		}
	}
	if windows {
		keyPair = ""
	}
	if pw := r.str("Password"); pw != "" && !bkValidPassword(pw, windows) {
		return nil, &APIError{Status: 400, Code: "InvalidPassword.Malformed", Message: "The specified password is wrongly formed: 8 to 30 characters with three of upper case, lower case, digits and specials."}
	}
	unique, err := r.boolParam("UniqueSuffix", false)
	if err != nil {
		return nil, err
	}
	var names, hostNames []string
	if n := r.str("InstanceName"); n != "" {
		names, ok = bkSequentialNames(n, amount, unique)
		if !ok {
			return nil, &APIError{Status: 400, Code: "InvalidInstanceName.Malformed", Message: "The specified InstanceName is wrongly formed."}
		}
		for _, name := range names {
			if len(name) > 128 {
				return nil, &APIError{Status: 403, Code: "InvalidParams.InstanceNameExceed", Message: "The InstanceName is too long for its suffix."}
			}
			if !bkValidInstanceName(name) {
				return nil, &APIError{Status: 400, Code: "InvalidInstanceName.Malformed", Message: "The specified InstanceName is wrongly formed."}
			}
		}
	}
	if hn := r.repeated("HostNames"); len(hn) > 0 {
		if len(hn) != amount {
			return nil, errInvalidParam("HostNames.N", "one host name per instance")
		}
		hostNames = hn
	} else if h := r.str("HostName"); h != "" {
		hostNames, ok = bkSequentialNames(h, amount, unique)
		if !ok {
			return nil, &APIError{Status: 400, Code: "InvalidHostName.Malformed", Message: "The specified HostName is wrongly formed."}
		}
	}
	for _, h := range hostNames {
		if !bkValidHostName(h, windows) {
			return nil, &APIError{Status: 400, Code: "InvalidHostName.Malformed", Message: "The specified HostName is wrongly formed."}
		}
	}
	desc := r.str("Description")
	if desc != "" && !bkValidDescription(desc) {
		return nil, &APIError{Status: 400, Code: "InvalidDescription.Malformed", Message: "The specified description is wrongly formed."}
	}

	// Disks.
	sysCategory := r.str("SystemDisk.Category")
	if sysCategory == "" {
		sysCategory = "cloud_efficiency"
	}
	if !slices.Contains(bkSystemDiskCategories, sysCategory) {
		return nil, &APIError{Status: 400, Code: "InvalidSystemDiskCategory.ValueNotSupported", Message: "The specified SystemDisk.Category is not supported."}
	}
	sysPL := r.str("SystemDisk.PerformanceLevel")
	if sysCategory == "cloud_essd" && sysPL == "" {
		sysPL = "PL1"
	}
	if sysPL != "" && (sysCategory != "cloud_essd" || !slices.Contains([]string{"PL0", "PL1", "PL2", "PL3"}, sysPL)) {
		return nil, &APIError{Status: 400, Code: "InvalidPerformanceLevel.Malformed", Message: "The specified SystemDisk.PerformanceLevel is not valid."}
	}
	sysSize := max(40, img.SizeGiB)
	if r.has("SystemDisk.Size") {
		if sysSize, err = r.intParam("SystemDisk.Size", 0); err != nil {
			return nil, err
		}
		if sysSize < img.SizeGiB {
			return nil, &APIError{Status: 404, Code: "InvalidSystemDiskSize.LessThanImageSize", Message: fmt.Sprintf("The specified system disk size is less than the image size (%d GiB).", img.SizeGiB)}
		}
		if sysSize < 20 || sysSize > 2048 {
			return nil, &APIError{Status: 400, Code: "InvalidSystemDiskSize.ValueNotSupported", Message: "The specified SystemDisk.Size is not valid: 20 to 2048 GiB."}
		}
	}
	dataDisks, err := st.bkLaunchDataDisks(r, rg, img)
	if err != nil {
		return nil, err
	}

	// Bandwidth, billing.
	bwOut, err := r.intParam("InternetMaxBandwidthOut", 0)
	if err != nil || bwOut < 0 || bwOut > 100 {
		return nil, &APIError{Status: 400, Code: "InvalidInternetMaxBandwidthOut.Malformed", Message: "The specified InternetMaxBandwidthOut is not valid: 0 to 100 Mbit/s."}
	}
	bwIn, err := r.intParam("InternetMaxBandwidthIn", 100)
	if err != nil || bwIn < 1 || bwIn > 10000 {
		return nil, &APIError{Status: 400, Code: "InvalidInternetMaxBandwidthIn.Malformed", Message: "The specified InternetMaxBandwidthIn is not valid."}
	}
	inetCharge, err := r.enumParam("InternetChargeType", []string{"PayByTraffic", "PayByBandwidth"}, "InvalidInternetChargeType.ValueNotSupported", 400)
	if err != nil {
		return nil, err
	}
	if inetCharge == "" {
		inetCharge = "PayByTraffic"
	}
	charge, err := r.enumParam("InstanceChargeType", []string{"PostPaid", "PrePaid"}, "InvalidInstanceChargeType.ValueNotSupported", 400)
	if err != nil {
		return nil, err
	}
	if charge == "" {
		charge = "PostPaid"
	}
	period, err := r.intParam("Period", 1)
	if err != nil {
		return nil, err
	}
	unit := r.str("PeriodUnit")
	if unit == "" {
		unit = "Month"
	}
	if charge == "PrePaid" && (unit != "Month" && unit != "Week" || period < 1 || period > 60) {
		return nil, errInvalidParam("Period", "1-60 months (PeriodUnit Month) or 1-4 weeks (Week)")
	}
	deletionProtection, err := r.boolParam("DeletionProtection", false)
	if err != nil {
		return nil, err
	}
	tags := map[string]string{}
	for i := 1; i <= 20; i++ {
		if k := r.str(fmt.Sprintf("Tag.%d.Key", i)); k != "" {
			tags[k] = r.str(fmt.Sprintf("Tag.%d.Value", i))
		}
	}

	if r.dryRun() {
		return nil, errDryRun()
	}
	now := st.now()
	ids := make([]string, 0, amount)
	for k := range amount {
		in := &instance{
			ID: st.mintID("i", rg.ID), RegionID: rg.ID, ZoneID: vsw.zoneID, Status: "Pending",
			InstanceType: it.ID, InstanceTypeFamily: it.Family, CPU: it.CPU, MemoryMiB: int(it.MemoryGiB * 1024),
			ImageID: img.ID, OSType: img.OSType, OSName: img.OSName, Description: desc,
			InstanceChargeType: charge, InternetChargeType: inetCharge,
			InternetMaxBandwidthIn: bwIn, InternetMaxBandwidthOut: bwOut,
			VpcID: vsw.vpcID, VSwitchID: vswID, SecurityGroupIDs: slices.Clone(sgIDs), KeyPairName: keyPair,
			CreationTime: now.UTC().Truncate(time.Minute), StoppedMode: "Not-applicable",
			DeletionProtection: deletionProtection, Tags: map[string]string{}, Health: healthNormal,
			AgentStatus: "not_installed",
		}
		for key, v := range tags {
			in.Tags[key] = v
		}
		in.Name = in.ID
		if names != nil {
			in.Name = names[k]
		}
		switch {
		case hostNames != nil:
			in.HostName = hostNames[k]
		case windows:
			in.HostName = strings.ToUpper("iZ" + in.ID[2:min(len(in.ID), 13)])
		default:
			in.HostName = "iZ" + strings.TrimPrefix(in.ID, "i-") + "Z"
		}
		in.PrivateIP = st.bkNextPrivateIP(vswID, vsw.vpcID)
		if bwOut > 0 {
			in.PublicIP = st.newPublicIP(rg.ID)
		}
		if charge == "PrePaid" {
			end := now.AddDate(0, period, 0)
			if unit == "Week" {
				end = now.AddDate(0, 0, 7*period)
			}
			in.ExpiredTime = end.UTC().Truncate(24 * time.Hour).Add(16 * time.Hour)
		}
		st.instances[in.ID] = in
		disks := st.bkLaunchDisks(in, img, sysCategory, sysPL, sysSize, dataDisks, now)
		st.bkBootInstance(in, disks)
		ids = append(ids, in.ID)
	}
	return map[string]any{"InstanceIdSets": map[string]any{"InstanceIdSet": ids}, "TradePrice": 0}, nil
}

// bkLaunchDataDisks reads DataDisk.N; without any, the image's data snapshots
// become the data disks.
func (st *store) bkLaunchDataDisks(r *request, rg *region, img *image) ([]bkLaunchDisk, error) {
	var out []bkLaunchDisk
	for i := 1; i <= 17; i++ {
		p := fmt.Sprintf("DataDisk.%d.", i)
		if !r.has(p+"Size") && !r.has(p+"SnapshotId") && !r.has(p+"Category") {
			break
		}
		if i > 16 {
			return nil, errInvalidParam("DataDisk.N", "at most 16 data disks")
		}
		d := bkLaunchDisk{category: r.str(p + "Category"), pl: r.str(p + "PerformanceLevel"), name: r.str(p + "DiskName"), deleteWithInstance: r.str(p+"DeleteWithInstance") != "false"}
		if d.category == "" {
			d.category = "cloud_efficiency"
		}
		if !slices.Contains(bkSystemDiskCategories, d.category) {
			return nil, &APIError{Status: 400, Code: "InvalidDataDiskCategory.ValueNotSupported", Message: "The specified DataDisk.N.Category is not supported."}
		}
		if d.category == "cloud_essd" && d.pl == "" {
			d.pl = "PL1"
		}
		if sid := r.str(p + "SnapshotId"); sid != "" {
			s := st.snapshots[sid]
			if s == nil || s.RegionID != rg.ID {
				return nil, bkErrSnapshotNotFound()
			}
			if s.Status != "accomplished" {
				return nil, bkErrSnapshotNotReady()
			}
			d.snap, d.size = s, s.SourceDiskSizeGiB
		}
		if r.has(p + "Size") {
			n, err := strconv.Atoi(r.str(p + "Size"))
			if err != nil || n < 1 || n > 65536 || (d.snap != nil && n < d.snap.SourceDiskSizeGiB) {
				return nil, &APIError{Status: 400, Code: "InvalidDataDiskSize.ValueNotSupported", Message: "The specified DataDisk.N.Size is not valid."}
			}
			d.size = n
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		for _, sid := range img.SnapshotIDs[min(1, len(img.SnapshotIDs)):] {
			if s := st.snapshots[sid]; s != nil {
				out = append(out, bkLaunchDisk{size: s.SourceDiskSizeGiB, category: "cloud_essd", pl: "PL1", snap: s, deleteWithInstance: true})
			}
		}
	}
	return out, nil
}

// bkLaunchDisks creates a new instance's disks: Creating until it starts.
func (st *store) bkLaunchDisks(in *instance, img *image, sysCategory, sysPL string, sysSize int, data []bkLaunchDisk, now time.Time) []*disk {
	fs := imageFilesystem(img)
	mk := func(typ, device, category, pl string, size int) *disk {
		d := &disk{
			ID: st.mintID("d", in.RegionID), RegionID: in.RegionID, ZoneID: in.ZoneID, Type: typ,
			Category: category, PerformanceLevel: pl, SizeGiB: size, Status: "Creating",
			InstanceID: in.ID, Device: device, Portable: true, DeleteWithInstance: true, DeleteAutoSnapshot: true,
			ChargeType: in.InstanceChargeType, CreationTime: now.UTC().Truncate(time.Second),
			IOPS: diskIOPS(category, pl, size), Filesystem: fs, PartitionGiB: size,
		}
		st.disks[d.ID] = d
		return d
	}
	sys := mk("system", "/dev/xvda", sysCategory, sysPL, sysSize)
	sys.ImageID = img.ID
	// The guest's root file system is the image's until it is grown.
	sys.PartitionGiB = max(img.SizeGiB, 1)
	disks := []*disk{sys}
	for k, ld := range data {
		d := mk("data", fmt.Sprintf("/dev/xvd%c", 'b'+k), ld.category, ld.pl, ld.size)
		d.Name, d.DeleteWithInstance = ld.name, ld.deleteWithInstance
		if ld.snap != nil {
			d.SourceSnapshotID = ld.snap.ID
			d.PartitionGiB = ld.snap.SourceDiskSizeGiB
		}
		disks = append(disks, d)
	}
	return disks
}

// bkBootInstance runs a new instance through Pending -> Starting -> Running.
func (st *store) bkBootInstance(in *instance, disks []*disk) {
	st.after(st.delay, func() {
		if st.instances[in.ID] != in || in.Status != "Pending" {
			return
		}
		in.Status = "Starting"
		at := st.now().UTC().Truncate(time.Second)
		for _, d := range disks {
			if st.disks[d.ID] == d && d.Status == "Creating" {
				d.Status, d.AttachedTime = "In_use", at
			}
		}
	})
	st.after(2*st.delay, func() {
		if st.instances[in.ID] != in || in.Status != "Starting" {
			return
		}
		in.Status, in.StartTime = "Running", st.now().UTC().Truncate(time.Minute)
		// Public and fleet images come with the CloudMonitor agent.
		in.AgentStatus, in.AgentVersion = "running", cmsAgentVersion
	})
}
