#!/usr/bin/env bash
# Measures how long scripts/controlplane.sh takes to bring up the local control plane
# (etcd + kube-apiserver + kube-controller-manager + CRDs installed and served):
#   cold: fresh state (new etcd data, certs, tokens; CRDs installed from scratch)
#   warm: restart keeping the state (FN_MESH_CONTROLPLANE_KEEP=1: data and CRDs already there)
#   stop: stopping everything
# The binaries are built first (not timed, unless this is the first build: see the log).
#
#   bench/controlplane-start.sh [RUNS]     (default 3 runs of each)
# Leaves the control plane stopped. Uses the same environment as scripts/controlplane.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cp="$(dirname "$here")/scripts/controlplane.sh"
runs="${1:-3}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RUNS]" >&2; exit 2; }

now_ms() { date +%s%3N; }

# time_ms CMD...: runs CMD with its output discarded, prints its wall time in ms.
time_ms() {
  local t0 t1
  t0="$(now_ms)"
  "$@" >/dev/null 2>&1 || { echo "bench: '$*' failed; rerun it by hand to see why" >&2; exit 1; }
  t1="$(now_ms)"
  echo $((t1 - t0))
}

# summary NAME MS...: min / median / max of the samples.
summary() {
  local name="$1"
  shift
  local sorted
  mapfile -t sorted < <(printf '%s\n' "$@" | sort -n)
  local n=${#sorted[@]}
  printf '%-26s runs=%d  min=%6ss  median=%6ss  max=%6ss\n' "$name" "$n" \
    "$(seconds "${sorted[0]}")" "$(seconds "${sorted[n / 2]}")" "$(seconds "${sorted[n - 1]}")"
}
seconds() { printf '%d.%02d' $(($1 / 1000)) $(($1 % 1000 / 10)); }

trap '"$cp" stop >/dev/null 2>&1 || true' EXIT

echo "bench: building (or checking) the binaries and CRDs" >&2
build_ms="$(time_ms "$cp" build)"

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
cold=() warm=() stop=()
for ((i = 1; i <= runs; i++)); do
  "$cp" stop >/dev/null 2>&1
  cold+=("$(time_ms "$cp" start)")
  stop+=("$(time_ms "$cp" stop)")
  warm+=("$(FN_MESH_CONTROLPLANE_KEEP=1 time_ms "$cp" start)")
  "$cp" stop >/dev/null 2>&1
  echo "bench: run $i/$runs: cold ${cold[-1]} ms, warm ${warm[-1]} ms, stop ${stop[-1]} ms" >&2
done

# Other work on the machine skews these numbers: print the load around the runs.
echo "controlplane start ($(nproc) cores, $(date -u +%Y-%m-%d); load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-26s %6ss\n' "build (up-to-date check)" "$(seconds "$build_ms")"
summary "cold start (fresh state)" "${cold[@]}"
summary "warm start (kept state)" "${warm[@]}"
summary "stop" "${stop[@]}"
