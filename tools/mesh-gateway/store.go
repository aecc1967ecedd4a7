package main

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	clusterv3 "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	endpointv3 "github.com/envoyproxy/go-control-plane/envoy/config/endpoint/v3"
	listenerv3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	hcmv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	"google.golang.org/protobuf/proto"
)

type anyMessage = proto.Message

// httpListener is the part of an Envoy listener this gateway serves: a port and the
// HTTP connection manager's route configuration (by RDS name, or inline).
type httpListener struct {
	name       string
	port       uint32
	routeName  string
	inline     *routev3.RouteConfiguration
	serverName string
}

// endpoint is one upstream address of a cluster, with Envoy's health status.
type endpoint struct {
	address string // host:port as the control plane sent it
	healthy bool
	weight  uint32
}

// snapshot is one consistent view of the configuration; never changed once published.
type snapshot struct {
	listeners map[uint32]*httpListener // by port
	routes    map[string]*routev3.RouteConfiguration
	clusters  map[string]*clusterv3.Cluster
	endpoints map[string][]endpoint // by EDS service name
}

// store merges xDS updates into snapshots and publishes them atomically: a request
// sees either the old or the new configuration, never a mix.
type store struct {
	mu        sync.Mutex
	cur       atomic.Pointer[snapshot]
	connected atomic.Bool
	// Set once the first listeners arrived (Envoy's "initialized").
	initialized atomic.Bool
	onChange    func(*snapshot)
}

func newStore() *store {
	s := &store{}
	s.cur.Store(&snapshot{listeners: map[uint32]*httpListener{}, routes: map[string]*routev3.RouteConfiguration{},
		clusters: map[string]*clusterv3.Cluster{}, endpoints: map[string][]endpoint{}})
	return s
}

func (s *store) snapshot() *snapshot { return s.cur.Load() }
func (s *store) setConnected(v bool) { s.connected.Store(v) }
func (s *store) isConnected() bool   { return s.connected.Load() }
func (s *store) isInitialized() bool { return s.initialized.Load() }

// update copies the current snapshot, lets edit change the copy, and publishes it.
func (s *store) update(edit func(*snapshot)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.cur.Load()
	next := &snapshot{listeners: maps.Clone(old.listeners), routes: maps.Clone(old.routes),
		clusters: maps.Clone(old.clusters), endpoints: maps.Clone(old.endpoints)}
	edit(next)
	s.cur.Store(next)
	if s.onChange != nil {
		s.onChange(next)
	}
}

// setClusters replaces all clusters (CDS is state of the world) and drops the
// endpoints of clusters that are gone.
func (s *store) setClusters(m map[string]*clusterv3.Cluster) {
	s.update(func(n *snapshot) {
		n.clusters = m
		keep := map[string]bool{}
		for _, c := range m {
			keep[edsName(c)] = true
		}
		for name := range n.endpoints {
			if !keep[name] {
				delete(n.endpoints, name)
			}
		}
	})
}

// setListeners replaces all listeners (LDS is state of the world). Listeners that are
// not HTTP connection managers are ignored; two on one port are an error.
func (s *store) setListeners(m map[string]*listenerv3.Listener) error {
	byPort := map[uint32]*httpListener{}
	for _, name := range slices.Sorted(maps.Keys(m)) {
		l, err := httpListenerOf(m[name])
		if err != nil {
			return fmt.Errorf("listener %s: %w", name, err)
		}
		if l == nil {
			continue
		}
		if other, dup := byPort[l.port]; dup {
			return fmt.Errorf("listeners %s and %s both on port %d", other.name, name, l.port)
		}
		byPort[l.port] = l
	}
	s.update(func(n *snapshot) {
		n.listeners = byPort
		names := map[string]bool{}
		for _, l := range byPort {
			names[l.routeName] = true
		}
		for name := range n.routes {
			if !names[name] {
				delete(n.routes, name)
			}
		}
	})
	s.initialized.Store(true)
	return nil
}

// updateRoutes adds or replaces the route configurations sent (RDS responses may
// carry only some of the subscribed names).
func (s *store) updateRoutes(m map[string]*routev3.RouteConfiguration) {
	s.update(func(n *snapshot) { maps.Copy(n.routes, m) })
}

// updateEndpoints adds or replaces the load assignments sent (istiod sends only the
// clusters whose endpoints changed).
func (s *store) updateEndpoints(m map[string]*endpointv3.ClusterLoadAssignment) {
	s.update(func(n *snapshot) {
		for name, cla := range m {
			n.endpoints[name] = endpointsOf(cla)
		}
	})
}

// edsNames are the service names of the clusters that take endpoints from EDS, sorted.
func (s *store) edsNames() []string {
	var names []string
	for _, c := range s.snapshot().clusters {
		if c.GetType() == clusterv3.Cluster_EDS {
			names = append(names, edsName(c))
		}
	}
	sort.Strings(names)
	return slices.Compact(names)
}

// routeNames are the RDS names the listeners use, sorted.
func (s *store) routeNames() []string {
	var names []string
	for _, l := range s.snapshot().listeners {
		if l.routeName != "" {
			names = append(names, l.routeName)
		}
	}
	sort.Strings(names)
	return slices.Compact(names)
}

func edsName(c *clusterv3.Cluster) string {
	if n := c.GetEdsClusterConfig().GetServiceName(); n != "" {
		return n
	}
	return c.Name
}

// httpListenerOf finds the HTTP connection manager of l; nil when l has none (TCP
// proxies, TLS passthrough: not served by this stand-in).
func httpListenerOf(l *listenerv3.Listener) (*httpListener, error) {
	port := l.GetAddress().GetSocketAddress().GetPortValue()
	chains := slices.Clone(l.FilterChains)
	if l.DefaultFilterChain != nil {
		chains = append(chains, l.DefaultFilterChain)
	}
	for _, chain := range chains {
		for _, f := range chain.Filters {
			any := f.GetTypedConfig()
			if any == nil || any.TypeUrl != "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager" {
				continue
			}
			var hcm hcmv3.HttpConnectionManager
			if err := any.UnmarshalTo(&hcm); err != nil {
				return nil, err
			}
			out := &httpListener{name: l.Name, port: port, serverName: hcm.ServerName}
			switch spec := hcm.RouteSpecifier.(type) {
			case *hcmv3.HttpConnectionManager_Rds:
				out.routeName = spec.Rds.RouteConfigName
			case *hcmv3.HttpConnectionManager_RouteConfig:
				out.inline = spec.RouteConfig
			default:
				return nil, fmt.Errorf("HTTP connection manager without RDS or an inline route configuration")
			}
			return out, nil
		}
	}
	return nil, nil
}

// endpointsOf flattens a load assignment. Envoy routes to HEALTHY and UNKNOWN endpoints.
func endpointsOf(cla *endpointv3.ClusterLoadAssignment) []endpoint {
	var out []endpoint
	for _, locality := range cla.Endpoints {
		for _, lb := range locality.LbEndpoints {
			sa := lb.GetEndpoint().GetAddress().GetSocketAddress()
			if sa == nil {
				continue // pipes and internal addresses are not served here
			}
			hs := lb.HealthStatus
			weight := lb.GetLoadBalancingWeight().GetValue()
			if weight == 0 {
				weight = 1
			}
			out = append(out, endpoint{
				address: fmt.Sprintf("%s:%d", sa.Address, sa.GetPortValue()),
				healthy: hs == corev3.HealthStatus_HEALTHY || hs == corev3.HealthStatus_UNKNOWN,
				weight:  weight,
			})
		}
	}
	return out
}

// clusterEndpoints are the endpoints of the named cluster: from EDS, or from the
// cluster's own load assignment (static clusters). ok is false when there is no such cluster.
func (sn *snapshot) clusterEndpoints(name string) (eps []endpoint, ok bool) {
	c, ok := sn.clusters[name]
	if !ok {
		return nil, false
	}
	if c.GetType() == clusterv3.Cluster_EDS {
		return sn.endpoints[edsName(c)], true
	}
	if c.LoadAssignment != nil {
		return endpointsOf(c.LoadAssignment), true
	}
	return nil, true
}
