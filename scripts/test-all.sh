#!/usr/bin/env bash
# Runs every test of Fn Mesh from a fresh clone, doing its own set-up:
#   npm dependencies, bundle, type check and lint;
#   unit tests (plain Node);
#   integration tests against real servers it starts here: the Fn server, the 2018 API stand-in,
#     the local Kubernetes control plane (kube-apiserver + etcd + CRDs), istiod with its webhooks
#     and the ingress gateway (Envoy stand-in), and nginx;
#   extension-host tests inside a real VS Code (code-server's VS Code server + headless Chromium);
#   UI tests: headless Chromium clicks through the workbench with the extension loaded;
#   the playground as a newcomer meets it (scripts/playground.sh from a fresh state, its workbench
#     in headless Chromium, Ctrl-C, nothing left running);
#   packaging of the VSIX.
# Every server it starts is stopped on exit. Ends with "total: N passed, N failed".
#
#   FN_MESH_TEST_TIERS="unit integration reliability host ui playground package"   the tiers to run (default: all)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tiers=" ${FN_MESH_TEST_TIERS:-unit integration reliability host ui playground package} "
wants() { [[ "$tiers" == *" $1 "* ]]; }

# Tests use their own ports and state, so they never disturb a running playground.
export FN_MESH_STATE="${FN_MESH_TEST_STATE:-${FN_MESH_CACHE:-$HOME/.cache/fn-mesh}/state-test}"
export FN_MESH_FN_PORT="${FN_MESH_FN_PORT:-18080}"
export FN_MESH_FN_V1_PORT="${FN_MESH_FN_V1_PORT:-18081}"
export FN_MESH_LB_PORT="${FN_MESH_LB_PORT:-18090}"
export FN_MESH_APISERVER_PORT="${FN_MESH_APISERVER_PORT:-16443}"
export FN_MESH_ETCD_PORT="${FN_MESH_ETCD_PORT:-22379}"
export FN_MESH_KCM_PORT="${FN_MESH_KCM_PORT:-20257}"
export FN_MESH_KUBELET_PORT="${FN_MESH_KUBELET_PORT:-20250}"
# Pod addresses of the test stack (127.245.x.y): apart from a running playground's (127.244.x.y).
export FN_MESH_POD_CIDR="${FN_MESH_POD_CIDR:-10.245.0.0/16}"
export FN_MESH_ISTIOD_PORT="${FN_MESH_ISTIOD_PORT:-25010}" # 25010..25017, clear of Istio's 15010..
# Injected sidecars (Fn Mesh labels its proxy pods for injection) cannot run here: the kubelet
# stand-in reports them bypassed (not run, traffic straight to nginx) so proxies can be ready.
export FN_MESH_KUBELET_STANDIN_ISTIO_SIDECARS="${FN_MESH_KUBELET_STANDIN_ISTIO_SIDECARS:-bypass}"
export FN_MESH_TEST_TALLY
FN_MESH_TEST_TALLY="$(mktemp)"
mkdir -p test-output

step() { printf '\n==== %s\n' "$*"; }
started=()
# Stops what was started, last first.
stop_started() {
  for ((i=${#started[@]}-1; i>=0; i--)); do
    ${started[i]} >/dev/null 2>&1 || true
  done
  started=()
}
cleanup() {
  local status=$?
  trap '' PIPE
  set +e
  stop_started
  rm -f "$FN_MESH_TEST_TALLY"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "system packages"
# nginx runs the generated proxy configurations (installed without starting a system nginx);
# the other tiers' scripts install what they need themselves.
bash scripts/nginx-available.sh

step "npm dependencies"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

step "build, type check, lint"
npm run -s build
npm run -s compile-tests
npm run -s lint

failed=0
# Adds a tier's counts read from a log: passes/failures are lines matching the patterns, or for
# node --test the numbers in its "# pass N" / "# fail N" lines.
tally_from() { # _ log pass-pattern fail-pattern name
  local log=$2 p f
  if grep -qE '^# pass [0-9]+' "$log"; then
    p=$(awk '/^# pass /{print $3}' "$log" | tail -1); f=$(awk '/^# fail /{print $3}' "$log" | tail -1)
  else
    p=$(grep -cE "$3" "$log" || true); f=$(grep -cE "$4" "$log" || true)
  fi
  cat "$log"
  echo "${p:-0} ${f:-0} 0 $5" >>"$FN_MESH_TEST_TALLY"
}
run_tier() { # name, command...
  local name=$1; shift
  step "$name tests"
  if ! FN_MESH_TEST_TIER="$name" "$@"; then
    failed=1
  fi
}

if wants unit; then
  run_tier unit npx mocha "out/test/unit/**/*.test.js"
fi

if wants integration || wants reliability || wants host || wants ui; then
  step "start the Fn server, the 2018 API stand-in and the local control plane"
  bash scripts/fnserver.sh start
  started+=("bash scripts/fnserver.sh stop")
  bash scripts/fnserver.sh start-v1
  started+=("bash scripts/fnserver.sh stop-v1")
  bash scripts/fnserver.sh seed
  bash scripts/fn-lb.sh start
  started+=("bash scripts/fn-lb.sh stop")
  export FN_MESH_TEST_FN_URL="http://127.0.0.1:$FN_MESH_FN_PORT"
  export FN_MESH_TEST_FN_V1_URL="http://127.0.0.1:$FN_MESH_FN_V1_PORT"
  export FN_MESH_TEST_LB_URL="http://127.0.0.1:$FN_MESH_LB_PORT"

  bash scripts/controlplane.sh start
  started+=("bash scripts/controlplane.sh stop")
  eval "$(bash scripts/controlplane.sh env)" # KUBECONFIG (admin) and FN_MESH_KUBECONFIG_LIMITED
  bash scripts/kubelet-standin.sh start
  started+=("bash scripts/kubelet-standin.sh stop")
  # istiod with the validation (failurePolicy Fail) and injection webhooks, and the
  # istio-ingressgateway whose pod the kubelet stand-in runs with the Envoy stand-in.
  bash scripts/istio.sh start
  started+=("bash scripts/istio.sh stop")
  eval "$(bash scripts/istio.sh env)" # FN_MESH_ISTIOCTL, FN_MESH_GATEWAY_URL, the inject config files
  # Register the Fn server in the cluster as the fn-helm chart lays it out (discovery tests).
  bash scripts/cluster-fixtures.sh fn "$FN_MESH_FN_PORT" "$FN_MESH_LB_PORT"
fi

if wants integration; then
  step "test servers' own tests (Go stand-in, runner-lb stand-in)"
  (cd tools/fn-standin && go test -v ./... >"$root/test-output/fn-standin.log" 2>&1) || failed=1
  tally_from tools "$root/test-output/fn-standin.log" '^\s*--- PASS' '^\s*--- FAIL' fn-standin
  bash scripts/fn-lb.sh test >"$root/test-output/fn-lb.log" 2>&1 || failed=1
  tally_from tools "$root/test-output/fn-lb.log" '^# pass [1-9]' '^# fail [1-9]' fn-lb
  bash scripts/kubelet-standin.sh test >"$root/test-output/kubelet-standin.log" 2>&1 || failed=1
  tally_from tools "$root/test-output/kubelet-standin.log" '^\s*--- PASS' '^\s*--- FAIL' kubelet-standin
  bash tools/controlplane/smoke-test.sh >"$root/test-output/controlplane-smoke.log" 2>&1 || failed=1
  tally_from tools "$root/test-output/controlplane-smoke.log" '^ok ' '^FAIL ' cp-smoke
  bash scripts/istio.sh test >"$root/test-output/mesh-gateway-it.log" 2>&1 || failed=1
  tally_from tools "$root/test-output/mesh-gateway-it.log" '^\s*--- PASS' '^\s*--- FAIL' gateway-istiod
  # --exit: client-node keeps HTTP agents and watch sockets alive after the last test.
  run_tier integration npx mocha --exit --timeout 60000 "out/test/integration/**/*.test.js"
fi

if wants reliability; then
  # Stops and starts kube-apiserver and istiod under running clients (scripts/controlplane.sh
  # stop-apiserver/start-apiserver, scripts/istio.sh stop/start); leaves them running.
  run_tier reliability npx mocha --exit --timeout 60000 "out/test/reliability/**/*.test.js"
fi

if wants host; then
  step "host tests in a real VS Code"
  bash scripts/setup-test-host.sh
  if ! node test/launchers/runHostTests.mjs 2>&1 | tee test-output/host.log; then
    failed=1
  fi
  # The launcher prints "N passed, N failed"; add it to the tally.
  grep -E '^[0-9]+ passed, [0-9]+ failed' test-output/host.log | tail -1 |
    awk '{print $1, $3, 0, "host"}' >>"$FN_MESH_TEST_TALLY" || true
fi

if wants ui; then
  step "UI tests: headless Chromium drives the real workbench"
  if ! node test/launchers/runUiTests.mjs 2>&1 | tee test-output/ui.log; then
    failed=1
  fi
  grep -E '^[0-9]+ passed, [0-9]+ failed' test-output/ui.log | tail -1 |
    awk '{print $1, $3, 0, "ui"}' >>"$FN_MESH_TEST_TALLY" || true
fi

if wants playground; then
  # The playground starts its own stack on the same ports: the tests' stack stops first.
  step "the playground as a newcomer meets it"
  stop_started
  bash scripts/setup-test-host.sh >/dev/null
  if ! node test/launchers/runPlaygroundTest.mjs 2>&1 | tee test-output/playground-test.log; then
    failed=1
  fi
  grep -E '^[0-9]+ passed, [0-9]+ failed' test-output/playground-test.log | tail -1 |
    awk '{print $1, $3, 0, "playground"}' >>"$FN_MESH_TEST_TALLY" || true
fi

if wants package; then
  step "package the VSIX"
  if node scripts/package.mjs "$root/test-output/fn-mesh.vsix" </dev/null; then
    echo "1 0 0 package" >>"$FN_MESH_TEST_TALLY"
  else
    echo "0 1 0 package" >>"$FN_MESH_TEST_TALLY"
    failed=1
  fi
fi

step "summary"
awk '{ printf "  %-12s %s passed, %s failed, %s skipped\n", $4, $1, $2, $3; p += $1; f += $2; s += $3 }
     END { printf "\ntotal: %d passed, %d failed", p, f; if (s) printf ", %d skipped", s; printf "\n" }' "$FN_MESH_TEST_TALLY"
if [ "$failed" != 0 ] || awk '{ f += $2 } END { exit !(f > 0) }' "$FN_MESH_TEST_TALLY"; then
  exit 1
fi
