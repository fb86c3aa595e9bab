// Package monitor keeps the live CloudMonitor metrics of the dashboard: a
// [Sampler], owned by the shell (one per program) and read by the views,
// holds the last Capacity periods of a few metrics for every instance it
// was asked about, plus each instance's CloudMonitor agent status.
//
// # Cost
//
// Every fetch is batched: the first time an instance is seen its history
// is backfilled with DescribeMetricList (many instances per call, see
// [cloud.Client.MetricHistories]); afterwards one refresh costs
// M x ceil(N/50) DescribeMetricLast calls per region for M metrics and N
// instances, where asking per instance would cost N x M. Agent statuses are
// asked once every 10 periods (ceil(N/50) calls) and, at the refreshes in
// between, only for the K instances whose agent status is not settled
// (ceil(K/50) calls, none in a steady fleet): seen for the first time,
// installing, or changed state since it was read (a stopped instance's
// agent reads "stopped", a started one's "running"), so the metrics
// view's "no agent" follows a start within one period. A refresh never
// runs faster than the metric period. Each metric is fetched in the
// batches the client would make anyway (50 instances a DescribeMetricLast,
// [cloud.HistoryBatchSize] a backfill), each batch a part of its own, so
// a throttled call fails only its batch's instances. Those parts, and only
// those, are asked again 5 s later (10 s, 20 s, ... at most a quarter of
// the period while they keep failing): with 30 % of the calls throttled,
// every running instance has its values within two periods for a few
// calls more. A period's refresh of which nothing got through (every call
// throttled) backs off exponentially instead; [Sampler.Usage] reports the
// call rate against CloudMonitor's free monthly quota, counting the calls
// sent (throttled ones included: they reached the API), never one
// cancelled before it went out.
//
// # Concurrency
//
// [Sampler.Refresh], [Sampler.Apply], [Sampler.Forget] and every reader
// belong to the UI goroutine (Bubble Tea's Update and View); the Sampler has
// no lock. Refresh decides what to fetch, records that it did (so a second
// Refresh within the period returns nil) and returns a tea.Cmd. The command
// runs on another goroutine and never touches the Sampler: it captures the
// client, the plan and the window at Refresh time, makes the calls and
// returns everything in a [SamplesMsg]. Apply, back on the UI goroutine, is
// the only place that changes the rings, the agent statuses, the stale mark
// and the error; it only appends to fixed-size rings, so it is cheap.
// Agent statuses read elsewhere (an agent install's flow reads them when
// the install ends) reach the Sampler the same way: [AgentsMsg] wraps them
// in a SamplesMsg for Apply, which stores them and leaves the schedule,
// the error and the stale mark alone.
//
// # Memory
//
// Each instance and metric has a [chart.Ring] of Capacity points, made on
// the first datapoint: memory is bounded by instances x metrics x Capacity
// (about 32 bytes a point), and [Sampler.Forget] drops instances that are
// no longer listed.
//
// # Gaps and staleness
//
// The rings hold one point per period. A period with no datapoint (a
// stopped instance, a late agent) is a NaN point, so a sparkline shows a
// gap rather than a low value: an instance whose latest datapoint is older
// than the region's newest by more than the period gets a NaN, and a
// datapoint that arrives after missed periods is preceded by a NaN for each.
// When CloudMonitor throttles (Throttling.*), nothing is blanked: the values
// stay, and [Sampler.Behind] says which are out of date, by how much and
// why, so a view shows a value with its age, and a cell that never had a
// value says "throttled". When a whole refresh was throttled,
// [Sampler.Stale] reports since when nothing has been refreshed.
package monitor
