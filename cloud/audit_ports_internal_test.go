package cloud

import "testing"

// TestDroppedFirst: a wide Accept hidden behind a Drop of higher (or equal)
// priority is not an exposure; one behind a lower-priority Drop is.
func TestDroppedFirst(t *testing.T) {
	accept := SecurityGroupRule{Direction: Ingress, Protocol: "TCP", PortRange: "22/22", SourceCIDR: "0.0.0.0/0", Policy: Accept, Priority: 10}
	dropHigh := SecurityGroupRule{Direction: Ingress, Protocol: "TCP", PortRange: "1/1024", SourceCIDR: "0.0.0.0/0", Policy: Drop, Priority: 1}
	dropLow := dropHigh
	dropLow.Priority = 50
	dropAll := SecurityGroupRule{Direction: Ingress, Protocol: "ALL", PortRange: "-1/-1", SourceCIDR: "0.0.0.0/0", Policy: Drop, Priority: 10}
	dropOffice := dropHigh
	dropOffice.SourceCIDR = "203.0.113.0/24"
	cases := []struct {
		name  string
		rules []SecurityGroupRule
		want  bool
	}{
		{"higher-priority drop", []SecurityGroupRule{accept, dropHigh}, true},
		{"lower-priority drop", []SecurityGroupRule{accept, dropLow}, false},
		{"drop ALL at the same priority", []SecurityGroupRule{accept, dropAll}, true},
		{"drop from one network only", []SecurityGroupRule{accept, dropOffice}, false},
		{"no drop", []SecurityGroupRule{accept}, false},
	}
	for _, c := range cases {
		if got := droppedFirst(c.rules, accept, 22); got != c.want {
			t.Errorf("%s: droppedFirst = %v, want %v", c.name, got, c.want)
		}
	}
}
