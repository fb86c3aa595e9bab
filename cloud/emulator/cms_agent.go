package emulator

import (
	"sort"
)

// The CloudMonitor agent: DescribeMonitoringAgentStatuses and
// InstallMonitoringAgent (notes §3.9). The agent's state is the instance's
// AgentStatus: running, stopped, installing, install_faild (sic), abnormal,
// not_installed.

const cmsAgentVersion = "3.5.12"

// nodeStatus is one element of NodeStatusList.NodeStatus.
type nodeStatus struct {
	InstanceID           string `json:"InstanceId"`
	Status               string `json:"Status"`
	AutoInstall          bool   `json:"AutoInstall"`
	OsMonitorStatus      string `json:"OsMonitorStatus"`
	OsMonitorVersion     string `json:"OsMonitorVersion"`
	OsMonitorErrorCode   string `json:"OsMonitorErrorCode"`
	OsMonitorErrorDetail string `json:"OsMonitorErrorDetail"`
}

// agentStatus reports an instance's agent as the service shows it.
func (g *metricGen) agentStatus(in *instance) nodeStatus {
	ns := nodeStatus{InstanceID: in.ID, Status: in.AgentStatus}
	if ns.Status == "" {
		ns.Status = "not_installed"
	}
	// An installed agent on an instance that is not running does not report.
	if ns.Status == "running" && in.Status != "Running" {
		ns.Status = "stopped"
	}
	switch ns.Status {
	case "running", "stopped", "abnormal":
		ns.OsMonitorVersion = in.AgentVersion
		if ns.OsMonitorVersion == "" {
			ns.OsMonitorVersion = cmsAgentVersion
		}
		// Agents that came with the image were auto-installed.
		ns.AutoInstall = unitOf(hashKey(g.seed, in.ID, "autoinstall")) < 0.7
	case "install_faild":
		ns.OsMonitorErrorCode = "InstallFailed"
		ns.OsMonitorErrorDetail = "The CloudMonitor agent could not be installed: the instance is not running or Cloud Assistant is not available on it."
		if in.Status == "Running" {
			ns.OsMonitorErrorDetail = "The CloudMonitor agent installation script exited with an error. Install the agent manually or retry."
		}
	}
	if ns.Status == "abnormal" {
		ns.OsMonitorErrorCode = "AgentHeartbeatLost"
		ns.OsMonitorErrorDetail = "The CloudMonitor agent has not reported a heartbeat for more than 3 minutes."
	}
	ns.OsMonitorStatus = ns.Status
	return ns
}

// describeMonitoringAgentStatuses answers DescribeMonitoringAgentStatuses:
// InstanceIds is a comma-separated list. An id the account does not own is
// reported not_installed, as the service knows no agent for it.
func (s *Server) describeMonitoringAgentStatuses(g *metricGen, r *request) (any, error) {
	if _, err := r.required("InstanceIds"); err != nil {
		return nil, err
	}
	list := []nodeStatus{}
	seen := map[string]bool{}
	for _, id := range r.commaList("InstanceIds") {
		if seen[id] {
			continue
		}
		seen[id] = true
		in := s.store.instances[id]
		if in == nil {
			list = append(list, nodeStatus{InstanceID: id, Status: "not_installed", OsMonitorStatus: "not_installed"})
			continue
		}
		list = append(list, g.agentStatus(in))
	}
	return map[string]any{
		"Code":           "200",
		"Success":        true,
		"NodeStatusList": map[string]any{"NodeStatus": list},
	}, nil
}

// installMonitoringAgent answers InstallMonitoringAgent. The install runs in
// the background: a Running instance's agent is "installing" and becomes
// "running" after the transition delay; an instance that is not Running
// cannot be reached by Cloud Assistant, so its install fails
// (install_faild, with the reason in OsMonitorErrorDetail). Unknown instance
// ids are refused before anything starts.
func (s *Server) installMonitoringAgent(r *request) (any, error) {
	st := s.store
	force, err := r.boolParam("Force", true)
	if err != nil {
		return nil, err
	}
	var targets []*instance
	switch cmd := r.str("InstallCommand"); cmd {
	case "":
		ids := r.repeated("InstanceIds")
		if len(ids) == 0 {
			return nil, errMissing("InstanceIds")
		}
		for _, id := range ids {
			in := st.instances[id]
			if in == nil {
				return nil, &APIError{Status: 404, Code: "ResourceNotFound", Message: "The specified resource is not found: instance " + id + "."}
			}
			targets = append(targets, in)
		}
	case "onlyInstallNotHasAgent", "onlyUpgradeAgent", "installAndUpgrade":
		ids := make([]string, 0, len(st.instances))
		for id := range st.instances {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			in := st.instances[id]
			has := in.AgentStatus == "running" || in.AgentStatus == "stopped" || in.AgentStatus == "abnormal"
			if (cmd == "onlyInstallNotHasAgent" && has) || (cmd == "onlyUpgradeAgent" && !has) {
				continue
			}
			targets = append(targets, in)
		}
		force = true
	default:
		return nil, errCMS(400, "The specified parameter \"InstallCommand\" is not valid: %s.", cmd)
	}
	for _, in := range targets {
		if !force && in.AgentStatus == "running" {
			continue
		}
		if in.Status != "Running" {
			in.AgentStatus = "install_faild"
			continue
		}
		in.AgentStatus = "installing"
		in := in
		st.after(st.delay, func() {
			if st.instances[in.ID] != in || in.AgentStatus != "installing" {
				return
			}
			if in.Status != "Running" {
				in.AgentStatus = "install_faild"
				return
			}
			in.AgentStatus = "running"
			in.AgentVersion = cmsAgentVersion
		})
	}
	return map[string]any{"Code": "200", "Success": true, "Message": ""}, nil
}
