// Command kubelet-standin is a TEST/PLAYGROUND STAND-IN for a kubelet, for the
// local control plane of scripts/controlplane.sh (kube-apiserver, etcd and
// kube-controller-manager, no scheduler, no kubelet). It runs what it can of a pod
// as local processes, each pod on its own loopback address:
//
//   - it registers one Node (InternalIP 127.0.0.1) and keeps it Ready with a node
//     Lease heartbeat and status conditions;
//   - it plays the scheduler: pods without a node are bound to it;
//   - it gives each pod an IP from a pod CIDR (10.244.0.0/16) and runs nginx
//     containers (Debian's nginx, the pod's ConfigMap configuration) and Istio
//     ingress gateway containers (the Envoy stand-in tools/mesh-gateway) on the
//     IP's loopback twin 127.b.c.d; other containers are reported as not run;
//   - it reports pod status from those processes and their readiness probes, and
//     finishes deletions once the processes have stopped;
//   - it serves the kubelet's HTTPS port-forward API, connecting a pod port to a
//     local address named by the pod annotation fn-mesh.io/standin-forward.
//
// Never shipped in the VSIX. See NOTES.md for what it does not do.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
)

type options struct {
	kubeconfig      string
	nodeName        string
	listen          string // address:port of the kubelet HTTPS API
	clientCAFile    string
	tlsCertFile     string
	tlsKeyFile      string
	idleTimeout     time.Duration
	streamTimeout   time.Duration
	leaseDuration   time.Duration
	statusFrequency time.Duration
	podCIDR         string
	runtime         runtimeConfig
}

func parseFlags() options {
	var o options
	klog.InitFlags(nil)
	flag.StringVar(&o.kubeconfig, "kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig of a user allowed to manage nodes, leases and pods (default $KUBECONFIG)")
	flag.StringVar(&o.nodeName, "node-name", "fn-mesh-node", "name of the Node to register")
	flag.StringVar(&o.listen, "listen", "127.0.0.1:10250", "address of the kubelet HTTPS API (port 0 picks a free port)")
	flag.StringVar(&o.clientCAFile, "client-ca-file", "", "if set, require client certificates signed by this CA (the API server's --kubelet-client-certificate)")
	flag.StringVar(&o.tlsCertFile, "tls-cert-file", "", "serving certificate (default: a self-signed one generated at start)")
	flag.StringVar(&o.tlsKeyFile, "tls-private-key-file", "", "key of --tls-cert-file")
	flag.DurationVar(&o.idleTimeout, "streaming-connection-idle-timeout", 4*time.Hour, "close port-forward connections idle this long")
	flag.DurationVar(&o.streamTimeout, "stream-creation-timeout", 30*time.Second, "how long a port-forward client may take to open a stream pair")
	flag.DurationVar(&o.leaseDuration, "node-lease-duration", 40*time.Second, "node Lease duration; renewed every quarter of it")
	flag.DurationVar(&o.statusFrequency, "node-status-update-frequency", 60*time.Second, "how often the Node status heartbeat is posted")
	flag.StringVar(&o.podCIDR, "pod-cidr", "10.244.0.0/16", "pod IPs come from here; processes listen on each IP's loopback twin 127.b.c.d")
	flag.StringVar(&o.runtime.mode, "containers", "run", "run: run nginx and gateway containers, report others as not run; pretend: report every container running and run none")
	flag.StringVar(&o.runtime.sidecars, "istio-sidecars", "refuse", "refuse: injected Istio sidecars (istio-init, istio-proxy) are reported not run and their pod not ready; bypass: they are reported bypassed (completed/running, IDs fn-mesh-standin-bypassed://) and traffic reaches the app directly")
	flag.StringVar(&o.runtime.stateDir, "state-dir", os.TempDir()+"/fn-mesh-kubelet-standin", "per-pod directories (configurations, logs, temp files)")
	flag.StringVar(&o.runtime.nginx, "nginx", "nginx", "the nginx binary that runs nginx containers")
	flag.StringVar(&o.runtime.gateway, "mesh-gateway", "mesh-gateway", "the Envoy stand-in binary that runs Istio ingress gateway containers")
	flag.StringVar(&o.runtime.xds, "istiod-xds", "127.0.0.1:15010", "istiod's plaintext xDS address, for the gateway")
	flag.Parse()
	return o
}

func main() {
	o := parseFlags()
	if err := run(o); err != nil {
		klog.ErrorS(err, "kubelet stand-in failed")
		klog.Flush()
		os.Exit(1)
	}
	klog.Flush()
}

func run(o options) error {
	if o.kubeconfig == "" {
		return fmt.Errorf("no kubeconfig: pass --kubeconfig or set KUBECONFIG")
	}
	if (o.tlsCertFile == "") != (o.tlsKeyFile == "") {
		return fmt.Errorf("--tls-cert-file and --tls-private-key-file go together")
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", o.kubeconfig)
	if err != nil {
		return fmt.Errorf("reading kubeconfig %s: %w", o.kubeconfig, err)
	}
	cfg.UserAgent = "fn-mesh-kubelet-standin"
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	if o.runtime.sidecars != "refuse" && o.runtime.sidecars != "bypass" {
		return fmt.Errorf("--istio-sidecars must be refuse or bypass, not %q", o.runtime.sidecars)
	}
	if o.runtime.mode != "run" && o.runtime.mode != "pretend" {
		return fmt.Errorf("--containers must be run or pretend, not %q", o.runtime.mode)
	}
	podNet, err := newPodNetwork(o.podCIDR)
	if err != nil {
		return err
	}
	rt := newRuntime(o.runtime, podNet, client)
	defer rt.stopAll()
	factory := informers.NewSharedInformerFactory(client, 0)
	pods := newPodController(client, factory.Core().V1().Pods(), o.nodeName, rt)

	// The port-forward API first: the Node advertises its port.
	srv, err := startServer(o, pods.lookup, rt.twinOf)
	if err != nil {
		return err
	}
	defer srv.shutdown()

	node := &nodeAgent{client: client, name: o.nodeName, kubeletPort: srv.port,
		leaseDuration: o.leaseDuration, statusFrequency: o.statusFrequency}
	if err := node.register(ctx); err != nil {
		return err
	}
	stopLease := node.startLease()
	defer stopLease()

	factory.Start(ctx.Done())
	defer factory.Shutdown()
	done := make(chan struct{})
	go func() {
		defer close(done)
		pods.run(ctx)
	}()

	klog.InfoS("kubelet stand-in ready", "node", o.nodeName, "kubeletAPI", fmt.Sprintf("https://127.0.0.1:%d", srv.port))
	node.postStatusEvery(ctx) // returns when ctx is cancelled (SIGTERM/SIGINT)
	klog.InfoS("shutting down on signal")
	<-done
	return nil
}
