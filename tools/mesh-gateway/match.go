package main

import (
	"math/rand/v2"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	matcherv3 "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	typev3 "github.com/envoyproxy/go-control-plane/envoy/type/v3"
)

// selectVirtualHost picks the virtual host for host (the request's authority) in
// Envoy's order: an exact domain, then the longest suffix wildcard (`*.example.com`),
// then the longest prefix wildcard (`example.*`, also `host:*`), then `*`.
// Domains compare case-insensitively.
func selectVirtualHost(rc *routev3.RouteConfiguration, host string) *routev3.VirtualHost {
	host = strings.ToLower(host)
	type cand struct {
		vh  *routev3.VirtualHost
		len int
	}
	var suffix, prefix []cand
	var star *routev3.VirtualHost
	for _, vh := range rc.GetVirtualHosts() {
		for _, d := range vh.Domains {
			d = strings.ToLower(d)
			switch {
			case d == host:
				return vh
			case d == "*":
				if star == nil {
					star = vh
				}
			case strings.HasPrefix(d, "*") && len(host) > len(d)-1 && strings.HasSuffix(host, d[1:]):
				suffix = append(suffix, cand{vh, len(d)})
			case strings.HasSuffix(d, "*") && len(host) > len(d)-1 && strings.HasPrefix(host, d[:len(d)-1]):
				prefix = append(prefix, cand{vh, len(d)})
			}
		}
	}
	for _, list := range [][]cand{suffix, prefix} {
		if len(list) > 0 {
			sort.SliceStable(list, func(i, j int) bool { return list[i].len > list[j].len })
			return list[0].vh
		}
	}
	return star
}

// matchRoute returns the first route of vh whose match accepts r, and its index.
func matchRoute(vh *routev3.VirtualHost, r *http.Request) (*routev3.Route, int) {
	for i, route := range vh.Routes {
		if routeMatches(route.Match, r) {
			return route, i
		}
	}
	return nil, -1
}

func routeMatches(m *routev3.RouteMatch, r *http.Request) bool {
	if m == nil {
		return false
	}
	fullPath := r.URL.RequestURI() // :path, with the query string
	path := fullPath
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	caseSensitive := m.CaseSensitive == nil || m.CaseSensitive.Value
	fold := func(s string) string {
		if caseSensitive {
			return s
		}
		return strings.ToLower(s)
	}
	switch p := m.PathSpecifier.(type) {
	case *routev3.RouteMatch_Prefix:
		if !strings.HasPrefix(fold(fullPath), fold(p.Prefix)) {
			return false
		}
	case *routev3.RouteMatch_Path:
		if fold(path) != fold(p.Path) {
			return false
		}
	case *routev3.RouteMatch_SafeRegex:
		if !fullMatch(p.SafeRegex.GetRegex(), path) {
			return false
		}
	case *routev3.RouteMatch_PathSeparatedPrefix:
		pre := fold(p.PathSeparatedPrefix)
		fp := fold(path)
		if fp != pre && !strings.HasPrefix(fp, pre+"/") {
			return false
		}
	default:
		return false // CONNECT matchers and path match policies are not served here
	}
	for _, h := range m.Headers {
		if !headerMatches(h, r) {
			return false
		}
	}
	for _, q := range m.QueryParameters {
		if !queryMatches(q, r) {
			return false
		}
	}
	if f := m.RuntimeFraction; f != nil && !rollFraction(f.DefaultValue) {
		return false
	}
	return true
}

// headerValue reads a header the way Envoy sees it: pseudo-headers for the request
// line, and several values joined by commas.
func headerValue(r *http.Request, name string) (string, bool) {
	switch strings.ToLower(name) {
	case ":method":
		return r.Method, true
	case ":authority", "host":
		return r.Host, true
	case ":path":
		return r.URL.RequestURI(), true
	case ":scheme":
		return "http", true
	}
	vals, ok := r.Header[http.CanonicalHeaderKey(name)]
	if !ok {
		return "", false
	}
	return strings.Join(vals, ","), true
}

func headerMatches(h *routev3.HeaderMatcher, r *http.Request) bool {
	v, present := headerValue(r, h.Name)
	if !present && h.TreatMissingHeaderAsEmpty {
		v, present = "", true
	}
	var ok bool
	switch s := h.HeaderMatchSpecifier.(type) {
	case nil:
		ok = present
	case *routev3.HeaderMatcher_PresentMatch:
		ok = present == s.PresentMatch
	case *routev3.HeaderMatcher_ExactMatch:
		ok = present && v == s.ExactMatch
	case *routev3.HeaderMatcher_PrefixMatch:
		ok = present && strings.HasPrefix(v, s.PrefixMatch)
	case *routev3.HeaderMatcher_SuffixMatch:
		ok = present && strings.HasSuffix(v, s.SuffixMatch)
	case *routev3.HeaderMatcher_ContainsMatch:
		ok = present && strings.Contains(v, s.ContainsMatch)
	case *routev3.HeaderMatcher_SafeRegexMatch:
		ok = present && fullMatch(s.SafeRegexMatch.GetRegex(), v)
	case *routev3.HeaderMatcher_StringMatch:
		ok = present && stringMatches(s.StringMatch, v)
	case *routev3.HeaderMatcher_RangeMatch:
		n, err := strconv.ParseInt(v, 10, 64)
		ok = present && err == nil && n >= s.RangeMatch.Start && n < s.RangeMatch.End
	}
	if h.InvertMatch {
		// Envoy: an absent header does not match an inverted matcher either (unless
		// it is a present_match, whose inversion means "absent").
		if _, isPresent := h.HeaderMatchSpecifier.(*routev3.HeaderMatcher_PresentMatch); !present && !isPresent {
			return false
		}
		return !ok
	}
	return ok
}

func queryMatches(q *routev3.QueryParameterMatcher, r *http.Request) bool {
	vals, present := r.URL.Query()[q.Name]
	switch s := q.QueryParameterMatchSpecifier.(type) {
	case *routev3.QueryParameterMatcher_PresentMatch:
		return present == s.PresentMatch
	case *routev3.QueryParameterMatcher_StringMatch:
		return present && stringMatches(s.StringMatch, vals[0])
	}
	return present
}

func stringMatches(m *matcherv3.StringMatcher, v string) bool {
	want := func(s string) string { return s }
	if m.IgnoreCase {
		v = strings.ToLower(v)
		want = strings.ToLower
	}
	switch p := m.MatchPattern.(type) {
	case *matcherv3.StringMatcher_Exact:
		return v == want(p.Exact)
	case *matcherv3.StringMatcher_Prefix:
		return strings.HasPrefix(v, want(p.Prefix))
	case *matcherv3.StringMatcher_Suffix:
		return strings.HasSuffix(v, want(p.Suffix))
	case *matcherv3.StringMatcher_Contains:
		return strings.Contains(v, want(p.Contains))
	case *matcherv3.StringMatcher_SafeRegex:
		return fullMatch(p.SafeRegex.GetRegex(), v)
	}
	return false
}

var regexCache = newRegexCache()

// fullMatch is Envoy's safe_regex: RE2 (Go's regexp is RE2), matching the whole value.
func fullMatch(expr, v string) bool {
	re := regexCache.get(expr)
	return re != nil && re.MatchString(v)
}

type regexes struct {
	mu sync.Mutex
	m  map[string]*regexp.Regexp
}

func newRegexCache() *regexes { return &regexes{m: map[string]*regexp.Regexp{}} }

func (c *regexes) get(expr string) *regexp.Regexp {
	c.mu.Lock()
	defer c.mu.Unlock()
	if re, ok := c.m[expr]; ok {
		return re
	}
	re, err := regexp.Compile("^(?:" + expr + ")$")
	if err != nil {
		re = nil // an invalid expression matches nothing
	}
	c.m[expr] = re
	return re
}

// fractionOf is the FractionalPercent as a probability in [0, 1].
func fractionOf(f *typev3.FractionalPercent) float64 {
	if f == nil {
		return 1 // absent: always (Envoy's default for fault and mirror percentages is 100%)
	}
	den := 100.0
	switch f.Denominator {
	case typev3.FractionalPercent_TEN_THOUSAND:
		den = 10000
	case typev3.FractionalPercent_MILLION:
		den = 1000000
	}
	return min(float64(f.Numerator)/den, 1)
}

func rollFraction(f *typev3.FractionalPercent) bool { return rand.Float64() < fractionOf(f) }
