#!/usr/bin/env bash
# Makes sure Debian's nginx is installed for the routing integration test
# (test/integration/routing/nginx.test.ts runs every generated proxy configuration in it).
# Idempotent: when nginx is already there it only prints its version.
#
#   scripts/nginx-available.sh           install nginx if missing (apt-get; root or sudo -n)
#   scripts/nginx-available.sh --check   only report; exit 1 when nginx is missing
#
# The package would start a system nginx on port 80; a temporary policy-rc.d stops that, as
# the test starts its own nginx processes on 127.0.0.1 and stops them by pid.
set -euo pipefail

readonly PACKAGE=nginx
readonly POLICY=/usr/sbin/policy-rc.d

die() {
  echo "nginx-available: $*" >&2
  exit 1
}

find_nginx() {
  local candidate
  for candidate in "$(command -v nginx || true)" /usr/sbin/nginx /usr/local/sbin/nginx; do
    if [[ -n $candidate && -x $candidate ]]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if bin=$(find_nginx); then
  echo "nginx-available: $("$bin" -v 2>&1) at $bin"
  exit 0
fi
if [[ ${1:-} == --check ]]; then
  die "nginx is not installed: run scripts/nginx-available.sh (or apt-get install -y $PACKAGE)"
fi

command -v apt-get >/dev/null || die "nginx is missing and apt-get is not available: install the Debian package '$PACKAGE' by hand"
as_root=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || die "installing nginx needs root: run as root or install sudo"
  sudo -n true 2>/dev/null || die "installing nginx needs root: 'sudo -n' asks for a password; run 'sudo apt-get install -y $PACKAGE' yourself"
  as_root=(sudo -n)
fi

# Keep the package from starting (and enabling) a system nginx, unless a policy already exists.
if [[ ! -e $POLICY ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$POLICY" >/dev/null
  "${as_root[@]}" chmod 755 "$POLICY"
  trap '"${as_root[@]}" rm -f "$POLICY"' EXIT
fi

apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 -q)
# Refresh the package lists only when they do not know nginx yet (a fresh machine).
if ! apt-cache show "$PACKAGE" >/dev/null 2>&1; then
  echo "nginx-available: apt-get update"
  timeout 300 "${apt[@]}" update || die "apt-get update failed (is the Debian mirror reachable?)"
fi
echo "nginx-available: apt-get install $PACKAGE"
timeout 600 "${apt[@]}" install -y --no-install-recommends "$PACKAGE" || die "apt-get install $PACKAGE failed"

bin=$(find_nginx) || die "apt-get installed $PACKAGE but no nginx binary was found in PATH or /usr/sbin"
echo "nginx-available: $("$bin" -v 2>&1) at $bin"
