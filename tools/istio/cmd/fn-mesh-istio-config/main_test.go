package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A manifest shaped like `istioctl manifest generate` output, reduced to what matters.
const manifest = `apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |-
    defaultConfig:
      discoveryAddress: istiod.istio-system.svc:15012
---
apiVersion: v1
kind: ConfigMap
metadata: {name: istio-sidecar-injector, namespace: istio-system}
data:
  config: "policy: enabled"
  values: '{"global":{}}'
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: istio-sidecar-injector}
webhooks:
- name: namespace.sidecar-injector.istio.io
  clientConfig:
    service: {name: istiod, namespace: istio-system, path: /inject, port: 443}
  namespaceSelector: {matchLabels: {istio-injection: enabled}}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: istiod-default-validator}
webhooks:
- name: validation.istio.io
  clientConfig: {service: {name: istiod, namespace: istio-system, path: /validate}}
  failurePolicy: Ignore
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: istio-validator-istio-system, labels: {istio.io/rev: default}}
webhooks:
- name: rev.validation.istio.io
  clientConfig: {service: {name: istiod, namespace: istio-system, path: /validate}}
  failurePolicy: Ignore
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istio-ingressgateway, namespace: istio-system}
---
apiVersion: v1
kind: Service
metadata: {name: istio-ingressgateway, namespace: istio-system}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod, namespace: istio-system}
`

func TestSplitsTheManifest(t *testing.T) {
	dir := t.TempDir()
	if err := run(strings.NewReader(manifest), dir, "https://localhost:25017"); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if got := read("mesh"); !strings.Contains(got, "discoveryAddress") {
		t.Errorf("mesh: %q", got)
	}
	if read("inject-config") != "policy: enabled" || read("inject-values") != `{"global":{}}` {
		t.Errorf("injector files: %q %q", read("inject-config"), read("inject-values"))
	}
	hooks := read("webhooks.yaml")
	for _, want := range []string{"url: https://localhost:25017/inject", "url: https://localhost:25017/validate",
		"name: istio-validator-istio-system", "name: istiod-default-validator", "istio-injection: enabled"} {
		if !strings.Contains(hooks, want) {
			t.Errorf("webhooks.yaml lacks %q:\n%s", want, hooks)
		}
	}
	if strings.Contains(hooks, "service:") || strings.Contains(hooks, "Ignore") || strings.Count(hooks, "failurePolicy: Fail") != 2 {
		t.Errorf("webhooks.yaml keeps a Service reference or a validator that fails open:\n%s", hooks)
	}
	gw := read("gateway.yaml")
	if strings.Count(gw, "name: istio-ingressgateway") != 2 || strings.Contains(gw, "name: istiod") {
		t.Errorf("gateway.yaml:\n%s", gw)
	}
}

func TestRefusesAManifestWithoutTheInjector(t *testing.T) {
	err := run(strings.NewReader("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio}\ndata: {mesh: x}\n"), t.TempDir(), "https://x")
	if err == nil || !strings.Contains(err.Error(), "istio-sidecar-injector") {
		t.Fatalf("got %v", err)
	}
}
