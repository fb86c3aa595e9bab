package emulator

import (
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// DefaultFleetSize is the number of instances a default emulator holds.
const DefaultFleetSize = 36

// fleetStream is the PCG stream constant of the fleet generator (the seed is
// the other half), so the fleet never shares draws with fault injection.
const fleetStream = 0xF1EE7

// regionSpec is one region of the seeded account.
type regionSpec struct {
	id, name, prefix, city string
	zones                  []string // zone suffixes
	weight                 int      // share of the fleet
	publicNet              string   // first two octets of public IPs
}

var fleetRegions = []regionSpec{
	{"cn-hangzhou", "China (Hangzhou)", "bp1", "Hangzhou", []string{"h", "i", "j"}, 34, "47.96"},
	{"cn-shanghai", "China (Shanghai)", "uf6", "Shanghai", []string{"e", "f", "g"}, 26, "47.100"},
	{"cn-beijing", "China (Beijing)", "2ze", "Beijing", []string{"g", "h", "i"}, 12, "39.105"},
	{"cn-shenzhen", "China (Shenzhen)", "wz9", "Shenzhen", []string{"d", "e"}, 10, "120.78"},
	{"ap-southeast-1", "Singapore", "t4n", "Singapore", []string{"a", "b", "c"}, 8, "47.74"},
	{"eu-central-1", "Germany (Frankfurt)", "gw8", "Frankfurt", []string{"a", "b"}, 5, "47.254"},
	{"us-west-1", "US (Silicon Valley)", "rj9", "Silicon Valley", []string{"a", "b"}, 5, "47.88"},
}

func zoneID(regionID, suffix string) string {
	if strings.HasPrefix(regionID, "cn-") {
		return regionID + "-" + suffix
	}
	return regionID + suffix
}

// instanceTypeCatalogue is what DescribeInstanceTypes lists and the fleet
// draws from (memory in GiB, as DescribeInstanceTypes reports it).
var instanceTypeCatalogue = []instanceType{
	{"ecs.g7.large", "ecs.g7", 2, 8, "ecs-7"},
	{"ecs.g7.xlarge", "ecs.g7", 4, 16, "ecs-7"},
	{"ecs.g7.2xlarge", "ecs.g7", 8, 32, "ecs-7"},
	{"ecs.g7.4xlarge", "ecs.g7", 16, 64, "ecs-7"},
	{"ecs.c7.large", "ecs.c7", 2, 4, "ecs-7"},
	{"ecs.c7.xlarge", "ecs.c7", 4, 8, "ecs-7"},
	{"ecs.c7.2xlarge", "ecs.c7", 8, 16, "ecs-7"},
	{"ecs.c7.4xlarge", "ecs.c7", 16, 32, "ecs-7"},
	{"ecs.r7.large", "ecs.r7", 2, 16, "ecs-7"},
	{"ecs.r7.xlarge", "ecs.r7", 4, 32, "ecs-7"},
	{"ecs.r7.2xlarge", "ecs.r7", 8, 64, "ecs-7"},
	{"ecs.r7.4xlarge", "ecs.r7", 16, 128, "ecs-7"},
	{"ecs.g8i.large", "ecs.g8i", 2, 8, "ecs-8"},
	{"ecs.g8i.xlarge", "ecs.g8i", 4, 16, "ecs-8"},
	{"ecs.g6.large", "ecs.g6", 2, 8, "ecs-5"},
	{"ecs.g6.xlarge", "ecs.g6", 4, 16, "ecs-5"},
	{"ecs.g6.2xlarge", "ecs.g6", 8, 32, "ecs-5"},
	{"ecs.c6.large", "ecs.c6", 2, 4, "ecs-5"},
	{"ecs.c6.xlarge", "ecs.c6", 4, 8, "ecs-5"},
	{"ecs.t6-c1m1.large", "ecs.t6", 2, 2, "ecs-6"},
	{"ecs.t6-c1m2.large", "ecs.t6", 2, 4, "ecs-6"},
	{"ecs.t6-c1m4.large", "ecs.t6", 2, 8, "ecs-6"},
	{"ecs.e-c1m1.large", "ecs.e", 2, 2, "ecs-6"},
	{"ecs.e-c1m2.large", "ecs.e", 2, 4, "ecs-6"},
	{"ecs.e-c1m4.large", "ecs.e", 2, 8, "ecs-6"},
	{"ecs.e-c1m2.xlarge", "ecs.e", 4, 8, "ecs-6"},
}

// diskCategories offered in every zone.
var diskCategories = []string{"cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry"}

// osSpec is one public (system) image family.
type osSpec struct {
	key, imageID, name, osType, platform, arch, fs string
	sizeGiB                                        int
}

var fleetOSes = []osSpec{
	{"alinux3", "aliyun_3_x64_20G_alibase_20240819.vhd", "Alibaba Cloud Linux 3.2104 LTS 64 bit", "linux", "Aliyun", "x86_64", "ext4", 20},
	{"ubuntu2204", "ubuntu_22_04_x64_20G_alibase_20240530.vhd", "Ubuntu  22.04 64 bit", "linux", "Ubuntu", "x86_64", "ext4", 20},
	{"centos79", "centos_7_9_x64_20G_alibase_20240628.vhd", "CentOS  7.9 64 bit", "linux", "CentOS", "x86_64", "xfs", 20},
	{"debian12", "debian_12_6_x64_20G_alibase_20240717.vhd", "Debian  12.6 64 bit", "linux", "Debian", "x86_64", "ext4", 20},
	{"win2022", "win2022_21H2_x64_dtc_en-us_40G_alibase_20240716.vhd", "Windows Server  2022 Datacenter 64 bit English", "windows", "Windows Server 2022", "x86_64", "ntfs", 40},
	{"alinux3arm", "aliyun_3_arm64_20G_alibase_20240819.vhd", "Alibaba Cloud Linux 3.2104 LTS 64 bit ARM Edition", "linux", "Aliyun", "arm64", "ext4", 20},
	{"ubuntu2404", "ubuntu_24_04_x64_20G_alibase_20240812.vhd", "Ubuntu  24.04 64 bit", "linux", "Ubuntu", "x86_64", "ext4", 20},
}

func osByKey(key string) osSpec {
	for _, o := range fleetOSes {
		if o.key == key {
			return o
		}
	}
	return fleetOSes[0]
}

// role is a kind of server in the fleet.
type role struct {
	name      string   // base of the instance name
	singleton bool     // first one has no number (bastion, jenkins, ...)
	types     []string // instance types it runs on
	weight    int
	public    float64 // chance of a public IP
	dataDisks [2]int  // min, max data disks
	team      string
	desc      string
}

var fleetRoles = []role{
	{"web", false, []string{"ecs.g7.large", "ecs.c7.xlarge", "ecs.g6.xlarge", "ecs.g8i.large"}, 20, 0.95, [2]int{0, 1}, "frontend", "Nginx + app server, behind SLB"},
	{"api", false, []string{"ecs.g7.xlarge", "ecs.c7.xlarge", "ecs.g7.large", "ecs.c6.xlarge"}, 16, 0.8, [2]int{0, 1}, "backend", "REST API"},
	{"worker", false, []string{"ecs.c7.2xlarge", "ecs.c7.xlarge", "ecs.g7.2xlarge", "ecs.c6.large"}, 14, 0.3, [2]int{0, 1}, "backend", "Queue consumers"},
	{"cache", false, []string{"ecs.r7.large", "ecs.r7.xlarge"}, 7, 0, [2]int{1, 1}, "platform", "Redis"},
	{"db-primary", true, []string{"ecs.r7.2xlarge", "ecs.r7.xlarge", "ecs.r7.4xlarge"}, 3, 0, [2]int{2, 2}, "data", "MySQL primary"},
	{"db-replica", true, []string{"ecs.r7.2xlarge", "ecs.r7.xlarge"}, 3, 0, [2]int{2, 2}, "data", "MySQL read replica"},
	{"kafka", false, []string{"ecs.g7.2xlarge", "ecs.g6.2xlarge"}, 4, 0, [2]int{1, 2}, "data", "Kafka broker"},
	{"es", false, []string{"ecs.r7.xlarge", "ecs.g7.2xlarge"}, 3, 0, [2]int{1, 2}, "data", "Elasticsearch node"},
	{"bastion", true, []string{"ecs.t6-c1m2.large", "ecs.e-c1m2.large"}, 2, 1, [2]int{0, 0}, "platform", "SSH jump host"},
	{"jenkins", true, []string{"ecs.g7.xlarge", "ecs.g6.xlarge"}, 2, 0.9, [2]int{1, 1}, "platform", "CI server"},
	{"grafana", true, []string{"ecs.e-c1m2.large", "ecs.g6.large", "ecs.t6-c1m4.large"}, 2, 0.9, [2]int{0, 1}, "platform", "Dashboards"},
	{"nginx-lb", false, []string{"ecs.c7.large", "ecs.c6.large"}, 3, 1, [2]int{0, 0}, "frontend", "Edge proxy"},
	{"dev", false, []string{"ecs.t6-c1m2.large", "ecs.e-c1m2.large", "ecs.t6-c1m1.large", "ecs.e-c1m1.large"}, 5, 0.6, [2]int{0, 1}, "backend", "Developer box"},
}

// vpcSpec is a generator-side VPC (the store keeps only ids on instances).
type vpcSpec struct {
	id, name string
	cidr10   bool     // 10.x.0.0/16 instead of 172.16.0.0/12
	second   int      // second octet for 10.x networks
	vswitch  []string // one per zone, same order as the region's zones
	used     []int    // per vswitch: addresses handed out
	sgWeb    *securityGroup
	sgSSH    *securityGroup
	sgDB     *securityGroup
}

// fleetGen holds the generator's state while it fills a store.
type fleetGen struct {
	st    *store
	rng   *rand.Rand
	now   time.Time
	used  map[string]bool
	names map[string]int

	vpcs     map[string][]*vpcSpec // region -> VPCs
	keyPairs map[string][]*keyPair
	policies map[string][]*autoSnapshotPolicy
	images   map[string][]*image // region -> custom images (self)
	rdp      *securityGroup      // the group with 3389 open to the world
}

const idChars = "abcdefghijklmnopqrstuvwxyz0123456789"

// newID returns kind-prefix+17 lowercase alphanumerics, unique in the fleet.
func (g *fleetGen) newID(kind, regionPrefix string) string {
	for {
		var b strings.Builder
		b.WriteString(kind)
		b.WriteByte('-')
		b.WriteString(regionPrefix)
		for range 17 {
			b.WriteByte(idChars[g.rng.IntN(len(idChars))])
		}
		id := b.String()
		if !g.used[id] {
			g.used[id] = true
			return id
		}
	}
}

func (g *fleetGen) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *fleetGen) chance(p float64) bool { return g.rng.Float64() < p }

// ago returns a time between lo and hi before now, to the second.
func (g *fleetGen) ago(lo, hi time.Duration) time.Time {
	d := lo + time.Duration(g.rng.Int64N(int64(hi-lo)+1))
	return g.now.Add(-d).Truncate(time.Second)
}

func (g *fleetGen) uniqueName(r role) string {
	g.names[r.name]++
	n := g.names[r.name]
	if r.singleton {
		if n == 1 {
			return r.name
		}
		return fmt.Sprintf("%s-%02d", r.name, n)
	}
	return fmt.Sprintf("%s-%02d", r.name, n)
}

// generateFleet fills the store with the deterministic seeded fleet: the same
// Seed and Instances always give the same account.
func generateFleet(st *store, opts Options) {
	n := opts.Instances
	if n <= 0 {
		n = DefaultFleetSize
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	g := &fleetGen{
		st:       st,
		rng:      rand.New(rand.NewPCG(opts.Seed, fleetStream)),
		now:      now().UTC().Truncate(time.Minute),
		used:     map[string]bool{},
		names:    map[string]int{},
		vpcs:     map[string][]*vpcSpec{},
		keyPairs: map[string][]*keyPair{},
		policies: map[string][]*autoSnapshotPolicy{},
		images:   map[string][]*image{},
	}
	for i := range instanceTypeCatalogue {
		t := instanceTypeCatalogue[i]
		st.instanceTypes = append(st.instanceTypes, &t)
	}
	for ri, rs := range fleetRegions {
		g.region(ri, rs)
	}
	g.instances(n)
	for ri, rs := range fleetRegions {
		g.spareDisks(ri, rs)
		g.manualSnapshots(rs)
	}
	g.health()
}

// region creates a region's zones, networks, security groups, key pairs,
// images and snapshot policies.
func (g *fleetGen) region(ri int, rs regionSpec) {
	st := g.st
	endpoint := "ecs." + rs.id + ".aliyuncs.com"
	if rs.id == "cn-hangzhou" {
		endpoint = "ecs-cn-hangzhou.aliyuncs.com"
	}
	st.regions = append(st.regions, &region{ID: rs.id, LocalName: rs.name, Endpoint: endpoint, Status: "available", idPrefix: rs.prefix})
	var types []string
	for _, t := range instanceTypeCatalogue {
		types = append(types, t.ID)
	}
	for zi, z := range rs.zones {
		zt := types
		if zi == len(rs.zones)-1 && len(rs.zones) > 2 {
			// The newest zone does not offer the previous generation.
			zt = slices.DeleteFunc(slices.Clone(types), func(s string) bool { return strings.HasPrefix(s, "ecs.g6.") || strings.HasPrefix(s, "ecs.c6.") })
		}
		st.zones[rs.id] = append(st.zones[rs.id], &zone{
			ID: zoneID(rs.id, z), RegionID: rs.id,
			LocalName:      fmt.Sprintf("%s Zone %s", rs.city, strings.ToUpper(z)),
			DiskCategories: diskCategories, InstanceTypes: zt,
		})
	}

	// Networks: the two big regions have prod and staging VPCs.
	nv := 1
	if ri < 2 {
		nv = 2
	}
	for v := range nv {
		vs := &vpcSpec{id: g.newID("vpc", rs.prefix), name: "prod-vpc"}
		if v == 1 {
			vs.name, vs.cidr10, vs.second = "staging-vpc", true, 20+ri
		} else if ri%2 == 1 {
			vs.cidr10, vs.second = true, ri
		}
		for range rs.zones {
			vs.vswitch = append(vs.vswitch, g.newID("vsw", rs.prefix))
			vs.used = append(vs.used, 0)
		}
		// Some VPCs leave SSH open to the world: the risky finding the
		// security view should flag.
		sshOpen := (ri+v)%3 == 0
		vs.sgWeb = g.securityGroup(rs, vs, "web-public", "HTTP/HTTPS from the internet", webRules())
		vs.sgSSH = g.securityGroup(rs, vs, "ssh-admin", "Admin access", sshRules(sshOpen))
		vs.sgDB = g.securityGroup(rs, vs, "db-internal", "Databases and caches, private only", dbRules())
		if rs.id == "cn-hangzhou" && v == 1 {
			// Staging left Redis open to the world while debugging. Its id
			// derives from the group's, so the rest of the seeded fleet is
			// the same as before this rule existed.
			openRedis(vs.sgDB)
		}
		g.vpcs[rs.id] = append(g.vpcs[rs.id], vs)
	}
	if rs.id == "cn-shanghai" {
		vs := g.vpcs[rs.id][0]
		g.rdp = g.securityGroup(rs, vs, "windows-rdp", "RDP for the Windows hosts", []*securityGroupRule{
			{Direction: "ingress", IPProtocol: "TCP", PortRange: "3389/3389", SourceCidrIP: "0.0.0.0/0", Policy: "Accept", Priority: 1, Description: "RDP (temporary)"},
			{Direction: "egress", IPProtocol: "ALL", PortRange: "-1/-1", DestCidrIP: "0.0.0.0/0", Policy: "Accept", Priority: 1},
		})
	}

	// Key pairs.
	kpNames := []string{"ops-2024", "deploy", "jenkins-ci"}
	if ri < 2 {
		kpNames = append(kpNames, "alice-laptop", "bob-workstation")
	}
	for _, name := range kpNames {
		kp := &keyPair{Name: name, RegionID: rs.id, CreationTime: g.ago(30*24*time.Hour, 600*24*time.Hour)}
		kp.PublicKey, kp.FingerPrint = g.sshKey(name)
		st.keyPairs[rs.id+"/"+name] = kp
		g.keyPairs[rs.id] = append(g.keyPairs[rs.id], kp)
	}

	// Public images.
	for i, o := range fleetOSes {
		st.images[rs.id+"/"+o.imageID] = &image{
			ID: o.imageID, Name: o.imageID, Description: o.name, RegionID: rs.id,
			Family: "acs:" + o.key, OwnerAlias: "system", Status: "Available", Progress: 100,
			SizeGiB: o.sizeGiB, OSType: o.osType, OSName: o.name, Platform: o.platform, Arch: o.arch,
			CreationTime: g.now.AddDate(0, -2-i, 0).Truncate(24 * time.Hour).Add(2 * time.Hour), Usage: "instance",
		}
	}

	// Auto snapshot policies.
	pols := []*autoSnapshotPolicy{{Name: "daily-3am", TimePoints: []int{3}, RepeatWeekdays: []int{1, 2, 3, 4, 5, 6, 7}, RetentionDays: 7}}
	if ri%2 == 0 {
		pols = append(pols, &autoSnapshotPolicy{Name: "weekly-sunday", TimePoints: []int{1, 13}, RepeatWeekdays: []int{7}, RetentionDays: 30})
	}
	for _, p := range pols {
		p.ID, p.RegionID, p.Status = g.newID("sp", rs.prefix), rs.id, "Normal"
		p.CreationTime = g.ago(100*24*time.Hour, 500*24*time.Hour)
		st.policies[p.ID] = p
		g.policies[rs.id] = append(g.policies[rs.id], p)
	}
}

func webRules() []*securityGroupRule {
	return []*securityGroupRule{
		{Direction: "ingress", IPProtocol: "TCP", PortRange: "80/80", SourceCidrIP: "0.0.0.0/0", Policy: "Accept", Priority: 1, Description: "HTTP"},
		{Direction: "ingress", IPProtocol: "TCP", PortRange: "443/443", SourceCidrIP: "0.0.0.0/0", Policy: "Accept", Priority: 1, Description: "HTTPS"},
		{Direction: "egress", IPProtocol: "ALL", PortRange: "-1/-1", DestCidrIP: "0.0.0.0/0", Policy: "Accept", Priority: 1},
	}
}

func sshRules(open bool) []*securityGroupRule {
	ssh := &securityGroupRule{Direction: "ingress", IPProtocol: "TCP", PortRange: "22/22", SourceCidrIP: "203.0.113.0/24", Policy: "Accept", Priority: 1, Description: "SSH from office"}
	if open {
		ssh.SourceCidrIP, ssh.Description = "0.0.0.0/0", "SSH (open for vendor, remove!)"
	}
	return []*securityGroupRule{
		ssh,
		{Direction: "ingress", IPProtocol: "ICMP", PortRange: "-1/-1", SourceCidrIP: "0.0.0.0/0", Policy: "Accept", Priority: 100, Description: "ping"},
		{Direction: "ingress", IPProtocol: "TCP", PortRange: "23/23", SourceCidrIP: "0.0.0.0/0", Policy: "Drop", Priority: 1, Description: "block telnet"},
		{Direction: "egress", IPProtocol: "ALL", PortRange: "-1/-1", DestCidrIP: "0.0.0.0/0", Policy: "Accept", Priority: 1},
	}
}

func dbRules() []*securityGroupRule {
	return []*securityGroupRule{
		{Direction: "ingress", IPProtocol: "TCP", PortRange: "3306/3306", SourceCidrIP: "10.0.0.0/8", Policy: "Accept", Priority: 1, Description: "MySQL from VPCs"},
		{Direction: "ingress", IPProtocol: "TCP", PortRange: "3306/3306", SourceCidrIP: "172.16.0.0/12", Policy: "Accept", Priority: 1, Description: "MySQL from VPCs"},
		{Direction: "ingress", IPProtocol: "TCP", PortRange: "6379/6379", SourceCidrIP: "172.16.0.0/12", Policy: "Accept", Priority: 1, Description: "Redis"},
		{Direction: "ingress", IPProtocol: "TCP", PortRange: "9092/9092", SourceCidrIP: "10.0.0.0/8", Policy: "Accept", Priority: 10, Description: "Kafka"},
		{Direction: "egress", IPProtocol: "ALL", PortRange: "-1/-1", DestCidrIP: "0.0.0.0/0", Policy: "Accept", Priority: 1},
	}
}

// openRedis adds a rule opening Redis to the whole internet.
func openRedis(sg *securityGroup) {
	r := &securityGroupRule{ID: "sgr-" + strings.TrimPrefix(sg.ID, "sg-"), Direction: "ingress", IPProtocol: "TCP", PortRange: "6379/6379",
		SourceCidrIP: "0.0.0.0/0", Policy: "Accept", Priority: 1, NicType: "intranet", Description: "Redis (debugging, remove!)", CreateTime: sg.CreationTime}
	sg.Rules = append(sg.Rules, r)
}

func (g *fleetGen) securityGroup(rs regionSpec, vs *vpcSpec, name, desc string, rules []*securityGroupRule) *securityGroup {
	created := g.ago(200*24*time.Hour, 700*24*time.Hour)
	sg := &securityGroup{
		ID: g.newID("sg", rs.prefix), Name: name + "-" + strings.TrimSuffix(vs.name, "-vpc"), Description: desc,
		RegionID: rs.id, VpcID: vs.id, Type: "normal", CreationTime: created, Rules: rules,
	}
	for i, r := range rules {
		r.ID = g.newID("sgr", rs.prefix)
		r.NicType = "intranet"
		r.CreateTime = created.Add(time.Duration(i+1) * 37 * time.Second)
	}
	g.st.securityGroups[sg.ID] = sg
	return sg
}

// sshKey makes a realistic-looking (not usable) RSA public key line and its
// MD5 fingerprint, deterministic from the generator.
func (g *fleetGen) sshKey(comment string) (pub, fingerprint string) {
	blob := make([]byte, 279)
	copy(blob, "\x00\x00\x00\x07ssh-rsa\x00\x00\x00\x03\x01\x00\x01\x00\x00\x01\x01\x00")
	for i := 22; i < len(blob); i++ {
		blob[i] = byte(g.rng.UintN(256))
	}
	sum := md5.Sum(blob)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02x", b)
	}
	return "ssh-rsa " + base64.StdEncoding.EncodeToString(blob) + " " + comment, strings.Join(parts, ":")
}

// regionFor spreads instances: the recognisable core (web, api, the
// databases, ...) lives in cn-hangzhou, the default region; the last six
// instances go one to each other region, so every region has one; the rest
// are drawn by weight.
func (g *fleetGen) regionFor(i, n int) int {
	others := len(fleetRegions) - 1
	if n >= len(fleetRegions) && i >= n-others {
		return 1 + i - (n - others)
	}
	if i < 12 {
		return 0
	}
	total := 0
	for _, r := range fleetRegions {
		total += r.weight
	}
	x := g.rng.IntN(total)
	for ri, r := range fleetRegions {
		if x < r.weight {
			return ri
		}
		x -= r.weight
	}
	return 0
}

func (g *fleetGen) roleFor(i int) role {
	// A recognisable core first, so even a small fleet looks like a real one.
	core := []string{"web", "web", "api", "db-primary", "db-replica", "cache", "worker", "bastion", "jenkins", "grafana", "api", "worker"}
	name := ""
	if i < len(core) {
		name = core[i]
	} else {
		total := 0
		for _, r := range fleetRoles {
			total += r.weight
		}
		x := g.rng.IntN(total)
		for _, r := range fleetRoles {
			if x < r.weight {
				name = r.name
				break
			}
			x -= r.weight
		}
	}
	for _, r := range fleetRoles {
		if r.name == name {
			return r
		}
	}
	return fleetRoles[0]
}

func typeByID(id string) instanceType {
	for _, t := range instanceTypeCatalogue {
		if t.ID == id {
			return t
		}
	}
	return instanceTypeCatalogue[0]
}

// instances creates n instances with their disks and snapshots.
func (g *fleetGen) instances(n int) {
	// Windows hosts: one for a fleet of 10+, two for 20+; they live in
	// cn-shanghai next to the RDP group.
	windows := map[int]bool{}
	if n >= 10 {
		windows[n-len(fleetRegions)+1] = true // the guaranteed cn-shanghai slot
	}
	if n >= 20 {
		windows[13] = true
	}
	for i := range n {
		ri := g.regionFor(i, n)
		if windows[i] {
			ri = 1
		}
		g.instance(i, fleetRegions[ri], windows[i])
	}
}

func (g *fleetGen) instance(i int, rs regionSpec, isWindows bool) {
	st := g.st
	r := g.roleFor(i)
	if isWindows {
		r = role{name: "win-app", types: []string{"ecs.g7.xlarge", "ecs.g6.xlarge"}, public: 1, dataDisks: [2]int{1, 1}, team: "finance", desc: "Windows line-of-business app"}
		if i == 13 {
			r.name, r.desc = "win-ad", "Active Directory"
		}
	}
	zones := st.zones[rs.id]
	zi := g.rng.IntN(len(zones))
	z := zones[zi]
	tid := g.pick(r.types)
	if !slices.Contains(z.InstanceTypes, tid) {
		zi, z = 0, zones[0]
	}
	t := typeByID(tid)
	vpcs := g.vpcs[rs.id]
	vi := 0
	env := "prod"
	if len(vpcs) > 1 && (r.name == "dev" || g.chance(0.2)) {
		vi, env = 1, "staging"
	}
	if r.name == "dev" {
		env = "dev"
	}
	vs := vpcs[vi]

	osKey := "alinux3"
	switch x := g.rng.IntN(100); {
	case isWindows:
		osKey = "win2022"
	case x < 45:
		osKey = "alinux3"
	case x < 72:
		osKey = "ubuntu2204"
	case x < 87:
		osKey = "centos79"
	case x < 95:
		osKey = "debian12"
	default:
		osKey = "ubuntu2404"
	}
	o := osByKey(osKey)
	imageID := o.imageID

	in := &instance{
		ID:       g.newID("i", rs.prefix),
		Name:     g.uniqueName(r),
		RegionID: rs.id, ZoneID: z.ID,
		InstanceType: t.ID, InstanceTypeFamily: t.Family, CPU: t.CPU, MemoryMiB: int(t.MemoryGiB * 1024),
		OSType: o.osType, OSName: o.name,
		VpcID: vs.id, VSwitchID: vs.vswitch[zi],
		Description: r.desc,
		Tags:        map[string]string{"env": env, "team": r.team, "app": r.name},
	}
	if isWindows {
		in.HostName = strings.ToUpper(strings.ReplaceAll(in.Name, "-", ""))
	} else {
		in.HostName = in.Name
		if g.chance(0.3) {
			in.HostName = "iZ" + strings.TrimPrefix(in.ID, "i-") + "Z"
		}
	}

	// Private address in the VPC's range.
	vs.used[zi]++
	k := vs.used[zi] + 10
	if vs.cidr10 {
		in.PrivateIP = fmt.Sprintf("10.%d.%d.%d", vs.second, zi*16+k/250, k%250+2)
	} else {
		in.PrivateIP = fmt.Sprintf("172.16.%d.%d", zi*64+k/250, k%250+2)
	}
	if g.chance(r.public) {
		in.PublicIP = fmt.Sprintf("%s.%d.%d", rs.publicNet, 1+g.rng.IntN(254), 1+g.rng.IntN(254))
	}

	// Security groups by role.
	switch r.name {
	case "cache", "db-primary", "db-replica", "kafka", "es":
		in.SecurityGroupIDs = []string{vs.sgDB.ID}
	case "bastion":
		in.SecurityGroupIDs = []string{vs.sgSSH.ID}
	case "win-app", "win-ad":
		in.SecurityGroupIDs = []string{g.rdp.ID}
	case "web", "nginx-lb", "grafana", "jenkins":
		in.SecurityGroupIDs = []string{vs.sgWeb.ID, vs.sgSSH.ID}
	default:
		in.SecurityGroupIDs = []string{vs.sgSSH.ID}
	}
	if !isWindows && g.chance(0.88) {
		kps := g.keyPairs[rs.id]
		in.KeyPairName = kps[g.rng.IntN(min(3, len(kps)))].Name
	}

	// Billing.
	in.CreationTime = g.ago(2*24*time.Hour, 400*24*time.Hour).Truncate(time.Minute)
	in.InstanceChargeType, in.InternetChargeType = "PostPaid", "PayByTraffic"
	if g.chance(0.18) || r.name == "db-primary" {
		in.InstanceChargeType = "PrePaid"
		in.InternetChargeType = "PayByBandwidth"
		// Subscriptions expire at midnight Beijing time.
		in.ExpiredTime = g.now.Add(time.Duration(3+g.rng.IntN(300)) * 24 * time.Hour).Truncate(24 * time.Hour).Add(16 * time.Hour)
	}
	in.InternetMaxBandwidthIn = 100
	if in.PublicIP != "" {
		in.InternetMaxBandwidthOut = []int{5, 10, 20, 50, 100}[g.rng.IntN(5)]
	}
	in.DeletionProtection = strings.HasPrefix(r.name, "db-")

	// State: ~15% stopped (never the databases).
	in.Status, in.StoppedMode = "Running", "Not-applicable"
	in.StartTime = in.CreationTime.Add(time.Duration(g.rng.IntN(30)) * time.Minute)
	if g.rng.IntN(100) < 35 {
		in.StartTime = g.ago(time.Hour, time.Duration(max(1, int(g.now.Sub(in.CreationTime).Hours())))*time.Hour).Truncate(time.Minute)
	}
	if !strings.HasPrefix(r.name, "db-") && r.name != "bastion" && g.chance(0.15) {
		in.Status = "Stopped"
		in.StoppedMode = "KeepCharging"
		if in.InstanceChargeType == "PostPaid" && g.chance(0.6) {
			in.StoppedMode = "StopCharging"
		}
	}
	in.AgentStatus, in.AgentVersion = "running", "3.5.10"
	switch {
	case in.Status == "Stopped":
		in.AgentStatus = "stopped"
	case g.chance(0.1):
		in.AgentStatus, in.AgentVersion = "not_installed", ""
	}
	in.Health = healthNormal

	// Custom image for some web servers.
	if r.name == "web" && !isWindows {
		if img := g.customImage(rs, in, o); img != nil && g.chance(0.5) {
			imageID = img.ID
			in.OSType, in.OSName = img.OSType, img.OSName
			o = osByKey(img.Family)
		}
	}
	in.ImageID = imageID
	st.instances[in.ID] = in
	g.disks(rs, in, r, o, imageID)
}

// customImage returns the region's golden web image, creating it (with the
// snapshot behind it) from the first web server of the region.
func (g *fleetGen) customImage(rs regionSpec, src *instance, o osSpec) *image {
	if imgs := g.images[rs.id]; len(imgs) > 0 {
		return imgs[0]
	}
	created := g.ago(20*24*time.Hour, 200*24*time.Hour)
	snap := &snapshot{
		ID: g.newID("s", rs.prefix), Name: "golden-web-sys", Description: "Created for image web-golden",
		RegionID: rs.id, SourceDiskID: "", SourceDiskType: "System", SourceDiskSizeGiB: 40,
		Status: "accomplished", Progress: 100, Type: "user", Category: "standard", CreationTime: created, Usage: "image",
	}
	g.st.snapshots[snap.ID] = snap
	img := &image{
		ID: g.newID("m", rs.prefix), Name: "web-golden-" + created.Format("2006-01"), Description: "Nginx + node 20, hardened",
		Family: o.key, RegionID: rs.id, OwnerAlias: "self", OwnerID: "1234567890123456", Status: "Available", Progress: 100,
		SizeGiB: 40, OSType: o.osType, OSName: o.name, Platform: o.platform, Arch: o.arch, CreationTime: created.Add(4 * time.Minute),
		SourceInstanceID: src.ID, SnapshotIDs: []string{snap.ID}, Usage: "instance",
	}
	g.st.images[rs.id+"/"+img.ID] = img
	g.images[rs.id] = append(g.images[rs.id], img)
	if rs.id == "cn-hangzhou" || rs.id == "cn-shanghai" {
		g.otherImages(rs)
	}
	return img
}

// otherImages adds a second self image, a shared one and a marketplace one.
func (g *fleetGen) otherImages(rs regionSpec) {
	mk := func(name, desc, owner, ownerID, osKey string, size int) {
		o := osByKey(osKey)
		created := g.ago(30*24*time.Hour, 300*24*time.Hour)
		img := &image{
			ID: g.newID("m", rs.prefix), Name: name, Description: desc, Family: o.key, RegionID: rs.id,
			OwnerAlias: owner, OwnerID: ownerID, Status: "Available", Progress: 100, SizeGiB: size,
			OSType: o.osType, OSName: o.name, Platform: o.platform, Arch: o.arch, CreationTime: created, Usage: "instance",
		}
		if owner == "self" {
			snap := &snapshot{
				ID: g.newID("s", rs.prefix), Name: name + "-sys", Description: "Created for image " + name,
				RegionID: rs.id, SourceDiskType: "System", SourceDiskSizeGiB: size, Status: "accomplished", Progress: 100,
				Type: "user", Category: "standard", CreationTime: created.Add(-5 * time.Minute), Usage: "image",
			}
			g.st.snapshots[snap.ID] = snap
			img.SnapshotIDs = []string{snap.ID}
			img.SharedWith = []string{"1987654321098765"}
		}
		g.st.images[rs.id+"/"+img.ID] = img
	}
	mk("db-base-v3", "MySQL 8.0 base, tuned sysctl", "self", "1234567890123456", "alinux3", 40)
	mk("partner-cis-hardened-l1", "CIS Level 1 hardened image shared by SecOps Ltd", "others", "1555666777888999", "alinux3", 40)
	if rs.id == "cn-hangzhou" {
		mk("lamp-php8-alinux3", "LAMP stack (Apache, MySQL, PHP 8.1)", "marketplace", "1364487745673987", "alinux3", 40)
	}
}

func diskIOPS(category, pl string, size int) int {
	switch category {
	case "cloud_essd":
		switch pl {
		case "PL0":
			return min(1800+12*size, 10000)
		case "PL2":
			return min(1800+50*size, 100000)
		default:
			return min(1800+50*size, 50000)
		}
	case "cloud_ssd":
		return min(1800+30*size, 25000)
	case "cloud_auto":
		return min(3000+50*size, 50000)
	case "cloud_essd_entry":
		return min(1800+8*size, 6000)
	default:
		return min(1800+8*size, 5000)
	}
}

// disks creates an instance's system and data disks, and their snapshots.
func (g *fleetGen) disks(rs regionSpec, in *instance, r role, o osSpec, imageID string) {
	st := g.st
	pols := g.policies[rs.id]
	newDisk := func(typ, device string, size int, category, pl string) *disk {
		d := &disk{
			ID: g.newID("d", rs.prefix), RegionID: rs.id, ZoneID: in.ZoneID, Type: typ,
			Category: category, PerformanceLevel: pl, SizeGiB: size, Status: "In_use",
			InstanceID: in.ID, Device: device, Portable: true, DeleteWithInstance: true,
			DeleteAutoSnapshot: g.chance(0.5), ChargeType: in.InstanceChargeType,
			CreationTime: in.CreationTime.Add(-time.Duration(20+g.rng.IntN(30)) * time.Second),
			AttachedTime: in.CreationTime.Add(time.Duration(30+g.rng.IntN(30)) * time.Second),
			IOPS:         diskIOPS(category, pl, size), Filesystem: o.fs, PartitionGiB: size,
		}
		if typ == "data" && o.osType == "linux" {
			d.Filesystem = []string{"ext4", "xfs"}[g.rng.IntN(2)]
		}
		wantPolicy := strings.HasPrefix(r.name, "db-") || g.chance(0.3)
		if wantPolicy && len(pols) > 0 {
			p := pols[g.rng.IntN(len(pols))]
			d.AutoSnapshotPolicyID, d.EnableAutoSnapshot = p.ID, true
		}
		st.disks[d.ID] = d
		return d
	}

	category, pl := "cloud_essd", "PL0"
	switch x := g.rng.IntN(10); {
	case x < 5:
	case x < 8:
		pl = "PL1"
	default:
		category, pl = "cloud_efficiency", ""
	}
	size := []int{40, 40, 40, 50, 60, 80, 100}[g.rng.IntN(7)]
	if o.osType == "windows" {
		size = max(size, 60)
	}
	sys := newDisk("system", "/dev/xvda", size, category, pl)
	sys.ImageID = imageID
	sys.Name = ""
	g.autoSnapshots(sys)

	nData := r.dataDisks[0]
	if r.dataDisks[1] > r.dataDisks[0] {
		nData += g.rng.IntN(r.dataDisks[1] - r.dataDisks[0] + 1)
	}
	for k := range nData {
		dcat, dpl := "cloud_essd", "PL1"
		dsize := []int{100, 200, 500}[g.rng.IntN(3)]
		switch {
		case strings.HasPrefix(r.name, "db-") || r.name == "es" || r.name == "kafka":
			dsize = []int{500, 1000, 2000}[g.rng.IntN(3)]
			if g.chance(0.3) {
				dpl = "PL2"
				dsize = max(dsize, 500)
			}
		case g.chance(0.3):
			dcat, dpl = "cloud_efficiency", ""
		}
		d := newDisk("data", fmt.Sprintf("/dev/xvd%c", 'b'+k), dsize, dcat, dpl)
		d.Name = fmt.Sprintf("%s-data%d", in.Name, k+1)
		d.DeleteWithInstance = g.chance(0.5)
		if k == 0 && in.InstanceChargeType == "PrePaid" {
			d.Encrypted = true
		}
		g.autoSnapshots(d)
	}
}

// autoSnapshots creates the last few automatic snapshots of a disk with a policy.
func (g *fleetGen) autoSnapshots(d *disk) {
	if d.AutoSnapshotPolicyID == "" {
		return
	}
	p := g.st.policies[d.AutoSnapshotPolicyID]
	for k := range 2 {
		day := g.now.AddDate(0, 0, -(k + 1)).Truncate(24 * time.Hour)
		at := day.Add(time.Duration(p.TimePoints[0]) * time.Hour).Add(-8 * time.Hour) // time points are UTC+8
		if at.Before(d.CreationTime) {
			return
		}
		s := &snapshot{
			ID: g.newID("s", g.st.region(d.RegionID).idPrefix), Name: "auto_" + at.Add(8*time.Hour).Format("20060102") + "_1",
			RegionID: d.RegionID, SourceDiskID: d.ID, SourceDiskType: sourceDiskType(d.Type), SourceDiskSizeGiB: d.SizeGiB,
			Status: "accomplished", Progress: 100, Type: "auto", Category: "standard", RetentionDays: p.RetentionDays,
			CreationTime: at.Add(time.Duration(g.rng.IntN(300)) * time.Second), Usage: "none", InstantAccess: d.Category == "cloud_essd",
		}
		g.st.snapshots[s.ID] = s
	}
}

func sourceDiskType(t string) string {
	if t == "system" {
		return "System"
	}
	return "Data"
}

// spareDisks adds unattached data disks to a region.
func (g *fleetGen) spareDisks(ri int, rs regionSpec) {
	names := []string{"backup-scratch", "old-db-volume", "migration-tmp"}
	for k := range 1 + (ri+g.rng.IntN(2))%3 {
		zones := g.st.zones[rs.id]
		size := []int{50, 100, 200, 500}[g.rng.IntN(4)]
		d := &disk{
			ID: g.newID("d", rs.prefix), Name: names[k], Description: "unattached", RegionID: rs.id,
			ZoneID: zones[g.rng.IntN(len(zones))].ID, Type: "data", Category: "cloud_essd", PerformanceLevel: "PL0",
			SizeGiB: size, Status: "Available", Portable: true, DeleteAutoSnapshot: true, ChargeType: "PostPaid",
			CreationTime: g.ago(20*24*time.Hour, 300*24*time.Hour), IOPS: diskIOPS("cloud_essd", "PL0", size),
			Filesystem: "ext4", PartitionGiB: size,
		}
		d.AttachedTime = d.CreationTime.Add(time.Minute)
		d.DetachedTime = g.ago(time.Hour, 10*24*time.Hour)
		if d.DetachedTime.Before(d.AttachedTime) {
			d.DetachedTime = d.AttachedTime.Add(time.Hour)
		}
		g.st.disks[d.ID] = d
	}
}

// manualSnapshots takes a couple of user snapshots in a region.
func (g *fleetGen) manualSnapshots(rs regionSpec) {
	var cands []*disk
	for _, d := range g.st.disks {
		if d.RegionID == rs.id && d.InstanceID != "" {
			cands = append(cands, d)
		}
	}
	slices.SortFunc(cands, func(a, b *disk) int { return strings.Compare(a.ID, b.ID) })
	names := []string{"pre-upgrade", "before-migration", "manual-backup"}
	for k := range min(len(cands), 1+g.rng.IntN(3)) {
		d := cands[g.rng.IntN(len(cands))]
		at := g.ago(time.Hour, 60*24*time.Hour)
		if at.Before(d.CreationTime) {
			at = d.CreationTime.Add(time.Hour)
		}
		s := &snapshot{
			ID: g.newID("s", rs.prefix), Name: fmt.Sprintf("%s-%s", names[k], at.Format("2006-01-02")),
			Description: "taken by hand", RegionID: rs.id, SourceDiskID: d.ID, SourceDiskType: sourceDiskType(d.Type),
			SourceDiskSizeGiB: d.SizeGiB, Status: "accomplished", Progress: 100, Type: "user", Category: "standard",
			CreationTime: at, Usage: "none",
		}
		if k == 0 {
			s.RetentionDays = 30
		}
		g.st.snapshots[s.ID] = s
	}
}

// health decides, deterministically, which instances the metric generator
// shows in trouble: for any fleet of 10 or more, at least one CPU-pegged,
// one disk-full and one memory-leak instance (preferring cn-hangzhou, the
// default region, so the demo shows them first), ~10% in all; some idle.
func (g *fleetGen) health() {
	var running, stopped []*instance
	for _, in := range g.st.instances {
		if in.Status == "Running" {
			running = append(running, in)
		} else {
			stopped = append(stopped, in)
		}
	}
	// A small fleet that drew too many stopped instances gets some back, so
	// the three kinds of trouble always have a running host.
	slices.SortFunc(stopped, func(a, b *instance) int { return strings.Compare(a.ID, b.ID) })
	for len(g.st.instances) >= 10 && len(running) < 3 && len(stopped) > 0 {
		in := stopped[0]
		stopped = stopped[1:]
		in.Status, in.StoppedMode, in.AgentStatus, in.AgentVersion = "Running", "Not-applicable", "running", "3.5.10"
		running = append(running, in)
	}
	slices.SortFunc(running, func(a, b *instance) int {
		ah, bh := a.RegionID == "cn-hangzhou", b.RegionID == "cn-hangzhou"
		if ah != bh {
			if ah {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	n := len(g.st.instances)
	troubled := n / 10
	if n >= 10 {
		troubled = max(3, troubled)
	}
	troubled = min(troubled, len(running))
	// The first three come from cn-hangzhou when it has enough running
	// instances; the rest are drawn from the whole fleet.
	nh := 0
	for nh < len(running) && running[nh].RegionID == "cn-hangzhou" {
		nh++
	}
	g.rng.Shuffle(nh, func(i, j int) { running[i], running[j] = running[j], running[i] })
	head := min(3, nh)
	rest := running[head:]
	g.rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	kinds := []health{healthCPUPegged, healthDiskFull, healthMemoryLeak}
	for k := range troubled {
		in := running[k]
		in.Health = kinds[k%len(kinds)]
		in.AgentStatus, in.AgentVersion = "running", "3.5.10"
		if in.Health == healthDiskFull {
			for _, d := range g.st.disks {
				if d.InstanceID == in.ID && d.Type == "system" {
					d.SizeGiB, d.PartitionGiB = 40, 40
					d.IOPS = diskIOPS(d.Category, d.PerformanceLevel, 40)
				}
			}
		}
	}
	for _, in := range running[troubled:] {
		if in.Name == "bastion" || strings.HasPrefix(in.Name, "dev-") || g.chance(0.08) {
			in.Health = healthIdle
		}
	}
}
