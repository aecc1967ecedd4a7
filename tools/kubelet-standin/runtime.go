package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/klog/v2"
)

// containerKind says how the stand-in runs a container.
type containerKind int

const (
	// kindForwarded: no process of ours; the pod's ports are forwarded to local servers
	// named by its fn-mesh.io/standin-forward annotation (or everything, in pretend mode).
	kindForwarded containerKind = iota
	kindNginx                   // Debian's nginx with the configuration the pod mounts
	kindGateway                 // the Envoy stand-in (tools/mesh-gateway) for an Istio ingress gateway
	kindUnrunnable
	// kindBypassed: an injected Istio sidecar (istio-init, istio-proxy) that is not run
	// and reported so (--istio-sidecars=bypass): traffic reaches the app directly.
	kindBypassed
)

// bypassNote is the message of a bypassed sidecar container.
const bypassNote = "not run by the fn-mesh kubelet stand-in (--istio-sidecars=bypass): no Envoy, no iptables; traffic reaches the app directly"

// reasonCannotRun is the waiting reason of containers the stand-in cannot run.
const reasonCannotRun = "StandinCannotRun"

// containerState is what the pod status reports of one container.
type containerState struct {
	running   bool
	ready     bool
	startedAt time.Time
	restarts  int32
	reason    string // waiting reason when not running
	message   string
	bypassed  bool // running only on paper: see kindBypassed
	lastTerm  *v1.ContainerStateTerminated
}

// proc is one container: its process supervisor and its reported state.
type proc struct {
	name string
	kind containerKind
	mu   sync.Mutex
	st   containerState
	stop chan struct{}
	done chan struct{}
}

func (p *proc) state() containerState {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st
}

func (p *proc) update(f func(*containerState)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(&p.st)
}

// sandbox is a pod's share of the node: its IP, its directory and its containers.
type sandbox struct {
	key   string
	uid   types.UID
	ip    string // the pod IP reported in the status
	twin  string // where its processes listen
	dir   string
	procs map[string]*proc
}

type runtimeConfig struct {
	mode     string // "run" (default) or "pretend" (every container reported running, none run)
	sidecars string // "refuse" (default: injected Istio sidecars are not run, the pod not ready) or "bypass"
	stateDir string // per-pod directories for configurations, logs and temp files
	nginx    string // nginx binary
	gateway  string // mesh-gateway binary
	xds      string // istiod's plaintext xDS address, for the gateway
}

// podRuntime runs the containers of this node's pods as local processes.
type podRuntime struct {
	mu     sync.Mutex
	pods   map[string]*sandbox
	net    *podNetwork
	cfg    runtimeConfig
	client kubernetes.Interface
	notify func(key string) // a container's state changed: sync the pod again
}

func newRuntime(cfg runtimeConfig, net *podNetwork, client kubernetes.Interface) *podRuntime {
	return &podRuntime{pods: map[string]*sandbox{}, net: net, cfg: cfg, client: client, notify: func(string) {}}
}

// imageName is an image reference without registry, tag and digest: "nginx" for
// "docker.io/library/nginx:1.27-alpine".
func imageName(image string) string {
	image, _, _ = strings.Cut(image, "@")
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		image = image[:i]
	}
	return image[strings.LastIndex(image, "/")+1:]
}

func isSidecar(c v1.Container) bool {
	return c.RestartPolicy != nil && *c.RestartPolicy == v1.ContainerRestartPolicyAlways
}

// classify decides how container c of pod runs; the message says why it does not.
func (r *podRuntime) classify(pod *v1.Pod, c v1.Container, init bool) (containerKind, string) {
	if _, ok := pod.Annotations[forwardAnnotation]; ok || r.cfg.mode == "pretend" {
		return kindForwarded, ""
	}
	name := imageName(c.Image)
	switch {
	case name == "proxyv2" && !slices.Contains(c.Args, "router") && r.cfg.sidecars == "bypass":
		return kindBypassed, bypassNote
	case init && !isSidecar(c):
		return kindUnrunnable, fmt.Sprintf("the fn-mesh kubelet stand-in runs no init containers (image %s)", c.Image)
	case name == "nginx" || name == "nginx-unprivileged":
		return kindNginx, ""
	case name == "proxyv2" && slices.Contains(c.Args, "router"):
		return kindGateway, ""
	case name == "proxyv2":
		return kindUnrunnable, fmt.Sprintf("Envoy cannot run here: the fn-mesh kubelet stand-in runs only the ingress gateway's data plane (a stand-in), not the sidecar %s", c.Image)
	}
	return kindUnrunnable, fmt.Sprintf("the fn-mesh kubelet stand-in runs only nginx images and the Istio ingress gateway; image %s is not run", c.Image)
}

// ensure makes sure pod's sandbox exists and its containers run; it returns the
// sandbox. A pod whose UID changed (deleted and created again) starts afresh.
func (r *podRuntime) ensure(pod *v1.Pod) (*sandbox, error) {
	key := pod.Namespace + "/" + pod.Name
	r.mu.Lock()
	sb := r.pods[key]
	r.mu.Unlock()
	if sb != nil && sb.uid == pod.UID {
		return sb, nil
	}
	if sb != nil {
		r.stopPod(key, 5*time.Second)
	}
	ip, twin := "127.0.0.1", "127.0.0.1" // host network: the node's address
	if !pod.Spec.HostNetwork {
		var err error
		if ip, err = r.net.assign(key, pod.Status.PodIP); err != nil {
			return nil, err
		}
		twin = r.net.twin(ip)
	}
	sb = &sandbox{key: key, uid: pod.UID, ip: ip, twin: twin, procs: map[string]*proc{},
		dir: filepath.Join(r.cfg.stateDir, "pods", fmt.Sprintf("%s_%s_%s", pod.Namespace, pod.Name, pod.UID))}
	if err := os.MkdirAll(sb.dir, 0o755); err != nil {
		return nil, err
	}
	// Init containers that would have to finish first keep the main ones from starting.
	blocked := false
	for _, c := range pod.Spec.InitContainers {
		kind, msg := r.classify(pod, c, true)
		r.start(sb, pod, c, kind, msg)
		blocked = blocked || (kind == kindUnrunnable && !isSidecar(c))
	}
	for _, c := range pod.Spec.Containers {
		kind, msg := r.classify(pod, c, false)
		if blocked && kind != kindUnrunnable {
			kind, msg = kindUnrunnable, "PodInitializing"
		}
		r.start(sb, pod, c, kind, msg)
	}
	r.mu.Lock()
	r.pods[key] = sb
	r.mu.Unlock()
	klog.InfoS("pod sandbox ready", "pod", key, "podIP", ip, "listensOn", twin)
	return sb, nil
}

func (r *podRuntime) start(sb *sandbox, pod *v1.Pod, c v1.Container, kind containerKind, msg string) {
	p := &proc{name: c.Name, kind: kind, stop: make(chan struct{}), done: make(chan struct{})}
	sb.procs[c.Name] = p
	switch kind {
	case kindForwarded:
		p.st = containerState{running: true, ready: true, startedAt: time.Now()}
		close(p.done)
	case kindBypassed:
		p.st = containerState{running: true, ready: true, startedAt: time.Now(), bypassed: true, message: msg}
		close(p.done)
		klog.InfoS("Istio sidecar bypassed", "pod", sb.key, "container", c.Name)
	case kindUnrunnable:
		reason := reasonCannotRun
		if msg == "PodInitializing" {
			reason, msg = "PodInitializing", ""
		}
		p.st = containerState{reason: reason, message: msg}
		close(p.done)
	default:
		p.st = containerState{reason: "ContainerCreating"}
		go r.supervise(sb, p, pod.DeepCopy(), c)
	}
}

// states returns the state of each container of key's sandbox; ok is false when it has none.
func (r *podRuntime) states(key string) (ip string, st map[string]containerState, ok bool) {
	r.mu.Lock()
	sb := r.pods[key]
	r.mu.Unlock()
	if sb == nil {
		return "", nil, false
	}
	st = map[string]containerState{}
	for name, p := range sb.procs {
		st[name] = p.state()
	}
	return sb.ip, st, true
}

// twinOf is where the processes of key's pod listen ("" when it has no sandbox).
func (r *podRuntime) twinOf(key string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if sb := r.pods[key]; sb != nil {
		return sb.twin
	}
	return ""
}

// stopPod stops key's containers (SIGTERM, then SIGKILL after grace) and frees its IP.
func (r *podRuntime) stopPod(key string, grace time.Duration) {
	r.mu.Lock()
	sb := r.pods[key]
	delete(r.pods, key)
	r.mu.Unlock()
	if sb == nil {
		return
	}
	for _, p := range sb.procs {
		select {
		case <-p.stop:
		default:
			close(p.stop)
		}
	}
	deadline := time.After(grace + 2*time.Second)
	for _, p := range sb.procs {
		select {
		case <-p.done:
		case <-deadline:
		}
	}
	r.net.release(key)
	_ = os.RemoveAll(sb.dir)
	klog.InfoS("pod sandbox stopped", "pod", key)
}

// stopAll stops every pod's containers (the stand-in is shutting down).
func (r *podRuntime) stopAll() {
	r.mu.Lock()
	keys := make([]string, 0, len(r.pods))
	for k := range r.pods {
		keys = append(keys, k)
	}
	r.mu.Unlock()
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Go(func() { r.stopPod(k, 5*time.Second) })
	}
	wg.Wait()
}

// supervise runs container c until the pod stops, restarting it with backoff when it
// exits (restartPolicy Always), and probes its readiness while it runs.
func (r *podRuntime) supervise(sb *sandbox, p *proc, pod *v1.Pod, c v1.Container) {
	defer close(p.done)
	backoff := time.Second
	for {
		cmd, logPath, err := r.command(sb, p, pod, c)
		if err == nil {
			err = cmd.Start()
		}
		if err != nil {
			p.update(func(s *containerState) {
				s.running, s.ready, s.reason, s.message = false, false, "CreateContainerError", err.Error()
			})
			klog.ErrorS(err, "container not started", "pod", sb.key, "container", c.Name)
			r.notify(sb.key)
			if !sleepOrStop(p.stop, backoff) {
				return
			}
			backoff = min(backoff*2, 30*time.Second)
			continue
		}
		began := time.Now()
		p.update(func(s *containerState) {
			s.running, s.ready, s.startedAt, s.reason, s.message = true, false, began, "", ""
		})
		klog.InfoS("container started", "pod", sb.key, "container", c.Name, "pid", cmd.Process.Pid, "log", logPath)
		r.notify(sb.key)
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		probeDone := make(chan struct{})
		go r.probe(sb, p, pod, c, probeDone)

		select {
		case <-p.stop:
			close(probeDone)
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(5 * time.Second):
				_ = cmd.Process.Kill()
				<-exited
			}
			return
		case err := <-exited:
			close(probeDone)
			code := cmd.ProcessState.ExitCode()
			term := &v1.ContainerStateTerminated{ExitCode: int32(code), Reason: "Error", Message: tail(logPath, 5)}
			klog.InfoS("container exited", "pod", sb.key, "container", c.Name, "err", err, "lastLog", term.Message)
			if time.Since(began) > time.Minute {
				backoff = time.Second
			}
			p.update(func(s *containerState) {
				s.running, s.ready, s.restarts, s.lastTerm = false, false, s.restarts+1, term
				s.reason, s.message = "CrashLoopBackOff", fmt.Sprintf("back-off %s restarting failed container %s", backoff, c.Name)
			})
			r.notify(sb.key)
			if !sleepOrStop(p.stop, backoff) {
				return
			}
			backoff = min(backoff*2, 30*time.Second)
		}
	}
}

func sleepOrStop(stop <-chan struct{}, d time.Duration) bool {
	select {
	case <-stop:
		return false
	case <-time.After(d):
		return true
	}
}

// command prepares the process of container c: its files and its command line.
func (r *podRuntime) command(sb *sandbox, p *proc, pod *v1.Pod, c v1.Container) (*exec.Cmd, string, error) {
	dir := filepath.Join(sb.dir, c.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, "", err
	}
	var cmd *exec.Cmd
	switch p.kind {
	case kindNginx:
		args, err := r.prepareNginx(context.Background(), sb, pod, c, dir)
		if err != nil {
			return nil, "", err
		}
		cmd = exec.Command(r.cfg.nginx, args...)
	case kindGateway:
		var labels []string
		for k, v := range pod.Labels {
			labels = append(labels, k+"="+v)
		}
		slices.Sort(labels)
		cmd = exec.Command(r.cfg.gateway, "--xds", r.cfg.xds, "--pod-name", pod.Name, "--namespace", pod.Namespace,
			"--pod-ip", sb.ip, "--listen-ip", sb.twin, "--labels", strings.Join(labels, ","),
			"--loopback-twin-cidr", r.net.cidr(), "--status-port", "15021")
	default:
		return nil, "", fmt.Errorf("container kind %d has no process", p.kind)
	}
	logPath := filepath.Join(dir, "container.log")
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, "", err
	}
	cmd.Stdout, cmd.Stderr, cmd.Dir = f, f, dir
	// Dies with the stand-in even when it is killed; SIGTERM to the stand-in's process
	// group reaches it too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	return cmd, logPath, nil
}

// tail returns the last n lines of a file (for a terminated container's message).
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
