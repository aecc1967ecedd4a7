#!/usr/bin/env bash
# Fn API servers for Fn Mesh's tests and playground (never shipped).
#
#   scripts/fnserver.sh build      build both binaries if their sources changed
#   scripts/fnserver.sh start      Fn's REAL server, api node, v2 API   (port FN_MESH_FN_PORT, 8080)
#   scripts/fnserver.sh seed       app hello-app, fns v1/v2, HTTP triggers /v1 and /v2
#   scripts/fnserver.sh start-v1   the 2018 v1 API STAND-IN             (port FN_MESH_FN_V1_PORT, 8081)
#   scripts/fnserver.sh seed-v1    app hello-app, routes /v1 and /v2
#   scripts/fnserver.sh status | status-v1 | stop | stop-v1 | reset (stop + forget the v2 data)
#
# Binaries go to ${FN_MESH_CACHE:-~/.cache/fn-mesh}/bin; pid, log and sqlite
# db to ${FN_MESH_STATE:-~/.cache/fn-mesh/state}/fnserver. Everything listens
# on 127.0.0.1. Invocation endpoints point at the fn-lb stand-in
# (FN_MESH_LB_PORT, 8090; scripts/fn-lb.sh), which runs the functions.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${FN_MESH_CACHE:-$HOME/.cache/fn-mesh}"
STATE="${FN_MESH_STATE:-$HOME/.cache/fn-mesh/state}/fnserver"
BIN="$CACHE/bin"
FN_PORT="${FN_MESH_FN_PORT:-8080}"
V1_PORT="${FN_MESH_FN_V1_PORT:-8081}"
LB_PORT="${FN_MESH_LB_PORT:-8090}"
READY_TIMEOUT_S=30

log() { printf 'fnserver.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# need CMD APT_PACKAGE: install a missing tool from Debian (CI starts fresh).
# shellcheck source=lib/debian.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/debian.sh"
need() {
  command -v "$1" >/dev/null 2>&1 && return
  ensure_debian_packages fnserver.sh "$2" || die "'$1' is missing; install the Debian package '$2'"
}

go_cmd() {
  if command -v go >/dev/null 2>&1; then go "$@"
  elif [[ -x /usr/local/go/bin/go ]]; then /usr/local/go/bin/go "$@"
  else die "Go toolchain not found (expected 'go' in PATH or /usr/local/go/bin/go)"
  fi
}

# build_go NAME MODULE_DIR [CGO]: go build into $BIN/NAME unless the module's
# sources are unchanged since the last build (content hash, not mtimes, so a
# fresh clone reuses the cached binary).
build_go() {
  local name=$1 dir=$2 cgo=${3:-0} out="$BIN/$1" hash
  hash=$(cd "$dir" && find . -maxdepth 1 \( -name '*.go' -o -name go.mod -o -name go.sum \) -print0 |
    sort -z | xargs -0 cat | sha256sum | cut -d' ' -f1)
  if [[ -x $out && -f $out.sha256 && $(cat "$out.sha256") == "$hash" ]]; then return; fi
  mkdir -p "$BIN" "$STATE"
  if [[ $cgo == 1 ]]; then need gcc gcc; fi
  log "building $name (a first build downloads Go modules and, for fnserver, compiles sqlite: ~3-4 min)"
  local start=$SECONDS
  if ! (cd "$dir" && CGO_ENABLED=$cgo GOFLAGS=-buildvcs=false go_cmd build -o "$out.tmp" .) >"$STATE/build-$name.log" 2>&1; then
    tail -n 40 "$STATE/build-$name.log" >&2
    die "building $name failed; full log: $STATE/build-$name.log"
  fi
  mv "$out.tmp" "$out"
  echo "$hash" >"$out.sha256"
  log "built $out in $((SECONDS - start)) s"
}

build() {
  build_go fnserver "$ROOT/tools/fnserver" 1
  build_go fn-standin "$ROOT/tools/fn-standin"
}

# ---- processes -------------------------------------------------------------

pid_of() { # NAME -> pid if running
  local f="$STATE/$1.pid"
  [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
}

# start_proc NAME URL_TO_PROBE CMD...: start CMD in its own process group and
# wait until URL answers 200.
start_proc() {
  local name=$1 url=$2 pid; shift 2
  mkdir -p "$STATE"
  if pid=$(pid_of "$name"); then log "$name already running (pid $pid) on $url"; return; fi
  if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then
    die "$url already answers but not from a $name started here: free the port or set another one"
  fi
  # setsid: the server leads its own process group, so stop can signal it whole.
  setsid "$@" >>"$STATE/$name.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$STATE/$name.pid"
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$STATE/$name.log" >&2
      rm -f "$STATE/$name.pid"
      die "$name exited during startup; log: $STATE/$name.log"
    fi
    if ((SECONDS >= deadline)); then
      stop_proc "$name"
      die "$name not ready at $url after ${READY_TIMEOUT_S}s; log: $STATE/$name.log"
    fi
    sleep 0.2
  done
  log "$name running (pid $pid) on $url; log: $STATE/$name.log"
}

stop_proc() {
  local name=$1 pid
  if ! pid=$(pid_of "$name"); then log "$name not running"; rm -f "$STATE/$name.pid"; return; fi
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) ignored SIGTERM for 10 s: sending SIGKILL"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/$name.pid"
  log "$name stopped (pid $pid)"
}

status_proc() { # NAME URL; exit status 0 running, 3 stopped (LSB)
  local pid
  if pid=$(pid_of "$1"); then echo "$1 running (pid $pid) on $2"; else echo "$1 stopped"; return 3; fi
}

# ---- REST helpers for seeding ------------------------------------------------

# api METHOD URL [JSON]: prints the response body; fails on HTTP >= 400.
api() {
  local out code
  out=$(curl -sS --max-time 10 -X "$1" "$2" -H 'Content-Type: application/json' ${3:+--data "$3"} -w '\n%{http_code}') ||
    die "$1 $2: no answer"
  code=${out##*$'\n'}
  out=${out%$'\n'*}
  ((code < 400)) || die "$1 $2 -> HTTP $code: $out"
  printf '%s' "$out"
}

seed_v2() {
  need jq jq
  # Every lookup is assigned before it is tested: a failure inside $(...) in a
  # test would not stop the script.
  local base="http://127.0.0.1:$FN_PORT/v2" app fn trigger v
  app=$(api GET "$base/apps?name=hello-app" | jq -r '.items[0].id // empty')
  [[ -n $app ]] || app=$(api POST "$base/apps" '{"name":"hello-app"}' | jq -r .id)
  for v in v1 v2; do
    fn=$(api GET "$base/fns?app_id=$app&name=$v" | jq -r '.items[0].id // empty')
    if [[ -z $fn ]]; then
      fn=$(api POST "$base/fns" "{\"app_id\":\"$app\",\"name\":\"$v\",\"image\":\"fnmesh/hello:$v\"}" | jq -r .id)
    else # re-seeding puts the image back, as `fn deploy` would
      api PUT "$base/fns/$fn" "{\"image\":\"fnmesh/hello:$v\"}" >/dev/null
    fi
    trigger=$(api GET "$base/triggers?app_id=$app&fn_id=$fn&name=$v" | jq -r '.items[0].id // empty')
    if [[ -z $trigger ]]; then
      api POST "$base/triggers" \
        "{\"app_id\":\"$app\",\"fn_id\":\"$fn\",\"name\":\"$v\",\"type\":\"http\",\"source\":\"/$v\"}" >/dev/null
    fi
    printf 'hello-app/%s  fn %s  image fnmesh/hello:%s  trigger http://127.0.0.1:%s/t/hello-app/%s\n' \
      "$v" "$fn" "$v" "$LB_PORT" "$v"
  done
}

seed_v1() {
  local base="http://127.0.0.1:$V1_PORT/v1" v
  for v in v1 v2; do # PUT creates the app and the route, or updates them
    api PUT "$base/apps/hello-app/routes/$v" \
      "{\"route\":{\"image\":\"fnmesh/hello:$v\",\"type\":\"sync\",\"format\":\"http\"}}" >/dev/null
    printf 'hello-app/%s  route /%s  image fnmesh/hello:%s  invoke http://127.0.0.1:%s/r/hello-app/%s\n' \
      "$v" "$v" "$v" "$V1_PORT" "$v"
  done
}

# ---- commands ----------------------------------------------------------------

V2_URL="http://127.0.0.1:$FN_PORT/v2/apps"
V1_URL="http://127.0.0.1:$V1_PORT/v1/apps"

case "${1:-}" in
  build) build ;;
  start)
    need curl curl
    build
    # FN_PUBLIC_LB_URL makes the invokeEndpoint/httpEndpoint annotations
    # point at the lb that really runs the functions.
    start_proc fnserver "$V2_URL" env FN_NODE_TYPE=api FN_PORT="$FN_PORT" \
      FN_DB_URL="sqlite3://$STATE/fn.db" FN_PUBLIC_LB_URL="http://127.0.0.1:$LB_PORT" \
      FN_LOG_LEVEL="${FN_LOG_LEVEL:-info}" "$BIN/fnserver"
    ;;
  start-v1)
    need curl curl
    build_go fn-standin "$ROOT/tools/fn-standin"
    start_proc fn-standin-v1 "$V1_URL" "$BIN/fn-standin" -api v1 \
      -addr "127.0.0.1:$V1_PORT" -runner "http://127.0.0.1:$LB_PORT"
    ;;
  seed) seed_v2 ;;
  seed-v1) seed_v1 ;;
  stop) stop_proc fnserver ;;
  stop-v1) stop_proc fn-standin-v1 ;;
  reset) stop_proc fnserver; rm -f "$STATE/fn.db"; log "v2 data removed" ;;
  status) status_proc fnserver "http://127.0.0.1:$FN_PORT" ;;
  status-v1) status_proc fn-standin-v1 "http://127.0.0.1:$V1_PORT" ;;
  *)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
