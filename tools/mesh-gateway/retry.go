package main

import (
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"

	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
)

// retryPolicy is Envoy's route retry policy, reduced to what an HTTP/1 gateway sees.
type retryPolicy struct {
	retries int
	perTry  time.Duration
	on      map[string]bool
	codes   []uint32
	base    time.Duration
}

// newRetryPolicy reads p; with none there are no retries.
func newRetryPolicy(p *routev3.RetryPolicy, _ *routev3.Route, _ *snapshot) retryPolicy {
	if p == nil {
		return retryPolicy{}
	}
	rp := retryPolicy{retries: 1, on: map[string]bool{}, codes: p.RetriableStatusCodes, base: 25 * time.Millisecond}
	if p.NumRetries != nil {
		rp.retries = int(p.NumRetries.Value)
	}
	if p.PerTryTimeout != nil {
		rp.perTry = p.PerTryTimeout.AsDuration()
	}
	if b := p.GetRetryBackOff().GetBaseInterval(); b != nil {
		rp.base = b.AsDuration()
	}
	for _, cond := range strings.Split(p.RetryOn, ",") {
		rp.on[strings.TrimSpace(cond)] = true
	}
	return rp
}

// retriable tells whether an attempt that ended with resp or err may be retried.
func (p retryPolicy) retriable(resp *http.Response, err error) bool {
	if p.retries == 0 {
		return false
	}
	if err != nil {
		// connect failures, resets, per-try timeouts
		return p.on["5xx"] || p.on["gateway-error"] || p.on["connect-failure"] || p.on["reset"] ||
			p.on["refused-stream"] || p.on["reset-before-request"]
	}
	code := resp.StatusCode
	switch {
	case p.on["5xx"] && code >= 500:
		return true
	case p.on["gateway-error"] && (code == 502 || code == 503 || code == 504):
		return true
	case p.on["retriable-4xx"] && code == 409:
		return true
	case p.on["retriable-status-codes"] && slices.Contains(p.codes, uint32(code)):
		return true
	}
	return false
}

// backoff is Envoy's: a random wait up to base·2^attempt, capped at 10·base.
func (p retryPolicy) backoff(attempt int) time.Duration {
	limit := min(p.base<<attempt, 10*p.base)
	if limit <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(limit)))
}
