package views

import (
	"fmt"
	"strings"

	"github.com/ecsdash/ecsdash/cloud"
)

// The words a typed confirmation asks for: what the user sees and chose
// (an id on screen, a name, a port range), never a machine-made id they
// never met. Names are accepted through List.uniqueNames.

// diskName is a disk's name, for the typed confirmations that accept it.
func diskName(d cloud.Disk) string { return d.Name }

// ruleWord is what a typed confirmation of security-group rules asks for:
// a rule's port range ("22/22") and protocol, which the user sees and chose,
// never its machine-made id; "3 rules" for several.
func ruleWord(rules []cloud.SecurityGroupRule) string {
	if len(rules) != 1 {
		return fmt.Sprintf("%d rules", len(rules))
	}
	return strings.ToLower(rules[0].Protocol) + " " + rules[0].PortRange
}
