package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/textsafe"
)

// errFindings makes `ecsdash audit` exit 1 when it found open ports, for
// cron and CI, without printing anything more.
var errFindings = errors.New("risky ports are open to the internet")

func newAuditCommand(g *globalFlags, stdout io.Writer) *cobra.Command {
	var (
		output string
		ports  string
	)
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Find security group rules that open risky ports to the whole internet (exit 1 if any)",
		Long: `Find every ingress rule, across every security group (and region with
--region all), that opens to the whole internet (0.0.0.0/0 or ::/0) a port
attackers look for first, or a whole range of ports, with the running
instances it exposes, most exposed first. Exit status 1 when it finds
something, so it can run from cron or CI.`,
		Example: `  ecsdash audit --demo --region all
  ecsdash audit -o json --ports 22,3389,6379`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if output != "table" && output != "json" {
				return &usageError{msg: fmt.Sprintf("-o must be table or json, not %q", output)}
			}
			list, err := parsePorts(ports)
			if err != nil {
				return &usageError{msg: err.Error()}
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
			if len(list) == 0 {
				list = s.riskyPorts()
			}
			ctx, cancel := withSignals(cmd.Context())
			defer cancel()
			findings, err := s.client.AuditPorts(ctx, s.region, list)
			if err != nil {
				return fmt.Errorf("audit: %w", err)
			}
			if output == "json" {
				err = writeFindingsJSON(stdout, findings)
			} else {
				err = writeFindingsTable(stdout, findings)
			}
			if err != nil {
				return err
			}
			if len(findings) > 0 {
				return errFindings
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format: table or json")
	cmd.Flags().StringVar(&ports, "ports", "", "comma-separated ports to look for (default: the config's risky_ports, else the built-in list)")
	return cmd
}

// parsePorts reads "22,3389" ("" = none given).
func parsePorts(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("--ports: %q is not a port (1-65535)", p)
		}
		out = append(out, n)
	}
	return out, nil
}

func writeFindingsJSON(w io.Writer, findings []cloud.Finding) error {
	if findings == nil {
		findings = []cloud.Finding{}
	}
	return writeSafeJSON(w, struct {
		Findings []cloud.Finding `json:"findings"`
	}{findings})
}

func writeFindingsTable(w io.Writer, findings []cloud.Finding) error {
	if len(findings) == 0 {
		_, err := fmt.Fprintln(w, "no risky port is open to the internet")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REGION\tSECURITY GROUP\tRULE\tPROTOCOL\tPORTS\tSOURCE\tRISKY\tEXPOSES")
	for _, f := range findings {
		risky := make([]string, len(f.Ports))
		for i, p := range f.Ports {
			risky[i] = strconv.Itoa(p)
		}
		what := strings.Join(risky, ",")
		if f.WholeRange() {
			what = "whole range"
		}
		// The API's strings, printable (see writeStatusTable).
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d running: %s\n", textsafe.Line(f.RegionID), textsafe.Line(f.SecurityGroupID),
			textsafe.Line(f.SecurityGroupRuleID), textsafe.Line(f.IpProtocol), textsafe.Line(f.PortRange), textsafe.Line(f.SourceCidrIp),
			what, len(f.Instances), textsafe.Line(strings.Join(f.Instances, ",")))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d rules open risky ports to the internet\n", len(findings))
	return err
}
