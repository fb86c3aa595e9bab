// Package tui is the application shell: it switches views, owns the global
// state (region, profile/DEMO badge, size, focus), runs the palette, the
// filter and the help, and routes each async result to the view that asked.
package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/theme"
	"github.com/ecsdash/ecsdash/views"
	"github.com/ecsdash/ecsdash/views/monitor"
)

// Options configure the shell.
type Options struct {
	Client   *cloud.Client
	Region   string // region id or cloud.AllRegions
	Demo     bool   // show the DEMO badge
	Profile  string // profile name for the status bar ("" = env credentials)
	Endpoint string // shown when not the real cloud
	Refresh  time.Duration
	// MetricsRefresh is the CloudMonitor period: live metrics never refresh
	// faster (default 60s).
	MetricsRefresh time.Duration
	Theme          theme.Theme
	Now            func() time.Time // clock (tests pin it)
	View           string           // first view (default instances)

	// Connect builds a client for another profile (:profile NAME); nil =
	// switching is not offered (the demo).
	Connect    func(profile string) (client *cloud.Client, region string, production bool, err error)
	Production bool   // the profile is marked production: its name is shown as a warning
	ReadOnly   bool   // the client refuses changes (until :arm)
	AuditLog   string // the audit log :audit shows
	// CoverageMaxAge: a disk without an automatic policy whose newest
	// snapshot is older is marked unprotected (0 = 7 days).
	CoverageMaxAge time.Duration
	// SSH configures `s` (ssh into an instance).
	SSH views.SSHConfig
	// Zone is where times are shown (nil = local); every time names it.
	Zone *time.Location
}

// mode is what the keyboard is talking to.
type mode int

const (
	modeNormal mode = iota
	modeFilter
	modePalette
	modeHelp
	modeActivity
)

// maxInputLine bounds the palette and filter line: no command or filter
// is longer, and a paste of a whole file stays fast (the line says when
// the limit is reached).
const maxInputLine = 4096

// Model is the root model.
type Model struct {
	opts    Options
	keys    GlobalKeys
	views   []views.View
	aliases map[string]string
	active  string

	mode    mode
	input   textinput.Model // the palette or the filter, whichever is open
	help    help.Model
	spinner spinner.Model

	width, height int
	regionIDs     []string // for palette completion
	notice        string   // last message for the status line (palette errors, action results)
	noticeErr     bool
	refreshGen    int      // the current refresh timer; older ticks are dropped
	previous      string   // the view to return to from a hidden one (esc)
	trail         []string // the views left for the one on screen, oldest first (q goes back)
	helpOffset    int      // first line of the help shown (it scrolls)

	confirm    *confirmation   // an action waiting for yes, or nil
	confirmSeq int             // which confirmation a precheck verdict answers
	activity   []activityEntry // finished actions, oldest first, bounded
	actCursor  int             // the selected entry of :activity, 0 = newest
	actOpen    bool            // :activity shows the selected entry whole
	actOffset  int             // first line of the open entry shown (it scrolls)

	samples *monitor.Sampler // live metrics, fed for the view on screen
	// stranded: instances operations of this session left Stopped (their
	// rows say so until they run again).
	stranded *views.Stranded
}

// New builds the shell.
func New(opts Options) *Model {
	if opts.Refresh <= 0 {
		opts.Refresh = 10 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.View == "" {
		opts.View = "instances"
	}
	m := &Model{
		opts:    opts,
		keys:    DefaultGlobalKeys(),
		aliases: views.Aliases(),
		active:  opts.View,
		help:    help.New(),
		spinner: spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		width:   80,
		height:  24,

		stranded: views.NewStranded(),
	}
	if opts.Client != nil {
		m.samples = newSampler(opts.Client, opts)
	}
	m.rebuildViews()
	m.input = textinput.New()
	m.input.ShowSuggestions = true
	m.input.CharLimit = maxInputLine
	return m
}

func newSampler(c *cloud.Client, opts Options) *monitor.Sampler {
	return monitor.NewSampler(c, monitor.Options{Period: opts.MetricsRefresh, Now: opts.Now})
}

// rebuildViews builds every view afresh (at start, and for a new profile:
// the old rows belong to another account).
func (m *Model) rebuildViews() { m.views = views.Registry(m.ctx()) }

// ctx is the context handed to views.
func (m *Model) ctx() views.Context {
	return views.Context{Client: m.opts.Client, Region: m.opts.Region, Theme: m.opts.Theme, Now: m.opts.Now, Metrics: m.samples, AuditLog: m.opts.AuditLog, CoverageMaxAge: m.opts.CoverageMaxAge, SSH: m.opts.SSH, Zone: m.opts.Zone, Stranded: m.stranded}
}

func (m *Model) view(name string) views.View {
	for _, v := range m.views {
		if v.Name() == name {
			return v
		}
	}
	return nil
}

func (m *Model) current() views.View { return m.view(m.active) }

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.current().Load(m.ctx()), m.scheduleRefresh(), m.spinner.Tick, m.loadRegionIDs(), m.scheduleMetrics())
}

// refreshMsg is the periodic refresh; gen drops timers superseded by a reset.
type refreshMsg struct{ gen int }

// regionIDsMsg carries the region ids for palette completion.
type regionIDsMsg struct{ ids []string }

func (m *Model) scheduleRefresh() tea.Cmd {
	gen := m.refreshGen
	return tea.Tick(m.opts.Refresh, func(time.Time) tea.Msg { return refreshMsg{gen: gen} })
}

func (m *Model) loadRegionIDs() tea.Cmd {
	client := m.opts.Client
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		regions, err := client.Regions(ctx)
		if err != nil {
			return nil // completion without region ids is still useful
		}
		ids := []string{cloud.AllRegions}
		for _, r := range regions {
			ids = append(ids, r.ID)
		}
		return regionIDsMsg{ids: ids}
	}
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	model, cmd := m.update(msg)
	m.closeCoveredInput()
	return model, cmd
}

// closeCoveredInput closes the palette, filter, help or activity list when
// a pane opened over them (a confirmation, a view's form): the pane is
// what shows and what takes the keys, so nothing typed goes to a pane the
// user cannot see.
func (m *Model) closeCoveredInput() {
	if m.mode == modeNormal || (m.confirm == nil && !m.current().Capturing()) {
		return
	}
	m.mode = modeNormal
	m.input.Blur()
}

func (m *Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
		return m, nil
	case refreshMsg:
		if msg.gen != m.refreshGen {
			return m, nil
		}
		var cmd tea.Cmd
		if v := m.current(); !v.Status().Busy && m.mode != modePalette { // an open detail refreshes with its list
			ctx := m.ctx()
			ctx.AutoRefresh = true // slow-changing extras may be reused
			cmd = v.Load(ctx)
		}
		return m, tea.Batch(cmd, m.scheduleRefresh())
	case metricsTickMsg:
		return m, tea.Batch(m.refreshMetrics(), m.scheduleMetrics())
	case monitor.SamplesMsg:
		m.samples.Apply(msg)
		m.current().Redraw(m.ctx())
		return m, nil
	case profileSwitched:
		return m, m.applyProfile(msg)
	case regionIDsMsg:
		m.regionIDs = msg.ids
		return m, nil
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	case views.Navigate:
		return m, m.navigate(msg)
	case views.SwitchRegion:
		return m, m.switchRegion(msg.Region)
	case views.Confirm:
		m.confirmSeq++
		_, hidden := m.current().Marks()
		m.confirm = newConfirmation(msg, hidden)
		return m, tagVerdict(m.confirmSeq, msg.Precheck)
	case views.Notice:
		m.notice, m.noticeErr = msg.Text, msg.Err
		return m, nil
	case verdictMsg:
		if m.confirm != nil && msg.seq == m.confirmSeq {
			m.confirm.verdict = &msg.verdict
		}
		return m, nil
	case views.Progress:
		m.progress(msg)
		cmds := []tea.Cmd{msg.Next}
		for _, name := range msg.Reload {
			v := m.view(name)
			if v == nil {
				continue
			}
			if msg.Read != nil { // the rows the step touched, from what its poll read
				_, cmd := v.Update(m.ctx(), views.Changed{Read: msg.Read})
				cmds = append(cmds, cmd)
			}
			if msg.Refresh && name == m.active && !v.Status().Busy {
				cmds = append(cmds, v.Load(m.ctx())) // the cursor, filter, sort and detail stay
			}
		}
		return m, tea.Batch(cmds...)
	case views.Report:
		m.record(msg)
		var cmds []tea.Cmd
		for _, name := range msg.Reload {
			if v := m.view(name); v != nil && (name == m.active || v.Status().LastRefresh != (time.Time{})) {
				if len(msg.Created) > 0 { // the reload puts the cursor on the first
					v.Update(m.ctx(), views.Changed{Created: msg.Created})
				}
				cmds = append(cmds, v.Load(m.ctx()))
			}
		}
		return m, tea.Batch(cmds...)
	case views.Routed:
		if v := m.view(msg.RouteTo()); v != nil {
			_, cmd := v.Update(m.ctx(), msg)
			if msg.RouteTo() == m.active {
				cmd = tea.Batch(cmd, m.refreshMetrics()) // new rows may need metrics
			}
			return m, cmd
		}
		return m, nil // the view is gone: drop the answer
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.PasteMsg: // bracketed paste goes where typing goes
		switch {
		case m.confirm != nil:
			m.confirm.paste(msg.Content)
		case m.mode == modePalette || m.mode == modeFilter:
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			if m.mode == modeFilter {
				m.current().SetFilter(m.input.Value())
			}
			return m, cmd
		case m.current().Capturing():
			_, cmd := m.current().Update(m.ctx(), msg)
			return m, cmd
		}
		return m, nil
	}
	return m, nil
}

// navigate switches view, keeping the old one's state for when we return.
func (m *Model) navigate(n views.Navigate) tea.Cmd {
	target := m.view(n.View)
	if target == nil {
		m.notice, m.noticeErr = "no view named "+n.View, true
		return nil
	}
	if n.View != m.active {
		m.current().Leave()
		if target.Hidden() {
			m.previous = m.active
		}
		m.pushTrail(m.active)
		m.active = n.View
	}
	if h, ok := target.(*views.History); ok {
		h.Focus(n.Scope, n.Region, n.Title)
	}
	target.SetScope(n.Scope)
	target.SetFilter(n.Filter)
	if target.InDetail() {
		target.Back()
	}
	m.mode = modeNormal
	return target.Load(m.ctx())
}

func (m *Model) switchRegion(region string) tea.Cmd {
	m.opts.Region = region
	if m.samples != nil {
		m.samples.Forget(nil) // memory follows the fleet on screen
	}
	for _, v := range m.views {
		v.ResetData()
	}
	if m.active == "regions" {
		m.active = "instances"
	}
	m.notice = ""
	return m.current().Load(m.ctx())
}

func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if k.String() == "ctrl+c" {
		return tea.Quit
	}
	if matches(k, m.keys.Suspend) { // from any pane, as a shell's ^Z
		return tea.Suspend
	}
	if m.confirm != nil {
		r := m.confirm.handleKey(k)
		if r.done {
			m.confirm = nil
		}
		if r.run != nil {
			m.current().ClearMarks() // the action took them; cancelling keeps them
		}
		var recheck tea.Cmd
		if r.changed { // a new setting: a new request, a new precheck
			m.confirmSeq++
			recheck = tagVerdict(m.confirmSeq, m.confirm.req.Precheck)
		}
		return tea.Batch(r.run, r.copy, recheck)
	}
	if v := m.current(); v.Capturing() {
		_, cmd := v.Update(m.ctx(), k)
		return cmd
	}
	switch m.mode {
	case modeActivity:
		return m.handleActivityKey(k)
	case modeHelp:
		// The help scrolls on a small terminal; any other key closes it.
		switch k.String() {
		case "down", "j":
			m.helpOffset++
		case "up", "k":
			m.helpOffset = max(m.helpOffset-1, 0)
		case "pgdown", "space", "ctrl+f":
			m.helpOffset += max(m.height-5, 1)
		case "pgup", "ctrl+b":
			m.helpOffset = max(m.helpOffset-max(m.height-5, 1), 0)
		default:
			m.mode = modeNormal
		}
		return nil
	case modeFilter:
		return m.handleFilterKey(k)
	case modePalette:
		return m.handlePaletteKey(k)
	}
	v := m.current()
	m.notice = "" // a message stays until the next key
	switch {
	case matches(k, m.keys.Quit):
		if v.InDetail() {
			v.Back()
			return nil
		}
		if m.active != m.opts.View {
			return m.goBack()
		}
		return m.quit()
	case matches(k, m.keys.ClearMarks):
		m.clearMarks(v)
		return nil
	case matches(k, m.keys.Help):
		m.mode, m.helpOffset = modeHelp, 0
		return nil
	case matches(k, m.keys.Palette):
		return m.openInput(modePalette, "")
	case matches(k, m.keys.Filter) && !v.InDetail():
		return m.openInput(modeFilter, v.Status().Filter)
	case matches(k, m.keys.Refresh):
		return v.Load(m.ctx())
	case matches(k, m.keys.Sort) && !v.InDetail():
		v.CycleSort()
		return nil
	case matches(k, m.keys.Reverse) && !v.InDetail():
		v.ReverseSort()
		return nil
	case matches(k, m.keys.Back):
		switch {
		case v.InDetail():
			v.Back()
		case v.Status().Filter != "":
			v.SetFilter("")
		case v.Hidden() && m.previous != "":
			return m.navigate(views.Navigate{View: m.previous})
		case v.Status().Scope != "":
			v.SetScope("")
			return v.Load(m.ctx())
		}
		m.notice = ""
		return nil
	}
	_, cmd := v.Update(m.ctx(), k)
	return cmd
}

func (m *Model) openInput(md mode, value string) tea.Cmd {
	m.mode = md
	m.input.Reset()
	m.input.SetValue(value)
	m.input.CursorEnd()
	if md == modePalette {
		m.input.Prompt = ":"
		m.input.Placeholder = "command (tab completes)"
		m.input.SetSuggestions(m.suggestions())
	} else {
		m.input.Prompt = "/"
		m.input.Placeholder = "filter"
		m.input.SetSuggestions(nil)
	}
	return m.input.Focus()
}

func (m *Model) handleFilterKey(k tea.KeyPressMsg) tea.Cmd {
	v := m.current()
	switch k.String() {
	case "enter":
		m.mode = modeNormal
		m.input.Blur()
		return nil
	case "esc":
		v.SetFilter("")
		m.mode = modeNormal
		m.input.Blur()
		return nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(k)
	v.SetFilter(m.input.Value()) // filter as you type
	return cmd
}

func (m *Model) handlePaletteKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "enter":
		line := m.input.Value()
		m.mode = modeNormal
		m.input.Blur()
		return m.runCommand(line)
	case "esc":
		m.mode = modeNormal
		m.input.Blur()
		return nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(k)
	return cmd
}

// runCommand executes a palette line such as "disks", "region all" or "q".
func (m *Model) runCommand(line string) tea.Cmd {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return nil
	}
	name, args := strings.ToLower(fields[0]), fields[1:]
	m.notice = ""
	// The view on screen's own commands come before aliases: in the
	// snapshots view :snapshot NAME takes a snapshot; elsewhere it opens
	// the snapshots view.
	if _, isView := m.aliases[name]; isView && m.view(name) == nil {
		for _, c := range m.current().Commands() {
			if c.Name == name {
				cmd, _ := m.current().RunCommand(m.ctx(), name, args)
				return cmd
			}
		}
	}
	if target, ok := m.aliases[name]; ok {
		name = target
	}
	switch name {
	case "q", "quit":
		return m.quit()
	case "help":
		m.mode = modeHelp
		return nil
	case "activity":
		m.openActivity()
		return nil
	case "arm":
		if len(args) == 0 {
			m.notice, m.noticeErr = "arm needs a duration, e.g. :arm 10m (or :arm off)", true
			return nil
		}
		m.arm(args[0])
		return nil
	case "profile":
		if len(args) == 0 {
			m.notice, m.noticeErr = "profile needs a name, e.g. :profile prod", true
			return nil
		}
		return m.switchProfile(args[0])
	case "region":
		if len(args) == 0 {
			return m.navigate(views.Navigate{View: "regions"})
		}
		if !m.knownRegion(args[0]) {
			m.notice, m.noticeErr = "unknown region "+args[0]+": :region without an id lists them", true
			return nil
		}
		return m.switchRegion(args[0])
	}
	if v := m.view(name); v != nil && !v.Hidden() {
		if err := checkScope(name, v.ScopeHint(), args); err != nil {
			m.notice, m.noticeErr = err.Error(), true
			return nil
		}
		scope := ""
		if len(args) > 0 {
			scope = args[0]
		}
		return m.navigate(views.Navigate{View: name, Scope: scope})
	}
	if cmd, ok := m.current().RunCommand(m.ctx(), name, args); ok {
		return cmd
	}
	m.notice, m.noticeErr = unknownCommand(name, m.commands()).Error(), true
	return nil
}

func (m *Model) knownRegion(id string) bool {
	if len(m.regionIDs) == 0 {
		return true // not loaded yet: let the API say
	}
	for _, r := range m.regionIDs {
		if r == id {
			return true
		}
	}
	return false
}

// maxTrail bounds the views q steps back through.
const maxTrail = 20

// pushTrail remembers the view being left, so q can return to it. Hidden
// views (the region picker, a chart) are passing screens, not places.
func (m *Model) pushTrail(name string) {
	if v := m.view(name); v == nil || v.Hidden() {
		return
	}
	m.trail = append(m.trail, name)
	if len(m.trail) > maxTrail {
		m.trail = m.trail[len(m.trail)-maxTrail:]
	}
}

// goBack is q outside the first view: the view left for this one, as it
// was (its scope, filter and cursor stay), or the first view.
func (m *Model) goBack() tea.Cmd {
	prev := m.opts.View
	for len(m.trail) > 0 {
		last := m.trail[len(m.trail)-1]
		m.trail = m.trail[:len(m.trail)-1]
		if last != m.active && m.view(last) != nil {
			prev = last
			break
		}
	}
	target := m.view(prev)
	if target == nil || prev == m.active {
		return nil
	}
	m.current().Leave()
	m.active = prev
	m.mode = modeNormal
	return target.Load(m.ctx())
}

// quit ends the session, asking first while changes are still running
// (their progress would no longer be followed).
func (m *Model) quit() tea.Cmd {
	n := m.running()
	if n == 0 {
		return tea.Quit
	}
	confirm := views.Confirm{
		Title: fmt.Sprintf("Quit with %d change(s) still running?", n),
		Lines: []string{
			"The cloud finishes what was sent, but ecsdash stops following it:",
			"its progress and result will not be shown (:activity lists them).",
			"y quits, n or esc stays.",
		},
		Run: tea.Quit,
	}
	return func() tea.Msg { return confirm }
}

// clearMarks is ctrl+\: every mark of the view goes, shown or hidden by
// the filter.
func (m *Model) clearMarks(v views.View) {
	shown, hidden := v.Marks()
	n := len(shown) + len(hidden)
	if n == 0 {
		m.notice, m.noticeErr = "no marks to clear", false
		return
	}
	v.ClearMarks()
	m.notice, m.noticeErr = fmt.Sprintf("%d mark(s) cleared", n), false
}
