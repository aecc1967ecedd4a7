package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	faultv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/fault/v3"
)

// Response headers naming what served a request (this stand-in's own; Envoy has none).
const (
	headerRoute   = "X-Fn-Mesh-Gateway-Route"
	headerCluster = "X-Fn-Mesh-Gateway-Cluster"
)

// The largest request body kept in memory for retries and mirrors.
const maxBufferedBody = 16 << 20

// gateway serves the HTTP listeners of the current snapshot.
type gateway struct {
	store *store
	log   *log.Logger
	// dial maps an endpoint address from the control plane to the address to connect to.
	dialAddr  func(string) string
	transport *http.Transport
}

func newGateway(st *store, logger *log.Logger, dialAddr func(string) string) *gateway {
	g := &gateway{store: st, log: logger, dialAddr: dialAddr}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	g.transport = &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, g.dialAddr(addr))
		},
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     60 * time.Second,
	}
	return g
}

// handler serves the listener on port.
func (g *gateway) handler(port uint32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { g.serve(port, w, r) })
}

// outcome is what the log line and the response headers report.
type outcome struct {
	route, cluster, upstream, detail string
	status                           int
}

func (g *gateway) serve(port uint32, w http.ResponseWriter, r *http.Request) {
	began := time.Now()
	out := g.route(port, w, r)
	g.log.Printf("%s %s %s%s -> %d route=%q cluster=%q upstream=%q %s(%s)", r.Method, r.Host, r.URL.RequestURI(),
		fmt.Sprintf(" port=%d", port), out.status, out.route, out.cluster, out.upstream, detailPrefix(out.detail), time.Since(began).Round(time.Millisecond))
}

func detailPrefix(d string) string {
	if d == "" {
		return ""
	}
	return d + " "
}

// localReply answers as Envoy does when it produces the response itself.
func localReply(w http.ResponseWriter, out *outcome, status int, body, detail string) *outcome {
	if out.route != "" {
		w.Header().Set(headerRoute, out.route)
	}
	if out.cluster != "" {
		w.Header().Set(headerCluster, out.cluster)
	}
	if body != "" {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
	out.status, out.detail = status, detail
	return out
}

func (g *gateway) route(port uint32, w http.ResponseWriter, r *http.Request) *outcome {
	out := &outcome{}
	sn := g.store.snapshot()
	l := sn.listeners[port]
	if l == nil {
		return localReply(w, out, http.StatusNotFound, "", "no_listener")
	}
	if l.serverName != "" {
		w.Header().Set("Server", l.serverName)
	}
	rc := l.inline
	if rc == nil {
		rc = sn.routes[l.routeName]
	}
	if rc == nil {
		return localReply(w, out, http.StatusNotFound, "", "route_configuration_not_received")
	}
	vh := selectVirtualHost(rc, r.Host)
	if vh == nil {
		return localReply(w, out, http.StatusNotFound, "", "route_not_found(no virtual host)")
	}
	route, index := matchRoute(vh, r)
	if route == nil {
		return localReply(w, out, http.StatusNotFound, "", "route_not_found")
	}
	out.route = route.Name
	if out.route == "" {
		out.route = fmt.Sprintf("%s/%s/%d", rc.Name, vh.Name, index)
	}

	switch action := route.Action.(type) {
	case *routev3.Route_DirectResponse:
		return localReply(w, out, int(action.DirectResponse.Status), action.DirectResponse.GetBody().GetInlineString(), "direct_response")
	case *routev3.Route_Redirect:
		w.Header().Set("Location", redirectURL(action.Redirect, r))
		code := redirectCode(action.Redirect.ResponseCode)
		return localReply(w, out, code, "", "redirect")
	case *routev3.Route_Route:
		return g.forward(sn, route, action.Route, w, r, out)
	}
	return localReply(w, out, http.StatusNotFound, "", "unsupported_route_action")
}

func (g *gateway) forward(sn *snapshot, route *routev3.Route, ra *routev3.RouteAction, w http.ResponseWriter, r *http.Request, out *outcome) *outcome {
	out.cluster = pickCluster(ra)
	if out.cluster == "" {
		return localReply(w, out, http.StatusServiceUnavailable, "", "no_cluster")
	}
	// The fault filter runs before the router: its abort answers without an upstream.
	if fault := routeFault(route); fault != nil {
		if d := fault.GetDelay(); d != nil && rollFraction(d.Percentage) {
			select {
			case <-time.After(d.GetFixedDelay().AsDuration()):
			case <-r.Context().Done():
				return localReply(w, out, 499, "", "downstream_disconnected_during_delay")
			}
		}
		if a := fault.GetAbort(); a != nil && a.GetHttpStatus() != 0 && rollFraction(a.Percentage) {
			return localReply(w, out, int(a.GetHttpStatus()), "fault filter abort", "fault_filter_abort")
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBufferedBody+1))
	if err != nil || len(body) > maxBufferedBody {
		return localReply(w, out, http.StatusRequestEntityTooLarge, "payload too large", "request_body_too_large")
	}
	for _, m := range ra.RequestMirrorPolicies {
		if m.Cluster != "" && rollFraction(m.GetRuntimeFraction().GetDefaultValue()) {
			go g.mirror(sn, m.Cluster, ra, route, r, body)
		}
	}

	eps, ok := sn.clusterEndpoints(out.cluster)
	if !ok {
		return localReply(w, out, http.StatusServiceUnavailable, "", "cluster_not_found")
	}
	timeout := 15 * time.Second // Envoy's default route timeout
	if ra.Timeout != nil {
		timeout = ra.Timeout.AsDuration() // 0 disables it
	}
	ctx := r.Context()
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	policy := newRetryPolicy(ra.RetryPolicy, route, sn)
	var tried []string
	for attempt := 0; ; attempt++ {
		ep, found := pickEndpoint(eps, tried)
		if !found {
			if len(tried) == 0 {
				return localReply(w, out, http.StatusServiceUnavailable, "no healthy upstream", "no_healthy_upstream")
			}
			ep = tried[len(tried)-1] // all were tried: Envoy retries on the same hosts
		}
		tried = append(tried, ep)
		out.upstream = ep
		resp, cancelTry, err := g.try(ctx, policy.perTry, ep, ra, route, r, body)
		retryable := policy.retriable(resp, err)
		if retryable && attempt < policy.retries && ctx.Err() == nil {
			if resp != nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			cancelTry()
			time.Sleep(policy.backoff(attempt))
			continue
		}
		if err != nil {
			cancelTry()
			if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
				return localReply(w, out, http.StatusGatewayTimeout, "upstream request timeout", "upstream_response_timeout")
			}
			return localReply(w, out, http.StatusServiceUnavailable,
				"upstream connect error or disconnect/reset before headers. reset reason: connection failure", "upstream_reset_before_response_started{"+err.Error()+"}")
		}
		defer cancelTry()
		defer resp.Body.Close()
		copyResponse(w, resp, out, route)
		return out
	}
}

// try sends one attempt to ep; the returned cancel ends the attempt's own deadline.
func (g *gateway) try(ctx context.Context, perTry time.Duration, ep string, ra *routev3.RouteAction, route *routev3.Route, r *http.Request, body []byte) (*http.Response, context.CancelFunc, error) {
	cancel := context.CancelFunc(func() {})
	if perTry > 0 {
		ctx, cancel = context.WithTimeout(ctx, perTry)
	}
	req, err := upstreamRequest(ctx, ep, ra, route, r, body, "")
	if err != nil {
		return nil, cancel, err
	}
	resp, err := g.transport.RoundTrip(req)
	return resp, cancel, err
}

// mirror sends a copy of the request to cluster, with "-shadow" after the host as Envoy
// does; its response is dropped.
func (g *gateway) mirror(sn *snapshot, cluster string, ra *routev3.RouteAction, route *routev3.Route, r *http.Request, body []byte) {
	eps, _ := sn.clusterEndpoints(cluster)
	ep, ok := pickEndpoint(eps, nil)
	if !ok {
		g.log.Printf("mirror to %q: no healthy upstream", cluster)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := upstreamRequest(ctx, ep, ra, route, r, body, "-shadow")
	if err == nil {
		var resp *http.Response
		if resp, err = g.transport.RoundTrip(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			g.log.Printf("mirror to %q upstream=%q -> %d", cluster, ep, resp.StatusCode)
			return
		}
	}
	g.log.Printf("mirror to %q upstream=%q failed: %v", cluster, ep, err)
}

func upstreamRequest(ctx context.Context, ep string, ra *routev3.RouteAction, route *routev3.Route, r *http.Request, body []byte, hostSuffix string) (*http.Request, error) {
	path := rewritePath(ra, route, r.URL.RequestURI())
	req, err := http.NewRequestWithContext(ctx, r.Method, "http://"+ep+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header = r.Header.Clone()
	req.Header.Del("Connection")
	req.Host = r.Host
	if h := ra.GetHostRewriteLiteral(); h != "" {
		req.Host = h
	}
	req.Host += hostSuffix
	req.Header.Set("X-Forwarded-Proto", "http")
	if ip, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		if prior := r.Header.Get("X-Forwarded-For"); prior != "" {
			ip = prior + ", " + ip
		}
		req.Header.Set("X-Forwarded-For", ip)
	}
	if req.Header.Get("X-Request-Id") == "" {
		req.Header.Set("X-Request-Id", fmt.Sprintf("%016x%016x", rand.Uint64(), rand.Uint64()))
	}
	for _, name := range route.RequestHeadersToRemove {
		req.Header.Del(name)
	}
	for _, h := range route.RequestHeadersToAdd {
		if h.GetHeader() == nil {
			continue
		}
		if h.AppendAction == 0 && h.GetAppend().GetValue() {
			req.Header.Add(h.Header.Key, h.Header.Value)
		} else {
			req.Header.Set(h.Header.Key, h.Header.Value)
		}
	}
	req.ContentLength = int64(len(body))
	return req, nil
}

// rewritePath applies prefix_rewrite or regex_rewrite to the path (the query string stays).
func rewritePath(ra *routev3.RouteAction, route *routev3.Route, uri string) string {
	path, query, hasQuery := strings.Cut(uri, "?")
	if pre := ra.PrefixRewrite; pre != "" {
		if p, ok := route.GetMatch().PathSpecifier.(*routev3.RouteMatch_Prefix); ok && strings.HasPrefix(path, p.Prefix) {
			path = pre + path[len(p.Prefix):]
		} else if p, ok := route.GetMatch().PathSpecifier.(*routev3.RouteMatch_Path); ok && path == p.Path {
			path = pre
		}
	}
	if rr := ra.RegexRewrite; rr != nil {
		if re := regexCache.get(rr.GetPattern().GetRegex()); re != nil {
			path = re.ReplaceAllString(path, envoySubstitution(rr.Substitution))
		}
	}
	if hasQuery {
		return path + "?" + query
	}
	return path
}

// envoySubstitution turns Envoy's \1 group references into Go's ${1}.
func envoySubstitution(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
			b.WriteString("${" + string(s[i+1]) + "}")
			i++
			continue
		}
		if s[i] == '$' {
			b.WriteString("$$")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func copyResponse(w http.ResponseWriter, resp *http.Response, out *outcome, route *routev3.Route) {
	h := w.Header()
	for k, vs := range resp.Header {
		if k == "Connection" || k == "Keep-Alive" || k == "Transfer-Encoding" {
			continue
		}
		h[k] = slices.Clone(vs)
	}
	for _, name := range route.ResponseHeadersToRemove {
		h.Del(name)
	}
	for _, hv := range route.ResponseHeadersToAdd {
		if hv.GetHeader() != nil {
			h.Set(hv.Header.Key, hv.Header.Value)
		}
	}
	h.Set(headerRoute, out.route)
	h.Set(headerCluster, out.cluster)
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
	out.status = resp.StatusCode
}

// pickCluster resolves the route's cluster: a single one, or one of the weighted
// clusters chosen with probability weight/total.
func pickCluster(ra *routev3.RouteAction) string {
	switch spec := ra.ClusterSpecifier.(type) {
	case *routev3.RouteAction_Cluster:
		return spec.Cluster
	case *routev3.RouteAction_WeightedClusters:
		var total uint64
		for _, c := range spec.WeightedClusters.Clusters {
			total += uint64(c.GetWeight().GetValue())
		}
		if total == 0 {
			return ""
		}
		n := rand.Uint64N(total)
		for _, c := range spec.WeightedClusters.Clusters {
			w := uint64(c.GetWeight().GetValue())
			if n < w {
				return c.Name
			}
			n -= w
		}
	}
	return ""
}

// pickEndpoint chooses a healthy endpoint at random by weight, avoiding those already
// tried when others remain (Istio's previous_hosts retry predicate).
func pickEndpoint(eps []endpoint, tried []string) (string, bool) {
	var cands []endpoint
	var total uint64
	for _, e := range eps {
		if e.healthy && !slices.Contains(tried, e.address) {
			cands = append(cands, e)
			total += uint64(e.weight)
		}
	}
	if len(cands) == 0 {
		return "", false
	}
	n := rand.Uint64N(total)
	for _, e := range cands {
		if n < uint64(e.weight) {
			return e.address, true
		}
		n -= uint64(e.weight)
	}
	return cands[len(cands)-1].address, true
}

// routeFault is the fault filter's per-route configuration, if any.
func routeFault(route *routev3.Route) *faultv3.HTTPFault {
	a, ok := route.TypedPerFilterConfig["envoy.filters.http.fault"]
	if !ok {
		return nil
	}
	var f faultv3.HTTPFault
	if err := a.UnmarshalTo(&f); err != nil {
		var wrapped routev3.FilterConfig
		if a.UnmarshalTo(&wrapped) != nil || wrapped.Config.UnmarshalTo(&f) != nil {
			return nil
		}
	}
	return &f
}

func redirectURL(rd *routev3.RedirectAction, r *http.Request) string {
	scheme := "http"
	if rd.GetHttpsRedirect() {
		scheme = "https"
	} else if s := rd.GetSchemeRedirect(); s != "" {
		scheme = s
	}
	host := r.Host
	if rd.HostRedirect != "" {
		host = rd.HostRedirect
	}
	if rd.PortRedirect != 0 {
		h, _, err := net.SplitHostPort(host)
		if err != nil {
			h = host
		}
		host = net.JoinHostPort(h, strconv.Itoa(int(rd.PortRedirect)))
	}
	path := r.URL.RequestURI()
	if p := rd.GetPathRedirect(); p != "" {
		path = p
	}
	return scheme + "://" + host + path
}

func redirectCode(c routev3.RedirectAction_RedirectResponseCode) int {
	switch c {
	case routev3.RedirectAction_FOUND:
		return http.StatusFound
	case routev3.RedirectAction_SEE_OTHER:
		return http.StatusSeeOther
	case routev3.RedirectAction_TEMPORARY_REDIRECT:
		return http.StatusTemporaryRedirect
	case routev3.RedirectAction_PERMANENT_REDIRECT:
		return http.StatusPermanentRedirect
	}
	return http.StatusMovedPermanently
}
