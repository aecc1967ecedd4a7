#!/usr/bin/env bash
# One command for the scale benchmarks: starts the real Fn server and the local control plane
# (kube-apiserver + etcd + kube-controller-manager, no kubelet and no istiod: the 1,000 proxy pods
# stay Pending, which the trees show like any other pod), seeds 1,000 Fn apps with 5,000 functions
# and 500 routed apps, runs trees.bench.mjs and watch-apply.bench.mjs, and stops what it started.
#
#   npm run build && npm run compile-tests && bash bench/trees/run.sh [runs=5] [n=15]
#
# Ports and state default to a set of their own (FN_MESH_* variables override them), so a running
# playground or test run is not disturbed. The Fn data and the control plane start fresh each time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
runs="${1:-5}"
n="${2:-15}"
export FN_MESH_STATE="${FN_MESH_STATE:-${FN_MESH_CACHE:-$HOME/.cache/fn-mesh}/state-bench}"
export FN_MESH_FN_PORT="${FN_MESH_FN_PORT:-23080}" FN_MESH_FN_V1_PORT="${FN_MESH_FN_V1_PORT:-23081}"
export FN_MESH_LB_PORT="${FN_MESH_LB_PORT:-23090}" FN_MESH_APISERVER_PORT="${FN_MESH_APISERVER_PORT:-23443}"
export FN_MESH_ETCD_PORT="${FN_MESH_ETCD_PORT:-24379}" FN_MESH_KCM_PORT="${FN_MESH_KCM_PORT:-23257}"
export FN_MESH_KUBELET_PORT="${FN_MESH_KUBELET_PORT:-23250}" FN_MESH_ISTIOD_PORT="${FN_MESH_ISTIOD_PORT:-23010}"

cleanup() {
  set +e
  bash scripts/fnserver.sh stop >/dev/null 2>&1
  bash scripts/controlplane.sh stop >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bash scripts/fnserver.sh reset >/dev/null 2>&1 || true
bash scripts/fnserver.sh start
bash scripts/controlplane.sh start
eval "$(bash scripts/controlplane.sh env)"
export FN_API_URL="http://127.0.0.1:$FN_MESH_FN_PORT"

node bench/trees/seed.mjs fn 1000 5
node bench/trees/seed.mjs kube 500 fnm-bench
status=0
node --expose-gc bench/trees/trees.bench.mjs "$runs" fnm-bench || status=1
node bench/trees/watch-apply.bench.mjs "$n" fnm-bench || status=1
exit "$status"
