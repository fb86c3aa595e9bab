package views

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
)

// launch is L / :launch [COUNT]: instances from the selected image, every
// setting defaulting to the instance the image was made from when that is
// known (LaunchDefaults). With COUNT inline and complete defaults it goes
// straight to the confirmation; otherwise the form asks, pre-filled. The
// password field is a Secret: it is never shown, and the confirmation, the
// CLI line and the audit log only say whether one is set. The Flow's
// DryRun precheck runs first; the plan's ClientToken makes a retried
// launch return the same instances; the instances view reloads as they
// come up.
func launch(l *List[cloud.Image], ctx Context, args []string) tea.Cmd {
	im, ok := l.Selected()
	if !ok {
		return reportErr("launch", errBkNoSelection)
	}
	count := ""
	if len(args) > 0 {
		count = args[0]
	}
	client, view := ctx.Client, l.kind.Name
	region := bkRegionOf(ctx, im.RegionID)
	return openAfterLoad(l, ctx, "Launch from "+im.ID, func(c context.Context) (Modal, tea.Msg, error) {
		def, err := client.LaunchDefaults(c, region, im.ID)
		if err != nil {
			return nil, nil, err
		}
		// The default names start past those the region has; what the
		// user types instead is taken as typed.
		taken, err := instanceNames(c, client, region)
		if err != nil {
			return nil, nil, err
		}
		def.NamePattern = freeNamePattern(def.NamePattern, taken)
		prepare := func(_ context.Context, v map[string]string) (tea.Msg, error) {
			spec, err := launchSpecOf(def, v, count)
			if err != nil {
				return nil, err
			}
			plan, err := client.PlanRunInstances(region, spec)
			if err != nil {
				return nil, err
			}
			return bkConfirm(ctx, launchFlow(im, region, spec, plan, taken)), nil
		}
		complete := def.InstanceType != "" && def.VSwitchID != "" && len(def.SecurityGroupIDs) > 0
		if count != "" && complete {
			msg, err := prepare(c, nil)
			if err != nil {
				return nil, nil, err
			}
			return nil, msg, nil
		}
		f := newBackupForm(ctx, view, "Launch instances from "+im.ID+" "+orDash(im.Name), launchFields(def, count), prepare)
		if kps, err := client.KeyPairs(c, region); err == nil { // else the field takes a typed name
			ps := make([]pickOption, len(kps))
			for i, k := range kps {
				ps[i] = pickOption{ID: k.Name, Desc: k.Fingerprint}
			}
			setPicks(&f.form, "keypair", ps)
		}
		if cats := launchSystemCategories(c, client, region, def); cats != nil {
			f.form.SetOptions("category", cats, nil)
		}
		if groups, err := client.SecurityGroups(c, region); err == nil { // else the field takes typed ids
			ps := make([]pickOption, len(groups))
			for i, g := range groups {
				ps[i] = pickOption{ID: g.ID, Name: g.Name, Desc: g.VpcID}
			}
			setPicks(&f.form, "groups", ps)
		}
		return f, nil, nil
	})
}

// bkRegionOf is the region of a resource, or the view's when unknown.
func bkRegionOf(ctx Context, r string) string {
	if r != "" {
		return r
	}
	return ctx.Region
}

// launchFields is the launch form, pre-filled with the defaults.
func launchFields(def cloud.LaunchSpec, count string) []form.Field {
	cats := slices.Clone(cloud.SystemDiskCategories)
	if def.SystemDiskCategory != "" {
		cats = append([]string{def.SystemDiskCategory}, slices.DeleteFunc(cats, func(c string) bool { return c == def.SystemDiskCategory })...)
	}
	from := "no source instance known: fill in every setting"
	if def.FromInstanceID != "" {
		from = "defaults from " + def.FromInstanceID + ", the instance the image was made from"
	}
	size := ""
	if def.SystemDiskSize > 0 {
		size = strconv.Itoa(def.SystemDiskSize)
	}
	return []form.Field{
		{Key: "count", Label: "Count", Kind: form.Number, Value: count, Suggestion: strconv.Itoa(max(def.Count, 1)),
			Help: fmt.Sprintf("1-%d; %s", cloud.MaxLaunchCount, from), Validate: quantity("count", cloud.UnitCount, 1, cloud.MaxLaunchCount)},
		{Key: "names", Label: "Name pattern", Kind: form.Text, Value: def.NamePattern, Optional: true,
			Help: "web or web-[1,2] (web-01, web-02…)", Validate: cloud.ValidateNamePattern},
		{Key: "type", Label: "Instance type", Kind: form.Text, Suggestion: def.InstanceType, Placeholder: "ecs.g7.large"},
		{Key: "zone", Label: "Zone", Kind: form.Text, Suggestion: def.ZoneID, Optional: true, Help: "the vSwitch's zone"},
		{Key: "vswitch", Label: "vSwitch", Kind: form.Text, Suggestion: def.VSwitchID, Placeholder: "vsw-…", Validate: bkIDPrefix("a vSwitch", "vsw-")},
		{Key: "groups", Label: "Security groups", Kind: form.Picker, Multi: true, Value: strings.Join(def.SecurityGroupIDs, ","),
			Help: "1-16 of the vSwitch's VPC: type to find one, enter adds it, ⌫ removes the last", Validate: bkIDPrefix("a security group", "sg-")},
		{Key: "keypair", Label: "Key pair", Kind: form.Picker, Value: def.KeyPairName, Optional: true,
			Help: "type to find one of the region's key pairs; none: log in by password"},
		{Key: "password", Label: "Password", Kind: form.Secret, Optional: true,
			Help: "8-30, three of upper, lower, digits, specials; never shown", Validate: cloud.ValidateInstancePassword},
		{Key: "category", Label: "System disk", Kind: form.Choice, Options: cats, Help: "those the default zone gives a system disk (every one when no zone is known)"},
		{Key: "size", Label: "System disk GiB", Kind: form.Number, Suggestion: size, Optional: true,
			Help: "20-2048; empty = the image's size", Validate: quantity("system disk size", cloud.UnitGiB, 20, 2048)},
		{Key: "bandwidth", Label: "Bandwidth out", Kind: form.Number, Suggestion: strconv.Itoa(def.BandwidthOut),
			Help: "Mbit/s, 0-100; more than 0 gives each a public IP", Validate: quantity("bandwidth", cloud.UnitMbps, 0, cloud.MaxBandwidthOut)},
	}
}

// launchSystemCategories are the system disk categories the defaults'
// zone takes (the default's first), or nil when the zone or its list is
// not known (the form keeps every category).
func launchSystemCategories(c context.Context, client *cloud.Client, region string, def cloud.LaunchSpec) []string {
	zones, err := client.Zones(c, region)
	if err != nil || def.ZoneID == "" {
		return nil
	}
	for _, z := range zones {
		if z.ID != def.ZoneID || len(z.SystemDiskCategories) == 0 {
			continue
		}
		var cats []string
		for _, cat := range cloud.SystemDiskCategories {
			if slices.Contains(z.SystemDiskCategories, cat) {
				cats = append(cats, cat)
			}
		}
		if i := slices.Index(cats, def.SystemDiskCategory); i > 0 {
			cats[0], cats[i] = cats[i], cats[0]
		}
		return cats
	}
	return nil
}

// launchSpecOf reads the form (nil: the defaults, count inline) into a
// spec and validates it (ValidateLaunch).
func launchSpecOf(def cloud.LaunchSpec, v map[string]string, count string) (cloud.LaunchSpec, error) {
	spec := def
	var err error
	if spec.Count, err = bkAtoi("count", bkValue(v, "count", count), cloud.UnitCount, 1, cloud.MaxLaunchCount, max(def.Count, 1)); err != nil {
		return spec, err
	}
	if v != nil {
		spec.NamePattern = bkValue(v, "names", def.NamePattern)
		spec.InstanceType = bkValue(v, "type", def.InstanceType)
		spec.ZoneID = bkValue(v, "zone", def.ZoneID)
		spec.VSwitchID = bkValue(v, "vswitch", def.VSwitchID)
		spec.SecurityGroupIDs = bkSplit(v["groups"])
		spec.KeyPairName = bkValue(v, "keypair", def.KeyPairName)
		spec.Password = v["password"] // as typed: spaces are characters of a password
		spec.SystemDiskCategory = bkValue(v, "category", def.SystemDiskCategory)
		if spec.SystemDiskSize, err = bkAtoi("system disk size", v["size"], cloud.UnitGiB, 20, 2048, 0); err != nil {
			return spec, err
		}
		if spec.BandwidthOut, err = bkAtoi("bandwidth", v["bandwidth"], cloud.UnitMbps, 0, cloud.MaxBandwidthOut, 0); err != nil {
			return spec, err
		}
	}
	return spec, cloud.ValidateLaunch(spec)
}

// launchFlow is the launch's confirmation and tracked operation. The
// password never appears in it.
// taken are the instance names the region has (the confirmation points
// out those the typed names repeat).
func launchFlow(im cloud.Image, region string, spec cloud.LaunchSpec, plan *cloud.Plan, taken []string) Flow {
	login := "none (Cloud Assistant, or reset the password later)"
	switch {
	case spec.KeyPairName != "" && spec.Password != "":
		login = "key pair " + spec.KeyPairName + " and a password (set, not shown)"
	case spec.KeyPairName != "":
		login = "key pair " + spec.KeyPairName
	case spec.Password != "":
		login = "password (set, not shown)"
	}
	disk := cmpOr(spec.SystemDiskCategory, "the API's default")
	if spec.SystemDiskSize > 0 {
		disk += ", " + gib(spec.SystemDiskSize)
	} else {
		disk += ", the image's size"
	}
	from := "-"
	if spec.FromInstanceID != "" {
		from = spec.FromInstanceID + " (the defaults are its settings)"
	}
	return Flow{
		Action: fmt.Sprintf("launch %d from %s", spec.Count, im.ID),
		Title:  fmt.Sprintf("Launch %d instance(s) from %s %s?", spec.Count, im.ID, orDash(im.Name)),
		Lines: []string{
			"Image:           " + im.ID + " " + orDash(im.Name),
			"Made from:       " + from,
			"Count:           " + strconv.Itoa(spec.Count),
			"Names:           " + namesLine(spec.NamePattern, spec.Count, taken),
			"Type:            " + spec.InstanceType,
			"Zone / vSwitch:  " + orDash(spec.ZoneID) + " / " + spec.VSwitchID,
			"Security groups: " + strings.Join(spec.SecurityGroupIDs, ", "),
			"Login:           " + login,
			"System disk:     " + disk,
			fmt.Sprintf("Bandwidth out:   %d Mbit/s", spec.BandwidthOut),
			"Billing:         pay-as-you-go, charged from now on",
			"A ClientToken makes a retried launch return these instances, never extra ones.",
		},
		Steps:  []Step{{Label: fmt.Sprintf("launch %d from %s", spec.Count, im.ID), Plan: plan, Poll: bkPollLaunched(region)}},
		Reload: []string{"instances", "images"},
	}
}

// bkPollLaunched follows a launch's instances (Result.IDs) until all run.
func bkPollLaunched(region string) func(context.Context, *cloud.Client, cloud.Result) (bool, string, error) {
	return func(c context.Context, client *cloud.Client, res cloud.Result) (bool, string, error) {
		if len(res.IDs) == 0 {
			return false, "", fmt.Errorf("the API returned no instance ids")
		}
		ins, err := client.LaunchedInstances(c, region, res.IDs)
		if err != nil {
			return false, "", err
		}
		handBack(c, ins)
		running := 0
		var states []string
		for _, in := range ins {
			if in.Status == cloud.StateRunning {
				running++
			}
			states = append(states, in.ID+" "+string(in.Status))
		}
		text := fmt.Sprintf("%d/%d running: %s", running, len(res.IDs), strings.Join(states, ", "))
		return running == len(res.IDs), text, nil
	}
}
