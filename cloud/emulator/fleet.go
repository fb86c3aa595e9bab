package emulator

// DefaultFleetSize is the number of instances a default emulator holds.
const DefaultFleetSize = 36

// generateFleet fills the store with the deterministic seeded fleet.
// (Placeholder: replaced by the fleet generator.)
func generateFleet(st *store, opts Options) {}
