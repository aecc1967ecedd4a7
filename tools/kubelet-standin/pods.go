package main

import (
	"context"
	"fmt"
	"time"

	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	coreinformers "k8s.io/client-go/informers/core/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	typedcorev1 "k8s.io/client-go/kubernetes/typed/core/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/retry"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"
)

// The scheduler name a pod gets when it names none; no other scheduler runs here.
const defaultScheduler = v1.DefaultSchedulerName

// podController plays two roles over one pod informer: the scheduler (bind pods
// that have no node) and the kubelet of its node (report pods Running and Ready,
// finish deletions). Each pod key goes through a rate-limited work queue, so a
// failed API call is retried with backoff.
type podController struct {
	client   kubernetes.Interface
	lister   corelisters.PodLister
	synced   cache.InformerSynced
	queue    workqueue.TypedRateLimitingInterface[string]
	recorder record.EventRecorder
	node     string
	runtime  *podRuntime
}

func newPodController(client kubernetes.Interface, informer coreinformers.PodInformer, node string, rt *podRuntime) *podController {
	c := &podController{
		runtime: rt,
		client:  client,
		lister:  informer.Lister(),
		synced:  informer.Informer().HasSynced,
		queue: workqueue.NewTypedRateLimitingQueueWithConfig(
			workqueue.DefaultTypedControllerRateLimiter[string](),
			workqueue.TypedRateLimitingQueueConfig[string]{Name: "pods"}),
		node: node,
	}
	enqueue := func(obj any) {
		if key, err := cache.DeletionHandlingMetaNamespaceKeyFunc(obj); err == nil {
			c.queue.Add(key)
		}
	}
	_, err := informer.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    enqueue,
		UpdateFunc: func(_, obj any) { enqueue(obj) },
		DeleteFunc: enqueue, // a pod removed at once (grace 0): its processes must stop
	})
	utilruntime.Must(err) // only fails once the informer has stopped
	rt.notify = c.queue.Add
	return c
}

// run works the queue until ctx ends.
func (c *podController) run(ctx context.Context) {
	defer c.queue.ShutDown()
	broadcaster := record.NewBroadcaster(record.WithContext(ctx))
	broadcaster.StartRecordingToSink(&typedcorev1.EventSinkImpl{Interface: c.client.CoreV1().Events("")})
	defer broadcaster.Shutdown()
	c.recorder = broadcaster.NewRecorder(scheme.Scheme, v1.EventSource{Component: "fn-mesh-kubelet-standin", Host: c.node})

	if !cache.WaitForCacheSync(ctx.Done(), c.synced) {
		return
	}
	klog.InfoS("pod informer synced: scheduling and running pods", "node", c.node)
	go wait.UntilWithContext(ctx, c.worker, time.Second)
	<-ctx.Done()
}

func (c *podController) worker(ctx context.Context) {
	for {
		key, quit := c.queue.Get()
		if quit {
			return
		}
		if err := c.sync(ctx, key); err != nil && ctx.Err() == nil {
			klog.ErrorS(err, "pod sync failed, will retry", "pod", key)
			c.queue.AddRateLimited(key)
		} else {
			c.queue.Forget(key)
		}
		c.queue.Done(key)
	}
}

func (c *podController) sync(ctx context.Context, key string) error {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return nil
	}
	pod, err := c.lister.Pods(ns).Get(name)
	if apierrors.IsNotFound(err) {
		c.runtime.stopPod(key, 0) // gone: its containers stop too
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case pod.Spec.NodeName == "":
		return c.schedule(ctx, pod)
	case pod.Spec.NodeName != c.node:
		return nil // another node's pod
	case pod.DeletionTimestamp != nil:
		return c.finishDeletion(ctx, pod)
	}
	return c.runPod(ctx, key, pod)
}

// runPod starts pod's containers if they do not run yet and posts its status when it
// differs from what the containers' states say.
func (c *podController) runPod(ctx context.Context, key string, pod *v1.Pod) error {
	if _, err := c.runtime.ensure(pod); err != nil {
		return fmt.Errorf("starting the pod's containers: %w", err)
	}
	ip, states, ok := c.runtime.states(key)
	if !ok || statusIsCurrent(pod, podStatus(pod, metav1.Now(), ip, states)) {
		return nil
	}
	return c.postStatus(ctx, key, pod)
}

// schedule binds a pod to this node through the pods/binding subresource, as
// kube-scheduler would. Pods for another named scheduler are left alone.
func (c *podController) schedule(ctx context.Context, pod *v1.Pod) error {
	if pod.DeletionTimestamp != nil || (pod.Spec.SchedulerName != "" && pod.Spec.SchedulerName != defaultScheduler) {
		return nil
	}
	binding := &v1.Binding{
		ObjectMeta: metav1.ObjectMeta{Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID},
		Target:     v1.ObjectReference{Kind: "Node", Name: c.node},
	}
	err := c.client.CoreV1().Pods(pod.Namespace).Bind(ctx, binding, metav1.CreateOptions{})
	if apierrors.IsConflict(err) || apierrors.IsNotFound(err) {
		return nil // bound meanwhile, or deleted: the informer brings the news
	}
	if err != nil {
		return fmt.Errorf("binding pod to %s: %w", c.node, err)
	}
	klog.InfoS("scheduled pod", "pod", klog.KObj(pod), "node", c.node)
	c.recorder.Eventf(pod, v1.EventTypeNormal, "Scheduled", "Successfully assigned %s/%s to %s (fn-mesh kubelet stand-in)", pod.Namespace, pod.Name, c.node)
	return nil
}

// finishDeletion stops a terminating pod's containers (SIGTERM, SIGKILL after the
// grace period, at most 10 s) and then removes the pod.
func (c *podController) finishDeletion(ctx context.Context, pod *v1.Pod) error {
	grace := 10 * time.Second
	if g := pod.DeletionGracePeriodSeconds; g != nil && time.Duration(*g)*time.Second < grace {
		grace = time.Duration(*g) * time.Second
	}
	c.runtime.stopPod(pod.Namespace+"/"+pod.Name, grace)
	err := c.client.CoreV1().Pods(pod.Namespace).Delete(ctx, pod.Name, metav1.DeleteOptions{
		GracePeriodSeconds: new(int64),
		Preconditions:      &metav1.Preconditions{UID: &pod.UID},
	})
	if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
		return nil // already gone, or a new pod of the same name
	}
	if err != nil {
		return fmt.Errorf("deleting terminated pod: %w", err)
	}
	klog.InfoS("pod terminated and deleted", "pod", klog.KObj(pod))
	return nil
}

// postStatus writes the status a kubelet would post for the pod's containers' states.
func (c *podController) postStatus(ctx context.Context, key string, pod *v1.Pod) error {
	var updated *v1.Pod
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		latest, err := c.client.CoreV1().Pods(pod.Namespace).Get(ctx, pod.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if latest.UID != pod.UID || latest.DeletionTimestamp != nil {
			return nil // replaced or terminating: the next sync handles it
		}
		ip, states, ok := c.runtime.states(key)
		if !ok {
			return nil
		}
		latest.Status = podStatus(latest, metav1.Now(), ip, states)
		updated, err = c.client.CoreV1().Pods(pod.Namespace).UpdateStatus(ctx, latest, metav1.UpdateOptions{})
		return err
	})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("posting pod status: %w", err)
	}
	if updated != nil {
		ready := hasCondition(updated.Status, v1.PodReady)
		klog.InfoS("pod status posted", "pod", klog.KObj(pod), "phase", updated.Status.Phase, "ready", ready, "podIP", updated.Status.PodIP)
		for _, st := range append(append([]v1.ContainerStatus{}, updated.Status.InitContainerStatuses...), updated.Status.ContainerStatuses...) {
			if w := st.State.Waiting; w != nil && w.Reason == reasonCannotRun && !waitingFor(pod.Status, st.Name, reasonCannotRun) {
				c.recorder.Eventf(updated, v1.EventTypeWarning, reasonCannotRun, "Container %s not run: %s", st.Name, w.Message)
			}
		}
		if ready && !hasCondition(pod.Status, v1.PodReady) {
			c.recorder.Event(updated, v1.EventTypeNormal, "Started", "Containers ready (fn-mesh kubelet stand-in: nginx and the gateway stand-in run as local processes; forwarded pods run nothing)")
		}
	}
	return nil
}

// lookup returns a pod bound to this node, for the port-forward API; uid, when
// not empty, must match.
func (c *podController) lookup(namespace, name string, uid types.UID) (*v1.Pod, error) {
	pod, err := c.lister.Pods(namespace).Get(name)
	if err != nil {
		return nil, err
	}
	if pod.Spec.NodeName != c.node || (uid != "" && pod.UID != uid) {
		return nil, apierrors.NewNotFound(v1.Resource("pods"), name)
	}
	return pod, nil
}

// waitingFor tells whether status already reported container name waiting for reason.
func waitingFor(status v1.PodStatus, name, reason string) bool {
	for _, st := range append(append([]v1.ContainerStatus{}, status.InitContainerStatuses...), status.ContainerStatuses...) {
		if st.Name == name && st.State.Waiting != nil && st.State.Waiting.Reason == reason {
			return true
		}
	}
	return false
}
