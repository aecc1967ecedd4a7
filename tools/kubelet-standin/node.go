package main

import (
	"context"
	"fmt"
	"runtime"
	"syscall"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"
	"k8s.io/component-helpers/apimachinery/lease"
	"k8s.io/klog/v2"
	"k8s.io/utils/clock"
)

const (
	standinVersion = "v1.37.2-fn-mesh-standin"
	nodeLeaseNS    = "kube-node-lease"
)

// nodeAgent registers the Node and keeps it Ready: a Lease renewed every quarter
// of its duration (what the node lifecycle controller watches first) and the
// status conditions with a fresh heartbeat time.
type nodeAgent struct {
	client          kubernetes.Interface
	name            string
	kubeletPort     int32
	leaseDuration   time.Duration
	statusFrequency time.Duration
}

// register creates the Node, or takes over an existing one of the same name (a
// restarted stand-in), and posts a Ready status.
func (n *nodeAgent) register(ctx context.Context) error {
	node := &v1.Node{ObjectMeta: metav1.ObjectMeta{
		Name: n.name,
		Labels: map[string]string{
			v1.LabelHostname:             n.name,
			v1.LabelOSStable:             "linux",
			v1.LabelArchStable:           runtime.GOARCH,
			"fn-mesh.io/kubelet-standin": "true",
		},
	}}
	_, err := n.client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
	switch {
	case err == nil:
		klog.InfoS("registered node", "node", n.name)
	case apierrors.IsAlreadyExists(err):
		klog.InfoS("node already registered: taking it over", "node", n.name)
	default:
		return fmt.Errorf("registering node %s: %w", n.name, err)
	}
	return n.postStatus(ctx)
}

func (n *nodeAgent) postStatus(ctx context.Context) error {
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		node, err := n.client.CoreV1().Nodes().Get(ctx, n.name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		n.fillStatus(&node.Status, metav1.Now())
		_, err = n.client.CoreV1().Nodes().UpdateStatus(ctx, node, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		return fmt.Errorf("posting status of node %s: %w", n.name, err)
	}
	return nil
}

// fillStatus sets everything the stand-in reports; a condition keeps its
// transition time while its status does not change.
func (n *nodeAgent) fillStatus(s *v1.NodeStatus, now metav1.Time) {
	s.Addresses = []v1.NodeAddress{{Type: v1.NodeInternalIP, Address: "127.0.0.1"}}
	s.DaemonEndpoints.KubeletEndpoint.Port = n.kubeletPort
	s.Capacity = capacity()
	s.Allocatable = capacity()
	s.Phase = "" // deprecated; a kubelet leaves it unset
	s.NodeInfo = v1.NodeSystemInfo{
		MachineID:               "fn-mesh-standin",
		SystemUUID:              "fn-mesh-standin",
		BootID:                  "fn-mesh-standin",
		KernelVersion:           "n/a (stand-in)",
		OSImage:                 "fn-mesh kubelet stand-in (runs nginx and the gateway stand-in as local processes)",
		ContainerRuntimeVersion: "fn-mesh-standin://0.0.0",
		KubeletVersion:          standinVersion,
		OperatingSystem:         "linux",
		Architecture:            runtime.GOARCH,
	}
	want := []v1.NodeCondition{
		{Type: v1.NodeMemoryPressure, Status: v1.ConditionFalse, Reason: "KubeletHasSufficientMemory", Message: "stand-in: no containers run"},
		{Type: v1.NodeDiskPressure, Status: v1.ConditionFalse, Reason: "KubeletHasNoDiskPressure", Message: "stand-in: no containers run"},
		{Type: v1.NodePIDPressure, Status: v1.ConditionFalse, Reason: "KubeletHasSufficientPID", Message: "stand-in: no containers run"},
		{Type: v1.NodeReady, Status: v1.ConditionTrue, Reason: "KubeletReady", Message: "fn-mesh kubelet stand-in is posting ready status"},
	}
	for _, c := range want {
		c.LastHeartbeatTime = now
		c.LastTransitionTime = now
		for _, old := range s.Conditions {
			if old.Type == c.Type && old.Status == c.Status {
				c.LastTransitionTime = old.LastTransitionTime
			}
		}
		setNodeCondition(s, c)
	}
}

func setNodeCondition(s *v1.NodeStatus, c v1.NodeCondition) {
	for i := range s.Conditions {
		if s.Conditions[i].Type == c.Type {
			s.Conditions[i] = c
			return
		}
	}
	s.Conditions = append(s.Conditions, c)
}

// capacity reports the machine's CPUs and memory; nothing is ever reserved.
func capacity() v1.ResourceList {
	mem := int64(8 << 30)
	var info syscall.Sysinfo_t
	if syscall.Sysinfo(&info) == nil {
		mem = int64(info.Totalram) * int64(info.Unit)
	}
	return v1.ResourceList{
		v1.ResourceCPU:    *resource.NewQuantity(int64(runtime.NumCPU()), resource.DecimalSI),
		v1.ResourceMemory: *resource.NewQuantity(mem, resource.BinarySI),
		v1.ResourcePods:   *resource.NewQuantity(110, resource.DecimalSI),
	}
}

// postStatusEvery posts the status heartbeat until ctx ends.
func (n *nodeAgent) postStatusEvery(ctx context.Context) {
	wait.UntilWithContext(ctx, func(ctx context.Context) {
		if err := n.postStatus(ctx); err != nil && ctx.Err() == nil {
			klog.ErrorS(err, "node status heartbeat failed")
		}
	}, n.statusFrequency)
}

// startLease runs the node Lease heartbeat with the lease controller the kubelet
// uses; the returned function stops it (and deletes the Lease, as that controller does).
func (n *nodeAgent) startLease() (stop func()) {
	seconds := int32(n.leaseDuration / time.Second)
	ctl := lease.NewController(clock.RealClock{}, n.client, n.name, seconds,
		func() { klog.InfoS("node lease renewal keeps failing", "node", n.name) },
		n.leaseDuration/4, n.name, nodeLeaseNS, n.ownLease)
	stopCh := make(chan struct{})
	if err := ctl.Start(stopCh); err != nil {
		klog.ErrorS(err, "starting the node lease heartbeat")
	}
	klog.InfoS("node lease heartbeat started", "lease", klog.KRef(nodeLeaseNS, n.name), "duration", n.leaseDuration)
	return func() {
		close(stopCh)
		ctl.Stop()
	}
}

// ownLease makes the Node the Lease's owner, so deleting the Node removes it (as
// the kubelet does).
func (n *nodeAgent) ownLease(l *coordinationv1.Lease) error {
	if len(l.OwnerReferences) > 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	node, err := n.client.CoreV1().Nodes().Get(ctx, n.name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	l.OwnerReferences = []metav1.OwnerReference{{
		APIVersion: "v1", Kind: "Node", Name: node.Name, UID: node.UID,
	}}
	return nil
}
