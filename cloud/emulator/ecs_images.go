package emulator

import (
	"slices"
	"strconv"
	"strings"
)

// Images are keyed by regionID + "/" + imageID in store.images: public
// images have the same id in every region.
func imageKey(regionID, imageID string) string { return regionID + "/" + imageID }

// image returns a region's image by id, or nil.
func (st *store) image(regionID, imageID string) *image {
	return st.images[imageKey(regionID, imageID)]
}

var imageStatuses = []string{"Creating", "Waiting", "Available", "UnAvailable", "CreateFailed", "Deprecated"}

type diskDeviceMappingJSON struct {
	Device     string `json:"Device"`
	Type       string `json:"Type"`
	SnapshotId string `json:"SnapshotId"`
	Size       string `json:"Size"`
	Format     string `json:"Format"`
	Progress   string `json:"Progress"`
}

// imageJSON is one element of DescribeImages' Images.Image[].
type imageJSON struct {
	ImageId              string         `json:"ImageId"`
	ImageName            string         `json:"ImageName"`
	ImageFamily          string         `json:"ImageFamily"`
	ImageVersion         string         `json:"ImageVersion"`
	Description          string         `json:"Description"`
	ImageOwnerAlias      string         `json:"ImageOwnerAlias"`
	ImageOwnerId         int64          `json:"ImageOwnerId"`
	Status               string         `json:"Status"`
	Progress             string         `json:"Progress"`
	Size                 int            `json:"Size"`
	OSType               string         `json:"OSType"`
	OSName               string         `json:"OSName"`
	OSNameEn             string         `json:"OSNameEn"`
	Platform             string         `json:"Platform"`
	Architecture         string         `json:"Architecture"`
	BootMode             string         `json:"BootMode"`
	CreationTime         string         `json:"CreationTime"`
	Usage                string         `json:"Usage"`
	IsPublic             bool           `json:"IsPublic"`
	IsCopied             bool           `json:"IsCopied"`
	IsSelfShared         string         `json:"IsSelfShared"`
	IsSubscribed         bool           `json:"IsSubscribed"`
	IsSupportIoOptimized bool           `json:"IsSupportIoOptimized"`
	IsSupportCloudinit   bool           `json:"IsSupportCloudinit"`
	ProductCode          string         `json:"ProductCode"`
	ResourceGroupId      string         `json:"ResourceGroupId"`
	SourceInstanceId     string         `json:"SourceInstanceId,omitempty"`
	DiskDeviceMappings   map[string]any `json:"DiskDeviceMappings"`
	Tags                 ecsTags        `json:"Tags"`
	Features             map[string]any `json:"Features"`
}

func imageView(st *store, img *image) imageJSON {
	v := imageJSON{
		ImageId: img.ID, ImageName: img.Name, Description: img.Description,
		ImageOwnerAlias: img.OwnerAlias, Status: img.Status, Progress: strconv.Itoa(img.Progress) + "%",
		Size: img.SizeGiB, OSType: img.OSType, OSName: img.OSName, OSNameEn: img.OSName,
		Platform: img.Platform, Architecture: img.Arch, BootMode: "BIOS",
		CreationTime: fmtSecond(img.CreationTime), Usage: "none", IsPublic: img.OwnerAlias == "system",
		IsCopied: img.IsCopied, IsSelfShared: "False", IsSupportIoOptimized: true, IsSupportCloudinit: true,
		SourceInstanceId: img.SourceInstanceID, Tags: tagsJSON(nil),
		Features: map[string]any{"NvmeSupport": "supported", "ImdsSupport": "v2"},
	}
	v.ImageFamily, v.ImageVersion = imageFamilyOf(img), img.ImageVersion
	if img.OwnerAlias != "system" {
		v.ResourceGroupId = defaultResourceGroupID
	}
	if img.Arch == "arm64" {
		v.BootMode = "UEFI"
	}
	if id, err := strconv.ParseInt(img.OwnerID, 10, 64); err == nil {
		v.ImageOwnerId = id
	}
	if len(img.SharedWith) > 0 {
		v.IsSelfShared = "True"
	}
	if img.OwnerAlias == "marketplace" {
		h := derived(img.ID)
		v.ProductCode = "cmjj0" + strconv.FormatUint(uint64(h[0])<<16|uint64(h[1])<<8|uint64(h[2]), 10)
		v.IsSubscribed = true
	}
	for _, in := range st.instances {
		if in.RegionID == img.RegionID && in.ImageID == img.ID {
			v.Usage = "instance"
			break
		}
	}
	maps := []diskDeviceMappingJSON{}
	if len(img.SnapshotIDs) == 0 {
		maps = append(maps, diskDeviceMappingJSON{Device: "/dev/xvda", Type: "system", Size: strconv.Itoa(img.SizeGiB), Progress: "100%"})
	}
	for i, sid := range img.SnapshotIDs {
		m := diskDeviceMappingJSON{Device: "/dev/xvd" + string(rune('a'+i)), Type: "data", SnapshotId: sid, Size: strconv.Itoa(img.SizeGiB), Progress: "100%"}
		if i == 0 {
			m.Type = "system"
		}
		if s := st.snapshots[sid]; s != nil {
			m.Size = strconv.Itoa(s.SourceDiskSizeGiB)
		}
		maps = append(maps, m)
	}
	v.DiskDeviceMappings = map[string]any{"DiskDeviceMapping": maps}
	return v
}

// DescribeImages: Status defaults to Available only; PageNumber/PageSize 1-100.
func describeImages(r *request) (any, error) {
	st := r.server.store
	rg, err := st.requireRegion(r.regionID())
	if err != nil {
		return nil, err
	}
	owner, err := r.enumParam("ImageOwnerAlias", []string{"system", "self", "others", "marketplace"}, "InvalidImageOwnerAlias.ValueNotSupported", 400)
	if err != nil {
		return nil, err
	}
	osType, err := r.enumParam("OSType", []string{"linux", "windows"}, "InvalidOSType", 404)
	if err != nil {
		return nil, err
	}
	arch, err := r.enumParam("Architecture", []string{"i386", "x86_64", "arm64"}, "InvalidArchitecture", 404)
	if err != nil {
		return nil, err
	}
	usage, err := r.enumParam("Usage", []string{"instance", "none"}, "InvalidUsage", 404)
	if err != nil {
		return nil, err
	}
	statuses := r.commaList("Status")
	for _, s := range statuses {
		if !slices.Contains(imageStatuses, s) {
			return nil, errInvalidParam("Status", "unknown image status "+s)
		}
	}
	if len(statuses) == 0 {
		statuses = []string{"Available"}
	}
	if t := r.str("InstanceType"); t != "" && !slices.ContainsFunc(st.instanceTypes, func(it *instanceType) bool { return it.ID == t }) {
		return nil, &APIError{Status: 400, Code: "InvalidInstanceType.ValueNotSupported", Message: "The specified InstanceType does not exist."}
	}
	tags, err := r.tagFilters()
	if err != nil {
		return nil, err
	}
	p, err := r.pager(pagingImages)
	if err != nil {
		return nil, err
	}
	if r.dryRun() {
		return nil, errDryRun()
	}
	ids := r.commaList("ImageId")
	name := r.str("ImageName")
	var list []imageJSON
	for _, img := range st.images {
		switch {
		case img.RegionID != rg.ID,
			len(ids) > 0 && !slices.Contains(ids, img.ID),
			owner != "" && img.OwnerAlias != owner,
			!slices.Contains(statuses, img.Status),
			osType != "" && img.OSType != osType,
			arch != "" && img.Arch != arch,
			r.has("ImageOwnerId") && img.OwnerID != r.str("ImageOwnerId"),
			r.has("SnapshotId") && !slices.Contains(img.SnapshotIDs, r.str("SnapshotId")),
			r.has("ImageFamily") && imageFamilyOf(img) != r.str("ImageFamily"),
			name != "" && !(wildcardMatch(name, img.Name) || (!strings.Contains(name, "*") && strings.Contains(img.Name, name))),
			!matchTags(nil, tags):
			continue
		}
		if r.str("IsPublic") == "true" && img.OwnerAlias != "system" {
			continue
		}
		v := imageView(st, img)
		if usage != "" && v.Usage != usage {
			continue
		}
		list = append(list, v)
	}
	slices.SortFunc(list, func(a, b imageJSON) int {
		if c := strings.Compare(b.CreationTime, a.CreationTime); c != 0 {
			return c
		}
		return strings.Compare(a.ImageId, b.ImageId)
	})
	page, _ := pageOf(list, p)
	return map[string]any{
		"RegionId": rg.ID, "TotalCount": len(list), "PageNumber": p.PageNumber, "PageSize": p.PageSize,
		"Images": map[string]any{"Image": nonNil(page)},
	}, nil
}
