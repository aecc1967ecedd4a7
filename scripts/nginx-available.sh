#!/usr/bin/env bash
# Makes sure Debian's nginx is installed for the routing integration test
# (test/integration/routing/nginx.test.ts runs every generated proxy configuration in it).
# Idempotent: when nginx is already there it only prints its version.
#
#   scripts/nginx-available.sh           install nginx if missing (apt-get; root or sudo -n)
#   scripts/nginx-available.sh --check   only report; exit 1 when nginx is missing
#
# The package would start a system nginx on port 80; the shared installer (lib/debian.sh) keeps
# it from doing so, as the test starts its own nginx processes on 127.0.0.1 and stops them by pid.
set -euo pipefail

readonly PACKAGE=nginx

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

# shellcheck source=lib/debian.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/debian.sh"
ensure_debian_packages nginx-available "$PACKAGE" || exit 1

bin=$(find_nginx) || die "apt-get installed $PACKAGE but no nginx binary was found in PATH or /usr/sbin"
echo "nginx-available: $("$bin" -v 2>&1) at $bin"
