package views

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdash/ecsdash/cloud"
	"github.com/ecsdash/ecsdash/views/form"
	"github.com/ecsdash/ecsdash/views/textsafe"
)

// SSH key pair actions: create (the private key shown once, saved only to
// a file the user names), import a public key, bind to and unbind from
// instances (then the restart that makes it take effect), delete.

func keyPairActions() []Action[KeyPairItem] {
	return []Action[KeyPairItem]{
		{Name: "create", Args: "[NAME]", Help: "create a key pair (private key shown once)", Keys: []string{"N"}, Run: createKeyPair},
		{Name: "import", Args: "[NAME]", Help: "import a public key (~/.ssh/*.pub or pasted)", Keys: []string{"I"}, Run: importKeyPair},
		{Name: "attach", Args: "[INSTANCE…]", Help: "bind the key pair to instances", Keys: []string{"A"}, Run: attachKeyPair},
		{Name: "detach", Args: "[INSTANCE…]", Help: "unbind the key pair from instances", Keys: []string{"U"}, Run: detachKeyPair},
		{Name: "delete", Help: "delete key pair(s)", Keys: []string{"X"}, Run: deleteKeyPairs},
	}
}

// keyPairName checks a name as the form's field.
func keyPairNameField(value string) form.Field {
	return form.Field{Key: "name", Label: "Name", Value: value, MaxLen: 128, Help: "2-128: letters, digits, : _ -; starts with a letter",
		Validate: cloud.ValidateKeyPairName}
}

// createKeyPair asks for the name (and, in a view of every region, the
// region: the selected key pair's by default); `:create NAME` in one
// region goes straight to the confirmation.
func createKeyPair(l *List[KeyPairItem], ctx Context, args []string) tea.Cmd {
	name, selRegion := "", ""
	if len(args) > 0 {
		name = args[0]
	}
	if kp, ok := l.Selected(); ok {
		selRegion = kp.RegionID
	}
	if name != "" && !spansRegions(ctx) {
		return createKeyPairFlow(ctx, ctx.Region, name)
	}
	f := newOpForm(ctx, "Create a key pair"+regionSuffix(ctx), withRegion(ctx, selRegion, []form.Field{keyPairNameField(name)}), func(v map[string]string) (tea.Cmd, error) {
		name := strings.TrimSpace(v["name"])
		if err := cloud.ValidateKeyPairName(name); err != nil {
			return nil, err
		}
		region := createRegion(ctx, v)
		if region == "" {
			return nil, &cloud.ValidationError{Field: "region", Rule: "choose the region to create the key pair in"}
		}
		return createKeyPairFlow(ctx, region, name), nil
	})
	f.fields = map[string]string{"key pair name": "name", "region": regionKey}
	l.OpenModal(f)
	return loadRegions(ctx, "keypairs", f.id)
}

// createKeyPairFlow creates the key pair in region; at the end the private
// key opens in a pane, with the choice to save it to a file.
func createKeyPairFlow(ctx Context, region, name string) tea.Cmd {
	action := "create key pair " + name
	p, key, err := ctx.Client.PlanCreateKeyPair(region, name)
	if err != nil {
		return refuse(action, err)
	}
	f := Flow{
		Action: action, Title: fmt.Sprintf("Create key pair %s in %s?", name, p.Op.Region),
		Lines: []string{
			"The service makes the key pair and gives its private key ONCE:",
			"it is shown to you next, and saved only if you name a file (mode 0600).",
			"It is kept nowhere else: lose it and the key pair is useless.",
		},
		Steps:  []Step{{Label: "create key pair " + name, Plan: p}},
		Reload: []string{"keypairs"},
		Done: func([]cloud.Result) tea.Msg {
			// The key pane opens in the key pairs view, which comes to the
			// screen (the user may have moved on while it was made): the
			// key is shown once, so it must be seen.
			reveal := ShowModal{View: "keypairs", Modal: newKeyReveal(ctx, name, key)}
			return tea.BatchMsg{
				func() tea.Msg { return reveal },
				func() tea.Msg { return Navigate{View: "keypairs", Filter: name} },
			}
		},
	}
	return f.Cmd(ctx)
}

// keyReveal shows a new private key once and offers to save it: the path
// field is the only input, its value the suggested ~/.ssh/NAME.pem (typing
// replaces it). Enter saves, creating missing folders (mode 0700). The key
// stays on screen until it is saved or esc is pressed twice: the first
// esc only warns. Closing (or saving) wipes the key: it is never shown
// again.
type keyReveal struct {
	id    int64
	name  string
	key   *cloud.PrivateKey
	path  form.Model
	err   error
	busy  bool
	saved string
	// closing: esc was pressed once without saving; a second esc closes.
	closing bool
	off     int // the first key line shown when the key is taller than the pane
}

// keySaved answers a keyReveal's save.
type keySaved struct {
	id   int64
	path string
	err  error
}

// RouteTo implements Routed.
func (keySaved) RouteTo() string { return "keypairs" }

var revealKeys = struct{ Save, Close, Up, Down key.Binding }{
	Save:  key.NewBinding(key.WithKeys("enter", "ctrl+s")),
	Close: key.NewBinding(key.WithKeys("esc")),
	Up:    key.NewBinding(key.WithKeys("up", "pgup")),
	Down:  key.NewBinding(key.WithKeys("down", "pgdown")),
}

func newKeyReveal(ctx Context, name string, k *cloud.PrivateKey) *keyReveal {
	home, _ := os.UserHomeDir()
	return &keyReveal{
		id: newModalID(), name: name, key: k,
		path: form.New(ctx.Theme, "", []form.Field{{Key: "path", Label: "Save to file", Optional: true,
			Suggestion: filepath.Join(home, ".ssh", name+".pem")}}),
	}
}

// saveKey writes the key to path, first making the missing folders on the
// way to it private to the user (0700), as ssh expects of ~/.ssh.
func saveKey(k *cloud.PrivateKey, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("make the folder for %s: %w", path, err)
	}
	return k.WriteFile(path)
}

// Update implements Modal.
func (r *keyReveal) Update(ctx Context, msg tea.Msg) (Modal, tea.Cmd) {
	switch msg := msg.(type) {
	case keySaved:
		if msg.id != r.id {
			return r, nil
		}
		r.busy = false
		if msg.err != nil {
			r.err = msg.err // e.g. the file exists: choose another
			return r, nil
		}
		r.key.Wipe()
		path := msg.path
		return nil, func() tea.Msg {
			return Report{Action: fmt.Sprintf("save the private key of %s to %s (mode 0600)", r.name, path)}
		}
	case tea.KeyPressMsg:
		if r.busy {
			return r, nil
		}
		if !key.Matches(msg, revealKeys.Close) {
			r.closing = false
		}
		switch {
		case key.Matches(msg, revealKeys.Up):
			r.off = max(0, r.off-keyScroll(msg))
			return r, nil
		case key.Matches(msg, revealKeys.Down):
			r.off += keyScroll(msg) // View clamps it
			return r, nil
		case key.Matches(msg, revealKeys.Close) && !r.closing:
			r.closing = true // said once: the key stays until said again
			return r, nil
		case key.Matches(msg, revealKeys.Close):
			r.key.Wipe()
			return nil, func() tea.Msg {
				return Report{Action: "close the private key of " + r.name + " (not saved: it cannot be shown again)"}
			}
		case key.Matches(msg, revealKeys.Save):
			path := strings.TrimSpace(r.path.Value("path"))
			if path == "" {
				r.err = errors.New("name a file to save the key to, or esc twice to close without saving")
				return r, nil
			}
			path = expandHome(path)
			r.busy, r.err = true, nil
			id, k := r.id, r.key
			return r, func() tea.Msg { return keySaved{id: id, path: path, err: saveKey(k, path)} }
		}
	}
	var cmd tea.Cmd
	r.path, cmd = r.path.Update(msg)
	return r, cmd
}

// firstFit is the first text of at most width cells, or the last one.
func firstFit(width int, texts ...string) string {
	for _, t := range texts {
		if ansi.StringWidth(t) <= width {
			return t
		}
	}
	return texts[len(texts)-1]
}

// keyScroll is how many key lines a scroll key moves.
func keyScroll(k tea.KeyPressMsg) int {
	if k.Code == tea.KeyPgUp || k.Code == tea.KeyPgDown {
		return 10
	}
	return 1
}

// View implements Modal: the title and warning on top, the path field and
// the keys at the foot, and the key between them, scrolled (↑/↓) when it
// is taller than the room left, so every line of it can be read.
func (r *keyReveal) View(ctx Context, width, height int) string {
	th := ctx.Theme
	head := []string{
		th.Title.Render(ansi.Truncate("Private key of "+r.name, width, "…")),
		th.Warn.Render(ansi.Truncate(firstFit(width, "Shown this once: copy it or save it now. It is not kept anywhere else.",
			"Shown once: save or copy it now; it is kept nowhere else.", "Shown once: save it now."), width, "…")),
	}
	foot := []string{""}
	if fl := strings.Split(r.path.View(width, 3), "\n"); len(fl) == 3 {
		foot = append(foot, fl[1]) // the field alone: this pane has its own hint
	}
	switch {
	case r.busy:
		foot = append(foot, th.Muted.Render("saving…"))
	case r.closing:
		foot = append(foot, th.Danger.Render(ansi.Truncate("Not saved. esc again closes it for good; enter saves it.", width, "…")))
	case r.err != nil:
		foot = append(foot, th.Danger.Render(ansi.Truncate(r.err.Error(), width, "…")))
	}
	var pem []string // cut into width-wide pieces rather than cut off
	for _, l := range strings.Split(strings.TrimRight(string(r.key.PEM()), "\n"), "\n") {
		for w := max(1, width); len(l) > w; l = l[w:] {
			pem = append(pem, textsafe.Line(l[:w])) // the API's text: shown, not obeyed
		}
		pem = append(pem, textsafe.Line(l))
	}
	room := max(1, height-len(head)-len(foot)-1)
	hints := []string{"enter saves (0600) · esc twice: close unsaved", "enter saves · esc twice: close unsaved"}
	if len(pem) > room {
		r.off = max(0, min(r.off, len(pem)-room))
		long := fmt.Sprintf("↑/↓ key lines %d-%d of %d · ", r.off+1, r.off+room, len(pem))
		short := fmt.Sprintf("↑/↓ %d-%d/%d · ", r.off+1, r.off+room, len(pem))
		hints = []string{long + hints[0], short + hints[0], short + hints[1]}
	} else {
		r.off = 0
	}
	foot = append(foot, th.Muted.Render(ansi.Truncate(firstFit(width, hints...), width, "…")))
	out := head
	out = append(out, pem[r.off:min(len(pem), r.off+room)]...)
	out = append(out, foot...)
	if len(out) > height {
		out = out[len(out)-height:]
	}
	return strings.Join(out, "\n")
}

// expandHome turns a leading ~/ into the home directory.
func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}

// pastedKey is the import form's source choice for a pasted key.
const pastedKey = "paste below"

func importKeyPair(l *List[KeyPairItem], ctx Context, args []string) tea.Cmd {
	name := ""
	if len(args) > 0 {
		name = args[0]
	}
	selRegion := ""
	if kp, ok := l.Selected(); ok {
		selRegion = kp.RegionID
	}
	var keys map[string]string // path -> the public key line, read off the UI goroutine
	into := "Import a public key"
	if !spansRegions(ctx) {
		into += " into " + ctx.Region
	}
	f := newOpForm(ctx, into, withRegion(ctx, selRegion, []form.Field{
		keyPairNameField(name),
		{Key: "source", Label: "Public key", Kind: form.Choice, Help: "a file of ~/.ssh, or paste below"},
		{Key: "text", Label: "Pasted key", Optional: true, Placeholder: "ssh-ed25519 AAAA… comment", MaxLen: 16 << 10}, // an RSA 16384 line is under 3 KB
	}), func(v map[string]string) (tea.Cmd, error) {
		name := strings.TrimSpace(v["name"])
		body := v["text"]
		if v["source"] != pastedKey {
			body = keys[v["source"]]
		}
		if strings.TrimSpace(body) == "" {
			return nil, &cloud.ValidationError{Field: "pasted key", Rule: "paste a public key line, or choose a file"}
		}
		region := createRegion(ctx, v)
		if region == "" {
			return nil, &cloud.ValidationError{Field: "region", Rule: "choose the region to import the key pair into"}
		}
		p, err := ctx.Client.PlanImportKeyPair(region, name, body)
		if err != nil {
			return nil, err
		}
		fields := strings.Fields(body)
		comment := ""
		if len(fields) > 2 {
			comment = strings.Join(fields[2:], " ")
		}
		fl := Flow{
			Action: "import key pair " + name, Title: fmt.Sprintf("Import key pair %s into %s?", name, p.Op.Region),
			Lines:  []string{"type:    " + fields[0], "comment: " + orDash(comment), "from:    " + v["source"]},
			Steps:  []Step{{Label: "import key pair " + name, Plan: p}},
			Reload: []string{"keypairs"},
		}
		return fl.Cmd(ctx), nil
	})
	f.fields = map[string]string{"key pair name": "name", "public key": "text", "pasted key": "text", "region": regionKey}
	l.OpenModal(f)
	return tea.Batch(loadRegions(ctx, "keypairs", f.id), loadOptions(ctx, "keypairs", f.id, "source", func(context.Context) ([]string, []string, func(), error) {
		found := map[string]string{}
		opts := []string{pastedKey}
		descs := []string{"type or paste the key line below"}
		home, err := os.UserHomeDir()
		if err == nil {
			paths, _ := filepath.Glob(filepath.Join(home, ".ssh", "*.pub"))
			slices.Sort(paths)
			for _, p := range paths {
				b, err := os.ReadFile(p)
				if err != nil || len(b) > 16<<10 {
					continue
				}
				line := strings.TrimSpace(string(b))
				found[p] = line
				opts = append(opts, p)
				if f := strings.Fields(line); len(f) > 0 {
					descs = append(descs, f[0])
				} else {
					descs = append(descs, "empty")
				}
			}
		}
		if len(opts) > 1 { // offer the first file rather than pasting
			opts[0], opts[1] = opts[1], opts[0]
			descs[0], descs[1] = descs[1], descs[0]
		}
		return opts, descs, func() { keys = found }, nil
	}))
}

func attachKeyPair(l *List[KeyPairItem], ctx Context, args []string) tea.Cmd {
	kp, ok := l.Selected()
	if !ok {
		return nil
	}
	return bindFromKeyPairs(l, ctx, kp, args, true)
}

func detachKeyPair(l *List[KeyPairItem], ctx Context, args []string) tea.Cmd {
	kp, ok := l.Selected()
	if !ok {
		return nil
	}
	if len(kp.Instances) == 0 && len(args) == 0 {
		return refuse("detach key pair "+kp.Name, &cloud.ValidationError{Field: "instances", Rule: "no instance is bound to " + kp.Name})
	}
	return bindFromKeyPairs(l, ctx, kp, args, false)
}

// allBound is the detach form's choice of every bound instance.
const allBound = "all bound"

// bindFromKeyPairs binds or unbinds the selected key pair: the palette's
// instance ids go straight to the confirmation; otherwise a form offers
// the Linux instances of its region (attach) or the bound ones (detach),
// and whether to restart them.
func bindFromKeyPairs(l *List[KeyPairItem], ctx Context, kp KeyPairItem, args []string, attach bool) tea.Cmd {
	verb := map[bool]string{true: "attach", false: "detach"}[attach]
	region := regionOf(ctx, kp.RegionID)
	if len(args) > 0 {
		restart := !hasWord(args, "later", "norestart")
		ids := slices.DeleteFunc(slices.Clone(args), func(a string) bool { return !strings.HasPrefix(a, "i-") })
		return async(ctx, func(c context.Context) tea.Msg {
			list, err := ctx.Client.LaunchedInstances(c, region, ids)
			if err != nil {
				return Report{Action: verb + " key pair " + kp.Name, Err: err}
			}
			cmd, err := bindKeyFlow(ctx, kp.Name, region, list, attach, restart)
			if err != nil {
				return Report{Action: verb + " key pair " + kp.Name, Err: err}
			}
			return cmd()
		})
	}
	var candidates []cloud.Instance
	f := newOpForm(ctx, strings.ToUpper(verb[:1])+verb[1:]+" key pair "+kp.Name, []form.Field{
		{Key: "instance", Label: "Instance", Kind: form.Picker, Help: "type to find one by name or id; Linux only: Windows logs in with its password"},
		{Key: "restart", Label: "Restart", Kind: form.Choice, Options: []string{restartNow, restartLater},
			Descriptions: []string{"reboot (running) or start (stopped): the key takes effect", "takes effect at the next restart"}},
	}, func(v map[string]string) (tea.Cmd, error) {
		var targets []cloud.Instance
		for _, in := range candidates {
			if v["instance"] == allBound || v["instance"] == in.ID {
				targets = append(targets, in)
			}
		}
		if len(targets) == 0 {
			return nil, &cloud.ValidationError{Field: "instances", Rule: "choose an instance"}
		}
		return bindKeyFlow(ctx, kp.Name, region, targets, attach, v["restart"] == restartNow)
	})
	f.fields = map[string]string{"instances": "instance"}
	l.OpenModal(f)
	return loadPicks(ctx, "keypairs", f.id, "instance", func(c context.Context) ([]pickOption, func(), error) {
		var list []cloud.Instance
		if attach {
			all, err := ctx.Client.Instances(c, region)
			if err != nil {
				return nil, nil, err
			}
			for _, in := range all {
				if in.OSType != "windows" && in.KeyPairName != kp.Name {
					list = append(list, in)
				}
			}
		} else {
			list = slices.Clone(kp.Instances)
		}
		var ps []pickOption
		if !attach && len(list) > 1 {
			ps = append(ps, pickOption{ID: allBound, Desc: fmt.Sprintf("the %d instances bound to %s", len(list), kp.Name)})
		}
		for _, in := range list {
			ps = append(ps, pickOption{ID: in.ID, Name: in.Name, Desc: fmt.Sprintf("%s, key %s", in.Status, orDash(in.KeyPairName))})
		}
		return ps, func() { candidates = list }, nil
	})
}

// bindKeyFlow binds (attach) or unbinds the key pair on Linux instances
// of one region, then (restart) reboots or starts them in the same
// operation. Windows instances are refused by the plan with the reason.
func bindKeyFlow(ctx Context, name, region string, targets []cloud.Instance, attach, restart bool) (tea.Cmd, error) {
	verb, plan := "attach", ctx.Client.PlanAttachKeyPair
	if !attach {
		verb, plan = "detach", ctx.Client.PlanDetachKeyPair
	}
	p, err := plan(region, name, targets)
	if err != nil {
		return nil, err
	}
	action := fmt.Sprintf("%s key pair %s: %s", verb, name, instancesNoun(targets))
	steps := []Step{{Label: verb + " " + name, Plan: p}}
	lines := []string{}
	for _, in := range targets {
		lines = append(lines, instanceLine(in)+"  key: "+orDash(in.KeyPairName))
	}
	lines = append(lines, "")
	if attach {
		lines = append(lines, "The key replaces each instance's key pair and turns password login off.")
	} else {
		lines = append(lines, "Password login comes back (if a password is set).")
	}
	if restart {
		s, err := applyLoginStep(ctx, region, targets)
		if err != nil {
			return nil, err
		}
		steps = append(steps, s)
		lines = append(lines, restartLine(targets))
	} else {
		lines = append(lines, "It takes effect at the next restart of each instance.")
	}
	f := Flow{
		Action: action, Title: fmt.Sprintf("%s key pair %s %s %s?", strings.ToUpper(verb[:1])+verb[1:], name, map[bool]string{true: "to", false: "from"}[attach], instancesNoun(targets)),
		Lines: lines, Steps: steps, Reload: []string{"keypairs", "instances"},
		Verify: verifyItems,
		Done:   batchResultPane("keypairs", action),
	}
	return f.Cmd(ctx), nil
}

func deleteKeyPairs(l *List[KeyPairItem], ctx Context, _ []string) tea.Cmd {
	list := l.MarkedItems()
	if len(list) == 0 {
		return nil
	}
	var names []string
	lines := []string{}
	byReg := map[string][]string{}
	var regions []string
	for _, k := range list {
		names = append(names, k.Name)
		r := regionOf(ctx, k.RegionID)
		if _, ok := byReg[r]; !ok {
			regions = append(regions, r)
		}
		byReg[r] = append(byReg[r], k.Name)
		lines = append(lines, fmt.Sprintf("%-24s %s  %d bound instance(s)", k.Name, r, len(k.Instances)))
		for _, in := range k.Instances {
			lines = append(lines, "    still bound: "+instanceLine(in))
		}
	}
	bound := slices.ContainsFunc(list, func(k KeyPairItem) bool { return len(k.Instances) > 0 })
	if bound {
		lines = append(lines, "", "Bound instances keep working with the key they have, but it cannot be bound again.")
	}
	action := "delete key pair " + strings.Join(names, ", ")
	var steps []Step
	for _, r := range regions {
		p, err := ctx.Client.PlanDeleteKeyPairs(r, byReg[r])
		if err != nil {
			return refuse(action, err)
		}
		steps = append(steps, Step{Label: "delete " + strings.Join(byReg[r], ", "), Plan: p})
	}
	f := Flow{
		Action: action, Title: fmt.Sprintf("Delete %s?", typedWord(names, "key pairs")),
		Lines: lines, Steps: steps, Typed: typedWord(names, "key pairs"),
		Undoable: "the key pair is gone from the service; its private key cannot log in to new bindings",
		Reload:   []string{"keypairs"},
	}
	return f.Cmd(ctx)
}

// bindKeyFromInstances is K on instances: choose a key pair of their
// region to bind to the marked (Linux) instances, and the restart.
func bindKeyFromInstances(l *List[cloud.Instance], ctx Context, args []string) tea.Cmd {
	list := l.MarkedItems()
	if len(list) == 0 {
		return nil
	}
	regions, _ := byRegion(list)
	if len(regions) > 1 {
		return refuse("bind key pair", &cloud.ValidationError{Field: "instances", Rule: "key pairs belong to one region: mark instances of one region"})
	}
	region := regions[0]
	if len(args) > 0 {
		cmd, err := bindKeyFlow(ctx, args[0], region, list, true, !hasWord(args[1:], "later"))
		if err != nil {
			return refuse("bind key pair "+args[0], err)
		}
		return cmd
	}
	f := newOpForm(ctx, "Bind a key pair to "+instancesNoun(list), []form.Field{
		{Key: "name", Label: "Key pair", Kind: form.Picker, Help: "type to find one of the region's key pairs"},
		{Key: "restart", Label: "Restart", Kind: form.Choice, Options: []string{restartNow, restartLater},
			Descriptions: []string{"reboot (running) or start (stopped): the key takes effect", "takes effect at the next restart"}},
	}, func(v map[string]string) (tea.Cmd, error) {
		return bindKeyFlow(ctx, v["name"], region, list, true, v["restart"] == restartNow)
	})
	f.fields = map[string]string{"instances": "name", "key pair": "name"}
	l.OpenModal(f)
	return loadPicks(ctx, "instances", f.id, "name", func(c context.Context) ([]pickOption, func(), error) {
		kps, err := ctx.Client.KeyPairs(c, region)
		if err != nil {
			return nil, nil, err
		}
		ps := make([]pickOption, len(kps))
		for i, k := range kps {
			ps[i] = pickOption{ID: k.Name, Desc: k.Fingerprint}
		}
		return ps, nil, nil
	})
}

func bindKeyAction() Action[cloud.Instance] {
	return Action[cloud.Instance]{Name: "bind-key", Args: "[NAME] [later]", Help: "bind a key pair (Linux)", Keys: []string{"K"}, Run: bindKeyFromInstances}
}
