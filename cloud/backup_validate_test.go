package cloud_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
)

// refused asserts err is a local *ValidationError mentioning want.
func refused(t *testing.T, what string, err error, want string) {
	t.Helper()
	var ve *cloud.ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("%s: err = %v, want a *ValidationError", what, err)
		return
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("%s: err = %q, want it to mention %q", what, err, want)
	}
}

func TestBackupValidators(t *testing.T) {
	ok := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: unexpected refusal %v", what, err)
		}
	}
	// Retention.
	ok("retention 0", cloud.ValidateRetentionDays(0))
	ok("retention 1", cloud.ValidateRetentionDays(1))
	ok("retention max", cloud.ValidateRetentionDays(65536))
	refused(t, "retention -1", cloud.ValidateRetentionDays(-1), "1 to 65536")
	refused(t, "retention 65537", cloud.ValidateRetentionDays(65537), "1 to 65536")

	// Image names.
	ok("image name", cloud.ValidateImageName("web-golden.v1", []string{"other"}))
	refused(t, "image short", cloud.ValidateImageName("w", nil), "2 to 128")
	refused(t, "image long", cloud.ValidateImageName("w"+strings.Repeat("x", 128), nil), "2 to 128")
	refused(t, "image digit", cloud.ValidateImageName("1web", nil), "start with a letter")
	refused(t, "image http", cloud.ValidateImageName("http://x", nil), "http://")
	refused(t, "image https", cloud.ValidateImageName("HTTPS://x", nil), "https://")
	refused(t, "image duplicate", cloud.ValidateImageName("golden", []string{"a", "golden"}), "unique")
	refused(t, "family aliyun", cloud.ValidateImageFamily("aliyun_web"), "aliyun")
	ok("family empty", cloud.ValidateImageFamily(""))
	refused(t, "group name", cloud.ValidateSnapshotGroupName("-x"), "start with a letter")

	// Policies.
	good := cloud.PolicySpec{Name: "nightly", Weekdays: []int{1, 3, 5}, Hours: []int{0, 23}, RetentionDays: 7}
	ok("policy", cloud.ValidatePolicy(good))
	forever := good
	forever.RetentionDays = -1
	ok("policy forever", cloud.ValidatePolicy(forever))
	for _, tc := range []struct {
		edit func(*cloud.PolicySpec)
		want string
	}{
		{func(p *cloud.PolicySpec) { p.Weekdays = nil }, "at least one day"},
		{func(p *cloud.PolicySpec) { p.Weekdays = []int{0} }, "1 (Monday) to 7 (Sunday)"},
		{func(p *cloud.PolicySpec) { p.Weekdays = []int{8} }, "1 (Monday) to 7 (Sunday)"},
		{func(p *cloud.PolicySpec) { p.Weekdays = []int{2, 2} }, "twice"},
		{func(p *cloud.PolicySpec) { p.Hours = nil }, "at least one hour"},
		{func(p *cloud.PolicySpec) { p.Hours = []int{24} }, "0 to 23"},
		{func(p *cloud.PolicySpec) { p.Hours = []int{-1} }, "0 to 23"},
		{func(p *cloud.PolicySpec) { p.RetentionDays = 0 }, "-1 to keep"},
		{func(p *cloud.PolicySpec) { p.RetentionDays = 65537 }, "1 to 65536"},
		{func(p *cloud.PolicySpec) { p.Name = "9lives" }, "start with a letter"},
	} {
		spec := good
		tc.edit(&spec)
		refused(t, "policy "+tc.want, cloud.ValidatePolicy(spec), tc.want)
	}

	// Sharing.
	a, b := "1234567890123456", "6543210987654321"
	ok("share", cloud.ValidateImageShare(nil, []string{a}, []string{b}))
	refused(t, "share short id", cloud.ValidateImageShare(nil, []string{"12345"}, nil), "16-digit")
	refused(t, "share letters", cloud.ValidateImageShare(nil, []string{"12345678901234ab"}, nil), "16-digit")
	refused(t, "share both", cloud.ValidateImageShare(nil, []string{a}, []string{a}), "both")
	refused(t, "share nothing", cloud.ValidateImageShare(nil, nil, nil), "no account")
	var fifty []string
	for i := range 50 {
		fifty = append(fifty, "10000000000000"+twoDigits(i))
	}
	ok("share 50", cloud.ValidateImageShare(nil, fifty, nil))
	refused(t, "share 51", cloud.ValidateImageShare(fifty, []string{a}, nil), "at most 50")
	ok("share 50 swap", cloud.ValidateImageShare(fifty, []string{a}, []string{fifty[0]}))

	// Export.
	ok("export", cloud.ValidateExport("my-bucket", "web01", "qcow2"))
	ok("export raw default", cloud.ValidateExport("my-bucket", "", ""))
	refused(t, "export format", cloud.ValidateExport("my-bucket", "", "iso"), "raw, vhd, qcow2, vmdk, vdi")
	refused(t, "export bucket", cloud.ValidateExport("My_Bucket", "", "raw"), "OSS bucket")
	refused(t, "export prefix", cloud.ValidateExport("my-bucket", "a/b", "raw"), "OSS prefix")

	// Launch.
	spec := cloud.LaunchSpec{
		ImageID: "m-1", InstanceType: "ecs.g7.large", VSwitchID: "vsw-1", SecurityGroupIDs: []string{"sg-1"},
		Count: 2, NamePattern: "web-[1,2]", Password: "Secr3t!pass", SystemDiskCategory: "cloud_essd", SystemDiskSize: 40,
	}
	ok("launch", cloud.ValidateLaunch(spec))
	for _, tc := range []struct {
		edit func(*cloud.LaunchSpec)
		want string
	}{
		{func(s *cloud.LaunchSpec) { s.ImageID = "" }, "image: required"},
		{func(s *cloud.LaunchSpec) { s.InstanceType = "" }, "instance type: required"},
		{func(s *cloud.LaunchSpec) { s.VSwitchID = "" }, "vSwitch"},
		{func(s *cloud.LaunchSpec) { s.SecurityGroupIDs = nil }, "security groups"},
		{func(s *cloud.LaunchSpec) { s.Count = 0 }, "1 to 100"},
		{func(s *cloud.LaunchSpec) { s.Count = 101 }, "1 to 100"},
		{func(s *cloud.LaunchSpec) { s.BandwidthOut = 101 }, "0 to 100"},
		{func(s *cloud.LaunchSpec) { s.SystemDiskCategory = "ssd" }, "system disk category"},
		{func(s *cloud.LaunchSpec) { s.SystemDiskSize = 10 }, "20 to 2048"},
		{func(s *cloud.LaunchSpec) { s.Password = "short" }, "8-30 characters"},
		{func(s *cloud.LaunchSpec) { s.Password = "alllowercase1" }, "three of"},
		{func(s *cloud.LaunchSpec) { s.NamePattern = "[1,2]" }, "prefix"},
		{func(s *cloud.LaunchSpec) { s.NamePattern = "web-[1,7]" }, "bits"},
		{func(s *cloud.LaunchSpec) { s.NamePattern = "web [1,2]" }, "only letters"},
	} {
		s := spec
		tc.edit(&s)
		err := cloud.ValidateLaunch(s)
		refused(t, "launch "+tc.want, err, tc.want)
		if err != nil && strings.Contains(err.Error(), s.Password) && s.Password != "" {
			t.Errorf("launch refusal %q shows the password", err)
		}
	}
}

func twoDigits(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }

func TestCoverage(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	disks := []cloud.Disk{
		{ID: "d-policy", InstanceID: "i-1", AutoSnapshotPolicyID: "sp-1"}, // covered by a policy, no snapshot
		{ID: "d-fresh", InstanceID: "i-1"},                                // recent manual snapshot
		{ID: "d-stale", InstanceID: "i-2"},                                // newest snapshot too old
		{ID: "d-none"},                                                    // never snapshotted
		{ID: "d-failed", InstanceID: "i-3"},                               // only a failed and a progressing snapshot
		{ID: "d-edge", InstanceID: "i-3"},                                 // exactly maxAge old
	}
	snaps := []cloud.Snapshot{
		{ID: "s-f1", DiskID: "d-fresh", Status: "accomplished", CreatedAt: now.Add(-10 * day)},
		{ID: "s-f2", DiskID: "d-fresh", Status: "accomplished", CreatedAt: now.Add(-2 * day)},
		{ID: "s-s1", DiskID: "d-stale", Status: "accomplished", CreatedAt: now.Add(-30 * day)},
		{ID: "s-s2", DiskID: "d-stale", Status: "accomplished", CreatedAt: now.Add(-8 * day)},
		{ID: "s-x1", DiskID: "d-failed", Status: "failed", CreatedAt: now.Add(-1 * day)},
		{ID: "s-x2", DiskID: "d-failed", Status: "progressing", CreatedAt: now.Add(-1 * time.Hour)},
		{ID: "s-e", DiskID: "d-edge", Status: "accomplished", CreatedAt: now.Add(-7 * day)},
		{ID: "s-orphan", Status: "accomplished", CreatedAt: now},
	}
	gaps := cloud.Coverage(disks, snaps, now, 7*day)
	if len(gaps) != 3 {
		t.Fatalf("gaps = %v, want d-stale, d-none, d-failed", gaps)
	}
	if g := gaps["d-stale"]; g.NewestSnapshotID != "s-s2" || !g.Newest.Equal(now.Add(-8*day)) || g.Age != 8*day || g.InstanceID != "i-2" {
		t.Errorf("d-stale gap = %+v", g)
	}
	if g, ok := gaps["d-none"]; !ok || g.NewestSnapshotID != "" || !g.Newest.IsZero() || g.Age != 0 {
		t.Errorf("d-none gap = %+v, %v", g, ok)
	}
	if g, ok := gaps["d-failed"]; !ok || g.NewestSnapshotID != "" {
		t.Errorf("d-failed gap = %+v, %v (failed/progressing snapshots are no backup)", g, ok)
	}
	for _, id := range []string{"d-policy", "d-fresh", "d-edge"} {
		if _, ok := gaps[id]; ok {
			t.Errorf("%s reported as a gap", id)
		}
	}
	// Default limit, and a tighter one.
	if got := cloud.Coverage(disks, snaps, now, 0); len(got) != 3 {
		t.Errorf("Coverage(maxAge 0) = %d gaps, want the 7-day default's 3", len(got))
	}
	if got := cloud.Coverage(disks, snaps, now, day); len(got) != 5 {
		t.Errorf("Coverage(1 day) = %v, want 5 gaps", got)
	}
	if got := cloud.Coverage(nil, snaps, now, day); len(got) != 0 {
		t.Errorf("Coverage(no disks) = %v", got)
	}
	if got := cloud.DisksWithPolicy(disks, "sp-1"); len(got) != 1 || got[0].ID != "d-policy" {
		t.Errorf("DisksWithPolicy = %v", got)
	}
}

// FuzzBackupValidators: no validator panics, and a password never appears
// in a refusal.
func FuzzBackupValidators(f *testing.F) {
	f.Add("web-golden", "web-[1,2]", "Secr3t!pass", "1234567890123456", "my-bucket", "qcow2", 7)
	f.Add("auto", "[", "x", "12", "A_B", "iso", -2)
	f.Add("http://x", "a[999999,6]b", "ÄÖÜ€€€€€€€", "", "", "", 65537)
	f.Fuzz(func(t *testing.T, name, pattern, pw, account, bucket, format string, n int) {
		_ = cloud.ValidateSnapshotName(name)
		_ = cloud.ValidateSnapshotGroupName(name)
		_ = cloud.ValidateImageName(name, []string{pattern})
		_ = cloud.ValidateImageFamily(name)
		_ = cloud.ValidateDescription(name)
		_ = cloud.ValidateRetentionDays(n)
		_ = cloud.ValidatePolicy(cloud.PolicySpec{Name: name, Weekdays: []int{n % 10}, Hours: []int{n % 30}, RetentionDays: n})
		_ = cloud.ValidateImageShare([]string{account}, []string{account, name}, nil)
		_ = cloud.ValidateExport(bucket, name, format)
		_ = cloud.ValidateNamePattern(pattern)
		spec := cloud.LaunchSpec{ImageID: "m-1", InstanceType: "t", VSwitchID: "v", SecurityGroupIDs: []string{"sg"}, Count: 1, NamePattern: pattern, Password: pw}
		for _, err := range []error{cloud.ValidateInstancePassword(pw), cloud.ValidateLaunch(spec)} {
			if err != nil && len(pw) >= 3 && strings.Contains(err.Error(), pw) {
				t.Errorf("refusal %q repeats the password", err)
			}
		}
	})
}
