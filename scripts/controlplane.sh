#!/usr/bin/env bash
# A real local Kubernetes control plane for the tests and the playground:
# etcd (our embed-based fn-mesh-etcd), kube-apiserver with RBAC and static tokens,
# kube-controller-manager, and the Istio (from the istio.io/istio module of
# tools/istio, as istiod), Gateway API, Flagger and Argo Rollouts CRDs. No kubelet: pods stay Pending until
# scripts/kubelet-standin.sh runs; istiod comes from scripts/istio.sh.
#
#   scripts/controlplane.sh build    install Debian deps, build binaries, fetch CRDs
#   scripts/controlplane.sh start    build if needed, start everything, wait until ready
#   scripts/controlplane.sh stop     stop what start started (by pid files; idempotent)
#   scripts/controlplane.sh status   show what runs and whether the API server is ready
#   scripts/controlplane.sh stop-apiserver   stop only kube-apiserver (etcd keeps the data)
#   scripts/controlplane.sh start-apiserver  start kube-apiserver again on the kept state
#   scripts/controlplane.sh env      print export lines (eval "$(scripts/controlplane.sh env)")
#   scripts/controlplane.sh kubectl ARGS...   the built kubectl, as the admin user
#
# Binaries and CRDs go to ${FN_MESH_CACHE:-$HOME/.cache/fn-mesh}/{bin,crds}; runtime
# state (pids, logs, certs, tokens, etcd data, kubeconfigs) to
# ${FN_MESH_STATE:-$HOME/.cache/fn-mesh/state}/controlplane.
#
# Environment:
#   FN_MESH_APISERVER_PORT          API server port on 127.0.0.1 (default 6443)
#   FN_MESH_ETCD_PORT               etcd client port (default 12379; peer port is +1)
#   FN_MESH_KCM_PORT                kube-controller-manager health port (default 10257)
#   FN_MESH_CONTROLPLANE_KCM=0      do not start kube-controller-manager
#   FN_MESH_CONTROLPLANE_KEEP=1     keep etcd data, certs and tokens (default: fresh cluster)
#   FN_MESH_CONTROLPLANE_TIMEOUT    seconds start may take before it fails (default 120)
set -euo pipefail

# Bump when the build steps change, so binaries built by an older recipe are rebuilt.
readonly RECIPE_VERSION=1
readonly GATEWAY_API_VERSION=v1.6.3    # Go module sigs.k8s.io/gateway-api
readonly FLAGGER_VERSION=v1.36.1        # Go module github.com/fluxcd/flagger (Canary CRD, for Export Rollout Plan)
readonly ARGO_ROLLOUTS_VERSION=v1.8.3   # Go module github.com/argoproj/argo-rollouts (Rollout CRD, for Export Rollout Plan)
readonly APT_PACKAGES=(openssl)
# Binary name => Go package, relative to the tools module.
declare -rA PACKAGES=(
  [fn-mesh-etcd]=./cmd/fn-mesh-etcd
  [kube-apiserver]=k8s.io/kubernetes/cmd/kube-apiserver
  [kube-controller-manager]=k8s.io/kubernetes/cmd/kube-controller-manager
  [kubectl]=k8s.io/kubernetes/cmd/kubectl
)
readonly COMPONENTS=(fn-mesh-etcd kube-apiserver kube-controller-manager) # start order

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module_dir="$(dirname "$here")/tools/controlplane"
cache="${FN_MESH_CACHE:-$HOME/.cache/fn-mesh}"
bin="$cache/bin"
crds="$cache/crds"
state="${FN_MESH_STATE:-$HOME/.cache/fn-mesh/state}/controlplane"
api_port="${FN_MESH_APISERVER_PORT:-6443}"
etcd_port="${FN_MESH_ETCD_PORT:-12379}"
kcm_port="${FN_MESH_KCM_PORT:-10257}"
timeout_s="${FN_MESH_CONTROLPLANE_TIMEOUT:-120}"
kubectl_cache="$state/kubectl-cache"
# The Istio CRDs come from the istio.io/istio module that tools/istio/go.mod pins, the one
# istiod and istioctl are built from (scripts/istio.sh), so that all three agree.
istio_version="$(awk '$1 == "istio.io/istio" { print $2 }' "$(dirname "$here")/tools/istio/go.mod" 2>/dev/null || true)"
crd_dirs=("$crds/istio-$istio_version" "$crds/gateway-api-$GATEWAY_API_VERSION" "$crds/flagger-$FLAGGER_VERSION"
  "$crds/argo-rollouts-$ARGO_ROLLOUTS_VERSION")
# The Kubernetes release is the one tools/controlplane/go.mod pins.
kube_version="$(awk '$1 == "k8s.io/kubernetes" { print $2 }' "$module_dir/go.mod" 2>/dev/null || true)"

log() { printf 'controlplane: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
need() { command -v "$1" >/dev/null || die "'$1' not found on PATH${2:+ ($2)}"; }

# --- build -------------------------------------------------------------------

install_apt_packages() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" == "install ok installed" ]] ||
      missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  [[ "$(id -u)" == 0 ]] || die "Debian packages missing (${missing[*]}): install them with apt-get"
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq >&2 || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
    die "apt-get install ${missing[*]} failed"
}

ldflags() {
  local v="$kube_version" minor="${kube_version#v1.}"
  minor="${minor%%.*}"
  local flags="-s -w" pkg
  # Without these the binaries report v0.0.0-master; clients (and the extension) read /version.
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  printf '%s' "$flags"
}

# The stamp names everything a binary is built from: a change to any part rebuilds it.
stamp_for() {
  local name="$1"
  {
    echo "recipe=$RECIPE_VERSION ldflags=$(ldflags)"
    go env GOVERSION GOOS GOARCH
    cat "$module_dir/go.mod" "$module_dir/go.sum"
    [[ "${PACKAGES[$name]}" != ./* ]] || cat "$module_dir/${PACKAGES[$name]#./}"/*.go
  } | sha256sum | cut -d' ' -f1
}

build_binaries() {
  if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then
    export PATH="/usr/local/go/bin:$PATH"
  fi
  need go "Go 1.26+ builds the control plane"
  [[ -n "$kube_version" ]] || die "no k8s.io/kubernetes version in $module_dir/go.mod"
  mkdir -p "$bin"
  exec 9>"$bin/.controlplane.lock"
  flock 9 # one build at a time; a second caller then finds the binaries up to date

  local todo=() name
  for name in "${!PACKAGES[@]}"; do
    [[ -x "$bin/$name" && "$(cat "$bin/.controlplane-$name.stamp" 2>/dev/null)" == "$(stamp_for "$name")" ]] ||
      todo+=("$name")
  done
  if ((${#todo[@]} == 0)); then
    log "binaries up to date in $bin"
    exec 9>&-
    return 0
  fi

  log "building ${todo[*]} ($kube_version; takes several minutes on 2 cores the first time)"
  local tmp pkgs=() started=$SECONDS
  tmp="$(mktemp -d "$bin/.controlplane-build.XXXXXX")"
  for name in "${todo[@]}"; do pkgs+=("${PACKAGES[$name]}"); done
  # One go build for all packages shares their common work. -buildvcs=false: the
  # binaries must not depend on the state of the checkout.
  if ! (cd "$module_dir" && go build -buildvcs=false -ldflags "$(ldflags)" -o "$tmp/" "${pkgs[@]}"); then
    rm -rf "$tmp"
    die "go build failed in $module_dir (see the errors above)"
  fi
  for name in "${todo[@]}"; do
    mv -f "$tmp/$name" "$bin/$name"
    stamp_for "$name" >"$bin/.controlplane-$name.stamp"
  done
  rm -rf "$tmp"
  log "built ${todo[*]} in $((SECONDS - started))s"
  exec 9>&-
}

# Copies a file tree out of a Go module (fetched through the module proxy, verified
# against the checksum database) into the cache.
fetch_module_files() {
  local module="$1" version="$2" dest="$3"
  shift 3
  [[ -f "$dest/.complete" ]] && return 0
  local dir
  # Run outside any Go module so that no go.mod or go.sum is touched.
  dir="$(cd "$cache" && go mod download -json "$module@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [[ -n "$dir" && -d "$dir" ]] || die "go mod download $module@$version gave no directory"
  rm -rf "$dest" && mkdir -p "$dest"
  local f
  for f in "$@"; do
    # shellcheck disable=SC2086 # $f may be a glob, expanded on purpose
    cp "$dir"/$f "$dest/" || die "$module@$version has no $f"
  done
  chmod -R u+w "$dest"
  touch "$dest/.complete"
  log "fetched $module@$version CRDs into $dest"
}

fetch_crds() {
  [[ -n "$istio_version" ]] || die "no istio.io/istio version in tools/istio/go.mod"
  fetch_module_files istio.io/istio "$istio_version" "${crd_dirs[0]}" \
    manifests/charts/base/files/crd-all.gen.yaml
  # The standard channel as upstream installs it, including its ValidatingAdmissionPolicy.
  fetch_module_files sigs.k8s.io/gateway-api "$GATEWAY_API_VERSION" "${crd_dirs[1]}" \
    'config/crd/standard/*.yaml'
  # Flagger's Canary, MetricTemplate and AlertProvider CRDs (no Flagger controller runs).
  fetch_module_files github.com/fluxcd/flagger "$FLAGGER_VERSION" "${crd_dirs[2]}" \
    artifacts/flagger/crd.yaml
  # Argo Rollouts' Rollout CRD only (no Argo Rollouts controller runs; the export needs no analysis kinds).
  fetch_module_files github.com/argoproj/argo-rollouts "$ARGO_ROLLOUTS_VERSION" "${crd_dirs[3]}" \
    manifests/crds/rollout-crd.yaml
}

cmd_build() {
  local tool
  for tool in dpkg-query flock setsid sha256sum base64; do need "$tool"; done
  install_apt_packages
  build_binaries
  fetch_crds
}

# --- processes -----------------------------------------------------------------

pid_of() { cat "$state/$1.pid" 2>/dev/null || true; }

# True when the pid file names a live process that runs our binary (guards against pid reuse).
is_running() {
  local pid
  pid="$(pid_of "$1")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  [[ "$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | head -n1)" == "$bin/$1" ]]
}

# True while the process exists and is not a zombie (a zombie holds no ports or locks).
alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ "${stat##*) }" != Z* ]]
}

# Starts a binary in its own session (so stop can signal its whole process group),
# with its output in $state/<name>.log and its pid in $state/<name>.pid.
launch() {
  local name="$1" i
  shift
  setsid "$bin/$name" "$@" >"$state/$name.log" 2>&1 </dev/null &
  echo $! >"$state/$name.pid"
  # Until the forked shell has exec'd, the pid shows this script's command line: wait for
  # the exec so that is_running means "our binary runs".
  for ((i = 0; i < 100; i++)); do
    if is_running "$name" || ! alive "$!"; then return 0; fi
    sleep 0.05
  done
}

stop_one() {
  local name="$1" pid i
  pid="$(pid_of "$name")"
  if is_running "$name"; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for ((i = 0; i < 200; i++)); do # up to 20 s for a clean shutdown
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      log "$name (pid $pid) ignored SIGTERM for 20 s: killing it"
      kill -KILL -- "-$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do alive "$pid" || break; sleep 0.1; done
      ! alive "$pid" || die "$name (pid $pid) survived SIGKILL"
    fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$state/$name.pid"
}

cmd_stop() {
  local i
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do stop_one "${COMPONENTS[i]}"; done
}

# --- start -----------------------------------------------------------------------

deadline=0
start_ms=0
remaining() { echo $((deadline - SECONDS)); }
now_ms() { date +%s%3N; }
# Logs a step with the time since start began, so slow steps show up in CI logs.
step() { log "$(printf '%6.1fs' "$((($(now_ms) - start_ms) / 100))e-1") $*"; }

# Fails the start: names the component, shows the tail of its log, stops everything.
fail_start() {
  local name="$1" msg="$2"
  log "ERROR: $msg"
  if [[ -f "$state/$name.log" ]]; then
    log "last lines of $state/$name.log:"
    tail -n 30 "$state/$name.log" >&2
  fi
  cmd_stop
  exit 1
}

# wait_for NAME WHAT CMD...: polls CMD until it succeeds, the process dies, or time runs out.
wait_for() {
  local name="$1" what="$2"
  shift 2
  until "$@" >/dev/null 2>&1 </dev/null; do
    is_running "$name" || fail_start "$name" "$name exited before $what"
    (($(remaining) > 0)) || fail_start "$name" "$what: not within ${timeout_s}s"
    sleep 0.2
  done
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

check_ports() {
  local spec port var
  local specs=("$api_port:FN_MESH_APISERVER_PORT" "$etcd_port:FN_MESH_ETCD_PORT"
    "$((etcd_port + 1)):FN_MESH_ETCD_PORT+1")
  [[ "${FN_MESH_CONTROLPLANE_KCM:-1}" == 0 ]] || specs+=("$kcm_port:FN_MESH_KCM_PORT")
  for spec in "${specs[@]}"; do
    port="${spec%%:*}" var="${spec#*:}"
    port_free "$port" || die "port $port on 127.0.0.1 is in use (set $var to another port)"
  done
}

# CA, API server serving cert, service-account key pair, and a front-proxy CA (the API
# server publishes it for delegated authentication; without it the controller manager
# logs an error every few seconds). EC P-256 keys: fast to make.
make_certs() {
  local d="$state/pki"
  [[ -f "$d/front-proxy-ca.crt" ]] && return 0 # the last file made: a kept state has them all
  mkdir -p "$d"
  (
    cd "$d"
    local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
    openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.crt -days 365 -subj "/CN=fn-mesh-local-ca"
    openssl req -new "${ec[@]}" -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver"
    # 10.96.0.1 is the kubernetes Service's IP in --service-cluster-ip-range.
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" \
      "subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.96.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" \
      >apiserver.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 \
      -extfile apiserver.ext -out apiserver.crt
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out sa.key
    openssl pkey -in sa.key -pubout -out sa.pub
    openssl req -x509 "${ec[@]}" -keyout front-proxy-ca.key -out front-proxy-ca.crt -days 365 \
      -subj "/CN=fn-mesh-front-proxy-ca"
  ) 2>"$state/openssl.log" || { cat "$state/openssl.log" >&2; die "openssl failed to make the certificates"; }
  chmod 600 "$d"/*.key
}

# Static bearer tokens: the admin (system:masters), the limited user (no rights until a
# test binds a Role), and the controller manager (bootstrap RBAC knows that user).
make_tokens() {
  [[ -f "$state/tokens.csv" ]] && return 0
  local admin limited kcm
  admin="$(openssl rand -hex 24)" limited="$(openssl rand -hex 24)" kcm="$(openssl rand -hex 24)"
  (
    umask 077 # the file is created inside the subshell, with its umask
    printf '%s\n' "$admin,fn-mesh-admin,fn-mesh-admin,system:masters" \
      "$limited,fn-mesh-limited,fn-mesh-limited" \
      "$kcm,system:kube-controller-manager,system:kube-controller-manager" >"$state/tokens.csv"
  )
}

token_of() { awk -F, -v u="$1" '$2 == u { print $1 }' "$state/tokens.csv"; }

# write_kubeconfig FILE CONTEXT USER
write_kubeconfig() {
  local file="$1" context="$2" user="$3"
  (
    umask 077
    cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: fn-mesh-local
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority-data: $(base64 -w0 "$state/pki/ca.crt")
users:
- name: $user
  user:
    token: $(token_of "$user")
contexts:
- name: $context
  context:
    cluster: fn-mesh-local
    user: $user
current-context: $context
EOF
  )
}

kctl() { "$bin/kubectl" --kubeconfig "$state/kubeconfig" --cache-dir "$kubectl_cache" "$@"; }

start_etcd() {
  launch fn-mesh-etcd -data-dir "$state/etcd" -client-port "$etcd_port" -peer-port "$((etcd_port + 1))" \
    -unsafe-no-fsync # throwaway test data: fsync only slows the start and every write
  wait_for fn-mesh-etcd "etcd ready" grep -q 'fn-mesh-etcd: ready' "$state/fn-mesh-etcd.log"
  step "etcd ready on 127.0.0.1:$etcd_port"
}

start_apiserver() {
  local pki="$state/pki"
  launch kube-apiserver \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" \
    --etcd-servers="http://127.0.0.1:$etcd_port" \
    --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
    --client-ca-file="$pki/ca.crt" --cert-dir="$state/apiserver-certs" \
    --requestheader-client-ca-file="$pki/front-proxy-ca.crt" --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --token-auth-file="$state/tokens.csv" --anonymous-auth=false \
    --authorization-mode=RBAC \
    --service-cluster-ip-range=10.96.0.0/16 \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
    --endpoint-reconciler-type=none `# endpoints may not be loopback IPs; nothing runs in-cluster` \
    --profiling=false
  wait_for kube-apiserver "kube-apiserver ready (/readyz)" kctl get --raw=/readyz
  step "kube-apiserver ready on 127.0.0.1:$api_port"
}

# Launches it without waiting: it gets healthy while the CRDs install.
start_controller_manager() {
  local pki="$state/pki" kc="$state/kube-controller-manager.kubeconfig"
  write_kubeconfig "$kc" kube-controller-manager system:kube-controller-manager
  launch kube-controller-manager \
    --kubeconfig="$kc" --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
    --bind-address=127.0.0.1 --secure-port="$kcm_port" --cert-dir="$state/kcm-certs" \
    --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
    --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
    --profiling=false
  step "kube-controller-manager started (pid $(pid_of kube-controller-manager))"
}

wait_controller_manager() {
  # Its serving cert is self-signed, hence no TLS check; its token authenticates the probe.
  wait_for kube-controller-manager "kube-controller-manager healthy (/healthz)" \
    env KUBECONFIG=/dev/null "$bin/kubectl" --server="https://127.0.0.1:$kcm_port" \
    --insecure-skip-tls-verify --token="$(token_of system:kube-controller-manager)" get --raw=/healthz
  step "kube-controller-manager healthy"
}

crd_yaml() { local d; for d in "${crd_dirs[@]}"; do cat "$d"/*.yaml; done; }

# crds_established N: at least N CRDs are Established (one request per poll).
crds_established() {
  local have
  have="$(kctl get crd -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Established")].status}{"\n"}{end}' |
    grep -c '^True$')"
  ((have >= $1))
}

install_crds() {
  local marker="$state/crds.sha256" sum want files=() d
  sum="$(crd_yaml | sha256sum | cut -d' ' -f1)"
  want="$(crd_yaml | grep -c '^kind: CustomResourceDefinition')"
  for d in "${crd_dirs[@]}"; do files+=(-f "$d"); done
  # A kept cluster that already has these exact CRDs skips the apply (seconds of server work).
  if [[ "$(cat "$marker" 2>/dev/null)" != "$sum" ]] || ! crds_established "$want"; then
    # Server-side apply: the Istio CRDs are too large for client-side apply's annotation.
    kctl apply --server-side --force-conflicts "${files[@]}" >"$state/crds.log" 2>&1 ||
      fail_start kube-apiserver "installing the CRDs failed: $(tail -n 5 "$state/crds.log")"
    step "CRDs applied"
  fi
  wait_for kube-apiserver "$want CRDs Established" crds_established "$want"
  wait_for kube-apiserver "networking.istio.io/v1 served" kctl get --raw=/apis/networking.istio.io/v1
  echo "$sum" >"$marker"
  step "$want CRDs Established, networking.istio.io/v1 served"
}

cmd_start() {
  start_ms="$(now_ms)"
  cmd_build
  cmd_stop # start means a known state: restart whatever ran before
  check_ports
  if [[ "${FN_MESH_CONTROLPLANE_KEEP:-0}" != 1 ]]; then
    rm -rf "$state"
  fi
  mkdir -p "$state"
  rm -rf "$kubectl_cache"
  make_certs
  make_tokens
  write_kubeconfig "$state/kubeconfig" fn-mesh-local fn-mesh-admin
  write_kubeconfig "$state/kubeconfig-limited" fn-mesh-limited fn-mesh-limited

  deadline=$((SECONDS + timeout_s)) # the bound covers the start, not the build
  start_etcd
  start_apiserver
  local kcm="${FN_MESH_CONTROLPLANE_KCM:-1}"
  [[ "$kcm" == 0 ]] || start_controller_manager
  install_crds
  [[ "$kcm" == 0 ]] || wait_controller_manager
  step "ready: https://127.0.0.1:$api_port (Kubernetes $kube_version)"
  log "admin: KUBECONFIG=$state/kubeconfig   limited: $state/kubeconfig-limited"
}

# The reliability tests stop the API server under a running client and start it again: etcd,
# certificates and tokens stay, so every object and credential survives.
cmd_start_apiserver() {
  start_ms="$(now_ms)"
  [[ -f "$state/tokens.csv" ]] || die "no $state/tokens.csv: run '$0 start' first"
  is_running fn-mesh-etcd || die "etcd is not running: run '$0 start' first"
  is_running kube-apiserver && return 0
  port_free "$api_port" || die "port $api_port on 127.0.0.1 is in use (set FN_MESH_APISERVER_PORT to another port)"
  deadline=$((SECONDS + timeout_s))
  start_apiserver
}

cmd_status() {
  local name rc=0
  for name in "${COMPONENTS[@]}"; do
    if is_running "$name"; then
      echo "$name: running (pid $(pid_of "$name"), log $state/$name.log)"
    else
      echo "$name: stopped"
      [[ "$name" == kube-controller-manager ]] || rc=1
    fi
  done
  if is_running kube-apiserver && kctl get --raw=/readyz >/dev/null 2>&1; then
    echo "api server: ready at https://127.0.0.1:$api_port; KUBECONFIG=$state/kubeconfig"
  else
    echo "api server: not ready"
    rc=1
  fi
  return "$rc"
}

cmd_env() {
  echo "export KUBECONFIG='$state/kubeconfig'"
  echo "export FN_MESH_KUBECONFIG_LIMITED='$state/kubeconfig-limited'"
  echo "export FN_MESH_KUBECTL='$bin/kubectl'"
}

main() {
  local cmd="${1:-}"
  (($#)) && shift
  case "$cmd" in
    build) cmd_build ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    stop-apiserver) stop_one kube-apiserver ;;
    start-apiserver) cmd_start_apiserver ;;
    status) cmd_status ;;
    env) cmd_env ;;
    kubectl)
      [[ -f "$state/kubeconfig" ]] || die "no $state/kubeconfig: run '$0 start' first"
      exec "$bin/kubectl" --kubeconfig "$state/kubeconfig" --cache-dir "$kubectl_cache" "$@"
      ;;
    *) die "usage: $0 build|start|stop|stop-apiserver|start-apiserver|status|env|kubectl ARGS..." ;;
  esac
}

# On one line: bash reads scripts as it goes, so an edit to this file cannot reach a
# running instance after main returns.
main "$@"; exit
