package main

import (
	"net/http/httptest"
	"testing"

	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	matcherv3 "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	typev3 "github.com/envoyproxy/go-control-plane/envoy/type/v3"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

func TestSelectVirtualHostFollowsEnvoysOrder(t *testing.T) {
	rc := &routev3.RouteConfiguration{VirtualHosts: []*routev3.VirtualHost{
		{Name: "star", Domains: []string{"*"}},
		{Name: "prefix", Domains: []string{"hello.*"}},
		{Name: "short-suffix", Domains: []string{"*.test"}},
		{Name: "long-suffix", Domains: []string{"*.example.test"}},
		{Name: "exact", Domains: []string{"hello.example.test", "hello.example.test:*"}},
	}}
	cases := map[string]string{
		"hello.example.test":      "exact",
		"HELLO.Example.test":      "exact",
		"hello.example.test:8080": "exact", // the host:* prefix wildcard that istiod writes
		"other.example.test":      "long-suffix",
		"other.test":              "short-suffix",
		"hello.other":             "prefix",
		"nothing":                 "star",
	}
	for host, want := range cases {
		if got := selectVirtualHost(rc, host); got == nil || got.Name != want {
			t.Errorf("host %q: got %v, want %s", host, got.GetName(), want)
		}
	}
	if got := selectVirtualHost(&routev3.RouteConfiguration{VirtualHosts: rc.VirtualHosts[1:2]}, "nope"); got != nil {
		t.Errorf("no domain matches: got %s, want none", got.Name)
	}
}

func exact(s string) *matcherv3.StringMatcher {
	return &matcherv3.StringMatcher{MatchPattern: &matcherv3.StringMatcher_Exact{Exact: s}}
}

func TestMatchRouteTakesTheFirstMatchInOrder(t *testing.T) {
	vh := &routev3.VirtualHost{Routes: []*routev3.Route{
		{Name: "pinned", Match: &routev3.RouteMatch{PathSpecifier: &routev3.RouteMatch_Prefix{Prefix: "/"},
			Headers: []*routev3.HeaderMatcher{{Name: "x-version", HeaderMatchSpecifier: &routev3.HeaderMatcher_StringMatch{StringMatch: exact("v2")}}}}},
		{Name: "not-canary", Match: &routev3.RouteMatch{PathSpecifier: &routev3.RouteMatch_Path{Path: "/exact"},
			Headers: []*routev3.HeaderMatcher{{Name: "x-canary", HeaderMatchSpecifier: &routev3.HeaderMatcher_PresentMatch{PresentMatch: true}, InvertMatch: true}}}},
		{Name: "query", Match: &routev3.RouteMatch{PathSpecifier: &routev3.RouteMatch_Prefix{Prefix: "/q"},
			QueryParameters: []*routev3.QueryParameterMatcher{{Name: "debug", QueryParameterMatchSpecifier: &routev3.QueryParameterMatcher_StringMatch{StringMatch: exact("1")}}}}},
		{Name: "regex", Match: &routev3.RouteMatch{PathSpecifier: &routev3.RouteMatch_SafeRegex{SafeRegex: &matcherv3.RegexMatcher{Regex: "/items/[0-9]+"}}}},
		{Name: "caseless", Match: &routev3.RouteMatch{PathSpecifier: &routev3.RouteMatch_Prefix{Prefix: "/API"}, CaseSensitive: wrapperspb.Bool(false)}},
		{Name: "method", Match: &routev3.RouteMatch{PathSpecifier: &routev3.RouteMatch_Prefix{Prefix: "/m"},
			Headers: []*routev3.HeaderMatcher{{Name: ":method", HeaderMatchSpecifier: &routev3.HeaderMatcher_StringMatch{StringMatch: exact("POST")}}}}},
	}}
	cases := []struct {
		method, target, header, want string
	}{
		{"GET", "/anything", "X-Version", "pinned"},
		{"GET", "/exact", "", "not-canary"},
		{"GET", "/exact?x=1", "", "not-canary"}, // path matches without the query
		{"GET", "/exact", "X-Canary", ""},
		{"GET", "/q?debug=1", "", "query"},
		{"GET", "/q?debug=2", "", ""},
		{"GET", "/items/42", "", "regex"},
		{"GET", "/items/42/more", "", ""}, // safe_regex matches the whole path
		{"GET", "/api/x", "", "caseless"},
		{"POST", "/m", "", "method"},
		{"GET", "/m", "", ""},
	}
	for _, c := range cases {
		r := httptest.NewRequest(c.method, c.target, nil)
		if c.header != "" {
			r.Header.Set(c.header, "v2")
		}
		route, _ := matchRoute(vh, r)
		if got := route.GetName(); got != c.want {
			t.Errorf("%s %s [%s]: route %q, want %q", c.method, c.target, c.header, got, c.want)
		}
	}
}

func TestPickClusterSplitsByWeight(t *testing.T) {
	ra := &routev3.RouteAction{ClusterSpecifier: &routev3.RouteAction_WeightedClusters{WeightedClusters: &routev3.WeightedCluster{
		Clusters: []*routev3.WeightedCluster_ClusterWeight{
			{Name: "v1", Weight: wrapperspb.UInt32(90)}, {Name: "v2", Weight: wrapperspb.UInt32(10)}, {Name: "v3", Weight: wrapperspb.UInt32(0)},
		}}}}
	const n = 20000
	counts := map[string]int{}
	for range n {
		counts[pickCluster(ra)]++
	}
	// Binomial(n, 0.1): sd = 42.4; 5 sd either side.
	if v2 := counts["v2"]; v2 < 2000-212 || v2 > 2000+212 {
		t.Errorf("v2 got %d of %d, want about 2000", v2, n)
	}
	if counts["v3"] != 0 || counts["v1"]+counts["v2"] != n {
		t.Errorf("counts %v: weight 0 must never be picked", counts)
	}
}

func TestFractionOfReadsEveryDenominator(t *testing.T) {
	cases := []struct {
		f    *typev3.FractionalPercent
		want float64
	}{
		{nil, 1},
		{&typev3.FractionalPercent{Numerator: 50}, 0.5},
		{&typev3.FractionalPercent{Numerator: 2500, Denominator: typev3.FractionalPercent_TEN_THOUSAND}, 0.25},
		{&typev3.FractionalPercent{Numerator: 500000, Denominator: typev3.FractionalPercent_MILLION}, 0.5},
		{&typev3.FractionalPercent{Numerator: 300}, 1},
	}
	for _, c := range cases {
		if got := fractionOf(c.f); got != c.want {
			t.Errorf("fractionOf(%v) = %v, want %v", c.f, got, c.want)
		}
	}
}

func TestTwinMapperMapsOnlyThePodCIDR(t *testing.T) {
	m, err := twinMapper("10.244.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"10.244.3.7": "127.244.3.7", "10.245.0.1": "10.245.0.1", "127.0.0.1": "127.0.0.1", "name": "name"} {
		if got := m(in); got != want {
			t.Errorf("twin(%s) = %s, want %s", in, got, want)
		}
	}
	if _, err := twinMapper("10.244.0.0"); err == nil {
		t.Error("a CIDR without a prefix length must be refused")
	}
}

func TestRewritePath(t *testing.T) {
	route := &routev3.Route{Match: &routev3.RouteMatch{PathSpecifier: &routev3.RouteMatch_Prefix{Prefix: "/old"}}}
	ra := &routev3.RouteAction{PrefixRewrite: "/new"}
	if got := rewritePath(ra, route, "/old/x?q=1"); got != "/new/x?q=1" {
		t.Errorf("prefix rewrite: %s", got)
	}
	ra = &routev3.RouteAction{RegexRewrite: &matcherv3.RegexMatchAndSubstitute{
		Pattern: &matcherv3.RegexMatcher{Regex: "^/v([0-9]+)/(.*)$"}, Substitution: "/\\2/version/\\1"}}
	if got := rewritePath(ra, route, "/v2/items"); got != "/items/version/2" {
		t.Errorf("regex rewrite: %s", got)
	}
}
