package cloud

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// Image statuses (DescribeImages' Status).
const (
	ImageCreating     = "Creating"
	ImageWaiting      = "Waiting"
	ImageAvailable    = "Available"
	ImageUnAvailable  = "UnAvailable"
	ImageCreateFailed = "CreateFailed"
	ImageDeprecated   = "Deprecated"
)

// imageSharesPerCall is ModifyImageSharePermission's limit of AddAccount.N
// and RemoveAccount.N per call (extra ones are ignored by the service).
const imageSharesPerCall = 10

// imageFromSDKImage converts one DescribeImages item.
func imageFromSDKImage(im ecs.Image, region string) Image {
	return Image{
		ID:           im.ImageId,
		Name:         im.ImageName,
		RegionID:     region,
		Owner:        ImageOwner(im.ImageOwnerAlias),
		Status:       im.Status,
		SizeGiB:      im.Size,
		OSType:       im.OSType,
		OSName:       cmp.Or(im.OSNameEn, im.OSName),
		Platform:     im.Platform,
		Architecture: im.Architecture,
		CreatedAt:    parseTime(im.CreationTime),
		Progress:     parsePercent(im.Progress),
		Family:       im.ImageFamily,
	}
}

// describeImagesRaw lists DescribeImages pages for one region with edit
// applied to each request, returning the SDK items.
func (c *Client) describeImagesRaw(ctx context.Context, region string, edit func(*ecs.DescribeImagesRequest)) ([]ecs.Image, error) {
	return listPages(ctx, imagePageSize, func(i ecs.Image) string { return i.ImageId },
		func(ctx context.Context, page int) ([]ecs.Image, pageInfo, error) {
			req := ecs.CreateDescribeImagesRequest()
			req.RegionId = region
			req.PageNumber = requests.NewInteger(page)
			req.PageSize = requests.NewInteger(imagePageSize)
			edit(req)
			var resp *ecs.DescribeImagesResponse
			err := c.do(ctx, "DescribeImages", region, func(api *sdkClients) (string, error) {
				r, err := api.ecs.DescribeImages(req)
				resp = r
				return r.RequestId, err
			})
			if err != nil {
				return nil, pageInfo{}, err
			}
			return resp.Images.Image, pageInfo{total: resp.TotalCount, size: resp.PageSize}, nil
		})
}

func (c *Client) describeImages(ctx context.Context, region string, edit func(*ecs.DescribeImagesRequest)) ([]Image, error) {
	raw, err := c.describeImagesRaw(ctx, region, edit)
	if err != nil {
		return nil, err
	}
	out := make([]Image, len(raw))
	for i, im := range raw {
		out[i] = imageFromSDKImage(im, region)
	}
	return out, nil
}

// imageByID finds one image of any owner and status.
func (c *Client) imageByID(ctx context.Context, region, imageID string) (ecs.Image, bool, error) {
	raw, err := c.describeImagesRaw(ctx, region, func(req *ecs.DescribeImagesRequest) {
		req.ImageId = imageID
		req.Status = ownImageStatuses
	})
	if err != nil {
		return ecs.Image{}, false, err
	}
	for _, im := range raw {
		if im.ImageId == imageID {
			return im, true, nil
		}
	}
	return ecs.Image{}, false, nil
}

// ImageNames returns the names of the region's own images, for
// ValidateImageName's uniqueness rule.
func (c *Client) ImageNames(ctx context.Context, regionID string) ([]string, error) {
	region, err := c.oneRegion("ImageNames", regionID)
	if err != nil {
		return nil, err
	}
	ims, err := c.describeImages(ctx, region, func(req *ecs.DescribeImagesRequest) {
		req.ImageOwnerAlias = string(OwnerSelf)
		req.Status = ownImageStatuses
	})
	names := make([]string, 0, len(ims))
	for _, im := range ims {
		names = append(names, im.Name)
	}
	return names, err
}

// planCreateImage is CreateImage from an instance or a snapshot.
func (c *Client) planCreateImage(regionID, sourceKey, sourceID, name, family, description string) (*Plan, error) {
	region, err := c.oneRegion("CreateImage", regionID)
	if err != nil {
		return nil, err
	}
	if sourceID == "" {
		return nil, invalid("image source", "%s required", sourceKey)
	}
	if err := ValidateImageName(name, nil); err != nil {
		return nil, err
	}
	if err := ValidateImageFamily(family); err != nil {
		return nil, err
	}
	if err := ValidateDescription(description); err != nil {
		return nil, err
	}
	params := map[string]string{"RegionId": region, sourceKey: sourceID, "ImageName": name}
	setIf(params, "ImageFamily", family)
	setIf(params, "Description", description)
	op := Operation{
		Product: "ecs", Action: "CreateImage", Region: region,
		Resources: []string{sourceID}, Params: params, Create: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, token string) (Result, error) {
		req := ecs.CreateCreateImageRequest()
		req.RegionId = region
		if sourceKey == "InstanceId" {
			req.InstanceId = sourceID
		} else {
			req.SnapshotId = sourceID
		}
		req.ImageName = name
		req.ImageFamily = family
		req.Description = description
		req.ClientToken = token
		r, err := api.ecs.CreateImage(req)
		res := Result{RequestID: r.RequestId}
		if err == nil && r.ImageId != "" {
			res.IDs = []string{r.ImageId}
		}
		return res, err
	}), nil
}

// PlanCreateImageFromInstance plans CreateImage from an instance (all its
// disks; the instance Running or Stopped). name is checked locally
// (ValidateImageName without the uniqueness rule: check that with
// ImageNames first; the service refuses a duplicate with
// InvalidImageName.Duplicated). A Create operation (ClientToken).
// Result.IDs holds the image id; WaitImage follows it to Available.
func (c *Client) PlanCreateImageFromInstance(regionID, instanceID, name, family, description string) (*Plan, error) {
	return c.planCreateImage(regionID, "InstanceId", instanceID, name, family, description)
}

// PlanCreateImageFromSnapshot plans CreateImage from a system-disk
// snapshot (accomplished). As PlanCreateImageFromInstance otherwise.
func (c *Client) PlanCreateImageFromSnapshot(regionID, snapshotID, name, family, description string) (*Plan, error) {
	return c.planCreateImage(regionID, "SnapshotId", snapshotID, name, family, description)
}

// WaitImage waits (Wait) until the image is Available and returns it;
// progress, if not nil, gets its percentage each time it changes. An image
// that failed (CreateFailed, UnAvailable) or no longer exists (a copy
// cancelled) is an error. Use the destination region for a copy.
func (c *Client) WaitImage(ctx context.Context, regionID, imageID string, progress func(pct int)) (Image, error) {
	region, err := c.oneRegion("WaitImage", regionID)
	if err != nil {
		return Image{}, err
	}
	var im Image
	last := -1
	err = c.Wait(ctx, func(ctx context.Context) (bool, string, error) {
		raw, ok, err := c.imageByID(ctx, region, imageID)
		if err != nil {
			return false, "", err
		}
		if !ok {
			return false, "", fmt.Errorf("image %s: not found in %s", imageID, region)
		}
		im = imageFromSDKImage(raw, region)
		if im.Status == ImageAvailable || im.Status == ImageDeprecated {
			im.Progress = 100
		}
		if progress != nil && im.Progress != last {
			last = im.Progress
			progress(im.Progress)
		}
		switch im.Status {
		case ImageAvailable, ImageDeprecated:
			return true, "", nil
		case ImageCreateFailed, ImageUnAvailable:
			return false, "", fmt.Errorf("image %s: %s", imageID, im.Status)
		}
		return false, strconv.Itoa(im.Progress) + "%", nil
	}, nil)
	return im, err
}

// PlanCopyImage plans CopyImage: a copy of an own Available image in
// destRegion, named name. The API takes no ClientToken, so it is sent
// once, never retried. Result.IDs holds the copy's id in destRegion
// (WaitImage there; PlanCancelCopyImage stops it).
func (c *Client) PlanCopyImage(regionID, imageID, destRegion, name string) (*Plan, error) {
	region, err := c.oneRegion("CopyImage", regionID)
	if err != nil {
		return nil, err
	}
	switch {
	case imageID == "":
		return nil, invalid("image", "required")
	case destRegion == "" || destRegion == AllRegions:
		return nil, invalid("destination region", "required")
	case destRegion == region:
		return nil, invalid("destination region", "%s is the image's own region; a copy goes to another region", region)
	}
	if name != "" {
		if err := ValidateImageName(name, nil); err != nil {
			return nil, err
		}
	}
	params := map[string]string{"RegionId": region, "ImageId": imageID, "DestinationRegionId": destRegion}
	setIf(params, "DestinationImageName", name)
	op := Operation{
		Product: "ecs", Action: "CopyImage", Region: region,
		Resources: []string{imageID}, Params: params,
	}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		req := ecs.CreateCopyImageRequest()
		req.RegionId = region
		req.ImageId = imageID
		req.DestinationRegionId = destRegion
		req.DestinationImageName = name
		r, err := api.ecs.CopyImage(req)
		res := Result{RequestID: r.RequestId}
		if err == nil && r.ImageId != "" {
			res.IDs = []string{r.ImageId}
		}
		return res, err
	}), nil
}

// PlanCancelCopyImage plans CancelCopyImage: destRegion is the copy's
// region and imageID the copy's id (what PlanCopyImage returned). The
// unfinished copy is deleted; the source is untouched.
func (c *Client) PlanCancelCopyImage(destRegion, imageID string) (*Plan, error) {
	region, err := c.oneRegion("CancelCopyImage", destRegion)
	if err != nil {
		return nil, err
	}
	if imageID == "" {
		return nil, invalid("image", "required")
	}
	op := Operation{
		Product: "ecs", Action: "CancelCopyImage", Region: region, Resources: []string{imageID},
		Params: map[string]string{"RegionId": region, "ImageId": imageID},
	}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		req := ecs.CreateCancelCopyImageRequest()
		req.RegionId = region
		req.ImageId = imageID
		r, err := api.ecs.CancelCopyImage(req)
		return Result{RequestID: r.RequestId}, err
	}), nil
}

// PlanShareImage plans ModifyImageSharePermission: share the image with
// the add accounts and stop sharing with the remove ones (16-digit account
// ids; at most 10 of each per call, so larger changes are batched; at
// most 50 accounts in all — ValidateImageShare with the current shares
// checks the total). Adding or removing twice is harmless: retried.
func (c *Client) PlanShareImage(regionID, imageID string, add, remove []string) (*Plan, error) {
	region, err := c.oneRegion("ModifyImageSharePermission", regionID)
	if err != nil {
		return nil, err
	}
	if imageID == "" {
		return nil, invalid("image", "required")
	}
	add, remove = distinct(add), distinct(remove)
	if err := ValidateImageShare(nil, add, remove); err != nil {
		return nil, err
	}
	paramsOf := func(a, r []string) map[string]string {
		p := repeatedParams(region, "AddAccount", a)
		for i, id := range r {
			p["RemoveAccount."+strconv.Itoa(i+1)] = id
		}
		p["ImageId"] = imageID
		return p
	}
	whole := Operation{
		Product: "ecs", Action: "ModifyImageSharePermission", Region: region,
		Resources: []string{imageID}, Params: paramsOf(add, remove), Idempotent: true,
	}
	addB, remB := batches(add, imageSharesPerCall), batches(remove, imageSharesPerCall)
	var parts []*Plan
	for i := 0; i < max(len(addB), len(remB)); i++ {
		var a, r []string
		if i < len(addB) {
			a = addB[i]
		}
		if i < len(remB) {
			r = remB[i]
		}
		op := whole
		op.Params = paramsOf(a, r)
		parts = append(parts, newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
			req := ecs.CreateModifyImageSharePermissionRequest()
			req.RegionId = region
			req.ImageId = imageID
			if len(a) > 0 {
				x := slices.Clone(a)
				req.AddAccount = &x
			}
			if len(r) > 0 {
				x := slices.Clone(r)
				req.RemoveAccount = &x
			}
			resp, err := api.ecs.ModifyImageSharePermission(req)
			return Result{RequestID: resp.RequestId}, err
		}))
	}
	return newBatchPlan(whole, parts), nil
}

// sharePageSize is DescribeImageSharePermission's maximum PageSize.
const sharePageSize = 100

// ImageShares returns the account ids the image is shared with ("all"
// among them when it is public).
func (c *Client) ImageShares(ctx context.Context, regionID, imageID string) ([]string, error) {
	region, err := c.oneRegion("ImageShares", regionID)
	if err != nil {
		return nil, err
	}
	return listPages(ctx, sharePageSize, func(s string) string { return s },
		func(ctx context.Context, page int) ([]string, pageInfo, error) {
			req := ecs.CreateDescribeImageSharePermissionRequest()
			req.RegionId = region
			req.ImageId = imageID
			req.PageNumber = requests.NewInteger(page)
			req.PageSize = requests.NewInteger(sharePageSize)
			var resp *ecs.DescribeImageSharePermissionResponse
			err := c.do(ctx, "DescribeImageSharePermission", region, func(api *sdkClients) (string, error) {
				r, err := api.ecs.DescribeImageSharePermission(req)
				resp = r
				return r.RequestId, err
			})
			if err != nil {
				return nil, pageInfo{}, err
			}
			var out []string
			for _, g := range resp.ShareGroups.ShareGroup {
				if g.Group != "" {
					out = append(out, g.Group)
				}
			}
			for _, a := range resp.Accounts.Account {
				out = append(out, a.AliyunId)
			}
			return out, pageInfo{total: resp.TotalCount, size: resp.PageSize}, nil
		})
}

// PlanExportImage plans ExportImage: the image to an OSS bucket, objects
// named with prefix, in format (raw when ""). Checked locally first
// (ValidateExport). The API takes no ClientToken: sent once. Result.IDs
// holds the task id (Task, WaitTask).
func (c *Client) PlanExportImage(regionID, imageID, bucket, prefix, format string) (*Plan, error) {
	region, err := c.oneRegion("ExportImage", regionID)
	if err != nil {
		return nil, err
	}
	if imageID == "" {
		return nil, invalid("image", "required")
	}
	if err := ValidateExport(bucket, prefix, format); err != nil {
		return nil, err
	}
	params := map[string]string{"RegionId": region, "ImageId": imageID, "OSSBucket": bucket}
	setIf(params, "OSSPrefix", prefix)
	setIf(params, "ImageFormat", format)
	op := Operation{
		Product: "ecs", Action: "ExportImage", Region: region,
		Resources: []string{imageID}, Params: params,
	}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		req := ecs.CreateExportImageRequest()
		req.RegionId = region
		req.ImageId = imageID
		req.OSSBucket = bucket
		req.OSSPrefix = prefix
		req.ImageFormat = format
		r, err := api.ecs.ExportImage(req)
		res := Result{RequestID: r.RequestId}
		if err == nil && r.TaskId != "" {
			res.IDs = []string{r.TaskId}
		}
		return res, err
	}), nil
}

// Task statuses (DescribeTaskAttribute TaskStatus).
const (
	TaskWaiting    = "Waiting"
	TaskProcessing = "Processing"
	TaskFinished   = "Finished"
	TaskFailed     = "Failed"
)

// TaskStatus is an asynchronous task's state (ExportImage's).
type TaskStatus struct {
	ID       string
	Action   string // e.g. "ExportImage"
	Status   string // Waiting, Processing, Finished, Failed
	Progress int    // percent
	// Items are the task's related items, e.g. OSSBucket, OSSObject,
	// ImageFormat for an export.
	Items map[string]string
}

// Task reads a task's status (DescribeTaskAttribute).
func (c *Client) Task(ctx context.Context, regionID, taskID string) (TaskStatus, error) {
	region, err := c.oneRegion("Task", regionID)
	if err != nil {
		return TaskStatus{}, err
	}
	req := ecs.CreateDescribeTaskAttributeRequest()
	req.RegionId = region
	req.TaskId = taskID
	var resp *ecs.DescribeTaskAttributeResponse
	err = c.do(ctx, "DescribeTaskAttribute", region, func(api *sdkClients) (string, error) {
		r, err := api.ecs.DescribeTaskAttribute(req)
		resp = r
		return r.RequestId, err
	})
	if err != nil {
		return TaskStatus{}, err
	}
	ts := TaskStatus{
		ID: cmp.Or(resp.TaskId, taskID), Action: resp.TaskAction, Status: resp.TaskStatus,
		Progress: parsePercent(resp.TaskProcess),
	}
	for _, p := range resp.OperationProgressSet.OperationProgress {
		for _, it := range p.RelatedItemSet.RelatedItem {
			if ts.Items == nil {
				ts.Items = map[string]string{}
			}
			ts.Items[it.Name] = it.Value
		}
	}
	if ts.Status == TaskFinished {
		ts.Progress = 100
	}
	return ts, nil
}

// WaitTask waits (Wait) until the task is Finished and returns it;
// progress, if not nil, gets its percentage each time it changes. A Failed
// (or cancelled) task is an error.
func (c *Client) WaitTask(ctx context.Context, regionID, taskID string, progress func(pct int)) (TaskStatus, error) {
	var ts TaskStatus
	last := -1
	err := c.Wait(ctx, func(ctx context.Context) (bool, string, error) {
		var err error
		ts, err = c.Task(ctx, regionID, taskID)
		if err != nil {
			return false, "", err
		}
		if progress != nil && ts.Progress != last {
			last = ts.Progress
			progress(ts.Progress)
		}
		switch {
		case ts.Status == TaskFinished:
			return true, "", nil
		case ts.Status == TaskFailed, strings.HasPrefix(ts.Status, "Cancel"):
			return false, "", fmt.Errorf("task %s: %s", taskID, ts.Status)
		}
		return false, strconv.Itoa(ts.Progress) + "%", nil
	}, nil)
	return ts, err
}

// planImageStatus is ModifyImageAttribute Status.
func (c *Client) planImageStatus(regionID, imageID, status string) (*Plan, error) {
	region, err := c.oneRegion("ModifyImageAttribute", regionID)
	if err != nil {
		return nil, err
	}
	if imageID == "" {
		return nil, invalid("image", "required")
	}
	op := Operation{
		Product: "ecs", Action: "ModifyImageAttribute", Region: region, Resources: []string{imageID},
		Params: map[string]string{"RegionId": region, "ImageId": imageID, "Status": status}, Idempotent: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		req := ecs.CreateModifyImageAttributeRequest()
		req.RegionId = region
		req.ImageId = imageID
		req.Status = status
		r, err := api.ecs.ModifyImageAttribute(req)
		return Result{RequestID: r.RequestId}, err
	}), nil
}

// PlanDeprecateImage plans ModifyImageAttribute Status=Deprecated: the
// image family skips it, and it can no longer be shared or copied (it can
// still launch instances). A shared image must be unshared first.
func (c *Client) PlanDeprecateImage(regionID, imageID string) (*Plan, error) {
	return c.planImageStatus(regionID, imageID, ImageDeprecated)
}

// PlanRestoreImage plans ModifyImageAttribute Status=Available: undoes
// PlanDeprecateImage.
func (c *Client) PlanRestoreImage(regionID, imageID string) (*Plan, error) {
	return c.planImageStatus(regionID, imageID, ImageAvailable)
}

// PlanDeleteImage plans DeleteImage. Without force the service refuses
// while instances use the image (ImageUsingByInstance); a shared image is
// refused either way (ImageUseShared: unshare first). Destructive; not
// retried.
func (c *Client) PlanDeleteImage(regionID, imageID string, force bool) (*Plan, error) {
	region, err := c.oneRegion("DeleteImage", regionID)
	if err != nil {
		return nil, err
	}
	if imageID == "" {
		return nil, invalid("image", "required")
	}
	params := map[string]string{"RegionId": region, "ImageId": imageID}
	if force {
		params["Force"] = "true"
	}
	op := Operation{
		Product: "ecs", Action: "DeleteImage", Region: region, Resources: []string{imageID},
		Params: params, Destructive: true,
	}
	return newPlan(op, func(api *sdkClients, _ bool, _ string) (Result, error) {
		req := ecs.CreateDeleteImageRequest()
		req.RegionId = region
		req.ImageId = imageID
		if force {
			req.Force = requests.NewBoolean(true)
		}
		r, err := api.ecs.DeleteImage(req)
		return Result{RequestID: r.RequestId}, err
	}), nil
}
