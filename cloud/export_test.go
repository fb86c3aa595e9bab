package cloud

// SetSTSEndpointForTest points p's RAM role provider (and its source
// profile's) at a fake STS host instead of sts.aliyuncs.com.
func SetSTSEndpointForTest(p *Profile, host string) {
	for q := p; q != nil; q = q.source {
		q.stsEndpoint = host
	}
}
