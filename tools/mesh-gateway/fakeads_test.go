package main

import (
	"net"
	"sync"
	"testing"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	discoveryv3 "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
)

// fakeADS is a minimal state-of-the-world ADS server for the tests: it sends every
// resource of a type to a stream that subscribed to it, again after each set. The
// real istiod is exercised by the integration test.
type fakeADS struct {
	discoveryv3.UnimplementedAggregatedDiscoveryServiceServer
	mu      sync.Mutex
	version int
	res     map[string][]proto.Message
	changed chan struct{}
	nodes   []*corev3.Node
	nacks   []string
	srv     *grpc.Server
	addr    string
}

func startFakeADS(t *testing.T, addr string) *fakeADS {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeADS{res: map[string][]proto.Message{}, changed: make(chan struct{}), addr: ln.Addr().String()}
	f.srv = grpc.NewServer()
	discoveryv3.RegisterAggregatedDiscoveryServiceServer(f.srv, f)
	go func() { _ = f.srv.Serve(ln) }()
	t.Cleanup(f.srv.Stop)
	return f
}

// set replaces the resources of each type given.
func (f *fakeADS) set(res map[string][]proto.Message) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for k, v := range res {
		f.res[k] = v
	}
	f.version++
	close(f.changed)
	f.changed = make(chan struct{})
}

func (f *fakeADS) StreamAggregatedResources(s discoveryv3.AggregatedDiscoveryService_StreamAggregatedResourcesServer) error {
	reqs := make(chan *discoveryv3.DiscoveryRequest)
	go func() {
		defer close(reqs)
		for {
			r, err := s.Recv()
			if err != nil {
				return
			}
			select {
			case reqs <- r:
			case <-s.Context().Done():
				return
			}
		}
	}()
	subscribed := map[string]bool{}
	sent := map[string]int{}
	for {
		f.mu.Lock()
		changed, version := f.changed, f.version
		var out []*discoveryv3.DiscoveryResponse
		for t := range subscribed {
			if sent[t] == version+1 {
				continue
			}
			resp := &discoveryv3.DiscoveryResponse{TypeUrl: t, VersionInfo: string(rune('a' + version%26)), Nonce: t + string(rune('a'+version%26))}
			for _, m := range f.res[t] {
				a, err := anypb.New(m)
				if err != nil {
					f.mu.Unlock()
					return err
				}
				resp.Resources = append(resp.Resources, a)
			}
			out = append(out, resp)
			sent[t] = version + 1
		}
		f.mu.Unlock()
		for _, resp := range out {
			if err := s.Send(resp); err != nil {
				return err
			}
		}
		select {
		case r, ok := <-reqs:
			if !ok {
				return nil
			}
			f.mu.Lock()
			if r.Node != nil {
				f.nodes = append(f.nodes, r.Node)
			}
			if r.ErrorDetail != nil {
				f.nacks = append(f.nacks, r.ErrorDetail.Message)
			}
			f.mu.Unlock()
			subscribed[r.TypeUrl] = true
		case <-changed:
		case <-s.Context().Done():
			return nil
		}
	}
}
