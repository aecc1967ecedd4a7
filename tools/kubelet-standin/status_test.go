package main

import (
	"strings"
	"testing"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func twoContainerPod() *v1.Pod {
	always := v1.ContainerRestartPolicyAlways
	return &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "fn-system", Name: "fn-0", UID: "u1"},
		Spec: v1.PodSpec{
			InitContainers: []v1.Container{
				{Name: "setup", Image: "busybox"},
				{Name: "sidecar", Image: "envoy", RestartPolicy: &always},
			},
			Containers: []v1.Container{
				{Name: "api", Image: "fnproject/fnserver:latest"},
				{Name: "runner-lb", Image: "fnproject/fnserver:latest"},
			},
		},
		Status: v1.PodStatus{Phase: v1.PodPending, Conditions: []v1.PodCondition{
			{Type: v1.PodScheduled, Status: v1.ConditionTrue},
		}},
	}
}

func allRunning(pod *v1.Pod, at time.Time) map[string]containerState {
	m := map[string]containerState{}
	for _, c := range append(append([]v1.Container{}, pod.Spec.InitContainers...), pod.Spec.Containers...) {
		m[c.Name] = containerState{running: true, ready: true, startedAt: at}
	}
	return m
}

func TestRunningStatus(t *testing.T) {
	pod := twoContainerPod()
	now := metav1.NewTime(time.Unix(1000, 0))
	states := allRunning(pod, now.Time)
	want := podStatus(pod, now, "10.244.0.2", states)
	if statusIsCurrent(pod, want) {
		t.Fatal("a Pending pod counts as current")
	}
	pod.Status = want

	s := pod.Status
	if s.Phase != v1.PodRunning || s.PodIP != "10.244.0.2" || s.PodIPs[0].IP != "10.244.0.2" || s.HostIP != "127.0.0.1" {
		t.Fatalf("phase/IPs: %+v", s)
	}
	if !hasCondition(s, v1.PodScheduled) || !hasCondition(s, v1.PodReady) || !hasCondition(s, v1.ContainersReady) {
		t.Fatalf("conditions: %+v", s.Conditions)
	}
	for i, c := range s.ContainerStatuses {
		if c.Name != pod.Spec.Containers[i].Name || c.Image != pod.Spec.Containers[i].Image || !c.Ready ||
			c.State.Running == nil || !c.State.Running.StartedAt.Equal(&now) {
			t.Fatalf("container %d: %+v", i, c)
		}
	}
	if s.InitContainerStatuses[0].State.Terminated == nil || s.InitContainerStatuses[1].State.Running == nil {
		t.Fatalf("init containers: %+v", s.InitContainerStatuses)
	}

	// A later sync keeps the start and transition times: nothing to write.
	again := podStatus(pod, metav1.NewTime(now.Add(time.Hour)), "10.244.0.2", states)
	if !statusIsCurrent(pod, again) {
		t.Fatalf("times moved: start %v, %v", again.StartTime, again.Conditions)
	}

	// An image changed in place needs a new status.
	pod.Spec.Containers[1].Image = "fnproject/fnserver:0.3"
	if statusIsCurrent(pod, podStatus(pod, now, "10.244.0.2", states)) {
		t.Fatal("a changed image counts as current")
	}
}

func TestContainersThatCannotRunAreNeverReady(t *testing.T) {
	pod := twoContainerPod()
	now := metav1.NewTime(time.Unix(1000, 0))
	states := allRunning(pod, now.Time)
	states["runner-lb"] = containerState{reason: reasonCannotRun, message: "image x is not run"}
	s := podStatus(pod, now, "10.244.0.2", states)
	if hasCondition(s, v1.PodReady) || hasCondition(s, v1.ContainersReady) || s.Phase != v1.PodRunning {
		t.Fatalf("one container not run: phase %s, conditions %+v", s.Phase, s.Conditions)
	}
	w := s.ContainerStatuses[1].State.Waiting
	if s.ContainerStatuses[1].Ready || w == nil || w.Reason != reasonCannotRun || w.Message != "image x is not run" {
		t.Fatalf("status of the container not run: %+v", s.ContainerStatuses[1])
	}
	for _, c := range s.Conditions {
		if c.Type == v1.PodReady && !strings.Contains(c.Message, "runner-lb") {
			t.Errorf("Ready condition does not name the container: %q", c.Message)
		}
	}

	// An init container that cannot run keeps the pod Pending and not initialized.
	states = allRunning(pod, now.Time)
	states["setup"] = containerState{reason: reasonCannotRun}
	states["api"] = containerState{reason: "PodInitializing"}
	states["runner-lb"] = containerState{reason: "PodInitializing"}
	s = podStatus(pod, now, "10.244.0.2", states)
	if s.Phase != v1.PodPending || hasCondition(s, v1.PodInitialized) || hasCondition(s, v1.PodReady) {
		t.Fatalf("init container not run: phase %s, conditions %+v", s.Phase, s.Conditions)
	}
}

func TestClassifyRunsNginxAndTheGatewayOnly(t *testing.T) {
	r := &podRuntime{cfg: runtimeConfig{mode: "run"}}
	always := v1.ContainerRestartPolicyAlways
	pod := &v1.Pod{}
	cases := []struct {
		c    v1.Container
		init bool
		want containerKind
	}{
		{v1.Container{Image: "nginx:1.27-alpine"}, false, kindNginx},
		{v1.Container{Image: "docker.io/library/nginx@sha256:abc"}, false, kindNginx},
		{v1.Container{Image: "docker.io/istio/proxyv2:1.31.0", Args: []string{"proxy", "router"}}, false, kindGateway},
		{v1.Container{Image: "docker.io/istio/proxyv2:1.31.0", Args: []string{"proxy", "sidecar"}, RestartPolicy: &always}, true, kindUnrunnable},
		{v1.Container{Image: "docker.io/istio/proxyv2:1.31.0", Args: []string{"istio-iptables"}}, true, kindUnrunnable},
		{v1.Container{Image: "fnmesh/simple-proxy:1"}, false, kindUnrunnable},
		{v1.Container{Image: "registry:5000/nginx-lookalike:1"}, false, kindUnrunnable},
	}
	for _, c := range cases {
		if got, msg := r.classify(pod, c.c, c.init); got != c.want || (got == kindUnrunnable && msg == "") {
			t.Errorf("%s %v: kind %d (%q), want %d", c.c.Image, c.c.Args, got, msg, c.want)
		}
	}
	bypass := &podRuntime{cfg: runtimeConfig{mode: "run", sidecars: "bypass"}}
	for _, c := range cases[3:5] {
		if got, msg := bypass.classify(pod, c.c, c.init); got != kindBypassed || msg != bypassNote {
			t.Errorf("bypass mode, %v: kind %d", c.c.Args, got)
		}
	}
	if got, _ := bypass.classify(pod, cases[2].c, false); got != kindGateway {
		t.Errorf("bypass mode must still run the gateway: kind %d", got)
	}
	forwarded := &v1.Pod{ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{forwardAnnotation: "80=127.0.0.1:1"}}}
	if got, _ := r.classify(forwarded, v1.Container{Image: "fnproject/fnserver"}, false); got != kindForwarded {
		t.Errorf("a forwarded pod's container: kind %d", got)
	}
}

func TestPodNetworkAssignsKeepsAndReleases(t *testing.T) {
	n, err := newPodNetwork("10.244.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := n.assign("ns/a", "")
	b, _ := n.assign("ns/b", "10.244.7.9") // an IP from an earlier run is kept
	c, _ := n.assign("ns/c", "10.244.7.9") // ...unless taken
	again, _ := n.assign("ns/a", "")
	if a != "10.244.0.2" || b != "10.244.7.9" || c != "10.244.0.3" || again != a {
		t.Fatalf("assigned a=%s b=%s c=%s again=%s", a, b, c, again)
	}
	if n.twin(b) != "127.244.7.9" || n.twin("192.0.2.1") != "192.0.2.1" {
		t.Fatalf("twins: %s %s", n.twin(b), n.twin("192.0.2.1"))
	}
	n.release("ns/a")
	if d, _ := n.assign("ns/d", ""); d != "10.244.0.2" {
		t.Fatalf("released address not reused: %s", d)
	}
	if _, err := newPodNetwork("10.244.0.0/30"); err == nil {
		t.Fatal("a /30 pod CIDR must be refused")
	}
}

func TestRewriteListenBindsThePodAddressOnly(t *testing.T) {
	in := "server {\n    listen 8080;\n    listen [::]:8080;\n    listen 127.0.0.1:9090 default_server;\n    server_name listen.example;\n}\n"
	got := rewriteListen(in, "127.244.0.5")
	for _, want := range []string{"listen 127.244.0.5:8080;", "# (IPv6 listen dropped", "listen 127.244.0.5:9090 default_server;", "server_name listen.example;"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

func TestWithAppProbeRunsTheProbeIstioRewrote(t *testing.T) {
	rewritten := &v1.Probe{ProbeHandler: v1.ProbeHandler{HTTPGet: &v1.HTTPGetAction{Path: "/app-health/proxy/readyz", Port: intstr.FromInt32(15020)}}, PeriodSeconds: 5}
	always := v1.ContainerRestartPolicyAlways
	pod := &v1.Pod{Spec: v1.PodSpec{
		InitContainers: []v1.Container{{Name: "istio-proxy", RestartPolicy: &always, Env: []v1.EnvVar{{Name: "ISTIO_KUBE_APP_PROBERS",
			Value: `{"/app-health/proxy/readyz":{"httpGet":{"path":"/healthz","port":8080,"scheme":"HTTP"},"timeoutSeconds":3}}`}}}},
		Containers: []v1.Container{{Name: "proxy", ReadinessProbe: rewritten}},
	}}
	got := withAppProbe(pod, pod.Spec.Containers[0]).ReadinessProbe
	if got.HTTPGet.Path != "/healthz" || got.HTTPGet.Port.IntValue() != 8080 || got.TimeoutSeconds != 3 || got.PeriodSeconds != 5 {
		t.Fatalf("probe %+v", got)
	}
	if rewritten.HTTPGet.Path != "/app-health/proxy/readyz" {
		t.Fatal("the pod's own probe was changed")
	}
}
