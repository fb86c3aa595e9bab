package cloud

import "time"

// LatestBatchSize is how many instances one DescribeMetricLast call of
// LatestMetrics carries. A caller that splits its instances into batches
// of this size costs the same calls, and one throttled batch then fails
// only its own instances (the live-metrics sampler does).
const LatestBatchSize = metricDimensionsPerCall

// HistoryBatchSize is how many instances one batch of MetricHistories
// carries for the window (fewer for long windows, so a batch fills a
// page), for the same use as LatestBatchSize.
func HistoryBatchSize(start, end time.Time, period time.Duration) int {
	return historyBatchSize(start, end, period)
}
