package cloud

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// LaunchSpec is a launch of instances from an image (RunInstances).
type LaunchSpec struct {
	ImageID            string
	InstanceType       string
	ZoneID             string // optional; must be the vSwitch's zone
	VSwitchID          string
	SecurityGroupIDs   []string
	KeyPairName        string
	Password           string // a secret: never audited, logged or shown
	SystemDiskCategory string // "" = the API's default
	SystemDiskSize     int    // GiB; 0 = the image's size
	BandwidthOut       int    // Mbit/s; > 0 gives each instance a public IP
	Count              int    // 1-100
	// NamePattern is InstanceName: a plain name (several instances get
	// 001, 002, ... appended) or a sequential pattern such as
	// "web-[1,2]" (web-01, web-02, ...). "" lets the API name them.
	NamePattern string

	// FromInstanceID is where LaunchDefaults took the defaults from ("" =
	// no source instance known). Informational: not sent.
	FromInstanceID string
}

// LaunchDefaults fills a LaunchSpec for imageID with the settings of the
// instance the image was made from, when that is known: the image's
// system-disk snapshot names its source disk, whose instance (if it still
// exists) gives type, zone, vSwitch, security groups, key pair, bandwidth,
// and system disk category and size. Count is 1. No password is ever
// filled in. An image whose source is unknown gives only ImageID, Count
// and the system disk size of the image.
func (c *Client) LaunchDefaults(ctx context.Context, regionID, imageID string) (LaunchSpec, error) {
	spec := LaunchSpec{ImageID: imageID, Count: 1}
	region, err := c.oneRegion("LaunchDefaults", regionID)
	if err != nil {
		return spec, err
	}
	im, ok, err := c.imageByID(ctx, region, imageID)
	if err != nil {
		return spec, err
	}
	if !ok {
		return spec, fmt.Errorf("image %s: not found in %s", imageID, region)
	}
	if im.Size >= 20 {
		spec.SystemDiskSize = im.Size
	}
	snapID := ""
	for _, m := range im.DiskDeviceMappings.DiskDeviceMapping {
		if strings.EqualFold(m.Type, "system") || m.Device == "/dev/xvda" {
			snapID = m.SnapshotId
			break
		}
	}
	if snapID == "" {
		return spec, nil
	}
	snaps, err := c.Snapshots(ctx, region, SnapshotFilter{IDs: []string{snapID}})
	if err != nil || len(snaps) == 0 || snaps[0].DiskID == "" {
		return spec, err
	}
	disks, err := c.Disks(ctx, region, DiskFilter{DiskIDs: []string{snaps[0].DiskID}})
	if err != nil || len(disks) == 0 {
		return spec, err
	}
	sys := disks[0]
	spec.SystemDiskCategory = sys.Category
	spec.SystemDiskSize = max(spec.SystemDiskSize, sys.SizeGiB)
	if sys.InstanceID == "" {
		return spec, nil
	}
	ins, err := c.instancesByID(ctx, region, []string{sys.InstanceID})
	if err != nil || len(ins) == 0 {
		return spec, err
	}
	src := ins[0]
	spec.FromInstanceID = src.ID
	spec.InstanceType = src.Type
	spec.ZoneID = src.ZoneID
	spec.VSwitchID = src.VSwitchID
	spec.SecurityGroupIDs = slices.Clone(src.SecurityGroupIDs)
	spec.KeyPairName = src.KeyPairName
	spec.BandwidthOut = src.BandwidthOutMbps
	if base := strings.TrimRight(src.Name, "0123456789-_."); ValidateNamePattern(base+"-[1,2]") == nil {
		spec.NamePattern = base + "-[1,2]"
	}
	return spec, nil
}

// instancesByID reads the given instances (DescribeInstances InstanceIds,
// at most 100).
func (c *Client) instancesByID(ctx context.Context, region string, ids []string) ([]Instance, error) {
	var out []Instance
	for _, part := range batches(ids, instancePageSize) {
		req := ecs.CreateDescribeInstancesRequest()
		req.RegionId = region
		req.InstanceIds = jsonList(part)
		req.PageSize = requests.NewInteger(instancePageSize)
		var resp *ecs.DescribeInstancesResponse
		err := c.do(ctx, "DescribeInstances", region, func(api *sdkClients) (string, error) {
			r, err := api.ecs.DescribeInstances(req)
			resp = r
			return r.RequestId, err
		})
		if err != nil {
			return nil, err
		}
		for _, in := range resp.Instances.Instance {
			out = append(out, instanceFromSDK(in, region))
		}
	}
	return out, nil
}

// LaunchedInstances reads the instances a launch made (Result.IDs), as
// they come up.
func (c *Client) LaunchedInstances(ctx context.Context, regionID string, ids []string) ([]Instance, error) {
	region, err := c.oneRegion("LaunchedInstances", regionID)
	if err != nil {
		return nil, err
	}
	return c.instancesByID(ctx, region, distinct(ids))
}

// WaitRunning waits (Wait) until every instance in ids is Running;
// progress, if not nil, gets "N/M running" each time it changes.
func (c *Client) WaitRunning(ctx context.Context, regionID string, ids []string, progress func(running, total int)) ([]Instance, error) {
	var ins []Instance
	ids = distinct(ids)
	last := -1
	err := c.Wait(ctx, func(ctx context.Context) (bool, string, error) {
		var err error
		ins, err = c.LaunchedInstances(ctx, regionID, ids)
		if err != nil {
			return false, "", err
		}
		running := 0
		for _, in := range ins {
			if in.Status == StateRunning {
				running++
			}
		}
		if progress != nil && running != last {
			last = running
			progress(running, len(ids))
		}
		return running == len(ids), fmt.Sprintf("%d/%d running", running, len(ids)), nil
	}, nil)
	return ins, err
}

// PlanRunInstances plans RunInstances for spec, after ValidateLaunch. A
// Create operation: the Plan's ClientToken makes a retried launch, or the
// same Plan executed again, return the instances of the first instead of
// making more. Precheck runs the API's DryRun. The password is a Secret:
// it is sent, but never reaches the audit log, the CLI line, errors or
// logs. Result.IDs holds the new instance ids.
func (c *Client) PlanRunInstances(regionID string, spec LaunchSpec) (*Plan, error) {
	region, err := c.oneRegion("RunInstances", regionID)
	if err != nil {
		return nil, err
	}
	if err := ValidateLaunch(spec); err != nil {
		return nil, err
	}
	sgs := slices.Clone(spec.SecurityGroupIDs)
	uniqueSuffix := spec.Count > 1 && spec.NamePattern != "" && !strings.Contains(spec.NamePattern, "[")
	params := repeatedParams(region, "SecurityGroupIds", sgs)
	params["ImageId"] = spec.ImageID
	params["InstanceType"] = spec.InstanceType
	params["VSwitchId"] = spec.VSwitchID
	params["Amount"] = strconv.Itoa(spec.Count)
	setIf(params, "ZoneId", spec.ZoneID)
	setIf(params, "KeyPairName", spec.KeyPairName)
	setIf(params, "Password", spec.Password)
	setIf(params, "SystemDisk.Category", spec.SystemDiskCategory)
	setIf(params, "InstanceName", spec.NamePattern)
	if spec.SystemDiskSize > 0 {
		params["SystemDisk.Size"] = strconv.Itoa(spec.SystemDiskSize)
	}
	if spec.BandwidthOut > 0 {
		params["InternetMaxBandwidthOut"] = strconv.Itoa(spec.BandwidthOut)
	}
	if uniqueSuffix {
		params["UniqueSuffix"] = "true"
	}
	op := Operation{
		Product: "ecs", Action: "RunInstances", Region: region,
		Resources: []string{spec.ImageID}, Params: params,
		Secret: []string{"Password"}, Create: true, DryRun: true,
	}
	return newPlan(op, func(api *sdkClients, dryRun bool, token string) (Result, error) {
		req := ecs.CreateRunInstancesRequest()
		req.RegionId = region
		req.ImageId = spec.ImageID
		req.InstanceType = spec.InstanceType
		req.VSwitchId = spec.VSwitchID
		req.ZoneId = spec.ZoneID
		g := slices.Clone(sgs)
		req.SecurityGroupIds = &g
		req.KeyPairName = spec.KeyPairName
		req.Password = spec.Password
		req.SystemDiskCategory = spec.SystemDiskCategory
		if spec.SystemDiskSize > 0 {
			req.SystemDiskSize = strconv.Itoa(spec.SystemDiskSize)
		}
		if spec.BandwidthOut > 0 {
			req.InternetMaxBandwidthOut = requests.NewInteger(spec.BandwidthOut)
		}
		req.Amount = requests.NewInteger(spec.Count)
		req.InstanceName = spec.NamePattern
		if uniqueSuffix {
			req.UniqueSuffix = requests.NewBoolean(true)
		}
		if dryRun {
			req.DryRun = requests.NewBoolean(true)
		}
		req.ClientToken = token
		r, err := api.ecs.RunInstances(req)
		res := Result{RequestID: r.RequestId}
		if err == nil {
			res.IDs = slices.Clone(r.InstanceIdSets.InstanceIdSet)
		}
		return res, err
	}), nil
}
