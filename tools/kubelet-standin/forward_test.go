package main

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

func TestParseForwardMap(t *testing.T) {
	m, err := parseForwardMap(" 8080=127.0.0.1:18080, 90=127.0.0.1:18090 ,")
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 2 || m[8080] != "127.0.0.1:18080" || m[90] != "127.0.0.1:18090" {
		t.Fatalf("got %v", m)
	}
	for _, bad := range []string{"8080", "0=127.0.0.1:1", "70000=127.0.0.1:1", "x=127.0.0.1:1", "80=127.0.0.1"} {
		if _, err := parseForwardMap(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func podWith(annotation string) *v1.Pod {
	return &v1.Pod{ObjectMeta: metav1.ObjectMeta{
		Namespace: "fn-system", Name: "fn-0", UID: "u1",
		Annotations: map[string]string{forwardAnnotation: annotation},
	}}
}

func TestTargetNamesMappedPortsWhenUnmapped(t *testing.T) {
	_, err := target(podWith("8080=127.0.0.1:1,90=127.0.0.1:2"), 81, "127.244.0.2")
	if err == nil || !strings.Contains(err.Error(), "port 81 has no mapping") || !strings.Contains(err.Error(), "8080, 90") {
		t.Fatalf("got %v", err)
	}
	_, err = target(&v1.Pod{}, 80, "")
	if err == nil || !strings.Contains(err.Error(), "no "+forwardAnnotation) {
		t.Fatalf("got %v", err)
	}
	// A pod whose processes the stand-in runs: the port on its loopback twin.
	if addr, err := target(&v1.Pod{}, 8080, "127.244.0.2"); err != nil || addr != "127.244.0.2:8080" {
		t.Fatalf("twin target: %q, %v", addr, err)
	}
}

// fakeStream is a client that sends its input, then half-closes (EOF), and
// records what it receives.
type fakeStream struct {
	io.Reader
	got strings.Builder
}

func (s *fakeStream) Write(p []byte) (int, error) { return s.got.Write(p) }
func (s *fakeStream) Close() error                { return nil }

// A round trip through PortForward to a local server that answers once the
// client has finished sending, as an HTTP/1.0 exchange would.
func TestPortForwardCopiesBothWays(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		data, _ := io.ReadAll(c) // EOF arrives only if the forwarder half-closes
		_, _ = c.Write([]byte("echo:" + string(data)))
	}()

	pod := podWith("8080=" + ln.Addr().String())
	f := &forwarder{
		lookup:      func(string, string, types.UID) (*v1.Pod, error) { return pod, nil },
		dialTimeout: time.Second,
	}
	stream := &fakeStream{Reader: strings.NewReader("hello")}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := f.PortForward(ctx, "fn-system/fn-0", "u1", 8080, stream); err != nil {
		t.Fatalf("PortForward: %v", err)
	}
	if got := stream.got.String(); got != "echo:hello" {
		t.Fatalf("client received %q", got)
	}
}

func TestPortForwardUnansweredTarget(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	pod := podWith("90=" + addr)
	f := &forwarder{lookup: func(string, string, types.UID) (*v1.Pod, error) { return pod, nil }, dialTimeout: time.Second}
	err = f.PortForward(context.Background(), "fn-system/fn-0", "", 90, &fakeStream{Reader: strings.NewReader("")})
	if err == nil || !strings.Contains(err.Error(), "does not answer") {
		t.Fatalf("got %v", err)
	}
}
