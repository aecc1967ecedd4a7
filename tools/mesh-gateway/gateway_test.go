package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	clusterv3 "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	endpointv3 "github.com/envoyproxy/go-control-plane/envoy/config/endpoint/v3"
	listenerv3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	hcmv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

func socket(host string, port uint32) *corev3.Address {
	return &corev3.Address{Address: &corev3.Address_SocketAddress{SocketAddress: &corev3.SocketAddress{
		Address: host, PortSpecifier: &corev3.SocketAddress_PortValue{PortValue: port}}}}
}

func mustAny(t *testing.T, m proto.Message) *anypb.Any {
	t.Helper()
	a, err := anypb.New(m)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// httpListenerResource is a listener as istiod writes one for a gateway port.
func httpListenerResource(t *testing.T, port uint32, routeName string) *listenerv3.Listener {
	hcm := &hcmv3.HttpConnectionManager{StatPrefix: "outbound_0.0.0.0_" + fmt.Sprint(port), ServerName: "istio-envoy",
		RouteSpecifier: &hcmv3.HttpConnectionManager_Rds{Rds: &hcmv3.Rds{RouteConfigName: routeName,
			ConfigSource: &corev3.ConfigSource{ConfigSourceSpecifier: &corev3.ConfigSource_Ads{Ads: &corev3.AggregatedConfigSource{}}}}}}
	return &listenerv3.Listener{Name: fmt.Sprintf("0.0.0.0_%d", port), Address: socket("0.0.0.0", port),
		FilterChains: []*listenerv3.FilterChain{{Filters: []*listenerv3.Filter{{Name: "envoy.filters.network.http_connection_manager",
			ConfigType: &listenerv3.Filter_TypedConfig{TypedConfig: mustAny(t, hcm)}}}}}}
}

func edsCluster(name string) *clusterv3.Cluster {
	return &clusterv3.Cluster{Name: name, ClusterDiscoveryType: &clusterv3.Cluster_Type{Type: clusterv3.Cluster_EDS},
		EdsClusterConfig: &clusterv3.Cluster_EdsClusterConfig{ServiceName: name}}
}

func assignment(name string, addrs ...string) *endpointv3.ClusterLoadAssignment {
	var lbs []*endpointv3.LbEndpoint
	for _, a := range addrs {
		host, port, _ := net.SplitHostPort(a)
		p, _ := strconv.Atoi(port)
		lbs = append(lbs, &endpointv3.LbEndpoint{HealthStatus: corev3.HealthStatus_HEALTHY,
			HostIdentifier: &endpointv3.LbEndpoint_Endpoint{Endpoint: &endpointv3.Endpoint{Address: socket(host, uint32(p))}}})
	}
	return &endpointv3.ClusterLoadAssignment{ClusterName: name, Endpoints: []*endpointv3.LocalityLbEndpoints{{LbEndpoints: lbs}}}
}

func weighted(weights map[string]uint32, order ...string) *routev3.RouteAction {
	var cs []*routev3.WeightedCluster_ClusterWeight
	for _, name := range order {
		cs = append(cs, &routev3.WeightedCluster_ClusterWeight{Name: name, Weight: wrapperspb.UInt32(weights[name])})
	}
	return &routev3.RouteAction{Timeout: durationpb.New(0),
		ClusterSpecifier: &routev3.RouteAction_WeightedClusters{WeightedClusters: &routev3.WeightedCluster{Clusters: cs}}}
}

func prefixRoute(name, prefix string, ra *routev3.RouteAction) *routev3.Route {
	return &routev3.Route{Name: name, Match: &routev3.RouteMatch{PathSpecifier: &routev3.RouteMatch_Prefix{Prefix: prefix}},
		Action: &routev3.Route_Route{Route: ra}}
}

func toCluster(name string) *routev3.RouteAction {
	return &routev3.RouteAction{ClusterSpecifier: &routev3.RouteAction_Cluster{Cluster: name}}
}

// backend is an upstream that names itself and counts what it received.
type backend struct {
	*httptest.Server
	name  string
	hits  atomic.Int64
	mu    sync.Mutex
	hosts []string
}

func newBackend(t *testing.T, name string, status func(n int64) int) *backend {
	b := &backend{name: name}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := b.hits.Add(1)
		b.mu.Lock()
		b.hosts = append(b.hosts, r.Host)
		b.mu.Unlock()
		w.Header().Set("X-Fn-Mesh-Version", name)
		code := http.StatusOK
		if status != nil {
			code = status(n)
		}
		if strings.HasPrefix(r.URL.Path, "/slow") {
			time.Sleep(300 * time.Millisecond)
		}
		w.WriteHeader(code)
		_, _ = fmt.Fprintf(w, "%s %s", name, r.URL.RequestURI())
	}))
	t.Cleanup(b.Close)
	return b
}

func (b *backend) addr() string { return strings.TrimPrefix(b.URL, "http://") }

func freePort(t *testing.T) uint32 {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return uint32(ln.Addr().(*net.TCPAddr).Port)
}

// startGateway runs the data plane against ads until the test ends.
func startGateway(t *testing.T, xds string) *store {
	st := newStore()
	logger := log.New(io.Discard, "", 0)
	if testing.Verbose() {
		logger = log.New(&testLogWriter{t}, "", 0)
	}
	gw := newGateway(st, logger, func(a string) string { return a })
	ls := &listeners{ip: "127.0.0.1", gw: gw, log: logger, servers: map[uint32]*http.Server{}}
	st.onChange = ls.reconcile
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	node, err := routerNode(options{podName: "gw", namespace: "istio-system", podIP: "10.244.0.9", labels: "istio=ingressgateway", clusterID: "Kubernetes", istioVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	client := &adsClient{addr: xds, node: node, store: st, log: logger, maxBackoff: 200 * time.Millisecond}
	go func() { defer close(done); client.run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; ls.closeAll() })
	return st
}

type testLogWriter struct{ t *testing.T }

func (w *testLogWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

type result struct {
	status                  int
	body, version, route, c string
	header                  http.Header
}

func get(t *testing.T, port uint32, host, path string, header map[string]string) result {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("http://127.0.0.1:%d%s", port, path), nil)
	req.Host = host
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return result{status: -1, body: err.Error()}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, body: string(b), version: resp.Header.Get("X-Fn-Mesh-Version"),
		route: resp.Header.Get(headerRoute), c: resp.Header.Get(headerCluster), header: resp.Header}
}

// eventually polls cond for up to 10 s.
func eventually(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, last := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10s (last: %s)", what, last)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

const (
	v1Cluster = "outbound|80|v1|hello.test.svc.cluster.local"
	v2Cluster = "outbound|80|v2|hello.test.svc.cluster.local"
	v3Cluster = "outbound|80|v3|hello.test.svc.cluster.local"
)

func routeConfig(routes ...*routev3.Route) *routev3.RouteConfiguration {
	return &routev3.RouteConfiguration{Name: "http.8080", VirtualHosts: []*routev3.VirtualHost{
		{Name: "hello.example.test:80", Domains: []string{"hello.example.test", "hello.example.test:*"}, Routes: routes}}}
}
