#!/usr/bin/env bash
# End-to-end check of a running local control plane (scripts/controlplane.sh start):
# the behaviours the extension's tests rely on, each asserted against the real API server.
#
#   scripts/controlplane.sh start && scripts/istio.sh start && tools/controlplane/smoke-test.sh
#   (then scripts/istio.sh stop; scripts/controlplane.sh stop). The kubelet stand-in is
#   optional: with it, the injected pod's status is checked too.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
eval "$("$here/../../scripts/controlplane.sh" env)"
ns=fn-mesh-smoke
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

admin() { "$FN_MESH_KUBECTL" --kubeconfig "$KUBECONFIG" --cache-dir "$work/cache" "$@"; }
limited() { "$FN_MESH_KUBECTL" --kubeconfig "$FN_MESH_KUBECONFIG_LIMITED" --cache-dir "$work/cache" "$@"; }

passed=0
pass() { passed=$((passed + 1)) && printf 'ok %2d  %s\n' "$passed" "$1"; }
fail() { printf 'FAIL    %s\n%s\n' "$1" "${2:-}" >&2 && exit 1; }

# expect_ok NAME CMD...: CMD succeeds.
expect_ok() {
  local name="$1" out
  shift
  out="$("$@" 2>&1)" || fail "$name" "$out"
  pass "$name"
}

# expect_error NAME PATTERN CMD...: CMD fails and its output matches PATTERN (grep -E).
expect_error() {
  local name="$1" pattern="$2" out
  shift 2
  if out="$("$@" 2>&1)"; then fail "$name: expected an error, got success" "$out"; fi
  grep -qE "$pattern" <<<"$out" || fail "$name: error does not match /$pattern/" "$out"
  pass "$name"
}

# vs NAME WEIGHT_V1 [EXTRA_ROUTE_YAML]: a VirtualService splitting hello between two subsets.
vs() {
  cat <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: $1, namespace: $ns}
spec:
  hosts: [hello]
  http:
  - ${3:-name: split}
    route:
    - destination: {host: hello, subset: v1}
      weight: $2
    - destination: {host: hello, subset: v2}
      weight: $((100 - $2))
EOF
}

# --- server and CRDs ---------------------------------------------------------
version="$(admin version -o json | sed -n 's/.*"gitVersion": "\(v[^"]*\)".*/\1/p' | tail -n1)"
[[ "$version" == v1.37.2 ]] || fail "server version is v1.37.2" "got '$version'"
pass "server reports $version"

istio_crds="$(admin get crd -o name | grep -c '\.istio\.io$' || true)"
gateway_crds="$(admin get crd -o name | grep -c '\.gateway\.networking\.k8s\.io$' || true)"
flagger_crds="$(admin get crd -o name | grep -c '\.flagger\.app$' || true)"
argo_crds="$(admin get crd -o name | grep -c '\.argoproj\.io$' || true)"
((istio_crds == 15 && gateway_crds == 10 && flagger_crds == 3 && argo_crds == 1)) ||
  fail "CRDs installed" "istio=$istio_crds gateway=$gateway_crds flagger=$flagger_crds argo=$argo_crds"
pass "CRDs installed: $istio_crds Istio, $gateway_crds Gateway API, $flagger_crds Flagger, $argo_crds Argo Rollouts"
expect_ok "networking.istio.io/v1 serves virtualservices" \
  sh -c "\"\$0\" --kubeconfig \"\$1\" get --raw /apis/networking.istio.io/v1 | grep -q '\"name\":\"virtualservices\"'" \
  "$FN_MESH_KUBECTL" "$KUBECONFIG"

admin delete namespace "$ns" --ignore-not-found --timeout=60s >/dev/null # a previous run on a kept cluster
admin create namespace "$ns" >/dev/null

# --- schema validation, CEL rules, strict fields --------------------------------
vs hello 90 >"$work/valid.yaml"
expect_ok "valid VirtualService: server-side apply" \
  admin apply --server-side --field-manager=fn-mesh-smoke -f "$work/valid.yaml"
vs bad 90 "timeout: 0.5ms" >"$work/cel.yaml"
expect_error "CEL rule rejects a 0.5ms timeout" 'timeout: Invalid value: "0.5ms": must be a valid duration greater than 1ms' \
  admin apply --server-side -f "$work/cel.yaml"
vs bad 90 | sed 's/weight: 90/weight: "ninety"/' >"$work/type.yaml"
expect_error "schema rejects a string weight" 'weight: expected numeric|weight in body must be of type integer' \
  admin apply --server-side -f "$work/type.yaml"
vs bad 90 | sed 's/weight: 90/wieght: 90/' >"$work/field.yaml"
expect_error "fieldValidation=Strict rejects an unknown field" 'strict decoding error: unknown field "spec.http\[0\].route\[0\].wieght"' \
  admin create --validate=strict --dry-run=server -f "$work/field.yaml"
expect_error "server-side apply rejects an unknown field" 'wieght: field not declared in schema' \
  admin apply --server-side -f "$work/field.yaml"
# Istio's CRD schema has no minimum on weight: istiod's validation webhook refuses it, as in
# a real cluster (scripts/istio.sh installs it with failurePolicy Fail).
vs bad 110 >"$work/negative.yaml"
expect_error "istiod's validation webhook refuses weight -10" \
  'admission webhook "[a-z.]*validation\.istio\.io" denied the request: configuration is invalid: weight -10 < 0' \
  admin apply --server-side --dry-run=server -f "$work/negative.yaml"
cat >"$work/httproute.yaml" <<EOF
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: bad, namespace: $ns}
spec:
  rules:
  - backendRefs:
    - {name: hello-v1, port: 8080, weight: -1}
EOF
expect_error "HTTPRoute schema rejects weight -1" 'weight: Invalid value: -1: .*greater than or equal to 0' \
  admin apply --server-side --dry-run=server -f "$work/httproute.yaml"

# --- server-side apply conflicts, optimistic concurrency --------------------------
vs hello 50 >"$work/other.yaml"
expect_error "server-side apply: another manager's change conflicts (409)" 'conflict|Apply failed with 1 conflict' \
  admin apply --server-side --field-manager=someone-else -f "$work/other.yaml"
expect_ok "server-side apply: --force-conflicts takes the field" \
  admin apply --server-side --field-manager=someone-else --force-conflicts -f "$work/other.yaml"
admin get vs hello -n "$ns" -o yaml >"$work/stale.yaml"
admin label vs hello -n "$ns" touched=yes >/dev/null
expect_error "update with a stale resourceVersion: 409" 'the object has been modified' \
  admin replace -f "$work/stale.yaml"

# --- RBAC ----------------------------------------------------------------------------
expect_error "limited user without a Role: 403" 'Forbidden|forbidden' limited get vs -n "$ns"
admin create role vs-reader -n "$ns" --verb=get,list,watch --resource=virtualservices.networking.istio.io >/dev/null
admin create rolebinding vs-reader -n "$ns" --role=vs-reader --user=fn-mesh-limited >/dev/null
for _ in {1..50}; do limited get vs -n "$ns" >/dev/null 2>&1 && break; sleep 0.1; done
expect_ok "limited user with a Role lists in its namespace" limited get vs -n "$ns"
expect_error "limited user: 403 in another namespace" 'Forbidden|forbidden' limited get vs -n default
expect_error "limited user: 403 on writes" 'Forbidden|forbidden' limited delete vs hello -n "$ns"

# --- controller manager ----------------------------------------------------------------
status="$("$here/../../scripts/controlplane.sh" status || true)"
if grep -q '^kube-controller-manager: running' <<<"$status"; then
  admin create deployment web -n "$ns" --image=example.invalid/web:1 --replicas=2 >/dev/null
  rs=""
  for _ in {1..150}; do
    rs="$(admin get rs -n "$ns" -l app=web -o name 2>/dev/null)"
    [[ -n "$rs" ]] && break
    sleep 0.2
  done
  [[ -n "$rs" ]] || fail "Deployment gets a ReplicaSet within 30 s"
  pass "Deployment gets a ReplicaSet ($rs)"
  pods=0
  for _ in {1..150}; do
    pods="$(admin get pods -n "$ns" -l app=web --field-selector=status.phase=Pending -o name | grep -c . || true)"
    ((pods == 2)) && break
    sleep 0.2
  done
  ((pods == 2)) || fail "ReplicaSet creates 2 Pending pods" "got $pods"
  pass "ReplicaSet creates 2 pods, Pending (no kubelet, or an image the kubelet stand-in cannot run)"
else
  echo "skip   Deployment -> ReplicaSet: kube-controller-manager is not running"
fi

# --- istiod's injection webhook ------------------------------------------------------------
inject_ns="$ns-inject"
admin delete namespace "$inject_ns" --ignore-not-found --timeout=60s >/dev/null
admin create namespace "$inject_ns" >/dev/null
admin label namespace "$inject_ns" istio-injection=enabled >/dev/null
# The ServiceAccount admission needs the namespace's default ServiceAccount (the controller
# manager's serviceaccount controller creates it).
for _ in {1..100}; do admin get serviceaccount default -n "$inject_ns" >/dev/null 2>&1 && break; sleep 0.2; done
expect_ok "pod created in a namespace labelled istio-injection=enabled" \
  admin run web -n "$inject_ns" --image=nginx:1.27-alpine --restart=Never
containers="$(admin get pod web -n "$inject_ns" -o jsonpath='{.spec.initContainers[*].name} {.spec.containers[*].name}')"
grep -qw istio-proxy <<<"$containers" || fail "the injected pod has the istio-proxy sidecar" "containers: $containers"
pass "istiod injected istio-proxy from its template (containers: $containers)"
if "$here/../../scripts/kubelet-standin.sh" status >/dev/null 2>&1; then
  proxy='{.status.initContainerStatuses[?(@.name=="istio-proxy")]'
  reason="" id=""
  for _ in {1..100}; do
    reason="$(admin get pod web -n "$inject_ns" -o jsonpath="$proxy.state.waiting.reason}")"
    id="$(admin get pod web -n "$inject_ns" -o jsonpath="$proxy.containerID}")"
    [[ -n "$reason$id" ]] && break
    sleep 0.2
  done
  ready="$(admin get pod web -n "$inject_ns" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')"
  if [[ "$id" == fn-mesh-standin-bypassed://* ]]; then
    pass "the kubelet stand-in reports istio-proxy as bypassed ($id; FN_MESH_KUBELET_STANDIN_ISTIO_SIDECARS=bypass)"
  else
    [[ "$reason" == StandinCannotRun && "$ready" == False ]] ||
      fail "the stand-in reports istio-proxy as not run and the pod not Ready" "reason '$reason', Ready=$ready"
    pass "the kubelet stand-in reports istio-proxy as not run (StandinCannotRun) and the pod not Ready"
  fi
fi
admin delete namespace "$inject_ns" --wait=false >/dev/null

admin delete namespace "$ns" --wait=false >/dev/null
echo "smoke test: $passed checks passed"
