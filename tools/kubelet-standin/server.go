package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/cri-streaming/pkg/streaming/portforward"
	"k8s.io/klog/v2"
)

// kubeletServer is the kubelet's HTTPS API, reduced to what the stand-in can
// honestly serve: /healthz and port forwarding.
type kubeletServer struct {
	http *http.Server
	port int32
}

func startServer(o options, lookup podLookup, twin func(key string) string) (*kubeletServer, error) {
	tlsConfig, err := serverTLS(o)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return nil, fmt.Errorf("kubelet API: %w", err)
	}
	fwd := &forwarder{lookup: lookup, dialTimeout: 5 * time.Second, twin: twin}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	for _, p := range []string{"/portForward/{namespace}/{pod}", "/portForward/{namespace}/{pod}/{uid}"} {
		mux.HandleFunc("GET "+p, fwd.servePortForward(o))
		mux.HandleFunc("POST "+p, fwd.servePortForward(o))
	}
	s := &kubeletServer{
		http: &http.Server{
			Handler:           logRequests(mux),
			TLSConfig:         tlsConfig,
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          klog.NewStandardLogger("WARNING"), // e.g. TLS handshake failures
			// HTTP/1.1 only: port-forward is a connection upgrade, which HTTP/2 cannot carry.
			TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
		},
		port: int32(ln.Addr().(*net.TCPAddr).Port),
	}
	go func() {
		if err := s.http.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			klog.ErrorS(err, "kubelet API server stopped")
		}
	}()
	klog.InfoS("kubelet API listening", "address", ln.Addr().String(), "clientCertificates", clientAuthMode(o))
	return s, nil
}

// shutdown stops accepting requests; open port-forward streams are hijacked
// connections that Shutdown does not wait for, so they end with the process.
func (s *kubeletServer) shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.http.Shutdown(ctx)
}

func (f *forwarder) servePortForward(o options) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		ns, name, uid := req.PathValue("namespace"), req.PathValue("pod"), types.UID(req.PathValue("uid"))
		pod, err := f.lookup(ns, name, uid)
		if apierrors.IsNotFound(err) {
			http.Error(w, fmt.Sprintf("pod %s/%s does not exist on this node", ns, name), http.StatusNotFound)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		// Websocket clients name their ports in the query; SPDY clients per stream.
		opts, err := portforward.NewV4Options(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		klog.InfoS("port-forward session", "pod", klog.KObj(pod), "upgrade", req.Header.Get("Upgrade"), "ports", opts.Ports)
		// The pod's key (not only its name) travels to PortForward as its "name".
		portforward.ServePortForward(w, req, f, ns+"/"+name, string(pod.UID), opts,
			o.idleTimeout, o.streamTimeout, portforward.SupportedProtocols)
	}
}

func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/healthz" {
			klog.V(2).InfoS("kubelet API request", "method", req.Method, "path", req.URL.Path, "remote", req.RemoteAddr)
		}
		next.ServeHTTP(w, req)
	})
}

func clientAuthMode(o options) string {
	if o.clientCAFile == "" {
		return "not required (test stand-in on loopback)"
	}
	return "required, CA " + o.clientCAFile
}

func serverTLS(o options) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}}
	if o.tlsCertFile != "" {
		cert, err := tls.LoadX509KeyPair(o.tlsCertFile, o.tlsKeyFile)
		if err != nil {
			return nil, fmt.Errorf("loading the serving certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	} else {
		cert, err := selfSignedCert(o.nodeName)
		if err != nil {
			return nil, fmt.Errorf("generating a self-signed serving certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	if o.clientCAFile != "" {
		pem, err := os.ReadFile(o.clientCAFile)
		if err != nil {
			return nil, fmt.Errorf("reading --client-ca-file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--client-ca-file %s holds no PEM certificate", o.clientCAFile)
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

// selfSignedCert makes an EC P-256 certificate for 127.0.0.1, localhost and the
// node name, valid for a year (a kubelet without certificates does the same).
func selfSignedCert(nodeName string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: nodeName + "@" + fmt.Sprint(now.Unix())},
		NotBefore:    now.Add(-time.Minute),
		NotAfter:     now.Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost", nodeName},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
