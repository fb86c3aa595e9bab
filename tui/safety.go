package tui

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views"
)

// maxArm bounds :arm: a production session is writable for a while, like
// sudo, never for good.
const maxArm = 8 * time.Hour

// arm makes a read-only (production) session writable until now+d.
func (m *Model) arm(arg string) {
	if m.opts.Client == nil {
		return
	}
	if arg == "off" {
		_ = m.opts.Client.Arm(time.Time{}) // disarming is always allowed
		m.notice, m.noticeErr = "disarmed: read-only again", false
		return
	}
	d, err := time.ParseDuration(arg)
	if err != nil || d <= 0 || d > maxArm {
		m.notice, m.noticeErr = fmt.Sprintf("arm takes a duration from 1s to %s, e.g. :arm 10m (or :arm off)", maxArm), true
		return
	}
	if !m.opts.Client.ReadOnly() {
		m.notice, m.noticeErr = "this session is not read-only: nothing to arm", true
		return
	}
	if err := m.opts.Client.Arm(time.Now().Add(d)); err != nil {
		// --read-only is the operator's promise that nothing changes: :arm
		// cannot break it.
		m.notice, m.noticeErr = "not armed: "+err.Error(), true
		return
	}
	m.notice, m.noticeErr = fmt.Sprintf("armed for %s: changes are allowed until %s", d, views.Clock(m.ctx().Location(), time.Now().Add(d))), false
}

// safetyBadge is the header's word on whether this session can change
// anything: READ-ONLY, or ARMED with the time left.
func (m *Model) safetyBadge() string {
	c := m.opts.Client
	if c == nil || !c.ReadOnly() {
		return ""
	}
	th := m.opts.Theme
	if left := time.Until(c.ArmedUntil()); left > 0 {
		return th.Warn.Bold(true).Render(fmt.Sprintf(" ARMED %s ", left.Round(time.Second)))
	}
	return th.Badge.Render(" READ-ONLY ")
}

// profileSwitched is the answer to :profile NAME.
type profileSwitched struct {
	name       string
	client     *cloud.Client
	region     string
	production bool
	err        error
}

func (m *Model) switchProfile(name string) tea.Cmd {
	if m.opts.Connect == nil {
		m.notice, m.noticeErr = "switching profiles is not available here (the demo has one profile)", true
		return nil
	}
	connect := m.opts.Connect
	return func() tea.Msg {
		client, region, production, err := connect(name)
		return profileSwitched{name: name, client: client, region: region, production: production, err: err}
	}
}

// applyProfile replaces the client: every view forgets its rows (they
// belong to another account) and the current one reloads.
func (m *Model) applyProfile(p profileSwitched) tea.Cmd {
	if p.err != nil {
		m.notice, m.noticeErr = "profile "+p.name+": "+oneLine(p.err.Error()), true
		return nil
	}
	m.opts.Client, m.opts.Profile, m.opts.Production = p.client, p.name, p.production
	m.opts.ReadOnly = p.client.ReadOnly()
	if p.region != "" {
		m.opts.Region = p.region
	}
	if m.samples != nil {
		m.samples = newSampler(p.client, m.opts)
	}
	for _, v := range m.views {
		v.Leave()
		v.ResetData()
	}
	m.views = nil
	m.rebuildViews()
	m.notice, m.noticeErr = "profile "+p.name+" ("+m.regionLabel()+")", false
	return tea.Batch(m.current().Load(m.ctx()), m.loadRegionIDs())
}
