package main

import (
	"fmt"
	"net/netip"
	"sync"
)

// podNetwork hands out pod IPs from a pod CIDR, as a CNI plugin would. No interface
// carries them on this machine: a pod's processes listen on the address's loopback
// twin (127.b.c.d for a.b.c.d), which Linux routes to lo like all of 127/8. The pod
// status reports the CIDR address, so EndpointSlices accept it (they refuse loopback
// addresses) and istiod's endpoints are real; whoever dials a pod IP here (the gateway
// stand-in, port-forward) dials its twin.
type podNetwork struct {
	mu     sync.Mutex
	prefix netip.Prefix
	byKey  map[string]netip.Addr
	used   map[netip.Addr]string
}

func newPodNetwork(cidr string) (*podNetwork, error) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() || p.Bits() > 24 || p.Bits() < 8 {
		return nil, fmt.Errorf("pod CIDR %q must be an IPv4 prefix of /8 to /24", cidr)
	}
	return &podNetwork{prefix: p.Masked(), byKey: map[string]netip.Addr{}, used: map[netip.Addr]string{}}, nil
}

func (n *podNetwork) cidr() string { return n.prefix.String() }

// assign returns key's address: the one it has, else want when free and inside the
// CIDR (a pod keeps its IP across restarts of the stand-in), else the next free one
// from .2 up (.0 is the network and .1 the gateway by convention).
func (n *podNetwork) assign(key, want string) (string, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if a, ok := n.byKey[key]; ok {
		return a.String(), nil
	}
	if w, err := netip.ParseAddr(want); err == nil && n.prefix.Contains(w) {
		if _, taken := n.used[w]; !taken {
			n.take(key, w)
			return w.String(), nil
		}
	}
	a := n.prefix.Addr().Next().Next()
	for ; n.prefix.Contains(a); a = a.Next() {
		if _, taken := n.used[a]; !taken && a.As4()[3] != 0 && a.As4()[3] != 255 {
			n.take(key, a)
			return a.String(), nil
		}
	}
	return "", fmt.Errorf("pod CIDR %s has no free address", n.prefix)
}

func (n *podNetwork) take(key string, a netip.Addr) {
	n.byKey[key] = a
	n.used[a] = key
}

// release frees key's address.
func (n *podNetwork) release(key string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if a, ok := n.byKey[key]; ok {
		delete(n.used, a)
		delete(n.byKey, key)
	}
}

// twin is the loopback address where a pod IP's processes listen; other addresses
// map to themselves.
func (n *podNetwork) twin(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || !n.prefix.Contains(a) {
		return ip
	}
	b := a.As4()
	b[0] = 127
	return netip.AddrFrom4(b).String()
}
