package cloud_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ecsdash/ecsdash/cloud"
)

func TestValidateResizeRanges(t *testing.T) {
	cases := []struct {
		d    cloud.Disk
		size int
		want string // "" = valid
	}{
		{cloud.Disk{Type: cloud.DiskSystem, Category: "cloud", SizeGiB: 40}, 500, ""},
		{cloud.Disk{Type: cloud.DiskSystem, Category: "cloud", SizeGiB: 40}, 501, "501 GiB is outside 20-500 GiB for a cloud system disk"},
		{cloud.Disk{Type: cloud.DiskSystem, Category: "cloud_essd", PerformanceLevel: "PL0", SizeGiB: 40}, 2048, ""},
		{cloud.Disk{Type: cloud.DiskSystem, Category: "cloud_essd", PerformanceLevel: "PL1", SizeGiB: 40}, 2049, "2049 GiB is outside 20-2048 GiB for a cloud_essd PL1 system disk"},
		{cloud.Disk{Type: cloud.DiskData, Category: "cloud", SizeGiB: 100}, 2001, "outside 5-2000 GiB"},
		{cloud.Disk{Type: cloud.DiskData, Category: "cloud_efficiency", SizeGiB: 100}, 32768, ""},
		{cloud.Disk{Type: cloud.DiskData, Category: "cloud_essd", PerformanceLevel: "PL3", SizeGiB: 2000}, 65536, ""},
		{cloud.Disk{Type: cloud.DiskData, Category: "cloud_essd", SizeGiB: 100}, 99, "99 GiB must be larger than the current 100 GiB"},
		{cloud.Disk{Type: cloud.DiskData, Category: "local_ssd_pro", SizeGiB: 100}, 200, "cannot be resized"},
	}
	for _, tc := range cases {
		err := cloud.ValidateResize(tc.d, tc.size)
		if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v to %d: %v, want %q", tc.d, tc.size, err, tc.want)
		}
	}
}

func TestValidateBandwidthRanges(t *testing.T) {
	cases := []struct {
		charge string
		mbps   int
		ok     bool
	}{
		{cloud.PayByTraffic, 0, true}, {cloud.PayByTraffic, 100, true}, {cloud.PayByTraffic, 101, false},
		{cloud.PayByTraffic, 1000, false}, {cloud.PayByTraffic, -5, false},
		{cloud.PayByBandwidth, 200, true}, {cloud.PayByBandwidth, 201, false}, {"", 10, false},
	}
	for _, tc := range cases {
		if err := cloud.ValidateBandwidth(tc.charge, tc.mbps); (err == nil) != tc.ok {
			t.Errorf("%s %d: %v", tc.charge, tc.mbps, err)
		}
	}
	pre := cloud.Instance{ChargeType: "PrePaid", InternetChargeType: cloud.PayByBandwidth}
	post := cloud.Instance{ChargeType: "PostPaid", InternetChargeType: cloud.PayByBandwidth}
	if cloud.ValidateInstanceBandwidth(pre, "", 200) != nil || cloud.ValidateInstanceBandwidth(post, "", 101) == nil || cloud.ValidateInstanceBandwidth(post, cloud.PayByTraffic, 100) != nil {
		t.Error("instance bandwidth ranges")
	}
}

func TestValidateNewDisk(t *testing.T) {
	ok := cloud.NewDiskSpec{ZoneID: "cn-hangzhou-h", Category: "cloud_essd", PerformanceLevel: "PL1", SizeGiB: 20, Name: "data", Count: 3}
	if err := cloud.ValidateNewDisk(ok); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		edit func(*cloud.NewDiskSpec)
		want string
	}{
		{func(s *cloud.NewDiskSpec) { s.Category = "cloud_magic" }, "category: \"cloud_magic\", must be one of"},
		{func(s *cloud.NewDiskSpec) { s.Category = "cloud_ssd" }, "only cloud_essd has performance levels"},
		{func(s *cloud.NewDiskSpec) { s.PerformanceLevel = "PL9" }, "must be PL0, PL1, PL2 or PL3"},
		{func(s *cloud.NewDiskSpec) { s.SizeGiB = 19 }, "19 GiB is outside 20-65536 GiB for cloud_essd PL1"},
		{func(s *cloud.NewDiskSpec) { s.SizeGiB = 0 }, "give a size (20-65536 GiB for cloud_essd PL1) or a snapshot"},
		{func(s *cloud.NewDiskSpec) { s.SnapshotID = "snap" }, "is not a snapshot id"},
		{func(s *cloud.NewDiskSpec) { s.Name = "1data" }, "must start with a letter"},
		{func(s *cloud.NewDiskSpec) { s.Name = "https://x" }, "must not start with http"},
		{func(s *cloud.NewDiskSpec) { s.Name = "da ta" }, "' ' is not allowed"},
		{func(s *cloud.NewDiskSpec) { s.Name = strings.Repeat("a", 127) }, "129 characters"},
	}
	for _, tc := range cases {
		s := ok
		tc.edit(&s)
		if err := cloud.ValidateNewDisk(s); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", s, err, tc.want)
		}
	}
	snap := cloud.NewDiskSpec{ZoneID: "z", Category: "cloud_auto", SnapshotID: "s-123"}
	if err := cloud.ValidateNewDisk(snap); err != nil {
		t.Errorf("from snapshot, no size: %v", err)
	}
}

func TestValidateCommand(t *testing.T) {
	if err := cloud.ValidateCommand(cloud.CommandPowerShell, "Get-Volume", 10*time.Minute); err != nil {
		t.Error(err)
	}
	if err := cloud.ValidateCommand(cloud.CommandShell, strings.Repeat("x", 18*1024+1), 0); err == nil || !strings.Contains(err.Error(), "at most 24576") {
		t.Errorf("too long: %v", err)
	}
}

func TestGrowFilesystemScript(t *testing.T) {
	sys := cloud.Disk{Type: cloud.DiskSystem, InstanceID: "i-1", Device: "/dev/xvda"}
	data := cloud.Disk{Type: cloud.DiskData, InstanceID: "i-1", Device: "/dev/xvdc"}
	cases := []struct {
		d    cloud.Disk
		fs   string
		want string
	}{
		{sys, "ext4", "set -e\n# growpart exits 1 when the partition already fills the disk (NOCHANGE)\ngrowpart /dev/vda 1 || [ $? -eq 1 ]\nresize2fs /dev/vda1\n"},
		{sys, "xfs", "growpart /dev/vda 1 || [ $? -eq 1 ]\nxfs_growfs /\n"},
		{data, "ext4", "growpart /dev/vdc 1 || [ $? -eq 1 ]\nresize2fs /dev/vdc1\n"},
		{data, "XFS", "growpart /dev/vdc 1 || [ $? -eq 1 ]\nxfs_growfs /dev/vdc1\n"},
	}
	for _, tc := range cases {
		if got := cloud.GrowFilesystemScript(tc.d, tc.fs); !strings.HasSuffix(got, tc.want) {
			t.Errorf("%s %s:\n%s\nwant suffix\n%s", tc.d.Device, tc.fs, got, tc.want)
		}
	}
	if got := cloud.GrowFilesystemScript(data, "ntfs"); got != "" {
		t.Errorf("ntfs: %q", got)
	}
	if got := cloud.GrowFilesystemScript(cloud.Disk{Type: cloud.DiskData}, "ext4"); got != "" {
		t.Errorf("detached: %q", got)
	}
}

// FuzzOpsValidators: no validator of the instance and disk operations
// panics, and every refusal is a *ValidationError.
func FuzzOpsValidators(f *testing.F) {
	f.Add("cloud_essd", "PL1", "ecs.g7.large", "PayByTraffic", "data", "echo hi", 40, 100, 3)
	f.Add("cloud", "", "ecs..", "PayByBandwidth", "", "", 0, -1, -1)
	f.Add("cloud_essd", "PL9", "ecs.g7.8xlarge", "", "http://x", "\x00", 65536, 1<<40, 1000)
	f.Fuzz(func(t *testing.T, category, pl, typ, charge, name, script string, size, n, count int) {
		d := cloud.Disk{Type: cloud.DiskData, Category: category, PerformanceLevel: pl, SizeGiB: size, InstanceID: "i-1", Device: "/dev/xvd" + name}
		errs := []error{
			cloud.ValidateResize(d, n),
			cloud.ValidateBandwidth(charge, n),
			cloud.ValidateInstanceBandwidth(cloud.Instance{ChargeType: name}, charge, n),
			cloud.ValidateInstanceType(name, typ),
			cloud.ValidateStoppedMode(name),
			cloud.ValidateNewDisk(cloud.NewDiskSpec{ZoneID: name, Category: category, PerformanceLevel: pl, SizeGiB: n, Name: name, Count: count}),
			cloud.ValidateDiskSpec(d, category, pl),
			cloud.ValidateCommand(typ, script, time.Duration(n)),
			cloud.ValidateInstanceIDs([]string{name, typ}),
		}
		for _, err := range errs {
			var ve *cloud.ValidationError
			if err != nil && !errors.As(err, &ve) {
				t.Errorf("%T %v is not a *ValidationError", err, err)
			}
		}
		_ = cloud.GrowFilesystemScript(d, charge)
		_ = cloud.SpecChangeNeedsStop(cloud.Instance{Type: name, ChargeType: "PrePaid"}, typ)
	})
}
