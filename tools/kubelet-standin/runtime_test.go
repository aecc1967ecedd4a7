package main

import (
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes/fake"
)

// The nginx configuration of a generated proxy, reduced: a listen port alone (as in
// a pod), a health location, a version header.
const proxyConf = `server {
    listen 8080;
    add_header X-Fn-Mesh-Version v1 always;
    location = /healthz { return 200 "ok\n"; }
    location / { return 200 "hello from v1\n"; }
}
`

func nginxPod(uid string) *v1.Pod {
	return &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "routing", Name: "hello-v1-abc", UID: types.UID("u-" + uid)},
		Spec: v1.PodSpec{
			Containers: []v1.Container{{
				Name: "proxy", Image: "nginx:1.27-alpine",
				Ports:          []v1.ContainerPort{{Name: "http", ContainerPort: 8080}},
				ReadinessProbe: &v1.Probe{ProbeHandler: v1.ProbeHandler{HTTPGet: &v1.HTTPGetAction{Path: "/healthz", Port: intstr.FromString("http")}}, PeriodSeconds: 1},
				VolumeMounts:   []v1.VolumeMount{{Name: "nginx-config", MountPath: "/etc/nginx/conf.d", ReadOnly: true}},
			}},
			Volumes: []v1.Volume{{Name: "nginx-config", VolumeSource: v1.VolumeSource{ConfigMap: &v1.ConfigMapVolumeSource{
				LocalObjectReference: v1.LocalObjectReference{Name: "hello-v1-nginx"}}}}},
		},
	}
}

// Runs Debian's nginx for a pod the way the stand-in does, on the pod IP's loopback twin.
func TestRuntimeRunsNginxOnThePodsLoopbackTwin(t *testing.T) {
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		t.Skip("nginx is not installed (scripts/nginx-available.sh installs it)") // the test needs the real nginx
	}
	client := fake.NewClientset(&v1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "routing", Name: "hello-v1-nginx"},
		Data: map[string]string{"default.conf": proxyConf}})
	net, _ := newPodNetwork("10.251.0.0/16") // a CIDR of its own: no clash with a running stand-in
	rt := newRuntime(runtimeConfig{mode: "run", stateDir: t.TempDir(), nginx: nginx}, net, client)
	changes := make(chan string, 100)
	rt.notify = func(key string) { changes <- key }
	defer rt.stopAll()

	pod := nginxPod("1")
	if _, err := rt.ensure(pod); err != nil {
		t.Fatal(err)
	}
	key := "routing/hello-v1-abc"
	deadline := time.After(15 * time.Second)
	for {
		ip, st, _ := rt.states(key)
		if st["proxy"].ready {
			if ip != "10.251.0.2" {
				t.Fatalf("pod IP %s, want the first of the CIDR", ip)
			}
			break
		}
		select {
		case <-changes:
		case <-time.After(time.Second):
		case <-deadline:
			t.Fatalf("nginx not ready within 15s: %+v", st["proxy"])
		}
	}
	resp, err := http.Get("http://127.251.0.2:8080/anything")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Fn-Mesh-Version") != "v1" || !strings.Contains(string(body), "hello from v1") {
		t.Fatalf("nginx answered %d %v %q", resp.StatusCode, resp.Header, body)
	}
	s := podStatus(pod, metav1.Now(), "10.251.0.2", mustStates(t, rt, key))
	if !hasCondition(s, v1.PodReady) || s.ContainerStatuses[0].State.Running == nil {
		t.Fatalf("status of a running nginx pod: %+v", s)
	}

	rt.stopPod(key, time.Second)
	if _, err := http.Get("http://127.251.0.2:8080/"); err == nil {
		t.Fatal("nginx still answers after the pod stopped")
	}
}

func TestRuntimeReportsAMissingConfigMap(t *testing.T) {
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		t.Skip("nginx is not installed (scripts/nginx-available.sh installs it)") // the test needs the real nginx
	}
	net, _ := newPodNetwork("10.252.0.0/16")
	rt := newRuntime(runtimeConfig{mode: "run", stateDir: t.TempDir(), nginx: nginx}, net, fake.NewClientset())
	defer rt.stopAll()
	if _, err := rt.ensure(nginxPod("2")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, st, _ := rt.states("routing/hello-v1-abc")
		p := st["proxy"]
		if p.reason == "CreateContainerError" && strings.Contains(p.message, `"hello-v1-nginx"`) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("state %+v, want CreateContainerError naming the ConfigMap", p)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func mustStates(t *testing.T, rt *podRuntime, key string) map[string]containerState {
	_, st, ok := rt.states(key)
	if !ok {
		t.Fatalf("no sandbox for %s", key)
	}
	return st
}
