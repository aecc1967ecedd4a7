package main

import (
	"testing"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
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

func TestRunningStatus(t *testing.T) {
	pod := twoContainerPod()
	if statusIsCurrent(pod) {
		t.Fatal("a Pending pod counts as current")
	}
	now := metav1.NewTime(time.Unix(1000, 0))
	pod.Status = runningStatus(pod, now)

	s := pod.Status
	if s.Phase != v1.PodRunning || s.PodIP != "127.0.0.1" || s.PodIPs[0].IP != "127.0.0.1" || s.HostIP != "127.0.0.1" {
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
	if !statusIsCurrent(pod) {
		t.Fatal("the running status is not current")
	}

	// A later sync keeps the start and transition times.
	again := runningStatus(pod, metav1.NewTime(now.Add(time.Hour)))
	if !again.StartTime.Equal(&now) || !again.Conditions[1].LastTransitionTime.Equal(&now) {
		t.Fatalf("times moved: start %v, %v", again.StartTime, again.Conditions[1])
	}

	// An image changed in place needs a new status.
	pod.Spec.Containers[1].Image = "fnproject/fnserver:0.3"
	if statusIsCurrent(pod) {
		t.Fatal("a changed image counts as current")
	}
}
