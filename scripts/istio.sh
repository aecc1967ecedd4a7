#!/usr/bin/env bash
# Istio's real control plane beside the local Kubernetes control plane: istiod
# (pilot-discovery) and istioctl built from the istio.io/istio module that
# tools/istio/go.mod pins, configured from `istioctl manifest generate` (default
# profile), with the injection and validation webhooks and the istio-ingressgateway
# Deployment and Service in istio-system. The gateway's pod is run by the kubelet
# stand-in with the Envoy stand-in tools/mesh-gateway (Envoy cannot be had here).
#
#   scripts/istio.sh build          build istiod, istioctl and the config splitter; generate the config files
#   scripts/istio.sh start          build if needed; start istiod, install webhooks and the gateway, wait until ready
#   scripts/istio.sh stop           stop istiod (by pid file; idempotent)
#   scripts/istio.sh status         whether istiod runs and answers /ready
#   scripts/istio.sh env            export lines: istiod addresses, istioctl, config files, gateway URL
#   scripts/istio.sh inject-config  the files `istioctl kube-inject` takes offline, as its flags
#   scripts/istio.sh enable-injection NS...   create/label namespaces istio-injection=enabled
#   scripts/istio.sh istioctl ARGS...         the built istioctl against the local cluster
#   scripts/istio.sh test           the config splitter's tests and the gateway stand-in's
#                                   integration test against this istiod
#
# Start the control plane first (scripts/controlplane.sh start), and the kubelet
# stand-in (scripts/kubelet-standin.sh start) for the gateway pod to run. Binaries in
# ${FN_MESH_CACHE:-$HOME/.cache/fn-mesh}/bin, generated config in .../istio-<version>;
# pid file, log and istiod's working directory in ${FN_MESH_STATE:-...}/istio.
#
# Environment:
#   FN_MESH_ISTIOD_PORT        first of istiod's ports on 127.0.0.1 (default 15010, Istio's own):
#                              +0 plaintext xDS, +2 secure xDS, +3 HTTP (/ready, /debug),
#                              +4 monitoring, +6 ctrlz, +7 webhooks (HTTPS)
#   FN_MESH_ISTIO_GATEWAY=0    do not install the istio-ingressgateway Deployment and Service
#   FN_MESH_ISTIO_TIMEOUT      seconds start may take before it fails (default 120)
set -euo pipefail

readonly RECIPE_VERSION=1 # bump when the build steps change
# Binary name => Go package (in the tools module).
declare -rA PACKAGES=(
  [pilot-discovery]=istio.io/istio/pilot/cmd/pilot-discovery
  [istioctl]=istio.io/istio/istioctl/cmd/istioctl
  [fn-mesh-istio-config]=./cmd/fn-mesh-istio-config
)
readonly NS=istio-system

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module_dir="$(dirname "$here")/tools/istio"
cache="${FN_MESH_CACHE:-$HOME/.cache/fn-mesh}"
bin="$cache/bin"
state_root="${FN_MESH_STATE:-$HOME/.cache/fn-mesh/state}"
state="$state_root/istio"
kubeconfig="$state_root/controlplane/kubeconfig"
base_port="${FN_MESH_ISTIOD_PORT:-15010}"
timeout_s="${FN_MESH_ISTIO_TIMEOUT:-120}"
# The Istio version is the one tools/istio/go.mod pins (a pseudo-version of istio.io/istio).
istio_module_version="$(awk '$1 == "istio.io/istio" { print $2 }' "$module_dir/go.mod" 2>/dev/null || true)"
config_dir="$cache/istio-$istio_module_version"

xds_port=$base_port
secure_port=$((base_port + 2))
http_port=$((base_port + 3))
monitoring_port=$((base_port + 4))
ctrlz_port=$((base_port + 6))
webhook_port=$((base_port + 7))

log() { printf 'istio: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

use_go() {
  if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then
    export PATH="/usr/local/go/bin:$PATH"
  fi
  command -v go >/dev/null || die "'go' not found on PATH (Go 1.26+ builds istiod)"
}

# The version istiod and istioctl report: the Istio VERSION of the pinned module.
istio_version() {
  local dir
  dir="$(cd "$cache" && go mod download -json "istio.io/istio@$istio_module_version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [[ -n "$dir" && -f "$dir/VERSION" ]] || die "istio.io/istio@$istio_module_version has no VERSION file"
  echo "$(tr -d '[:space:]' <"$dir/VERSION")-dev" # as its Makefile.core.mk says for a development build
}

ldflags() { printf '%s' "-s -w -X istio.io/istio/pkg/version.buildVersion=$1 -X istio.io/istio/pkg/version.buildStatus=Clean"; }

stamp_for() {
  {
    echo "recipe=$RECIPE_VERSION $2"
    go env GOVERSION GOOS GOARCH
    cat "$module_dir/go.mod" "$module_dir/go.sum"
    [[ "${PACKAGES[$1]}" != ./* ]] || cat "$module_dir/${PACKAGES[$1]#./}"/*.go
  } | sha256sum | cut -d' ' -f1
}

build_binaries() {
  use_go
  [[ -n "$istio_module_version" ]] || die "no istio.io/istio version in $module_dir/go.mod"
  mkdir -p "$bin"
  exec 9>"$bin/.istio.lock"
  flock 9
  local version flags todo=() name
  version="$(istio_version)"
  flags="$(ldflags "$version")"
  for name in "${!PACKAGES[@]}"; do
    [[ -x "$bin/$name" && "$(cat "$bin/.istio-$name.stamp" 2>/dev/null)" == "$(stamp_for "$name" "$flags")" ]] ||
      todo+=("$name")
  done
  if ((${#todo[@]})); then
    log "building ${todo[*]} (Istio $version; pilot-discovery takes ~8 min on 2 cores the first time)"
    local tmp pkgs=() started=$SECONDS
    tmp="$(mktemp -d "$bin/.istio-build.XXXXXX")"
    for name in "${todo[@]}"; do pkgs+=("${PACKAGES[$name]}"); done
    if ! (cd "$module_dir" && go build -buildvcs=false -ldflags "$flags" -o "$tmp/" "${pkgs[@]}"); then
      rm -rf "$tmp"
      die "go build failed in $module_dir (see the errors above)"
    fi
    for name in "${todo[@]}"; do
      mv -f "$tmp/$name" "$bin/$name"
      stamp_for "$name" "$flags" >"$bin/.istio-$name.stamp"
    done
    rm -rf "$tmp"
    log "built ${todo[*]} in $((SECONDS - started))s"
  else
    log "binaries up to date in $bin"
  fi
  exec 9>&-
}

# The configuration Istio's installer would install (default profile), split into
# files; regenerated when istioctl or the webhook port changed.
generate_config() {
  local want
  want="$(cat "$bin/.istio-istioctl.stamp" "$bin/.istio-fn-mesh-istio-config.stamp") port=$webhook_port profile=default defaultRevision=default"
  [[ "$(cat "$config_dir/.stamp" 2>/dev/null)" == "$want" ]] && return 0
  mkdir -p "$config_dir"
  "$bin/istioctl" manifest generate --set profile=default --set values.defaultRevision=default >"$config_dir/manifest.yaml" 2>"$config_dir/manifest.log" ||
    die "istioctl manifest generate failed: $(tail -n 5 "$config_dir/manifest.log")"
  "$bin/fn-mesh-istio-config" -out "$config_dir" -webhook-url "https://localhost:$webhook_port" <"$config_dir/manifest.yaml" ||
    die "splitting the generated manifest failed"
  echo "$want" >"$config_dir/.stamp"
  log "generated the default profile's configuration into $config_dir"
}

cmd_build() {
  build_binaries
  generate_config
}

# --- processes -------------------------------------------------------------------

kctl() { "$bin/kubectl" --kubeconfig "$kubeconfig" --cache-dir "$state/kubectl-cache" "$@"; }
pid_of() { cat "$state/istiod.pid" 2>/dev/null || true; }
is_running() {
  local pid
  pid="$(pid_of)"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  [[ "$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | head -n1)" == "$bin/pilot-discovery" ]]
}
ready() { curl -fsS --max-time 2 "http://127.0.0.1:$http_port/ready" >/dev/null 2>&1; }

cmd_stop() {
  local pid i
  pid="$(pid_of)"
  if is_running; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do is_running || break; sleep 0.2; done
    if is_running; then
      log "istiod (pid $pid) ignored SIGTERM for 20 s: killing it"
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    log "stopped istiod (pid $pid)"
  fi
  rm -f "$state/istiod.pid"
}

deadline=0
wait_for() { # WHAT CMD...
  local what="$1"
  shift
  until "$@" >/dev/null 2>&1 </dev/null; do
    if [[ "$what" != *gateway* ]] && ! is_running; then
      tail -n 30 "$state/istiod.log" >&2 || true
      cmd_stop
      die "istiod exited before $what (log: $state/istiod.log)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$state/istiod.log" >&2 || true
      cmd_stop
      die "$what: not within ${timeout_s}s (log: $state/istiod.log)"
    fi
    sleep 0.5
  done
}

# A VirtualService with a negative weight: the validation webhook must refuse it.
bad_virtual_service() {
  cat <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: fn-mesh-webhook-probe, namespace: $NS}
spec:
  hosts: [probe]
  http:
  - route:
    - destination: {host: probe}
      weight: -10
EOF
}
validation_refuses() {
  local out
  out="$(bad_virtual_service | kctl apply --dry-run=server -f - 2>&1)" && return 1
  grep -q 'denied the request' <<<"$out"
}
injector_has_ca() {
  [[ -n "$(kctl get mutatingwebhookconfiguration istio-sidecar-injector -o jsonpath='{.webhooks[0].clientConfig.caBundle}')" ]]
}
gateway_ready() {
  [[ "$(kctl -n "$NS" get deployment istio-ingressgateway -o jsonpath='{.status.readyReplicas}')" == 1 ]]
}

cmd_start() {
  cmd_build
  cmd_stop
  [[ -f "$kubeconfig" ]] || die "no kubeconfig at $kubeconfig: start the control plane first (scripts/controlplane.sh start)"
  kctl get --raw=/readyz >/dev/null 2>&1 || die "the API server in $kubeconfig is not ready: start the control plane first"
  local port
  for port in "$xds_port" "$secure_port" "$http_port" "$monitoring_port" "$ctrlz_port" "$webhook_port"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port on 127.0.0.1 is in use (set FN_MESH_ISTIOD_PORT to another base port)"
    fi
  done
  deadline=$((SECONDS + timeout_s))
  local started=$SECONDS

  # istio-system first: istiod's CA writes its secret there. The ConfigMaps as a
  # cluster has them (istioctl reads them when it talks to the cluster).
  kctl create namespace "$NS" --dry-run=client -o yaml | kctl apply -f - >/dev/null
  kctl apply --server-side --force-conflicts -f "$config_dir/configmaps.yaml" >/dev/null

  # istiod reads its mesh and injection configuration relative to its working directory.
  local work="$state/istiod"
  rm -rf "$work" && mkdir -p "$work/etc/istio/config" "$work/var/lib/istio/inject"
  cp "$config_dir/mesh" "$work/etc/istio/config/mesh"
  cp "$config_dir/inject-config" "$work/var/lib/istio/inject/config"
  cp "$config_dir/inject-values" "$work/var/lib/istio/inject/values"
  (
    cd "$work"
    POD_NAMESPACE="$NS" POD_NAME=istiod-local REVISION=default ISTIOD_CUSTOM_HOST=localhost \
      KUBECONFIG="$kubeconfig" setsid "$bin/pilot-discovery" discovery \
      --kubeconfig "$kubeconfig" \
      --httpAddr "127.0.0.1:$http_port" --grpcAddr "127.0.0.1:$xds_port" \
      --secureGRPCAddr "127.0.0.1:$secure_port" --monitoringAddr "127.0.0.1:$monitoring_port" \
      --httpsAddr "127.0.0.1:$webhook_port" --ctrlz_address 127.0.0.1 --ctrlz_port "$ctrlz_port" \
      --domain cluster.local >"$state/istiod.log" 2>&1 </dev/null &
    echo $! >"$state/istiod.pid"
  )
  local i
  for ((i = 0; i < 100; i++)); do is_running && break; sleep 0.05; done
  wait_for "istiod ready (/ready on 127.0.0.1:$http_port)" ready
  log "$((SECONDS - started))s istiod ready (pid $(pid_of)), xDS 127.0.0.1:$xds_port"

  kctl apply -f "$config_dir/webhooks.yaml" >/dev/null
  wait_for "the validation webhook refusing a negative weight" validation_refuses
  wait_for "istiod's CA bundle in the injection webhook" injector_has_ca
  log "$((SECONDS - started))s webhooks on: validation (failurePolicy Fail) and injection"

  if [[ "${FN_MESH_ISTIO_GATEWAY:-1}" != 0 ]]; then
    kctl apply -f "$config_dir/gateway.yaml" >/dev/null
    if [[ "$(kctl get node fn-mesh-node -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == True ]]; then
      wait_for "the istio-ingressgateway pod ready (is the kubelet stand-in running?)" gateway_ready
      log "$((SECONDS - started))s istio-ingressgateway ready: $(gateway_url)"
    else
      log "istio-ingressgateway installed; no Ready node runs it (start scripts/kubelet-standin.sh)"
    fi
  fi
  log "running: log $state/istiod.log; eval \"\$($0 env)\" for the addresses"
}

# http://<pod IP's loopback twin>:8080 of the ready gateway pod ("" when none).
gateway_url() {
  local ip
  ip="$(kctl -n "$NS" get pods -l istio=ingressgateway \
    -o jsonpath='{range .items[?(@.status.podIP)]}{.status.podIP}{"\n"}{end}' 2>/dev/null | head -n1)"
  [[ -n "$ip" ]] || return 0
  [[ "$ip" == 10.* ]] && ip="127.${ip#10.}" # the pod CIDR's loopback twin (see tools/kubelet-standin/NOTES.md)
  echo "http://$ip:8080"
}

cmd_status() {
  if ! is_running; then
    echo "istiod: stopped"
    return 1
  fi
  echo "istiod: running (pid $(pid_of), log $state/istiod.log)"
  if ready; then echo "istiod: ready (xDS 127.0.0.1:$xds_port)"; else echo "istiod: not ready"; return 1; fi
  local url
  url="$(gateway_url)"
  echo "istio-ingressgateway: ${url:-no pod with an IP}"
}

cmd_inject_config() {
  [[ -f "$config_dir/inject-config" ]] || die "no generated configuration: run '$0 build' first"
  echo "--injectConfigFile $config_dir/inject-config --meshConfigFile $config_dir/mesh --valuesFile $config_dir/inject-values"
}

cmd_env() {
  echo "export FN_MESH_ISTIOD_XDS='127.0.0.1:$xds_port'"
  echo "export FN_MESH_ISTIOD_HTTP='http://127.0.0.1:$http_port'"
  echo "export FN_MESH_ISTIOCTL='$bin/istioctl'"
  echo "export FN_MESH_ISTIO_MESH_CONFIG='$config_dir/mesh'"
  echo "export FN_MESH_ISTIO_INJECT_CONFIG='$config_dir/inject-config'"
  echo "export FN_MESH_ISTIO_INJECT_VALUES='$config_dir/inject-values'"
  if [[ -f "$kubeconfig" ]] && is_running; then
    echo "export FN_MESH_GATEWAY_URL='$(gateway_url)'"
  fi
}

cmd_enable_injection() {
  local ns
  for ns in "$@"; do
    kctl create namespace "$ns" --dry-run=client -o yaml | kctl apply -f - >/dev/null
    kctl label namespace "$ns" istio-injection=enabled --overwrite >/dev/null
    log "namespace $ns labelled istio-injection=enabled"
  done
}

main() {
  local cmd="${1:-}"
  (($#)) && shift
  case "$cmd" in
    build) cmd_build ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) cmd_env ;;
    inject-config) cmd_inject_config ;;
    enable-injection) cmd_enable_injection "$@" ;;
    test)
      is_running && ready || die "istiod is not running: '$0 start' first"
      use_go
      local url
      url="$(gateway_url)"
      [[ -n "$url" ]] || die "no istio-ingressgateway pod with an IP: is the kubelet stand-in running?"
      local rc=0
      (cd "$module_dir" && go test -count=1 -v ./cmd/...) || rc=1
      (cd "$(dirname "$here")/tools/mesh-gateway" && KUBECONFIG="$kubeconfig" FN_MESH_KUBECTL="$bin/kubectl" \
        FN_MESH_GATEWAY_URL="$url" FN_MESH_ISTIO_SH="$here/istio.sh" go test -tags integration -count=1 -v -timeout 15m -run Integration ./...) || rc=1
      return "$rc"
      ;;
    istioctl)
      [[ -x "$bin/istioctl" ]] || die "no $bin/istioctl: run '$0 build' first"
      KUBECONFIG="$kubeconfig" exec "$bin/istioctl" --istioNamespace "$NS" "$@"
      ;;
    *) die "usage: $0 build|start|stop|status|env|inject-config|enable-injection NS...|istioctl ARGS...|test" ;;
  esac
}

main "$@"; exit
