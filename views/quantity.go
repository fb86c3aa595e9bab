package views

import (
	"cmp"

	"github.com/ecsdash/ecsdash/cloud"
)

// quantity is a form field's Validate for a number in unit between min
// and max: cloud.ParseQuantity, the parser the `:` commands use too, so
// a field and its command refuse the same text with the same words.
func quantity(field, unit string, min, max int) func(string) error {
	return func(v string) error {
		_, err := cloud.ParseQuantity(field, v, unit, min, max)
		return err
	}
}

// diskSize reads a size in GiB, typed in a form or a command: "200",
// "200G", "200GiB", "200 GiB". The disk's category range is checked
// after (cloud.ValidateResize, the create specs).
func diskSize(field, text string) (int, error) {
	return cloud.ParseQuantity(field, text, cloud.UnitGiB, 1, cloud.MaxDiskGiB)
}

// bandwidthMbps reads a maximum outbound bandwidth in Mbit/s: "5",
// "5M", "5Mbps", "5 Mbit/s", within the range of the billing method
// charge ("" keeps the instance's) for this instance.
func bandwidthMbps(in cloud.Instance, charge, text string) (int, error) {
	charge = cmp.Or(charge, in.InternetChargeType, cloud.PayByTraffic)
	lo, hi, ok := cloud.BandwidthRange(charge, in.ChargeType)
	if !ok {
		lo, hi, _ = cloud.BandwidthRange(cloud.PayByBandwidth, "")
	}
	return cloud.ParseQuantity("bandwidth", text, cloud.UnitMbps, lo, hi)
}
