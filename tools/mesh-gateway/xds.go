package main

import (
	"context"
	"fmt"
	"log"
	"slices"
	"time"

	clusterv3 "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	endpointv3 "github.com/envoyproxy/go-control-plane/envoy/config/endpoint/v3"
	listenerv3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	discoveryv3 "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	statuspb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/anypb"
)

// The xDS type URLs this gateway subscribes to, in the order Envoy asks for them.
const (
	typeCluster  = "type.googleapis.com/envoy.config.cluster.v3.Cluster"
	typeEndpoint = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment"
	typeListener = "type.googleapis.com/envoy.config.listener.v3.Listener"
	typeRoute    = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration"
)

// adsClient keeps one Aggregated Discovery Service stream (state of the world) to the
// control plane open, reconnecting with backoff, and feeds what it receives to store.
type adsClient struct {
	addr  string
	node  *corev3.Node
	store *store
	log   *log.Logger
	// Longest wait between reconnection attempts.
	maxBackoff time.Duration
}

// run keeps a stream open until ctx ends. The last configuration keeps serving while
// the control plane is away, as Envoy does.
func (c *adsClient) run(ctx context.Context) {
	backoff := 200 * time.Millisecond
	for ctx.Err() == nil {
		began := time.Now()
		err := c.session(ctx)
		if ctx.Err() != nil {
			return
		}
		if time.Since(began) > 10*time.Second {
			backoff = 200 * time.Millisecond // a stream that lived resets the backoff
		}
		c.log.Printf("xds: stream to %s ended (%v); reconnecting in %s", c.addr, err, backoff)
		c.store.setConnected(false)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, c.maxBackoff)
	}
}

// subscription is what was last asked and received for one type.
type subscription struct {
	names   []string // nil: wildcard
	version string
	nonce   string
}

func (c *adsClient) session(ctx context.Context) error {
	conn, err := grpc.NewClient(c.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := discoveryv3.NewAggregatedDiscoveryServiceClient(conn).StreamAggregatedResources(ctx)
	if err != nil {
		return err
	}
	subs := map[string]*subscription{typeCluster: {}, typeListener: {}, typeEndpoint: {names: []string{}}, typeRoute: {names: []string{}}}
	send := func(typeURL string, nack error) error {
		s := subs[typeURL]
		req := &discoveryv3.DiscoveryRequest{Node: c.node, TypeUrl: typeURL, VersionInfo: s.version,
			ResponseNonce: s.nonce, ResourceNames: s.names}
		if nack != nil {
			req.ErrorDetail = &statuspb.Status{Code: 3, Message: nack.Error()}
		}
		return stream.Send(req)
	}
	for _, t := range []string{typeCluster, typeListener} {
		if err := send(t, nil); err != nil {
			return err
		}
	}
	c.log.Printf("xds: connected to %s as %s", c.addr, c.node.Id)
	c.store.setConnected(true)
	for {
		resp, err := stream.Recv()
		if err != nil {
			return err
		}
		s, ok := subs[resp.TypeUrl]
		if !ok {
			continue // a type we never asked for
		}
		applyErr := c.apply(resp)
		s.nonce = resp.Nonce
		if applyErr == nil {
			s.version = resp.VersionInfo
		} else {
			c.log.Printf("xds: rejecting %s version %s: %v", resp.TypeUrl, resp.VersionInfo, applyErr)
		}
		if err := send(resp.TypeUrl, applyErr); err != nil {
			return err
		}
		// New clusters or listeners name the endpoints and routes to ask for next.
		follow := map[string][]string{typeCluster: c.store.edsNames(), typeListener: c.store.routeNames()}
		for parent, names := range follow {
			if resp.TypeUrl != parent {
				continue
			}
			child := typeEndpoint
			if parent == typeListener {
				child = typeRoute
			}
			if !slices.Equal(subs[child].names, names) {
				subs[child].names = names
				if err := send(child, nil); err != nil {
					return err
				}
			}
		}
	}
}

// apply decodes every resource of resp and hands them to the store as one update;
// nothing changes when any resource fails to decode.
func (c *adsClient) apply(resp *discoveryv3.DiscoveryResponse) error {
	switch resp.TypeUrl {
	case typeCluster:
		m, err := decodeAll(resp.Resources, func(v *clusterv3.Cluster) string { return v.Name })
		if err == nil {
			c.store.setClusters(m)
		}
		return err
	case typeListener:
		m, err := decodeAll(resp.Resources, func(v *listenerv3.Listener) string { return v.Name })
		if err != nil {
			return err
		}
		return c.store.setListeners(m)
	case typeRoute:
		m, err := decodeAll(resp.Resources, func(v *routev3.RouteConfiguration) string { return v.Name })
		if err == nil {
			c.store.updateRoutes(m)
		}
		return err
	case typeEndpoint:
		m, err := decodeAll(resp.Resources, func(v *endpointv3.ClusterLoadAssignment) string { return v.ClusterName })
		if err == nil {
			c.store.updateEndpoints(m)
		}
		return err
	}
	return nil
}

// decodeAll unpacks each Any into a new T, keyed by name.
func decodeAll[T any, P interface {
	*T
	anyMessage
}](resources []*anypb.Any, name func(P) string) (map[string]P, error) {
	out := make(map[string]P, len(resources))
	for i, r := range resources {
		v := P(new(T))
		if err := r.UnmarshalTo(v); err != nil {
			return nil, fmt.Errorf("resource %d (%s): %w", i, r.TypeUrl, err)
		}
		out[name(v)] = v
	}
	return out, nil
}
