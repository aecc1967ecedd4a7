package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"
)

// forwardAnnotation maps pod ports to local addresses, the stand-in's
// replacement for a container listening on them:
// "8080=127.0.0.1:18080,90=127.0.0.1:18090".
const forwardAnnotation = "fn-mesh.io/standin-forward"

type podLookup func(namespace, name string, uid types.UID) (*v1.Pod, error)

// forwarder implements the streaming server's PortForwarder: one call per
// forwarded connection, which it copies to and from the mapped local address.
type forwarder struct {
	lookup      podLookup
	dialTimeout time.Duration
	// twin is where the processes of a pod (by namespace/name) listen; "" for none.
	twin func(key string) string
}

// parseForwardMap reads the annotation's value; an empty value maps nothing.
func parseForwardMap(value string) (map[int32]string, error) {
	m := map[int32]string{}
	for entry := range strings.SplitSeq(value, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		portText, addr, ok := strings.Cut(entry, "=")
		if !ok {
			return nil, fmt.Errorf("%q is not PORT=HOST:PORT", entry)
		}
		port, err := strconv.ParseUint(strings.TrimSpace(portText), 10, 16)
		if err != nil || port == 0 {
			return nil, fmt.Errorf("%q: pod port must be 1-65535", entry)
		}
		addr = strings.TrimSpace(addr)
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return nil, fmt.Errorf("%q: %v", entry, err)
		}
		m[int32(port)] = addr
	}
	return m, nil
}

// target is the local address that a pod port forwards to: the annotation's mapping,
// else the port on the address where the stand-in runs the pod's processes (twin).
func target(pod *v1.Pod, port int32, twin string) (string, error) {
	value, ok := pod.Annotations[forwardAnnotation]
	if !ok && twin != "" {
		return net.JoinHostPort(twin, strconv.Itoa(int(port))), nil
	}
	if !ok {
		return "", fmt.Errorf("pod %s/%s has no %s annotation and no process of the kubelet stand-in, so nothing listens on port %d",
			pod.Namespace, pod.Name, forwardAnnotation, port)
	}
	m, err := parseForwardMap(value)
	if err != nil {
		return "", fmt.Errorf("pod %s/%s: bad %s annotation: %w", pod.Namespace, pod.Name, forwardAnnotation, err)
	}
	addr, ok := m[port]
	if !ok {
		mapped := make([]string, 0, len(m))
		for p := range m {
			mapped = append(mapped, strconv.Itoa(int(p)))
		}
		slices.Sort(mapped)
		return "", fmt.Errorf("pod %s/%s: port %d has no mapping in its %s annotation (mapped ports: %s)",
			pod.Namespace, pod.Name, port, forwardAnnotation, strings.Join(mapped, ", "))
	}
	return addr, nil
}

// PortForward copies one connection between stream and the local address mapped
// to port. Its error reaches the client on the connection's error stream.
func (f *forwarder) PortForward(ctx context.Context, key, uid string, port int32, stream io.ReadWriteCloser) error {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return err
	}
	pod, err := f.lookup(ns, name, types.UID(uid))
	if err != nil {
		return fmt.Errorf("pod %s: %w", key, err)
	}
	twin := ""
	if f.twin != nil {
		twin = f.twin(key)
	}
	addr, err := target(pod, port, twin)
	if err != nil {
		klog.InfoS("port-forward refused", "pod", key, "port", port, "reason", err.Error())
		return err
	}
	d := net.Dialer{Timeout: f.dialTimeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("pod %s port %d is mapped to %s, which does not answer: %w", key, port, addr, err)
	}
	defer conn.Close()
	klog.V(2).InfoS("forwarding connection", "pod", key, "port", port, "to", addr)

	// Client to target: when the client finishes sending, half-close the target
	// so that it sees EOF and can still answer. Not waited for: a client that
	// keeps its stream open but idle ends this copy only with its session.
	go func() {
		_, _ = io.Copy(conn, stream)
		if tcp, ok := conn.(*net.TCPConn); ok {
			_ = tcp.CloseWrite()
		}
	}()
	// Target to client: the connection is over when the target stops sending.
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	if _, err := io.Copy(stream, conn); err != nil && ctx.Err() == nil && !isClosedErr(err) {
		return fmt.Errorf("copying from %s: %w", addr, err)
	}
	return nil
}

// isClosedErr tells the errors of a connection that either side closed.
func isClosedErr(err error) bool {
	return errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
