package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The directory the nginx image includes server configurations from.
const nginxConfD = "/etc/nginx/conf.d"

// The nginx image's own default.conf, for a pod that mounts nothing over conf.d.
const nginxDefaultServer = `server {
    listen 80;
    location / {
        root /usr/share/nginx/html;
        index index.html;
    }
}
`

// mainNginxConf is the nginx image's /etc/nginx/nginx.conf, with this node's paths:
// the pid file, logs and temp directories live in the container's directory.
func mainNginxConf(dir string) string {
	user := ""
	if os.Geteuid() == 0 {
		user = "user root; # the workers write the temp files below, in a root-owned directory\n"
	}
	tmp := filepath.Join(dir, "tmp")
	return fmt.Sprintf(`# Written by the fn-mesh kubelet stand-in: the nginx image's main configuration,
# with the pid file, logs and temp paths of this node. Server blocks come from the
# ConfigMap the pod mounts on %[1]s (copied to conf.d/ here; only their listen
# addresses are rewritten to the pod's address).
%[2]sworker_processes 1;
pid %[3]s/nginx.pid;
error_log stderr notice;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log %[3]s/access.log;
    client_body_temp_path %[4]s/client_body;
    proxy_temp_path %[4]s/proxy;
    fastcgi_temp_path %[4]s/fastcgi;
    uwsgi_temp_path %[4]s/uwsgi;
    scgi_temp_path %[4]s/scgi;
    sendfile on;
    keepalive_timeout 65;
    include %[3]s/conf.d/*.conf;
}
`, nginxConfD, user, dir, tmp)
}

var listenDirective = regexp.MustCompile(`(?m)^(\s*listen\s+)([^;\s]+)([^;]*;)`)

// rewriteListen binds every listen directive of a server configuration to the pod's
// address: in a pod, whatever nginx binds (a port alone, *, 0.0.0.0, 127.0.0.1) is the
// pod's own. IPv6 listens are dropped (the stand-in's pods have IPv4 only).
func rewriteListen(conf, podAddr string) string {
	return listenDirective.ReplaceAllStringFunc(conf, func(m string) string {
		g := listenDirective.FindStringSubmatch(m)
		addr := g[2]
		if strings.HasPrefix(addr, "[") {
			return "# (IPv6 listen dropped by the fn-mesh kubelet stand-in) " + strings.TrimSpace(m)
		}
		port := addr
		if i := strings.LastIndex(addr, ":"); i >= 0 {
			port = addr[i+1:]
		}
		if _, err := strconv.Atoi(port); err != nil {
			return m // a unix socket or something else: left as written
		}
		return g[1] + net.JoinHostPort(podAddr, port) + g[3]
	})
}

// prepareNginx writes the container's configuration into dir and returns nginx's
// arguments: the ConfigMaps mounted on /etc/nginx/conf.d (keys or items as files).
func (r *podRuntime) prepareNginx(ctx context.Context, sb *sandbox, pod *v1.Pod, c v1.Container, dir string) ([]string, error) {
	confD := filepath.Join(dir, "conf.d")
	_ = os.RemoveAll(confD)
	for _, d := range []string{confD, filepath.Join(dir, "tmp")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	files := map[string]string{}
	mounted := false
	for _, m := range c.VolumeMounts {
		if filepath.Clean(m.MountPath) != nginxConfD {
			continue
		}
		mounted = true
		vol := volumeNamed(pod, m.Name)
		if vol == nil || vol.ConfigMap == nil {
			return nil, fmt.Errorf("volume %q on %s is not a ConfigMap: the stand-in mounts only ConfigMaps there", m.Name, nginxConfD)
		}
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		cm, err := r.client.CoreV1().ConfigMaps(pod.Namespace).Get(ctx, vol.ConfigMap.Name, metav1.GetOptions{})
		cancel()
		if err != nil {
			return nil, fmt.Errorf("configmap %q for volume %q: %w", vol.ConfigMap.Name, m.Name, err)
		}
		if len(vol.ConfigMap.Items) == 0 {
			for k, v := range cm.Data {
				files[k] = v
			}
		}
		for _, it := range vol.ConfigMap.Items {
			v, ok := cm.Data[it.Key]
			if !ok {
				return nil, fmt.Errorf("configmap %q has no key %q", cm.Name, it.Key)
			}
			files[it.Path] = v
		}
	}
	if !mounted {
		files["default.conf"] = nginxDefaultServer
	}
	for name, text := range files {
		if strings.Contains(name, "/") {
			continue // nested paths are not included by *.conf
		}
		if err := os.WriteFile(filepath.Join(confD, name), []byte(rewriteListen(text, sb.twin)), 0o644); err != nil {
			return nil, err
		}
	}
	mainConf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(mainConf, []byte(mainNginxConf(dir)), 0o644); err != nil {
		return nil, err
	}
	return []string{"-e", "stderr", "-p", dir, "-c", mainConf, "-g", "daemon off;"}, nil
}

func volumeNamed(pod *v1.Pod, name string) *v1.Volume {
	for i := range pod.Spec.Volumes {
		if pod.Spec.Volumes[i].Name == name {
			return &pod.Spec.Volumes[i]
		}
	}
	return nil
}

// probe runs c's readiness probe against the pod's address while the process runs:
// httpGet (2xx/3xx is ready) or tcpSocket. Without a probe the container is ready
// once started, as with a kubelet; exec probes cannot run and count as passing.
// Until the first success it probes every 500 ms, then every periodSeconds.
func (r *podRuntime) probe(sb *sandbox, p *proc, pod *v1.Pod, c v1.Container, done <-chan struct{}) {
	if r.cfg.sidecars == "bypass" {
		c = withAppProbe(pod, c)
	}
	check := probeFunc(sb.twin, c)
	period := 10 * time.Second
	if pr := c.ReadinessProbe; pr != nil {
		if pr.PeriodSeconds > 0 {
			period = time.Duration(pr.PeriodSeconds) * time.Second
		}
		if !sleepOrStop(done, time.Duration(pr.InitialDelaySeconds)*time.Second) {
			return
		}
	}
	everReady := false
	for {
		ready := check()
		everReady = everReady || ready
		changed := false
		p.update(func(s *containerState) {
			if s.running && s.ready != ready {
				s.ready, changed = ready, true
			}
		})
		if changed {
			r.notify(sb.key)
		}
		wait := period
		if !everReady {
			wait = 500 * time.Millisecond
		}
		if !sleepOrStop(done, wait) {
			return
		}
	}
}

func probeFunc(addr string, c v1.Container) func() bool {
	pr := c.ReadinessProbe
	if pr == nil || pr.Exec != nil || pr.GRPC != nil {
		return func() bool { return true }
	}
	timeout := time.Second
	if pr.TimeoutSeconds > 0 {
		timeout = time.Duration(pr.TimeoutSeconds) * time.Second
	}
	if g := pr.HTTPGet; g != nil {
		port := resolvePort(c, g.Port.String())
		path := g.Path
		if path == "" {
			path = "/"
		}
		client := &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		url := "http://" + net.JoinHostPort(addr, port) + path
		return func() bool {
			resp, err := client.Get(url)
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode >= 200 && resp.StatusCode < 400
		}
	}
	if t := pr.TCPSocket; t != nil {
		target := net.JoinHostPort(addr, resolvePort(c, t.Port.String()))
		return func() bool {
			conn, err := net.DialTimeout("tcp", target, timeout)
			if err == nil {
				conn.Close()
			}
			return err == nil
		}
	}
	return func() bool { return true }
}

// resolvePort turns a named container port into its number.
func resolvePort(c v1.Container, port string) string {
	for _, p := range c.Ports {
		if p.Name == port {
			return strconv.Itoa(int(p.ContainerPort))
		}
	}
	return port
}

// withAppProbe undoes Istio's probe rewrite for a pod whose sidecar is bypassed: the
// injector points an app's httpGet probe at pilot-agent (/app-health/<c>/readyz on
// 15020) and keeps the original in istio-proxy's ISTIO_KUBE_APP_PROBERS; pilot-agent
// would run that original probe, so the stand-in runs it directly.
func withAppProbe(pod *v1.Pod, c v1.Container) v1.Container {
	if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet == nil {
		return c
	}
	var probers string
	for _, sc := range append(append([]v1.Container{}, pod.Spec.InitContainers...), pod.Spec.Containers...) {
		for _, e := range sc.Env {
			if sc.Name == "istio-proxy" && e.Name == "ISTIO_KUBE_APP_PROBERS" {
				probers = e.Value
			}
		}
	}
	var m map[string]struct {
		HTTPGet        *v1.HTTPGetAction   `json:"httpGet,omitempty"`
		TCPSocket      *v1.TCPSocketAction `json:"tcpSocket,omitempty"`
		TimeoutSeconds int32               `json:"timeoutSeconds,omitempty"`
	}
	if probers == "" || json.Unmarshal([]byte(probers), &m) != nil {
		return c
	}
	orig, ok := m[c.ReadinessProbe.HTTPGet.Path]
	if !ok || (orig.HTTPGet == nil && orig.TCPSocket == nil) {
		return c
	}
	probe := c.ReadinessProbe.DeepCopy()
	probe.HTTPGet, probe.TCPSocket = orig.HTTPGet, orig.TCPSocket
	if orig.TimeoutSeconds > 0 {
		probe.TimeoutSeconds = orig.TimeoutSeconds
	}
	c.ReadinessProbe = probe
	return c
}
