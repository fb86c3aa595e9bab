package emulator

import "time"

// snapshotGroup is a CreateSnapshotGroup consistency group: one snapshot per
// member disk, taken at the same instant.
type snapshotGroup struct {
	ID, Name, Description string
	RegionID, InstanceID  string
	SnapshotIDs           []string
	CreationTime          time.Time
}

// ecsTask is an asynchronous task answered by DescribeTasks and
// DescribeTaskAttribute (ExportImage here).
type ecsTask struct {
	ID, RegionID  string
	Action        string // ExportImage
	Status        string // Waiting, Processing, Finished, Failed
	Progress      int
	ResourceID    string
	CreationTime  time.Time
	FinishedTime  time.Time
	RelatedItems  [][2]string // name, value
	SupportCancel bool
	FailedReason  string
}

// taskMap is the task map, made on first use.
func (st *store) taskMap() map[string]*ecsTask {
	if st.tasks == nil {
		st.tasks = map[string]*ecsTask{}
	}
	return st.tasks
}

// bkIdempotent is store.idempotent for the create calls of backups and
// launches, except that only a success is remembered: a call refused for a
// passing reason (a snapshot still progressing, an instance still starting)
// can be retried with the same ClientToken once the reason is gone.
func (st *store) bkIdempotent(r *request, run func() (any, error)) (any, error) {
	return st.idempotentCall(r, false, run)
}
