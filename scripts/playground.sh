#!/usr/bin/env bash
# The playground: everything Fn Mesh works with, running locally from real parts, and VS Code with
# the extension installed from its VSIX, in a browser.
#   - the local Kubernetes control plane (kube-apiserver + etcd + controller-manager, Istio and
#     Gateway API CRDs) and the kubelet stand-in (runs nginx pods and the gateway; port-forward);
#   - istiod with its injection and validation webhooks, and the istio-ingressgateway Deployment
#     and Service in istio-system (its pod runs the Envoy stand-in); namespace default (where
#     Route Traffic puts hello-app's routing) is labelled istio-injection=enabled;
#   - the real Fn server with app hello-app, functions v1 and v2, and the runner-lb stand-in that
#     runs them with the real Node FDK ({"message":"Hello V1"} / {"message":"Hello V2"});
#   - the Fn server registered in the cluster as the fn-helm chart lays it out, so the extension
#     finds it by itself through a port-forward (no Fn URL is configured);
#   - the VS Code server with the extension, and the URL to open.
# Ctrl-C stops every process it started. First run builds the servers (several minutes).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/debian.sh
source "$root/scripts/lib/debian.sh"
log() { printf '\nplayground: %s\n' "$*" >&2; }

export FN_MESH_STATE="${FN_MESH_STATE:-${FN_MESH_CACHE:-$HOME/.cache/fn-mesh}/state}"
export FN_MESH_FN_PORT="${FN_MESH_FN_PORT:-8080}"
export FN_MESH_LB_PORT="${FN_MESH_LB_PORT:-8090}"
# Injected sidecars (Fn Mesh labels its proxy pods for injection) cannot run here: the kubelet
# stand-in reports them bypassed (not run, traffic straight to nginx) so proxies can be ready.
export FN_MESH_KUBELET_STANDIN_ISTIO_SIDECARS="${FN_MESH_KUBELET_STANDIN_ISTIO_SIDECARS:-bypass}"

started=()
cleanup() {
  trap - EXIT INT TERM
  # Stop everything even when our output went to a pipe that Ctrl-C closed (`... | tee log`).
  trap '' PIPE
  set +e
  log "stopping everything the playground started"
  for ((i=${#started[@]}-1; i>=0; i--)); do
    ${started[i]} >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "npm dependencies and the VSIX"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
vsix="$FN_MESH_STATE/playground/fn-mesh.vsix"
mkdir -p "$(dirname "$vsix")"
node scripts/package.mjs "$vsix" </dev/null >/dev/null

log "local Kubernetes control plane"
bash scripts/controlplane.sh start
started+=("bash scripts/controlplane.sh stop")
eval "$(bash scripts/controlplane.sh env)"
bash scripts/kubelet-standin.sh start
started+=("bash scripts/kubelet-standin.sh stop")

log "istiod, its webhooks and the ingress gateway"
bash scripts/istio.sh start
started+=("bash scripts/istio.sh stop")
# Route Traffic applies to the kubeconfig context's namespace: default.
bash scripts/istio.sh enable-injection default
eval "$(bash scripts/istio.sh env)"

log "Fn server with hello-app (v1, v2) and the runner-lb stand-in"
bash scripts/fnserver.sh start
started+=("bash scripts/fnserver.sh stop")
bash scripts/fnserver.sh seed
bash scripts/fn-lb.sh start
started+=("bash scripts/fn-lb.sh stop")
bash scripts/cluster-fixtures.sh fn "$FN_MESH_FN_PORT" "$FN_MESH_LB_PORT"

log "workspace"
workspace="$FN_MESH_STATE/playground/workspace"
if [ ! -d "$workspace" ]; then
  mkdir -p "$workspace"
  cp -r tools/fn-lb/functions/. "$workspace/"
fi
# The proxies' nginx runs on this machine (kubelet stand-in), where no cluster DNS resolves
# fn.fn-system.svc.cluster.local: Route Traffic points them at the local runner-lb instead.
if [ ! -f "$workspace/.vscode/settings.json" ]; then
  mkdir -p "$workspace/.vscode"
  printf '{\n  "fnMesh.routing.fnLbUrl": "http://127.0.0.1:%s"\n}\n' "$FN_MESH_LB_PORT" >"$workspace/.vscode/settings.json"
fi

cat >&2 <<MSG

playground: ready.
  kubeconfig:  $KUBECONFIG (context $(bash scripts/controlplane.sh kubectl config current-context 2>/dev/null || echo '?'))
  Fn API:      http://127.0.0.1:$FN_MESH_FN_PORT   (also found by the extension in the cluster: Service fn-system/fn)
  runner-lb:   http://127.0.0.1:$FN_MESH_LB_PORT/t/hello-app/v1
  istiod:      xDS $FN_MESH_ISTIOD_XDS, $FN_MESH_ISTIOD_HTTP/debug; istioctl: bash scripts/istio.sh istioctl ...
  gateway:     ${FN_MESH_GATEWAY_URL:-?} (the Envoy stand-in; send the Host of a VirtualService)
MSG
# Foreground until Ctrl-C; prints the URL to open.
unset FN_API_URL
bash scripts/playground-vscode.sh "$vsix" "$workspace"
