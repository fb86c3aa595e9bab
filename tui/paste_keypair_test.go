package tui

import (
	"context"
	"crypto/ed25519"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// sshEd25519Line is a fresh public key line, as ~/.ssh/id_ed25519.pub
// holds it, and its MD5 fingerprint (aa:bb:…), as the API gives it.
func sshEd25519Line(t *testing.T, comment string) (line, fingerprint string) {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var blob []byte
	for _, part := range [][]byte{[]byte("ssh-ed25519"), pub} {
		blob = binary.BigEndian.AppendUint32(blob, uint32(len(part)))
		blob = append(blob, part...)
	}
	sum := md5.Sum(blob)
	hexes := make([]string, len(sum))
	for i, b := range sum {
		hexes[i] = fmt.Sprintf("%02x", b)
	}
	return "ssh-ed25519 " + base64.StdEncoding.EncodeToString(blob) + " " + comment, strings.Join(hexes, ":")
}

// TestPastedPublicKeyImports: a public key pasted (bracketed paste) into
// the import form's text field arrives whole, spaces kept, the trailing
// newline a space the validator trims, and is imported: a second client
// finds the key pair with the key's fingerprint.
func TestPastedPublicKeyImports(t *testing.T) {
	t.Setenv("HOME", t.TempDir()) // no ~/.ssh files: the source is the paste
	m, check := newLiveShell(t)
	tm := start(t, m, 120, 40)
	tm.Type(":keypairs")
	tm.Send(press("enter"))
	waitUntil(t, tm, "the key pairs view", loaded("keypairs"))
	tm.Type(":import pasted-1")
	tm.Send(press("enter"))
	waitUntil(t, tm, "the import form", func(m *Model) bool { return strings.Contains(screen(m), "Pasted key") })
	tm.Send(press("tab"))
	tm.Send(press("tab"))
	line, fingerprint := sshEd25519Line(t, "me@laptop two words")
	tm.Send(tea.PasteMsg{Content: line + "\n"})
	waitUntil(t, tm, "the pasted key in its field", func(m *Model) bool { return strings.Contains(screen(m), "two words") })
	tm.Send(press("ctrl+s"))
	waitUntil(t, tm, "the import confirmation", func(m *Model) bool { return m.confirm != nil })
	mustShow := func(m *Model) bool { return strings.Contains(screen(m), "me@laptop two words") }
	waitUntil(t, tm, "the comment, spaces kept, in the confirmation", mustShow)
	tm.Send(press("y"))
	waitUntilFor(t, tm, 20*time.Second, "imported", func(m *Model) bool { return strings.HasPrefix(m.notice, "✓ import") })
	finish(t, tm)
	kps, err := check.KeyPairs(context.Background(), "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	for _, kp := range kps {
		if kp.Name == "pasted-1" {
			if kp.Fingerprint != fingerprint {
				t.Fatalf("pasted-1 has fingerprint %s, the pasted key's is %s: the key did not arrive whole", kp.Fingerprint, fingerprint)
			}
			return
		}
	}
	t.Fatalf("no key pair pasted-1 after the import: %v", kps)
}
