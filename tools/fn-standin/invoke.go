package main

// /r/<app>/<route> invocation of the v1 stand-in.
//
// The 2018 server ran the route's image itself (Docker). There is no Docker
// here, so the stand-in checks the app and route like the real one, then
// hands the request unchanged to a runner: the fn-lb stand-in
// (tools/fn-lb), which serves the same /r/ path by looking the route up in
// this API and running the function with the real Node FDK.

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"
)

type invoker struct {
	store  *store
	runner *url.URL // nil: no runner configured
	proxy  *httputil.ReverseProxy
}

func newInvoker(s *store, runner *url.URL) *invoker {
	inv := &invoker{store: s, runner: runner}
	if runner != nil {
		inv.proxy = httputil.NewSingleHostReverseProxy(runner)
		inv.proxy.ErrorHandler = func(w http.ResponseWriter, _ *http.Request, err error) {
			writeV1Error(w, errorf(http.StatusBadGateway, "runner unavailable: "+err.Error()))
		}
	}
	return inv
}

func (inv *invoker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route, err := inv.store.getRoute(r.PathValue("app"), routePath(r))
	if err != nil {
		writeV1Error(w, err)
		return
	}
	if inv.proxy == nil {
		writeV1Error(w, errorf(http.StatusServiceUnavailable,
			"no runner configured: start the v1 stand-in with -runner <fn-lb URL> to invoke routes"))
		return
	}
	if route.Type == "async" {
		inv.detach(w, r)
		return
	}
	inv.proxy.ServeHTTP(w, r)
}

// detach answers an async route at once with its call id, as v1 did, and
// runs the call in the background.
func (inv *invoker) detach(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 6<<20))
	if err != nil {
		writeV1Error(w, errInvalidJSON)
		return
	}
	callID := newID()
	target := *inv.runner
	target.Path, target.RawQuery = r.URL.Path, r.URL.RawQuery
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(maxAsyncTimeout)*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, r.Method, target.String(), bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header = r.Header.Clone()
		req.Header.Set("Fn-Call-Id", callID)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Printf("async call %s failed: %v", callID, err)
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		log.Printf("async call %s finished: %s", callID, resp.Status)
	}()
	writeJSON(w, http.StatusAccepted, map[string]string{"call_id": callID})
}
