// Command fn-standin serves Fn APIs that no real server can provide here.
// It is a test and playground fixture, never shipped in the VSIX.
//
// Only one API needs it: the 2018 v1 API (/v1/apps/<app>/routes, /r/...),
// which Fn has dropped. The current v2 API is served by Fn's real server
// (tools/fnserver), so "-api v2" is refused on purpose.
//
//	fn-standin -api v1 -addr 127.0.0.1:8081 -runner http://127.0.0.1:8090
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	apiVersion := flag.String("api", "v1", "API to serve: only v1 (the 2018 API); v2 comes from Fn's real server")
	addr := flag.String("addr", "127.0.0.1:8081", "listen address (keep it on loopback)")
	runner := flag.String("runner", "", "base URL of the runner that executes /r/ calls (the fn-lb stand-in); empty: /r/ answers 503")
	flag.Parse()

	if err := run(*apiVersion, *addr, *runner); err != nil {
		fmt.Fprintln(os.Stderr, "fn-standin:", err)
		os.Exit(1)
	}
}

func run(apiVersion, addr, runner string) error {
	if apiVersion != "v1" {
		return fmt.Errorf("-api %q is not served: use Fn's real server for v2 (scripts/fnserver.sh start)", apiVersion)
	}
	var runnerURL *url.URL
	if runner != "" {
		u, err := url.Parse(runner)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("-runner %q is not an absolute URL", runner)
		}
		runnerURL = u
	}

	st := newStore()
	api := &v1API{store: st, invoke: newInvoker(st, runnerURL)}
	srv := &http.Server{Handler: logRequests(api.routes()), ReadHeaderTimeout: 10 * time.Second}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	log.Printf("Fn v1 API stand-in (2018 API, version %s) serving on %s", standinVersion, ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Print("stopped")
	return nil
}

// logRequests writes one line per request: enough to debug tests.
func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		next.ServeHTTP(sw, r)
		log.Printf("%s %s -> %d (%s)", r.Method, r.URL.RequestURI(), sw.status, time.Since(start).Round(time.Microsecond))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Flush keeps streamed /r/ responses streaming through the logger.
func (s *statusWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
