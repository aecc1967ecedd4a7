package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	faultcommonv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/common/fault/v3"
	faultv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/fault/v3"
	typev3 "github.com/envoyproxy/go-control-plane/envoy/type/v3"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// gatewayFixture: a fake ADS with one HTTP listener, clusters v1 and v2 backed by
// backends, v3 defined without endpoints, and the data plane connected to it.
type gatewayFixture struct {
	ads    *fakeADS
	port   uint32
	v1, v2 *backend
	st     *store
}

func newFixture(t *testing.T, routes ...*routev3.Route) *gatewayFixture {
	f := &gatewayFixture{ads: startFakeADS(t, "127.0.0.1:0"), port: freePort(t),
		v1: newBackend(t, "v1", nil), v2: newBackend(t, "v2", nil)}
	f.ads.set(map[string][]proto.Message{
		typeListener: {httpListenerResource(t, f.port, "http.8080")},
		typeCluster:  {edsCluster(v1Cluster), edsCluster(v2Cluster), edsCluster(v3Cluster)},
		typeEndpoint: {assignment(v1Cluster, f.v1.addr()), assignment(v2Cluster, f.v2.addr()), assignment(v3Cluster)},
		typeRoute:    {routeConfig(routes...)},
	})
	f.st = startGateway(t, f.ads.addr)
	eventually(t, "the gateway has its routes, endpoints and listener", func() (bool, string) {
		sn := f.st.snapshot()
		eps, _ := sn.clusterEndpoints(v1Cluster)
		r := get(t, f.port, "hello.example.test", "/", nil)
		return sn.routes["http.8080"] != nil && len(eps) == 1 && r.status != -1, fmt.Sprint(r.status, " ", r.body)
	})
	return f
}

func (f *gatewayFixture) setRoutes(routes ...*routev3.Route) {
	f.ads.set(map[string][]proto.Message{typeRoute: {routeConfig(routes...)}})
}

func TestWeightedSplitAndLiveUpdateWithoutRestart(t *testing.T) {
	f := newFixture(t, prefixRoute("split", "/", weighted(map[string]uint32{v1Cluster: 90, v2Cluster: 10}, v1Cluster, v2Cluster)))
	const n = 1000
	counts := map[string]int{}
	for range n {
		r := get(t, f.port, "hello.example.test", "/", nil)
		if r.status != 200 || r.route != "split" || !strings.HasSuffix(r.c, "|"+r.version+"|hello.test.svc.cluster.local") {
			t.Fatalf("response %+v: want 200 from route split and the version's cluster", r)
		}
		counts[r.version]++
	}
	// Binomial(1000, 0.1): sd 9.5; 5 sd either side.
	if counts["v2"] < 100-48 || counts["v2"] > 100+48 {
		t.Errorf("v2 served %d of %d, want about 100 (counts %v)", counts["v2"], n, counts)
	}

	f.setRoutes(prefixRoute("split", "/", weighted(map[string]uint32{v1Cluster: 0, v2Cluster: 100}, v1Cluster, v2Cluster)))
	eventually(t, "0/100 applies", func() (bool, string) {
		r := get(t, f.port, "hello.example.test", "/", nil)
		return r.version == "v2", r.version
	})
	for range 50 {
		if r := get(t, f.port, "hello.example.test", "/", nil); r.version != "v2" {
			t.Fatalf("after 0/100 a request reached %q", r.version)
		}
	}
}

func TestEnvoyAnswersWhenNothingServes(t *testing.T) {
	f := newFixture(t,
		prefixRoute("to-v3", "/nopods", toCluster(v3Cluster)),
		prefixRoute("missing", "/missing", toCluster("outbound|80|v9|hello.test.svc.cluster.local")),
		prefixRoute("main", "/main", toCluster(v1Cluster)),
	)
	if r := get(t, f.port, "hello.example.test", "/nopods", nil); r.status != 503 || r.body != "no healthy upstream" || r.c != v3Cluster {
		t.Errorf("subset without endpoints: %+v, want 503 no healthy upstream", r)
	}
	if r := get(t, f.port, "hello.example.test", "/missing", nil); r.status != 503 || r.route != "missing" {
		t.Errorf("undefined cluster: %+v, want 503", r)
	}
	if r := get(t, f.port, "hello.example.test", "/other", nil); r.status != 404 || r.body != "" {
		t.Errorf("no route: %+v, want an empty 404", r)
	}
	if r := get(t, f.port, "other.example.test", "/main", nil); r.status != 404 {
		t.Errorf("no virtual host: %+v, want 404", r)
	}
	if r := get(t, f.port, "hello.example.test:8080", "/main", nil); r.status != 200 || r.version != "v1" || r.header.Get("Server") != "istio-envoy" {
		t.Errorf("host with a port: %+v, want 200 from v1 with Server istio-envoy", r)
	}
	f.v1.Close() // nothing listens there any more
	if r := get(t, f.port, "hello.example.test", "/main", nil); r.status != 503 || !strings.HasPrefix(r.body, "upstream connect error") {
		t.Errorf("dead endpoint: %+v, want 503 upstream connect error", r)
	}
}

func faultConfig(t *testing.T, abortStatus uint32, abortPct uint32, delay time.Duration, delayPct uint32) map[string]*anypb.Any {
	f := &faultv3.HTTPFault{}
	if abortStatus != 0 {
		f.Abort = &faultv3.FaultAbort{ErrorType: &faultv3.FaultAbort_HttpStatus{HttpStatus: abortStatus},
			Percentage: &typev3.FractionalPercent{Numerator: abortPct * 10000, Denominator: typev3.FractionalPercent_MILLION}}
	}
	if delay != 0 {
		f.Delay = &faultcommonv3.FaultDelay{FaultDelaySecifier: &faultcommonv3.FaultDelay_FixedDelay{FixedDelay: durationpb.New(delay)},
			Percentage: &typev3.FractionalPercent{Numerator: delayPct * 10000, Denominator: typev3.FractionalPercent_MILLION}}
	}
	return map[string]*anypb.Any{"envoy.filters.http.fault": mustAny(t, f)}
}

func TestFaultsHeaderMatchMirrorTimeoutAndRetries(t *testing.T) {
	abort := prefixRoute("abort", "/abort", toCluster(v1Cluster))
	abort.TypedPerFilterConfig = faultConfig(t, 503, 50, 0, 0)
	delay := prefixRoute("delay", "/delay", toCluster(v1Cluster))
	delay.TypedPerFilterConfig = faultConfig(t, 0, 0, 200*time.Millisecond, 100)
	pinned := prefixRoute("pinned", "/", toCluster(v2Cluster))
	pinned.Match.Headers = []*routev3.HeaderMatcher{{Name: "x-pin", HeaderMatchSpecifier: &routev3.HeaderMatcher_StringMatch{StringMatch: exact("v2")}}}
	mirrored := prefixRoute("mirrored", "/mirror", toCluster(v1Cluster))
	mirrored.GetRoute().RequestMirrorPolicies = []*routev3.RouteAction_RequestMirrorPolicy{{Cluster: v2Cluster}}
	timed := prefixRoute("timed", "/slow", toCluster(v1Cluster))
	timed.GetRoute().Timeout = durationpb.New(100 * time.Millisecond)
	f := newFixture(t, abort, delay, pinned, mirrored, timed, prefixRoute("default", "/", toCluster(v1Cluster)))

	aborted := 0
	for range 400 {
		r := get(t, f.port, "hello.example.test", "/abort", nil)
		switch {
		case r.status == 503 && r.body == "fault filter abort":
			aborted++
		case r.status != 200 || r.version != "v1":
			t.Fatalf("abort route: %+v", r)
		}
	}
	// Binomial(400, 0.5): sd 10; 5 sd either side.
	if aborted < 150 || aborted > 250 {
		t.Errorf("50%% abort aborted %d of 400", aborted)
	}

	began := time.Now()
	if r := get(t, f.port, "hello.example.test", "/delay", nil); r.status != 200 || time.Since(began) < 200*time.Millisecond {
		t.Errorf("delay: %+v after %s, want 200 after at least 200ms", r, time.Since(began))
	}
	if r := get(t, f.port, "hello.example.test", "/x", map[string]string{"x-pin": "v2"}); r.version != "v2" || r.route != "pinned" {
		t.Errorf("header match: %+v, want v2 by route pinned", r)
	}
	if r := get(t, f.port, "hello.example.test", "/x", map[string]string{"x-pin": "v1"}); r.version != "v1" || r.route != "default" {
		t.Errorf("header mismatch: %+v, want v1 by route default", r)
	}

	before := f.v2.hits.Load()
	if r := get(t, f.port, "hello.example.test", "/mirror", nil); r.version != "v1" {
		t.Errorf("mirror: the response must come from v1, got %+v", r)
	}
	eventually(t, "the mirror copy reaches v2", func() (bool, string) {
		f.v2.mu.Lock()
		defer f.v2.mu.Unlock()
		n := len(f.v2.hosts)
		return f.v2.hits.Load() > before && n > 0 && f.v2.hosts[n-1] == "hello.example.test-shadow", fmt.Sprint(f.v2.hosts)
	})

	if r := get(t, f.port, "hello.example.test", "/slow", nil); r.status != 504 || r.body != "upstream request timeout" {
		t.Errorf("timeout: %+v, want 504 upstream request timeout", r)
	}
}

func TestRetriesOnRetriableStatusCodes(t *testing.T) {
	flaky := newBackend(t, "flaky", func(n int64) int {
		if n%3 != 0 {
			return 503
		}
		return 200
	})
	route := prefixRoute("retried", "/", toCluster("flaky"))
	route.GetRoute().RetryPolicy = &routev3.RetryPolicy{RetryOn: "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes",
		NumRetries: wrapperspb.UInt32(2), RetriableStatusCodes: []uint32{503}}
	noRetry := prefixRoute("once", "/once", toCluster("flaky"))
	f := newFixture(t, noRetry, route)
	f.ads.set(map[string][]proto.Message{
		typeCluster:  {edsCluster(v1Cluster), edsCluster(v2Cluster), edsCluster(v3Cluster), edsCluster("flaky")},
		typeEndpoint: {assignment(v1Cluster, f.v1.addr()), assignment(v2Cluster, f.v2.addr()), assignment(v3Cluster), assignment("flaky", flaky.addr())},
	})
	eventually(t, "the flaky cluster arrives", func() (bool, string) {
		eps, ok := f.st.snapshot().clusterEndpoints("flaky")
		return ok && len(eps) == 1, fmt.Sprint(eps)
	})
	flaky.hits.Store(0)
	for i := range 5 {
		if r := get(t, f.port, "hello.example.test", "/", nil); r.status != 200 {
			t.Fatalf("request %d with 2 retries on 503: %+v", i, r)
		}
	}
	if got := flaky.hits.Load(); got != 15 {
		t.Errorf("upstream saw %d attempts for 5 requests, want 15 (two 503s then 200 each)", got)
	}
	flaky.hits.Store(0)
	if r := get(t, f.port, "hello.example.test", "/once", nil); r.status != 503 || flaky.hits.Load() != 1 {
		t.Errorf("without a retry policy: %+v after %d attempts, want the upstream's 503 after 1", r, flaky.hits.Load())
	}
}

func TestReconnectsAfterTheControlPlaneRestarts(t *testing.T) {
	f := newFixture(t, prefixRoute("first", "/", toCluster(v1Cluster)))
	addr := f.ads.addr
	f.ads.srv.Stop()
	// The last configuration keeps serving while the control plane is away.
	if r := get(t, f.port, "hello.example.test", "/", nil); r.route != "first" {
		t.Fatalf("while istiod is away: %+v, want route first", r)
	}
	eventually(t, "the stream is seen closed", func() (bool, string) { return !f.st.isConnected(), "connected" })

	again := startFakeADS(t, addr)
	again.set(map[string][]proto.Message{
		typeListener: {httpListenerResource(t, f.port, "http.8080")},
		typeCluster:  {edsCluster(v1Cluster), edsCluster(v2Cluster)},
		typeEndpoint: {assignment(v1Cluster, f.v1.addr()), assignment(v2Cluster, f.v2.addr())},
		typeRoute:    {routeConfig(prefixRoute("second", "/", toCluster(v2Cluster)))},
	})
	eventually(t, "the new control plane's routes serve", func() (bool, string) {
		r := get(t, f.port, "hello.example.test", "/", nil)
		return r.route == "second" && r.version == "v2", fmt.Sprintf("%+v", r)
	})
	again.mu.Lock()
	defer again.mu.Unlock()
	if len(again.nodes) == 0 || again.nodes[0].Id != "router~10.244.0.9~gw.istio-system~istio-system.svc.cluster.local" {
		t.Errorf("node id on reconnect: %v", again.nodes)
	}
	if len(again.nacks) != 0 {
		t.Errorf("unexpected NACKs: %v", again.nacks)
	}
}
