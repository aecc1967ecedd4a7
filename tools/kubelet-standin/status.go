package main

import (
	"fmt"

	v1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The node's address: the host IP of every pod, and the pod IP of host-network pods.
const nodeIP = "127.0.0.1"

// podStatus is the status a kubelet would post for pod given its containers' states
// (by container name) and its IP, keeping the times of what did not change.
//
// Phase is Running once no init container blocks and a container runs, else Pending.
// Initialized is False while an init container that must finish cannot run; Ready and
// ContainersReady are True when every container and sidecar is ready.
func podStatus(pod *v1.Pod, now metav1.Time, ip string, states map[string]containerState) v1.PodStatus {
	s := *pod.Status.DeepCopy()
	s.Reason, s.Message = "", ""
	s.HostIP = nodeIP
	s.HostIPs = []v1.HostIP{{IP: nodeIP}}
	s.PodIP = ip
	s.PodIPs = []v1.PodIP{{IP: ip}}
	if s.StartTime == nil {
		s.StartTime = &now
	}

	initialized, allReady, anyRunning := true, true, false
	var notReady []string
	prev := map[string]v1.ContainerStatus{}
	for _, st := range append(append([]v1.ContainerStatus{}, s.InitContainerStatuses...), s.ContainerStatuses...) {
		prev[st.Name] = st
	}
	s.InitContainerStatuses = nil
	for _, c := range pod.Spec.InitContainers {
		st := containerStatusOf(pod, c, states[c.Name], prev[c.Name], now)
		if isSidecar(c) {
			allReady = allReady && st.Ready
			if !st.Ready {
				notReady = append(notReady, c.Name)
			}
		} else if st.State.Running != nil {
			// A running init container of a forwarded pod: report it completed.
			st.State = v1.ContainerState{Terminated: &v1.ContainerStateTerminated{ExitCode: 0, Reason: "Completed",
				StartedAt: st.State.Running.StartedAt, FinishedAt: st.State.Running.StartedAt, ContainerID: st.ContainerID,
				Message: states[c.Name].message}}
			st.Ready, st.Started = false, new(false)
		} else {
			initialized = false
		}
		s.InitContainerStatuses = append(s.InitContainerStatuses, st)
	}
	s.ContainerStatuses = nil
	for _, c := range pod.Spec.Containers {
		st := containerStatusOf(pod, c, states[c.Name], prev[c.Name], now)
		anyRunning = anyRunning || st.State.Running != nil
		allReady = allReady && st.Ready
		if !st.Ready {
			notReady = append(notReady, c.Name)
		}
		s.ContainerStatuses = append(s.ContainerStatuses, st)
	}

	s.Phase = v1.PodPending
	if initialized && anyRunning {
		s.Phase = v1.PodRunning
	}
	setPodCondition(&s, v1.PodCondition{Type: v1.PodReadyToStartContainers, Status: v1.ConditionTrue, LastTransitionTime: now})
	setPodCondition(&s, condition(v1.PodInitialized, initialized, "ContainersNotInitialized", "containers with incomplete status: init containers the stand-in cannot run", now))
	msg := fmt.Sprintf("containers with unready status: %v", notReady)
	setPodCondition(&s, condition(v1.ContainersReady, allReady && initialized, "ContainersNotReady", msg, now))
	setPodCondition(&s, condition(v1.PodReady, allReady && initialized, "ContainersNotReady", msg, now))
	return s
}

func condition(t v1.PodConditionType, ok bool, reason, msg string, now metav1.Time) v1.PodCondition {
	if ok {
		return v1.PodCondition{Type: t, Status: v1.ConditionTrue, LastTransitionTime: now}
	}
	return v1.PodCondition{Type: t, Status: v1.ConditionFalse, Reason: reason, Message: msg, LastTransitionTime: now}
}

// containerStatusOf turns a container's state into its status. The IDs say plainly
// which stand-in ran it.
func containerStatusOf(pod *v1.Pod, c v1.Container, cs containerState, prev v1.ContainerStatus, now metav1.Time) v1.ContainerStatus {
	st := v1.ContainerStatus{
		Name:         c.Name,
		Image:        c.Image,
		ImageID:      "fn-mesh-standin://" + c.Image,
		RestartCount: cs.restarts,
		Ready:        cs.running && cs.ready,
		Started:      new(cs.running),
	}
	if cs.running {
		st.ContainerID = fmt.Sprintf("fn-mesh-standin://%s/%s", pod.UID, c.Name)
		if cs.bypassed {
			st.ContainerID = fmt.Sprintf("fn-mesh-standin-bypassed://%s/%s", pod.UID, c.Name)
			st.ImageID = "fn-mesh-standin-bypassed://" + c.Image
		}
		startedAt := metav1.NewTime(cs.startedAt)
		if prev.State.Running != nil && prev.ContainerID == st.ContainerID && prev.RestartCount == cs.restarts {
			startedAt = prev.State.Running.StartedAt // same run: keep the posted time
		}
		st.State.Running = &v1.ContainerStateRunning{StartedAt: startedAt}
	} else {
		reason := cs.reason
		if reason == "" {
			reason = "ContainerCreating"
		}
		st.State.Waiting = &v1.ContainerStateWaiting{Reason: reason, Message: cs.message}
	}
	if cs.lastTerm != nil {
		st.LastTerminationState.Terminated = cs.lastTerm.DeepCopy()
		if prev.LastTerminationState.Terminated != nil && prev.RestartCount == cs.restarts {
			st.LastTerminationState.Terminated.FinishedAt = prev.LastTerminationState.Terminated.FinishedAt
		} else {
			st.LastTerminationState.Terminated.FinishedAt = now
		}
	}
	return st
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

// statusIsCurrent tells whether pod already reports want (so an unchanged pod costs
// no write).
func statusIsCurrent(pod *v1.Pod, want v1.PodStatus) bool {
	return apiequality.Semantic.DeepEqual(pod.Status, want)
}

func hasCondition(s v1.PodStatus, t v1.PodConditionType) bool {
	for _, c := range s.Conditions {
		if c.Type == t {
			return c.Status == v1.ConditionTrue
		}
	}
	return false
}
