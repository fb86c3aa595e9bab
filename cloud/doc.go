// Package cloud is ecsdash's only door to Alibaba Cloud. It wraps the v1 Go
// SDK (github.com/aliyun/alibaba-cloud-sdk-go) for ECS 2014-05-26 and
// CloudMonitor 2019-01-01 behind context-aware methods that return plain Go
// values, never SDK structs, and one typed error, *APIError.
//
// Every API call goes through one internal path (Client.do) that applies the
// per-call timeout and the caller's context, logs one debug record and turns
// SDK errors into *APIError; it also keeps the CloudMonitor metric queries
// under their 50 calls/s limit (pacer.go) and counts every call sent
// (Client.Usage: the metric call rate against the free monthly quota).
// List calls page concurrently: the first page tells how many there are,
// the rest are fetched in parallel, so a large fleet costs about two round
// trips of latency rather than one per page.
package cloud
