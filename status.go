package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views"
	"github.com/ecsdash/ecsdash/views/textsafe"
)

func newStatusCommand(g *globalFlags, stdout io.Writer) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Print a one-shot glance at every instance: state, IPs, CPU, memory, disk",
		Example: `  ecsdash status --demo --region all
  ecsdash status --region cn-shanghai -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if output != "table" && output != "json" {
				return &usageError{msg: fmt.Sprintf("-o must be table or json, not %q", output)}
			}
			logger, closeLog, err := debugLogger(*g)
			if err != nil {
				return err
			}
			defer closeLog()
			s, err := connect(*g, logger)
			if err != nil {
				return err
			}
			defer s.close()
			ctx, cancel := withSignals(cmd.Context())
			defer cancel()
			rows, err := collectStatus(ctx, s.client, s.region)
			if err != nil {
				return fmt.Errorf("could not read the fleet: %w", err)
			}
			gaps, err := views.CoverageGaps(ctx, s.client, s.region, "", s.backupAge, time.Now())
			if err != nil {
				return fmt.Errorf("backup coverage: %w", err)
			}
			if output == "json" {
				return writeStatusJSON(stdout, rows, len(gaps))
			}
			if s.demo {
				fmt.Fprintln(stdout, "DEMO: built-in emulator, not a real account")
			}
			if err := writeStatusTable(stdout, rows); err != nil {
				return err
			}
			return writeCoverageLine(stdout, len(gaps), s.backupAge)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format: table or json")
	return cmd
}

// staleAfter is how old a metric point may be and still count as current.
const staleAfter = 15 * time.Minute

// statusRow is one instance in the glance, with API-style JSON names.
type statusRow struct {
	InstanceID        string   `json:"InstanceId"`
	InstanceName      string   `json:"InstanceName"`
	RegionID          string   `json:"RegionId"`
	ZoneID            string   `json:"ZoneId"`
	Status            string   `json:"Status"`
	InstanceType      string   `json:"InstanceType"`
	PublicIP          string   `json:"PublicIp"`
	PrivateIP         string   `json:"PrivateIp"`
	CPUUtilization    *float64 `json:"CPUUtilization"`
	MemoryUtilization *float64 `json:"MemoryUtilization"`
	DiskUtilization   *float64 `json:"DiskUtilization"`
}

// collectStatus lists the instances and fetches their latest CPU, memory and
// disk usage: per region, one batched DescribeMetricLast per 50 instances and
// metric, never one call per instance.
func collectStatus(ctx context.Context, c *cloud.Client, region string) ([]statusRow, error) {
	instances, err := c.Instances(ctx, region)
	if err != nil {
		return nil, fmt.Errorf("list instances: %w", err)
	}
	byRegion := map[string][]string{}
	for _, in := range instances {
		byRegion[in.RegionID] = append(byRegion[in.RegionID], in.ID)
	}
	metrics := []cloud.Metric{cloud.MetricCPU, cloud.MetricMemory, cloud.MetricDisk}
	type key struct {
		region string
		metric cloud.Metric
	}
	results := map[key]map[string]cloud.MetricPoint{}
	var mu sync.Mutex // guards results
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for r, ids := range byRegion {
		for _, m := range metrics {
			g.Go(func() error {
				points, err := c.LatestMetrics(gctx, r, m, ids)
				if err != nil {
					return fmt.Errorf("%s metrics in %s: %w", m, r, err)
				}
				mu.Lock()
				results[key{r, m}] = points
				mu.Unlock()
				return nil
			})
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// A point older than staleAfter (an instance stopped since, an agent
	// that stopped reporting) is not the current value: report none.
	cutoff := time.Now().Add(-staleAfter)
	value := func(region string, m cloud.Metric, id string) *float64 {
		p, ok := results[key{region, m}][id]
		if !ok || p.Time.Before(cutoff) {
			return nil
		}
		v := p.Value
		return &v
	}
	rows := make([]statusRow, 0, len(instances))
	for _, in := range instances {
		row := statusRow{
			InstanceID: in.ID, InstanceName: in.Name, RegionID: in.RegionID, ZoneID: in.ZoneID,
			Status: string(in.Status), InstanceType: in.Type, PublicIP: in.PublicIP, PrivateIP: in.PrivateIP,
			CPUUtilization:    value(in.RegionID, cloud.MetricCPU, in.ID),
			MemoryUtilization: value(in.RegionID, cloud.MetricMemory, in.ID),
			DiskUtilization:   value(in.RegionID, cloud.MetricDisk, in.ID),
		}
		if in.Status != cloud.StateRunning {
			row.CPUUtilization, row.MemoryUtilization, row.DiskUtilization = nil, nil, nil
		}
		rows = append(rows, row)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].RegionID != rows[j].RegionID {
			return rows[i].RegionID < rows[j].RegionID
		}
		return rows[i].InstanceName < rows[j].InstanceName
	})
	return rows, nil
}

func writeStatusJSON(w io.Writer, rows []statusRow, unprotected int) error {
	return writeSafeJSON(w, struct {
		Instances []statusRow `json:"instances"`
		// UnprotectedDisks counts disks with no automatic snapshot policy
		// whose newest snapshot is too old (backup_max_age_days).
		UnprotectedDisks int `json:"unprotectedDisks"`
	}{rows, unprotected})
}

// writeSafeJSON writes v indented, with every control or bidi rune in its
// strings escaped (\u001b, \u202e): the values are exact, and the bytes are
// safe to print on a terminal.
func writeSafeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(textsafe.EscapeJSON(b), '\n'))
	return err
}

// writeCoverageLine says how many disks have no recent backup.
func writeCoverageLine(w io.Writer, gaps int, maxAge time.Duration) error {
	if maxAge <= 0 {
		maxAge = cloud.DefaultCoverageMaxAge
	}
	days := int(maxAge.Hours() / 24)
	if gaps == 0 {
		_, err := fmt.Fprintf(w, "every disk has an automatic snapshot policy or a snapshot from the last %d days\n", days)
		return err
	}
	_, err := fmt.Fprintf(w, "%d disks unprotected: no automatic snapshot policy and no snapshot in the last %d days (see :disks, BACKUP column)\n", gaps, days)
	return err
}

func writeStatusTable(w io.Writer, rows []statusRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REGION\tID\tNAME\tSTATUS\tTYPE\tPUBLIC IP\tPRIVATE IP\tCPU\tMEM\tDISK")
	for _, r := range rows {
		// Every string is the API's: printable, so a name cannot clear the
		// screen or reorder the line (a tab would also break the columns).
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			textsafe.Line(r.RegionID), textsafe.Line(r.InstanceID), textsafe.Line(r.InstanceName), textsafe.Line(r.Status),
			textsafe.Line(r.InstanceType), textsafe.Line(dash(r.PublicIP)), textsafe.Line(dash(r.PrivateIP)),
			percent(r.CPUUtilization), percent(r.MemoryUtilization), percent(r.DiskUtilization))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d instances\n", len(rows))
	return err
}

func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

func percent(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", *v)
}
