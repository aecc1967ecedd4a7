#!/usr/bin/env bash
# fn-lb: the runner-lb STAND-IN for Fn Mesh's tests and playground (never shipped).
# It serves /t/<app>/<source> and /invoke/<fnID> (looked up in the Fn v2 API),
# and /r/<app>/<route> (looked up in the v1 API stand-in), running each function
# from tools/fn-lb/functions with the real Node FDK.
#
#   scripts/fn-lb.sh deps     install the lb's npm packages (into the cache)
#   scripts/fn-lb.sh start    listen on 127.0.0.1:${FN_MESH_LB_PORT:-8090}
#   scripts/fn-lb.sh stop | status
#   scripts/fn-lb.sh test     the lb's own tests (node --test)
#
# Fn API URLs: FN_MESH_FN_API_URL (default http://127.0.0.1:${FN_MESH_FN_PORT:-8080})
# and FN_MESH_FN_V1_API_URL (default http://127.0.0.1:${FN_MESH_FN_V1_PORT:-8081}).
# npm packages go to ${FN_MESH_CACHE:-~/.cache/fn-mesh}/fn-lb; pid and log to
# ${FN_MESH_STATE:-~/.cache/fn-mesh/state}/fn-lb.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/tools/fn-lb"
CACHE="${FN_MESH_CACHE:-$HOME/.cache/fn-mesh}"
STATE="${FN_MESH_STATE:-$HOME/.cache/fn-mesh/state}/fn-lb"
LB_PORT="${FN_MESH_LB_PORT:-8090}"
LB_URL="http://127.0.0.1:$LB_PORT"
READY_TIMEOUT_S=20

log() { printf 'fn-lb.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

check_node() {
  command -v node >/dev/null 2>&1 || die "Node.js is missing (need >= 20 with npm)"
  command -v npm >/dev/null 2>&1 || die "npm is missing (it comes with Node.js >= 20)"
  (($(node -p 'process.versions.node.split(".")[0]') >= 20)) || die "Node.js >= 20 needed, found $(node --version)"
  command -v curl >/dev/null 2>&1 || die "curl is missing (Debian package curl)"
}

# deps: npm ci into a cache folder keyed by the lockfile, outside the
# repository; prints the node_modules path (given to node as NODE_PATH).
deps() {
  check_node
  local key dir
  key=$(sha256sum "$SRC/package-lock.json" | cut -c1-16)
  dir="$CACHE/fn-lb/$key"
  if [[ ! -f $dir/.complete ]]; then
    log "installing npm packages of tools/fn-lb into $dir"
    rm -rf "$dir" && mkdir -p "$dir"
    cp "$SRC/package.json" "$SRC/package-lock.json" "$dir/"
    (cd "$dir" && npm ci --omit=dev --no-audit --no-fund --loglevel=error) >&2 || die "npm ci failed in $dir"
    touch "$dir/.complete"
  fi
  echo "$dir/node_modules"
}

pid_of() {
  [[ -f $STATE/fn-lb.pid ]] && kill -0 "$(cat "$STATE/fn-lb.pid")" 2>/dev/null && cat "$STATE/fn-lb.pid"
}

start() {
  local modules pid
  modules=$(deps)
  mkdir -p "$STATE"
  if pid=$(pid_of); then log "fn-lb already running (pid $pid) on $LB_URL"; return; fi
  if curl -fsS -o /dev/null --max-time 2 "$LB_URL/" 2>/dev/null; then
    die "$LB_URL already answers but not from an fn-lb started here: free the port or set FN_MESH_LB_PORT"
  fi
  # setsid: the lb leads its own process group (with its function processes).
  FN_MESH_LB_PORT="$LB_PORT" NODE_PATH="$modules" \
    FN_MESH_FN_API_URL="${FN_MESH_FN_API_URL:-http://127.0.0.1:${FN_MESH_FN_PORT:-8080}}" \
    FN_MESH_FN_V1_API_URL="${FN_MESH_FN_V1_API_URL:-http://127.0.0.1:${FN_MESH_FN_V1_PORT:-8081}}" \
    setsid node "$SRC/server.js" >>"$STATE/fn-lb.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$STATE/fn-lb.pid"
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  until curl -fsS -o /dev/null --max-time 2 "$LB_URL/" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$STATE/fn-lb.log" >&2
      rm -f "$STATE/fn-lb.pid"
      die "fn-lb exited during startup; log: $STATE/fn-lb.log"
    fi
    if ((SECONDS >= deadline)); then stop; die "fn-lb not ready after ${READY_TIMEOUT_S}s; log: $STATE/fn-lb.log"; fi
    sleep 0.2
  done
  log "fn-lb running (pid $pid) on $LB_URL; log: $STATE/fn-lb.log"
}

stop() {
  local pid
  if ! pid=$(pid_of); then log "fn-lb not running"; rm -f "$STATE/fn-lb.pid"; return; fi
  # SIGTERM to the lb alone: it stops its function processes itself.
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  # Whatever is left of the group (lb or functions) after 10 s is killed.
  if kill -0 -- "-$pid" 2>/dev/null; then
    log "fn-lb group $pid still alive after 10 s: sending SIGKILL"
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/fn-lb.pid"
  log "fn-lb stopped (pid $pid)"
}

case "${1:-}" in
  deps) deps >/dev/null ;;
  start) start ;;
  stop) stop ;;
  status)
    if pid=$(pid_of); then echo "fn-lb running (pid $pid) on $LB_URL"; else echo "fn-lb stopped"; exit 3; fi
    ;;
  test)
    modules=$(deps)
    cd "$SRC" && NODE_PATH="$modules" node --test test/*.test.js
    ;;
  *)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
