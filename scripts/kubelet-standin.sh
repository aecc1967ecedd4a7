#!/usr/bin/env bash
# The kubelet STAND-IN for the local control plane (tests and playground only, never
# shipped): registers Node fn-mesh-node, binds pods, gives each an IP of the pod CIDR
# and runs what it can as local processes on the IP's loopback twin (nginx images with
# their ConfigMap; Istio ingress gateways with the Envoy stand-in tools/mesh-gateway),
# reports the rest as not run, and serves the kubelet port-forward API; see
# tools/kubelet-standin/NOTES.md.
#
#   scripts/kubelet-standin.sh build    build it and the gateway stand-in into the cache bin dir
#   scripts/kubelet-standin.sh start    build if needed, start, wait until the Node is Ready
#   scripts/kubelet-standin.sh stop     stop what start started (by pid file; idempotent)
#   scripts/kubelet-standin.sh status   whether it runs and whether the Node is Ready
#   scripts/kubelet-standin.sh test     the Go tests of the stand-in and of the gateway stand-in
#
# Start the control plane first (scripts/controlplane.sh start). Binary in
# ${FN_MESH_CACHE:-$HOME/.cache/fn-mesh}/bin; pid file and log in
# ${FN_MESH_STATE:-$HOME/.cache/fn-mesh/state}/kubelet-standin.
#
# Environment:
#   FN_MESH_KUBELET_PORT                 kubelet HTTPS port on 127.0.0.1 (default 10250)
#   FN_MESH_KUBELET_STANDIN_KUBECONFIG   admin kubeconfig (default: the control plane's)
#   FN_MESH_KUBELET_STANDIN_TIMEOUT      seconds start waits for the Node to be Ready (default 60)
#   FN_MESH_KUBELET_STANDIN_CLIENT_CA    require API server client certs signed by this CA
#                                        (pair with kube-apiserver --kubelet-client-certificate/-key)
#   FN_MESH_KUBELET_STANDIN_TLS_CERT, FN_MESH_KUBELET_STANDIN_TLS_KEY
#                                        serving cert/key (default: self-signed at start)
#   FN_MESH_KUBELET_STANDIN_CONTAINERS   run (default): run nginx and gateway containers, report
#                                        others as not run; pretend: report every container
#                                        running and ready, run nothing (the stand-in before)
#   FN_MESH_KUBELET_STANDIN_POD_CIDR     pod IPs (default 10.244.0.0/16; pods listen on 127.b.c.d):
#                                        give each stack that runs at once its own range
#   FN_MESH_KUBELET_STANDIN_ISTIO_SIDECARS
#                                        refuse (default): injected istio-init/istio-proxy are
#                                        reported not run (StandinCannotRun), the pod not ready;
#                                        bypass: reported bypassed (IDs fn-mesh-standin-bypassed://),
#                                        the pod ready, traffic reaching the app directly
#   FN_MESH_ISTIOD_PORT                  istiod's first port (xDS), for gateway pods (default 15010)
set -euo pipefail

readonly NAME=kubelet-standin
readonly GATEWAY=mesh-gateway # the Envoy stand-in it runs for ingress gateway pods
readonly RECIPE_VERSION=2 # bump when the build command changes
readonly BUILD_FLAGS=(-buildvcs=false -ldflags "-s -w")
readonly NODE=fn-mesh-node

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module_dir="$(dirname "$here")/tools/kubelet-standin"
gateway_dir="$(dirname "$here")/tools/mesh-gateway"
cache="${FN_MESH_CACHE:-$HOME/.cache/fn-mesh}"
bin="$cache/bin"
state_root="${FN_MESH_STATE:-$HOME/.cache/fn-mesh/state}"
state="$state_root/$NAME"
port="${FN_MESH_KUBELET_PORT:-10250}"
kubeconfig="${FN_MESH_KUBELET_STANDIN_KUBECONFIG:-$state_root/controlplane/kubeconfig}"
timeout_s="${FN_MESH_KUBELET_STANDIN_TIMEOUT:-60}"

log() { printf 'kubelet-standin: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

use_go() {
  if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then
    export PATH="/usr/local/go/bin:$PATH"
  fi
  command -v go >/dev/null || die "'go' not found on PATH (Go 1.26+ builds the stand-in)"
}

# Everything a binary is built from (not its tests): any change rebuilds it.
stamp() {
  local dir="$1" f
  {
    echo "recipe=$RECIPE_VERSION ${BUILD_FLAGS[*]}"
    go env GOVERSION GOOS GOARCH
    for f in "$dir"/go.mod "$dir"/go.sum "$dir"/*.go; do
      [[ "$f" == *_test.go ]] || cat "$f"
    done
  } | sha256sum | cut -d' ' -f1
}

build_one() { # NAME MODULE_DIR
  local name="$1" dir="$2" want
  [[ -f "$dir/go.mod" ]] || die "missing $dir/go.mod"
  want="$(stamp "$dir")"
  if [[ -x "$bin/$name" && "$(cat "$bin/.$name.stamp" 2>/dev/null)" == "$want" ]]; then
    log "binary up to date: $bin/$name"
    return 0
  fi
  log "building $bin/$name"
  local started=$SECONDS tmp
  tmp="$(mktemp "$bin/.$name.XXXXXX")"
  # The same compile flags as scripts/controlplane.sh: the k8s.io packages that both
  # build come from Go's build cache the second time.
  (cd "$dir" && go build "${BUILD_FLAGS[@]}" -o "$tmp" .) ||
    { rm -f "$tmp"; die "go build failed in $dir (see the errors above)"; }
  mv -f "$tmp" "$bin/$name"
  echo "$want" >"$bin/.$name.stamp"
  log "built $name in $((SECONDS - started))s"
}

cmd_build() {
  use_go
  mkdir -p "$bin"
  exec 9>"$bin/.$NAME.lock"
  flock 9 # one build at a time
  build_one "$NAME" "$module_dir"
  build_one "$GATEWAY" "$gateway_dir"
  exec 9>&-
}

pid_of() { cat "$state/$NAME.pid" 2>/dev/null || true; }

# True when the pid file names a live process running our binary (not a reused pid).
is_running() {
  local pid
  pid="$(pid_of)"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  [[ "$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | head -n1)" == "$bin/$NAME" ]]
}

kctl() { "$bin/kubectl" --kubeconfig "$kubeconfig" --cache-dir "$state/kubectl-cache" "$@"; }

node_ready() {
  [[ "$(kctl get node "$NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == True ]]
}

cmd_stop() {
  local pid i
  pid="$(pid_of)"
  if is_running; then
    kill -TERM -- "-$pid" 2>/dev/null || true # its own process group (setsid)
    for ((i = 0; i < 50; i++)); do            # up to 10 s for a clean exit
      is_running || break
      sleep 0.2
    done
    if is_running; then
      log "pid $pid ignored SIGTERM for 10 s: killing it"
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    log "stopped (pid $pid)"
  fi
  rm -f "$state/$NAME.pid"
}

cmd_start() {
  cmd_build
  cmd_stop
  [[ -f "$kubeconfig" ]] || die "no kubeconfig at $kubeconfig: start the control plane first (scripts/controlplane.sh start)"
  [[ -x "$bin/kubectl" ]] || die "no $bin/kubectl: build the control plane first (scripts/controlplane.sh build)"
  kctl get --raw=/readyz >/dev/null 2>&1 || die "the API server in $kubeconfig is not ready: start the control plane first"
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port on 127.0.0.1 is in use (set FN_MESH_KUBELET_PORT to another port)"
  fi

  command -v nginx >/dev/null || bash "$here/nginx-available.sh" >&2
  local args=(--kubeconfig "$kubeconfig" --node-name "$NODE" --listen "127.0.0.1:$port"
    --containers "${FN_MESH_KUBELET_STANDIN_CONTAINERS:-run}" --state-dir "$state"
    --istio-sidecars "${FN_MESH_KUBELET_STANDIN_ISTIO_SIDECARS:-refuse}"
    --nginx "$(command -v nginx)" --mesh-gateway "$bin/$GATEWAY"
    --istiod-xds "127.0.0.1:${FN_MESH_ISTIOD_PORT:-15010}"
    --pod-cidr "${FN_MESH_KUBELET_STANDIN_POD_CIDR:-10.244.0.0/16}")
  [[ -z "${FN_MESH_KUBELET_STANDIN_CLIENT_CA:-}" ]] || args+=(--client-ca-file "$FN_MESH_KUBELET_STANDIN_CLIENT_CA")
  if [[ -n "${FN_MESH_KUBELET_STANDIN_TLS_CERT:-}${FN_MESH_KUBELET_STANDIN_TLS_KEY:-}" ]]; then
    args+=(--tls-cert-file "${FN_MESH_KUBELET_STANDIN_TLS_CERT:?set both TLS_CERT and TLS_KEY}"
      --tls-private-key-file "${FN_MESH_KUBELET_STANDIN_TLS_KEY:?set both TLS_CERT and TLS_KEY}")
  fi
  mkdir -p "$state"
  setsid "$bin/$NAME" "${args[@]}" >"$state/$NAME.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$state/$NAME.pid"

  # Ready means: the stand-in says so (it posts the Node status before that line),
  # and the API server shows the Node Ready. Liveness by pid here: until setsid has
  # exec'd the binary, /proc shows another command line than is_running expects.
  local deadline=$((SECONDS + timeout_s))
  until grep -q 'kubelet stand-in ready' "$state/$NAME.log" && node_ready; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$state/$NAME.log" >&2
      rm -f "$state/$NAME.pid"
      die "the stand-in exited during start; log: $state/$NAME.log"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 20 "$state/$NAME.log" >&2
      cmd_stop
      die "Node $NODE not Ready within ${timeout_s}s; log: $state/$NAME.log"
    fi
    sleep 0.2
  done
  log "running (pid $(pid_of)): Node $NODE Ready, kubelet API https://127.0.0.1:$port, log $state/$NAME.log"
}

cmd_status() {
  if ! is_running; then
    echo "$NAME: stopped"
    return 1
  fi
  echo "$NAME: running (pid $(pid_of), log $state/$NAME.log)"
  if node_ready; then
    echo "node $NODE: Ready"
  else
    echo "node $NODE: not Ready"
    return 1
  fi
}

cmd_test() {
  use_go
  local rc=0
  (cd "$module_dir" && go test -v -count=1 ./...) || rc=1
  (cd "$gateway_dir" && go test -v -count=1 ./...) || rc=1
  return "$rc"
}

case "${1:-}" in
  build) cmd_build ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  test) cmd_test ;;
  *) die "usage: $0 build|start|stop|status|test" ;;
esac
