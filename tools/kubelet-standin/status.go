package main

import (
	"fmt"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The address every pod of the stand-in reports: it runs nothing in a network of
// its own, and port-forward reaches local addresses anyway.
const podIP = "127.0.0.1"

// The pod conditions a kubelet sets on a running pod, in its order.
var readyConditions = []v1.PodConditionType{
	v1.PodReadyToStartContainers, v1.PodInitialized, v1.ContainersReady, v1.PodReady,
}

// runningStatus is the status of pod with every container started and ready
// (init containers completed), keeping the times of what was already so.
func runningStatus(pod *v1.Pod, now metav1.Time) v1.PodStatus {
	s := *pod.Status.DeepCopy()
	s.Phase = v1.PodRunning
	s.Reason, s.Message = "", ""
	s.HostIP = podIP
	s.HostIPs = []v1.HostIP{{IP: podIP}}
	s.PodIP = podIP
	s.PodIPs = []v1.PodIP{{IP: podIP}}
	if s.StartTime == nil {
		s.StartTime = &now
	}
	for _, t := range readyConditions {
		setPodCondition(&s, v1.PodCondition{Type: t, Status: v1.ConditionTrue, LastTransitionTime: now})
	}

	started := *s.StartTime
	s.InitContainerStatuses = nil
	for _, c := range pod.Spec.InitContainers {
		if c.RestartPolicy != nil && *c.RestartPolicy == v1.ContainerRestartPolicyAlways {
			// A sidecar: it keeps running beside the main containers.
			s.InitContainerStatuses = append(s.InitContainerStatuses, runningContainer(pod, c, started))
			continue
		}
		st := containerStatus(pod, c)
		st.State.Terminated = &v1.ContainerStateTerminated{
			ExitCode: 0, Reason: "Completed", StartedAt: started, FinishedAt: started, ContainerID: st.ContainerID,
		}
		s.InitContainerStatuses = append(s.InitContainerStatuses, st)
	}
	s.ContainerStatuses = nil
	for _, c := range pod.Spec.Containers {
		s.ContainerStatuses = append(s.ContainerStatuses, runningContainer(pod, c, started))
	}
	return s
}

func runningContainer(pod *v1.Pod, c v1.Container, startedAt metav1.Time) v1.ContainerStatus {
	st := containerStatus(pod, c)
	st.State.Running = &v1.ContainerStateRunning{StartedAt: startedAt}
	st.Ready = true
	st.Started = new(true)
	return st
}

// containerStatus is the part of a container's status that does not depend on
// its state. The IDs say plainly that no runtime was involved.
func containerStatus(pod *v1.Pod, c v1.Container) v1.ContainerStatus {
	return v1.ContainerStatus{
		Name:        c.Name,
		Image:       c.Image,
		ImageID:     "fn-mesh-standin://" + c.Image,
		ContainerID: fmt.Sprintf("fn-mesh-standin://%s/%s", pod.UID, c.Name),
	}
}

// setPodCondition sets c, keeping the transition time when the status is unchanged.
func setPodCondition(s *v1.PodStatus, c v1.PodCondition) {
	for i := range s.Conditions {
		if s.Conditions[i].Type != c.Type {
			continue
		}
		if s.Conditions[i].Status == c.Status {
			c.LastTransitionTime = s.Conditions[i].LastTransitionTime
		}
		s.Conditions[i] = c
		return
	}
	s.Conditions = append(s.Conditions, c)
}

// statusIsCurrent tells whether pod already reports what runningStatus would
// (so an unchanged pod costs no write): Running, Ready, and one ready container
// status per container with the spec's image.
func statusIsCurrent(pod *v1.Pod) bool {
	s := pod.Status
	if s.Phase != v1.PodRunning || s.PodIP != podIP || len(s.ContainerStatuses) != len(pod.Spec.Containers) ||
		len(s.InitContainerStatuses) != len(pod.Spec.InitContainers) {
		return false
	}
	for _, t := range readyConditions {
		if !hasCondition(s, t) {
			return false
		}
	}
	for i, c := range pod.Spec.Containers {
		st := s.ContainerStatuses[i]
		if st.Name != c.Name || st.Image != c.Image || !st.Ready || st.State.Running == nil {
			return false
		}
	}
	return true
}

func hasCondition(s v1.PodStatus, t v1.PodConditionType) bool {
	for _, c := range s.Conditions {
		if c.Type == t {
			return c.Status == v1.ConditionTrue
		}
	}
	return false
}
