// Command fn-mesh-istio-config splits the output of `istioctl manifest generate` (read
// from stdin) into the files the local Istio of scripts/istio.sh needs, so that istiod,
// its webhooks, the ingress gateway and `istioctl kube-inject` all use the
// configuration Istio's own installer produces:
//
//	mesh              the mesh configuration (ConfigMap istio, key mesh)
//	inject-config     the injection template (ConfigMap istio-sidecar-injector, key config)
//	inject-values     the injection values (same ConfigMap, key values)
//	configmaps.yaml   both ConfigMaps, as a cluster has them in istio-system
//	webhooks.yaml     the injection and both validation webhooks (the revision's and the
//	                  default revision's), pointed at istiod's URL (-webhook-url) instead
//	                  of the istiod Service; validation fails closed (failurePolicy Fail)
//	gateway.yaml      the istio-ingressgateway ServiceAccount, Role, RoleBinding,
//	                  Deployment and Service, as the default profile lays them out
//
// Test infrastructure only: never shipped in the VSIX.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"sigs.k8s.io/yaml"
)

type object = map[string]any

func main() {
	out := flag.String("out", ".", "directory for the files")
	url := flag.String("webhook-url", "https://localhost:15017", "base URL of istiod's webhooks")
	flag.Parse()
	if err := run(os.Stdin, *out, strings.TrimRight(*url, "/")); err != nil {
		fmt.Fprintln(os.Stderr, "fn-mesh-istio-config:", err)
		os.Exit(1)
	}
}

var separator = regexp.MustCompile(`(?m)^---\s*$`)

func run(in io.Reader, out, url string) error {
	data, err := io.ReadAll(bufio.NewReader(in))
	if err != nil {
		return err
	}
	var objs []object
	for i, doc := range separator.Split(string(data), -1) {
		if strings.TrimSpace(doc) == "" {
			continue
		}
		var o object
		if err := yaml.Unmarshal([]byte(doc), &o); err != nil {
			return fmt.Errorf("manifest document %d: %w", i, err)
		}
		if o != nil {
			objs = append(objs, o)
		}
	}
	find := func(kind, name string) object {
		for _, o := range objs {
			if o["kind"] == kind && str(o, "metadata", "name") == name {
				return o
			}
		}
		return nil
	}
	mesh, injector := find("ConfigMap", "istio"), find("ConfigMap", "istio-sidecar-injector")
	if mesh == nil || injector == nil {
		return fmt.Errorf("the manifest lacks ConfigMap istio or istio-sidecar-injector")
	}
	files := map[string]string{
		"mesh":          str(mesh, "data", "mesh"),
		"inject-config": str(injector, "data", "config"),
		"inject-values": str(injector, "data", "values"),
	}
	for name, text := range files {
		if text == "" {
			return fmt.Errorf("the manifest's ConfigMaps lack %s", name)
		}
	}
	docs := map[string][]object{"configmaps.yaml": {mesh, injector}}

	mutating := find("MutatingWebhookConfiguration", "istio-sidecar-injector")
	if mutating == nil {
		return fmt.Errorf("the manifest lacks MutatingWebhookConfiguration istio-sidecar-injector")
	}
	if err := pointAt(mutating, url, ""); err != nil {
		return err
	}
	docs["webhooks.yaml"] = []object{mutating}
	// istio-validator-istio-system validates objects labelled istio.io/rev=default;
	// istiod-default-validator (generated with defaultRevision=default, as the default
	// revision of an install has it) validates all the others.
	for _, o := range objs {
		if o["kind"] != "ValidatingWebhookConfiguration" {
			continue
		}
		if err := pointAt(o, url, "Fail"); err != nil {
			return err
		}
		docs["webhooks.yaml"] = append(docs["webhooks.yaml"], o)
	}
	if len(docs["webhooks.yaml"]) < 3 {
		return fmt.Errorf("the manifest lacks the ValidatingWebhookConfigurations (generate it with --set values.defaultRevision=default)")
	}

	for _, kind := range []string{"ServiceAccount", "Role", "RoleBinding", "Deployment", "Service"} {
		for _, o := range objs {
			if o["kind"] == kind && str(o, "metadata", "namespace") == "istio-system" &&
				strings.HasPrefix(str(o, "metadata", "name"), "istio-ingressgateway") {
				docs["gateway.yaml"] = append(docs["gateway.yaml"], o)
			}
		}
	}
	if len(docs["gateway.yaml"]) < 2 {
		return fmt.Errorf("the manifest lacks the istio-ingressgateway Deployment and Service")
	}

	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for name, list := range docs {
		var b bytes.Buffer
		for _, o := range list {
			y, err := yaml.Marshal(o)
			if err != nil {
				return err
			}
			b.WriteString("---\n")
			b.Write(y)
		}
		files[name] = b.String()
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(out, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// pointAt makes every webhook of cfg call url + the path its Service reference had,
// and sets the failure policy when one is given.
func pointAt(cfg object, url, failurePolicy string) error {
	hooks, _ := cfg["webhooks"].([]any)
	if len(hooks) == 0 {
		return fmt.Errorf("%s %s has no webhooks", cfg["kind"], str(cfg, "metadata", "name"))
	}
	for _, h := range hooks {
		hook := h.(object)
		cc, _ := hook["clientConfig"].(object)
		path := str(cc, "service", "path")
		if path == "" {
			return fmt.Errorf("webhook %s has no service path", hook["name"])
		}
		hook["clientConfig"] = object{"url": url + path}
		if failurePolicy != "" {
			hook["failurePolicy"] = failurePolicy
		}
	}
	return nil
}

// str reads a string at a path of nested maps ("" when absent).
func str(o object, path ...string) string {
	var cur any = o
	for _, p := range path {
		m, ok := cur.(object)
		if !ok {
			return ""
		}
		cur = m[p]
	}
	s, _ := cur.(string)
	return s
}
