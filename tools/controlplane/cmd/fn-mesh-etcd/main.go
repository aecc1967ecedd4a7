// Command fn-mesh-etcd runs a single-member etcd server on 127.0.0.1 for the local
// test control plane. It embeds the real etcd server (go.etcd.io/etcd/server/v3/embed)
// at the version kube-apiserver itself is built against, so the API server sees the
// etcd API and health endpoints it expects. Test infrastructure only.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

func main() {
	dataDir := flag.String("data-dir", "", "directory for the etcd data (required)")
	clientPort := flag.Int("client-port", 2379, "port for clients on 127.0.0.1")
	peerPort := flag.Int("peer-port", 2380, "port for peers on 127.0.0.1 (etcd needs one even alone)")
	noFsync := flag.Bool("unsafe-no-fsync", false, "skip fsync: faster, loses data on a crash (fine for throwaway test clusters)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()
	if *dataDir == "" {
		log.Fatal("fn-mesh-etcd: -data-dir is required")
	}

	cfg, err := newConfig(*dataDir, *clientPort, *peerPort)
	if err != nil {
		log.Fatalf("fn-mesh-etcd: %v", err)
	}
	cfg.UnsafeNoFsync = *noFsync
	cfg.LogLevel = *logLevel

	server, err := embed.StartEtcd(cfg)
	if err != nil {
		log.Fatalf("fn-mesh-etcd: start: %v", err)
	}
	defer server.Close()

	select {
	case <-server.Server.ReadyNotify():
		fmt.Printf("fn-mesh-etcd: ready, serving clients on %s\n", cfg.ListenClientUrls[0].String())
	case <-time.After(60 * time.Second):
		server.Server.Stop()
		log.Fatal("fn-mesh-etcd: not ready within 60s")
	}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	select {
	case sig := <-stop:
		fmt.Printf("fn-mesh-etcd: %s received, shutting down\n", sig)
	case err := <-server.Err():
		log.Fatalf("fn-mesh-etcd: %v", err)
	}
}

// newConfig describes a one-member cluster that listens only on loopback.
func newConfig(dataDir string, clientPort, peerPort int) (*embed.Config, error) {
	clientURL, err := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", clientPort))
	if err != nil {
		return nil, err
	}
	peerURL, err := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", peerPort))
	if err != nil {
		return nil, err
	}
	cfg := embed.NewConfig()
	cfg.Name = "fn-mesh"
	cfg.Dir = dataDir
	cfg.ListenClientUrls = []url.URL{*clientURL}
	cfg.AdvertiseClientUrls = []url.URL{*clientURL}
	cfg.ListenPeerUrls = []url.URL{*peerURL}
	cfg.AdvertisePeerUrls = []url.URL{*peerURL}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	return cfg, nil
}
