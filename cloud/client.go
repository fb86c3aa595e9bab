package cloud

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cms"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/oos"
)

// maxInFlight bounds the API calls one Client has on the wire at once. It
// is also the number of SDK client pairs leased out (see sdkClients).
const maxInFlight = 16

// Client talks to ECS and CloudMonitor. It is safe for concurrent use.
type Client struct {
	region   string
	timeout  time.Duration
	log      *slog.Logger
	endpoint *endpoint // nil for the real cloud

	// pool holds the SDK client pairs; a call leases one for its duration.
	pool chan *sdkClients

	usage *usageMeter // calls sent, for Usage
	pace  *pacer      // keeps the metric query APIs under their rate limit
	safe  *safety     // read-only guard, audit log, retry policy (execute.go)

	profile  Profile // Config.Auth (zero for static Config.Credentials)
	provider string  // the SDK credentials provider's name, e.g. "static_ak"
}

// sdkClients is one ECS, one CloudMonitor and one OOS SDK client. Each
// pair serves every region (RegionId is set per request).
//
// There are maxInFlight pairs rather than a single one because a v1 SDK
// client is not safe for concurrent calls: every call rewrites the shared
// http.Client's Timeout (sdk/client.go setTimeout; see
// aliyun/alibaba-cloud-sdk-go#538). A pair is used by one call at a time.
type sdkClients struct {
	ecs *ecs.Client
	cms *cms.Client
	oos *oos.Client     // patching (patch.go)
	rt  *leaseTransport // binds the pair's HTTP requests to the current call
}

// init builds the ECS SDK's endpoint table once, before any goroutine can:
// ecs.NewClientWithOptions fills that package-level map lazily and
// unguarded, so two concurrent New calls would race on it
// (aliyun/alibaba-cloud-sdk-go#523). The OOS package's map is filled the
// same way.
func init() { ecs.GetEndpointMap(); oos.GetEndpointMap() }

// New builds a Client. It validates cfg but makes no API call.
func New(cfg Config) (*Client, error) {
	ep, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	c := &Client{
		region:   cfg.Region,
		timeout:  cfg.Timeout,
		log:      cfg.Logger,
		endpoint: ep,
		pool:     make(chan *sdkClients, maxInFlight),
		usage:    newUsageMeter(time.Now()),
		pace:     newPacer(metricCallsPerSecond, time.Second),
		safe:     newSafety(cfg),
	}
	if c.timeout == 0 {
		c.timeout = DefaultTimeout
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	prov, err := cfg.credentialsProvider(c.timeout)
	if err != nil {
		return nil, err
	}
	c.profile, c.provider = cfg.Auth, prov.GetProviderName()
	rt := newTransport(ep, maxInFlight)
	for range maxInFlight {
		pair, err := c.newSDKClients(prov, rt)
		if err != nil {
			return nil, err
		}
		c.pool <- pair
	}
	return c, nil
}

// Region returns the default region.
func (c *Client) Region() string { return c.region }

// AuthProfile returns the profile the client signs with (Config.Auth; the
// zero Profile for static Config.Credentials).
func (c *Client) AuthProfile() Profile { return c.profile }

// CredentialsProvider names the SDK credentials provider the client signs
// with: ProviderStaticAK, ProviderStaticSTS, ProviderRAMRoleARN or
// ProviderECSRAMRole.
func (c *Client) CredentialsProvider() string { return c.provider }

// newSDKClients builds one ECS and one CloudMonitor client as the API notes
// recommend (§1.5): sdk.NewConfig (scheme from the endpoint), the shared
// credentials provider, and an explicit Domain wherever the SDK would otherwise ask
// the Location service on the internet.
func (c *Client) newSDKClients(prov credentials.CredentialsProvider, shared http.RoundTripper) (*sdkClients, error) {
	rt := &leaseTransport{base: shared}
	cfg := sdk.NewConfig()
	cfg.Transport = rt
	if c.endpoint != nil {
		cfg = cfg.WithScheme(c.endpoint.scheme)
	} else {
		cfg = cfg.WithScheme("HTTPS")
	}
	// Retries belong to our call path (a later issue), not to the SDK's
	// immediate, back-off-free AutoRetry.
	cfg.AutoRetry = false

	e, err := ecs.NewClientWithOptions(c.region, cfg, prov)
	if err != nil {
		return nil, fmt.Errorf("cloud: build ECS client: %w", err)
	}
	m, err := cms.NewClientWithOptions(c.region, cfg, prov)
	if err != nil {
		return nil, fmt.Errorf("cloud: build CloudMonitor client: %w", err)
	}
	o, err := oos.NewClientWithOptions(c.region, cfg, prov)
	if err != nil {
		return nil, fmt.Errorf("cloud: build OOS client: %w", err)
	}
	for _, sc := range []*sdk.Client{&e.Client, &m.Client, &o.Client} {
		sc.SetReadTimeout(c.timeout)
		sc.SetConnectTimeout(connectTimeout)
	}
	if c.endpoint != nil {
		e.Domain = c.endpoint.host
		m.Domain = c.endpoint.host
		o.Domain = c.endpoint.host
	} else {
		// ECS resolves ecs[-<region>].aliyuncs.com from its endpoint table;
		// CMS has no table, so without a Domain the SDK would call the
		// Location service. Requests set a regional domain (cmsDomain); this
		// is the fallback should one ever not.
		m.Domain = "metrics.aliyuncs.com"
	}
	// OOS has no endpoint table either: requests set oos.<region>.aliyuncs.com
	// (oosDomain); without one the SDK's regional rule gives the same host.
	return &sdkClients{ecs: e, cms: m, oos: o, rt: rt}, nil
}

// oosDomain is the OOS host for a region, "" when the client-wide Domain
// (the endpoint) applies.
func (c *Client) oosDomain(region string) string {
	if c.endpoint != nil {
		return ""
	}
	return "oos." + region + ".aliyuncs.com"
}

// cmsDomain is the CloudMonitor host for a region, "" when the client-wide
// Domain (the endpoint) applies.
func (c *Client) cmsDomain(region string) string {
	if c.endpoint != nil {
		return ""
	}
	return "metrics." + region + ".aliyuncs.com"
}
