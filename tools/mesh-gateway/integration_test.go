//go:build integration

// Integration test against the real stack: kube-apiserver, the kubelet stand-in running
// nginx pods and the gateway pod, and the real istiod (scripts/istio.sh start). Run by
// `scripts/istio.sh test` (go test -tags integration), which sets KUBECONFIG,
// FN_MESH_KUBECTL and FN_MESH_GATEWAY_URL.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

const itNamespace = "fn-mesh-gateway-it"
const itHost = "hello.fn-mesh.test"

func kubectl(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(os.Getenv("FN_MESH_KUBECTL"), args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// backendManifests: two versions of hello, each an nginx Deployment whose ConfigMap
// answers with its version, behind one Service; subsets v1, v2 and v3 (no pods).
func backendManifests() string {
	var b strings.Builder
	for _, v := range []string{"v1", "v2"} {
		fmt.Fprintf(&b, `---
apiVersion: v1
kind: ConfigMap
metadata: {name: hello-%[1]s-nginx, namespace: %[2]s}
data:
  default.conf: |
    server {
        listen 8080;
        location = /healthz { return 200 "ok\n"; }
        location / {
            add_header X-Fn-Mesh-Version %[1]s always;
            return 200 "hello from %[1]s\n";
        }
    }
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: hello-%[1]s, namespace: %[2]s}
spec:
  replicas: 1
  selector: {matchLabels: {app: hello, version: %[1]s}}
  template:
    metadata: {labels: {app: hello, version: %[1]s}}
    spec:
      containers:
      - name: proxy
        image: nginx:1.27-alpine
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 2}
        volumeMounts: [{name: conf, mountPath: /etc/nginx/conf.d}]
      volumes: [{name: conf, configMap: {name: hello-%[1]s-nginx}}]
`, v, itNamespace)
	}
	fmt.Fprintf(&b, `---
apiVersion: v1
kind: Service
metadata: {name: hello, namespace: %[1]s}
spec:
  selector: {app: hello}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: hello, namespace: %[1]s}
spec:
  host: hello.%[1]s.svc.cluster.local
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: v3, labels: {version: v3}}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: hello-gateway, namespace: %[1]s}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [%[2]s]
`, itNamespace, itHost)
	return b.String()
}

func virtualService(w1, w2 int) string {
	return fmt.Sprintf(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: hello, namespace: %[1]s}
spec:
  hosts: [%[2]s]
  gateways: [hello-gateway]
  http:
  - name: pin
    match: [{headers: {x-fn-mesh-pin: {exact: v2}}}]
    route: [{destination: {host: hello.%[1]s.svc.cluster.local, subset: v2}}]
  - name: abort
    match: [{uri: {prefix: /abort}}]
    fault: {abort: {httpStatus: 503, percentage: {value: 50}}}
    route: [{destination: {host: hello.%[1]s.svc.cluster.local, subset: v1}}]
  - name: nopods
    match: [{uri: {prefix: /nopods}}]
    route: [{destination: {host: hello.%[1]s.svc.cluster.local, subset: v3}}]
  - name: split
    route:
    - {destination: {host: hello.%[1]s.svc.cluster.local, subset: v1}, weight: %[3]d}
    - {destination: {host: hello.%[1]s.svc.cluster.local, subset: v2}, weight: %[4]d}
`, itNamespace, itHost, w1, w2)
}

type itResponse struct {
	status               int
	version, route, body string
}

func through(t *testing.T, path string, header map[string]string) itResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, os.Getenv("FN_MESH_GATEWAY_URL")+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = itHost
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return itResponse{status: -1, body: err.Error()}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return itResponse{status: resp.StatusCode, version: resp.Header.Get("X-Fn-Mesh-Version"),
		route: resp.Header.Get(headerRoute), body: string(b)}
}

func waitUntil(t *testing.T, what string, limit time.Duration, cond func() (bool, string)) time.Duration {
	t.Helper()
	began := time.Now()
	for {
		ok, last := cond()
		if ok {
			return time.Since(began)
		}
		if time.Since(began) > limit {
			t.Fatalf("%s: not within %s (last: %s)", what, limit, last)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestIntegrationGatewayObeysIstiod(t *testing.T) {
	for _, v := range []string{"KUBECONFIG", "FN_MESH_KUBECTL", "FN_MESH_GATEWAY_URL"} {
		if os.Getenv(v) == "" {
			t.Fatalf("%s is not set: run this test through scripts/istio.sh test", v)
		}
	}
	kubectl(t, "", "delete", "namespace", itNamespace, "--ignore-not-found", "--wait=true", "--timeout=60s")
	kubectl(t, "", "create", "namespace", itNamespace)
	t.Cleanup(func() { kubectl(t, "", "delete", "namespace", itNamespace, "--wait=false") })
	kubectl(t, backendManifests(), "apply", "-f", "-")
	kubectl(t, virtualService(90, 10), "apply", "-f", "-")
	kubectl(t, "", "-n", itNamespace, "rollout", "status", "deployment/hello-v1", "deployment/hello-v2", "--timeout=90s")

	waitUntil(t, "the gateway serves the split route", 60*time.Second, func() (bool, string) {
		r := through(t, "/", nil)
		return r.status == 200 && r.route == "split", fmt.Sprintf("%+v", r)
	})
	// Both versions' endpoints reached the gateway (EDS), not only one.
	waitUntil(t, "both versions answer", 60*time.Second, func() (bool, string) {
		seen := map[string]bool{}
		for range 100 {
			seen[through(t, "/", nil).version] = true
		}
		return seen["v1"] && seen["v2"], fmt.Sprint(seen)
	})

	t.Run("90/10 split", func(t *testing.T) {
		const n = 1000
		counts := map[string]int{}
		for range n {
			r := through(t, "/", nil)
			if r.status != 200 {
				t.Fatalf("response %+v", r)
			}
			counts[r.version]++
		}
		// Binomial(1000, 0.1): sd 9.5; 5 sd either side.
		if counts["v2"] < 53 || counts["v2"] > 147 || counts["v1"]+counts["v2"] != n {
			t.Errorf("counts %v: want about 900/100", counts)
		}
		t.Logf("90/10: %v", counts)
	})

	t.Run("0/100 follows within a bounded time", func(t *testing.T) {
		kubectl(t, virtualService(0, 100), "apply", "-f", "-")
		took := waitUntil(t, "all traffic on v2", 30*time.Second, func() (bool, string) {
			for range 20 {
				if r := through(t, "/", nil); r.version != "v2" {
					return false, fmt.Sprintf("%+v", r)
				}
			}
			return true, ""
		})
		t.Logf("0/100 applied after %s", took)
		for range 200 {
			if r := through(t, "/", nil); r.version != "v2" {
				t.Fatalf("after 0/100: %+v", r)
			}
		}
	})

	t.Run("header match", func(t *testing.T) {
		kubectl(t, virtualService(100, 0), "apply", "-f", "-")
		waitUntil(t, "100/0 applied", 30*time.Second, func() (bool, string) {
			r := through(t, "/", nil)
			return r.version == "v1", fmt.Sprintf("%+v", r)
		})
		for range 50 {
			if r := through(t, "/", map[string]string{"x-fn-mesh-pin": "v2"}); r.version != "v2" || r.route != "pin" {
				t.Fatalf("pinned request: %+v", r)
			}
		}
	})

	t.Run("50% abort", func(t *testing.T) {
		aborted := 0
		for range 400 {
			r := through(t, "/abort", nil)
			switch {
			case r.status == 503 && r.body == "fault filter abort":
				aborted++
			case r.status != 200 || r.version != "v1":
				t.Fatalf("abort route: %+v", r)
			}
		}
		// Binomial(400, 0.5): sd 10; 5 sd either side.
		if aborted < 150 || aborted > 250 {
			t.Errorf("aborted %d of 400, want about 200", aborted)
		}
	})

	t.Run("istiod stopped and restarted", func(t *testing.T) {
		script := os.Getenv("FN_MESH_ISTIO_SH")
		if script == "" {
			t.Fatal("FN_MESH_ISTIO_SH is not set: run this test through scripts/istio.sh test")
		}
		run := func(args ...string) {
			out, err := exec.Command("bash", append([]string{script}, args...)...).CombinedOutput()
			if err != nil {
				t.Fatalf("istio.sh %v: %v\n%s", args, err, out)
			}
		}
		run("stop")
		// failurePolicy Fail: no Istio write passes while istiod is away.
		cmd := exec.Command(os.Getenv("FN_MESH_KUBECTL"), "apply", "-f", "-")
		cmd.Stdin = strings.NewReader(virtualService(0, 100))
		if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "failed calling webhook") {
			t.Errorf("apply while istiod is stopped: err %v, output %s; want a webhook failure", err, out)
		}
		// The gateway keeps serving the last routes it had.
		for range 20 {
			if r := through(t, "/", nil); r.version != "v1" || r.route != "split" {
				t.Fatalf("while istiod is away: %+v", r)
			}
		}
		run("start")
		kubectl(t, virtualService(0, 100), "apply", "-f", "-")
		took := waitUntil(t, "the reconnected gateway serves the current routes", 30*time.Second, func() (bool, string) {
			r := through(t, "/", nil)
			return r.version == "v2", fmt.Sprintf("%+v", r)
		})
		t.Logf("after the restart, 0/100 served within %s", took)
	})

	t.Run("subset without pods", func(t *testing.T) {
		if r := through(t, "/nopods", nil); r.status != 503 || r.body != "no healthy upstream" {
			t.Errorf("subset v3: %+v, want 503 no healthy upstream", r)
		}
	})
}
