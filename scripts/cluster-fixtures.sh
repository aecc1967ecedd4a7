#!/usr/bin/env bash
# Registers local test servers in the local control plane the way real clusters lay
# them out, so that discovery and port-forward are exercised for real (tests and
# playground only). Needs scripts/controlplane.sh start and scripts/kubelet-standin.sh
# start (the stand-in runs the pods and forwards their ports to local addresses).
#
#   scripts/cluster-fixtures.sh fn FN_API_PORT LB_PORT
#       the Fn server as the current fn-helm chart lays it out: namespace fn-system,
#       Service fn (ports api 80 -> 8080, runner-lb 90 -> 90) in front of Deployment
#       fn, whose pod forwards 8080 to 127.0.0.1:FN_API_PORT and 90 to
#       127.0.0.1:LB_PORT; waits (bounded) until the Deployment has a ready pod.
#       Idempotent: applied server-side; a change of ports rolls out a new pod.
#   scripts/cluster-fixtures.sh fn-remove
#       deletes namespace fn-system and waits until it is gone.
#
# Environment: FN_MESH_FIXTURES_TIMEOUT   seconds to wait (default 60)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
timeout_s="${FN_MESH_FIXTURES_TIMEOUT:-60}"
readonly NS=fn-system
readonly FORWARD_ANNOTATION=fn-mesh.io/standin-forward

log() { printf 'cluster-fixtures: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
kctl() { "$here/controlplane.sh" kubectl "$@"; }

check_port() {
  if ! [[ "$2" =~ ^[0-9]{1,5}$ ]] || (("$2" < 1 || "$2" > 65535)); then
    die "$1 must be a port number (1-65535), got '$2'"
  fi
}

# The current fn-helm chart's shape: one Service named after the release with the
# API and the runner-lb ports. The images and env are what the chart runs; here the
# kubelet stand-in runs nothing and forwards the ports to the local servers.
fn_manifest() {
  local api_port="$1" lb_port="$2"
  cat <<EOF
apiVersion: v1
kind: Namespace
metadata:
  name: $NS
---
apiVersion: v1
kind: Service
metadata:
  name: fn
  namespace: $NS
  labels:
    app: fn
    app.kubernetes.io/name: fn
spec:
  type: ClusterIP
  selector:
    app: fn
    app.kubernetes.io/name: fn
  ports:
  - name: api
    port: 80
    targetPort: 8080
    protocol: TCP
  - name: runner-lb
    port: 90
    targetPort: 90
    protocol: TCP
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: fn
  namespace: $NS
  labels:
    app: fn
    app.kubernetes.io/name: fn
spec:
  replicas: 1
  selector:
    matchLabels:
      app: fn
      app.kubernetes.io/name: fn
  template:
    metadata:
      labels:
        app: fn
        app.kubernetes.io/name: fn
      annotations:
        $FORWARD_ANNOTATION: "8080=127.0.0.1:$api_port,90=127.0.0.1:$lb_port"
    spec:
      containers:
      - name: api
        image: fnproject/fnserver:latest
        env:
        - name: FN_NODE_TYPE
          value: api
        ports:
        - name: api
          containerPort: 8080
      - name: runner-lb
        image: fnproject/fnserver:latest
        env:
        - name: FN_NODE_TYPE
          value: lb
        ports:
        - name: runner-lb
          containerPort: 90
EOF
}

cmd_fn() {
  (($# == 2)) || die "usage: $0 fn FN_API_PORT LB_PORT"
  check_port FN_API_PORT "$1"
  check_port LB_PORT "$2"
  kctl get --raw=/readyz >/dev/null 2>&1 || die "the control plane is not ready (scripts/controlplane.sh start)"
  if [[ -n "$(kctl get namespace "$NS" -o jsonpath='{.metadata.deletionTimestamp}' 2>/dev/null)" ]]; then
    log "namespace $NS is being deleted: waiting until it is gone"
    wait_namespace_gone
  fi
  fn_manifest "$1" "$2" | kctl apply --server-side --field-manager=fn-mesh-fixtures -f - >&2 ||
    die "applying the Fn fixture failed"
  # Ready replicas need the kubelet stand-in: it binds the pod and reports it Ready.
  kctl -n "$NS" rollout status deployment/fn --timeout="${timeout_s}s" >&2 ||
    die "Deployment $NS/fn has no ready pod within ${timeout_s}s: is the kubelet stand-in running (scripts/kubelet-standin.sh start)?"
  log "Service $NS/fn ready: api 80 -> 127.0.0.1:$1, runner-lb 90 -> 127.0.0.1:$2"
}

# Its pods go only once the kubelet stand-in has finished their deletion.
wait_namespace_gone() {
  kctl wait --for=delete "namespace/$NS" --timeout="${timeout_s}s" >/dev/null 2>&1 ||
    die "namespace $NS not deleted within ${timeout_s}s: is the kubelet stand-in running (scripts/kubelet-standin.sh start)?"
}

cmd_fn_remove() {
  kctl delete namespace "$NS" --ignore-not-found --wait=false >&2 || die "deleting namespace $NS failed"
  wait_namespace_gone
}

main() {
  local cmd="${1:-}"
  (($#)) && shift
  case "$cmd" in
    fn) cmd_fn "$@" ;;
    fn-remove) cmd_fn_remove ;;
    *) die "usage: $0 fn FN_API_PORT LB_PORT | fn-remove" ;;
  esac
}

main "$@"
