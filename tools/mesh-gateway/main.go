// Command mesh-gateway is an ENVOY STAND-IN for the tests and the playground (Envoy
// itself cannot be had on these machines). It connects to the real istiod over ADS as
// an ingress gateway (`router` node), takes listeners, route configurations, clusters
// and endpoints from it, and serves HTTP requests the way Envoy would for the routes Fn
// Mesh writes: virtual host by domain, routes in order, weighted clusters, subsets
// through their endpoints, faults, mirrors, timeouts and retries. Every response names
// the route and cluster that served it (X-Fn-Mesh-Gateway-Route/-Cluster) and every
// request is logged. Never shipped in the VSIX. See NOTES.md for what it leaves out.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"maps"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	"google.golang.org/protobuf/types/known/structpb"
)

type options struct {
	xds          string
	podName      string
	namespace    string
	podIP        string
	listenIP     string
	labels       string
	clusterID    string
	istioVersion string
	statusPort   int
	twinCIDR     string
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.xds, "xds", "127.0.0.1:15010", "istiod's plaintext xDS address")
	flag.StringVar(&o.podName, "pod-name", "istio-ingressgateway", "name of the gateway pod")
	flag.StringVar(&o.namespace, "namespace", "istio-system", "namespace of the gateway pod")
	flag.StringVar(&o.podIP, "pod-ip", "127.0.0.1", "the pod IP (as the pod status reports it), in the node id")
	flag.StringVar(&o.listenIP, "listen-ip", "", "address the listeners bind (default: the pod IP, or its loopback twin when it lies in --loopback-twin-cidr)")
	flag.StringVar(&o.labels, "labels", "app=istio-ingressgateway,istio=ingressgateway", "the pod's labels, k=v,k=v (istiod selects Gateways by them)")
	flag.StringVar(&o.clusterID, "cluster-id", "Kubernetes", "istiod's cluster id")
	flag.StringVar(&o.istioVersion, "istio-version", "1.31-dev", "ISTIO_VERSION sent in the node metadata")
	flag.IntVar(&o.statusPort, "status-port", 15021, "port of /healthz/ready and /debug/config on the listen address (0: none)")
	flag.StringVar(&o.twinCIDR, "loopback-twin-cidr", "", "pod CIDR (e.g. 10.244.0.0/16) whose addresses are reached at their loopback twin 127.b.c.d")
	flag.Parse()
	return o
}

func main() {
	o := parseFlags()
	logger := log.New(os.Stdout, "mesh-gateway: ", log.LstdFlags|log.Lmicroseconds)
	if err := run(o, logger); err != nil {
		logger.Printf("ERROR: %v", err)
		os.Exit(1)
	}
}

func run(o options, logger *log.Logger) error {
	twin, err := twinMapper(o.twinCIDR)
	if err != nil {
		return err
	}
	listenIP := o.listenIP
	if listenIP == "" {
		listenIP = twin(o.podIP)
	}
	node, err := routerNode(o)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	st := newStore()
	gw := newGateway(st, logger, func(addr string) string {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return addr
		}
		return net.JoinHostPort(twin(host), port)
	})
	ls := &listeners{ip: listenIP, gw: gw, log: logger, servers: map[uint32]*http.Server{}}
	st.onChange = ls.reconcile
	defer ls.closeAll()

	if o.statusPort != 0 {
		srv, err := statusServer(listenIP, o.statusPort, st)
		if err != nil {
			return err
		}
		defer srv.Close()
	}
	client := &adsClient{addr: o.xds, node: node, store: st, log: logger, maxBackoff: 5 * time.Second}
	logger.Printf("starting: node %s, xds %s, listeners on %s", node.Id, o.xds, listenIP)
	client.run(ctx)
	logger.Printf("stopping on signal")
	return nil
}

// routerNode is the node identity istiod expects of an ingress gateway.
func routerNode(o options) (*corev3.Node, error) {
	labels := map[string]any{}
	for _, kv := range strings.Split(o.labels, ",") {
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("--labels: %q is not key=value", kv)
		}
		labels[k] = v
	}
	meta, err := structpb.NewStruct(map[string]any{
		"ISTIO_VERSION":   o.istioVersion,
		"NAMESPACE":       o.namespace,
		"NAME":            o.podName,
		"CLUSTER_ID":      o.clusterID,
		"LABELS":          labels,
		"INSTANCE_IPS":    o.podIP,
		"WORKLOAD_NAME":   "istio-ingressgateway",
		"SERVICE_ACCOUNT": "istio-ingressgateway-service-account",
		"MESH_ID":         "cluster.local",
	})
	if err != nil {
		return nil, err
	}
	id := fmt.Sprintf("router~%s~%s.%s~%s.svc.cluster.local", o.podIP, o.podName, o.namespace, o.namespace)
	return &corev3.Node{Id: id, Cluster: "istio-ingressgateway." + o.namespace, Metadata: meta,
		UserAgentName: "fn-mesh-gateway-standin"}, nil
}

// twinMapper returns the address mapping for a pod CIDR: an address inside it is
// reached at 127.<its last three bytes> (the node stand-in runs each pod's processes
// there); any other address maps to itself.
func twinMapper(cidr string) (func(string) string, error) {
	if cidr == "" {
		return func(a string) string { return a }, nil
	}
	prefix, err := netip.ParsePrefix(cidr)
	if err != nil || !prefix.Addr().Is4() {
		return nil, fmt.Errorf("--loopback-twin-cidr %q is not an IPv4 CIDR", cidr)
	}
	return func(a string) string {
		ip, err := netip.ParseAddr(a)
		if err != nil || !prefix.Contains(ip) {
			return a
		}
		b := ip.As4()
		b[0] = 127
		return netip.AddrFrom4(b).String()
	}, nil
}

// listeners runs one HTTP server per listener port of the current snapshot.
type listeners struct {
	mu      sync.Mutex
	ip      string
	gw      *gateway
	log     *log.Logger
	servers map[uint32]*http.Server
}

func (l *listeners) reconcile(sn *snapshot) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for port, srv := range l.servers {
		if _, ok := sn.listeners[port]; !ok {
			_ = srv.Close()
			delete(l.servers, port)
			l.log.Printf("listener on port %d removed", port)
		}
	}
	for _, port := range slices.Sorted(maps.Keys(sn.listeners)) {
		if _, ok := l.servers[port]; ok {
			continue
		}
		addr := net.JoinHostPort(l.ip, fmt.Sprint(port))
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			l.log.Printf("ERROR: listener %s: %v (retried on the next update)", sn.listeners[port].name, err)
			continue
		}
		srv := &http.Server{Handler: l.gw.handler(port), ReadHeaderTimeout: 10 * time.Second}
		l.servers[port] = srv
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				l.log.Printf("ERROR: listener on %s: %v", addr, err)
			}
		}()
		l.log.Printf("listener %s serving on %s", sn.listeners[port].name, addr)
	}
}

func (l *listeners) closeAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, srv := range l.servers {
		_ = srv.Close()
	}
}

// statusServer answers /healthz/ready (200 once the first listeners arrived, as
// Envoy's readiness) and /debug/config (a JSON summary of the current snapshot).
func statusServer(ip string, port int, st *store) (*http.Server, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, fmt.Sprint(port)))
	if err != nil {
		return nil, fmt.Errorf("status port: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz/ready", func(w http.ResponseWriter, _ *http.Request) {
		if !st.isInitialized() {
			http.Error(w, "no configuration from istiod yet", http.StatusServiceUnavailable)
			return
		}
		_, _ = fmt.Fprintln(w, "LIVE")
	})
	mux.HandleFunc("/debug/config", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(summarize(st))
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return srv, nil
}

type configSummary struct {
	Connected bool                        `json:"connected"`
	Listeners map[uint32]string           `json:"listeners"` // port => route configuration
	Routes    []string                    `json:"routes"`
	Clusters  map[string]clusterEndpoints `json:"clusters"`
}

type clusterEndpoints struct {
	Healthy []string `json:"healthy"`
	Other   []string `json:"unhealthy,omitempty"`
}

func summarize(st *store) configSummary {
	sn := st.snapshot()
	out := configSummary{Connected: st.isConnected(), Listeners: map[uint32]string{}, Clusters: map[string]clusterEndpoints{}}
	for port, l := range sn.listeners {
		out.Listeners[port] = l.routeName
	}
	out.Routes = slices.Sorted(maps.Keys(sn.routes))
	for name := range sn.clusters {
		eps, _ := sn.clusterEndpoints(name)
		var ce clusterEndpoints
		for _, e := range eps {
			if e.healthy {
				ce.Healthy = append(ce.Healthy, e.address)
			} else {
				ce.Other = append(ce.Other, e.address)
			}
		}
		out.Clusters[name] = ce
	}
	return out
}
