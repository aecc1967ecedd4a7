# Sourced by the scripts: installs Debian packages that are missing, as root or through
# `sudo -n`. Refreshes the package lists only when something must be installed, waits for the
# dpkg lock instead of failing, and keeps packages from starting system services (nginx on port
# 80, for one) while they install. Prints progress on stderr.
#
#   ensure_debian_packages <caller-name> pkg...
ensure_debian_packages() {
  local caller=$1; shift
  local missing=() pkg status
  for pkg in "$@"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  _debian_fail() { printf '%s: ERROR: %s\n' "$caller" "$*" >&2; return 1; }
  command -v apt-get >/dev/null || { _debian_fail "missing Debian packages (${missing[*]}) and no apt-get: install them by hand"; return 1; }
  local as_root=()
  if [[ "$(id -u)" != 0 ]]; then
    sudo -n true 2>/dev/null || { _debian_fail "missing Debian packages (${missing[*]}): run 'sudo apt-get install -y ${missing[*]}'"; return 1; }
    as_root=(sudo -n)
  fi
  local policy=/usr/sbin/policy-rc.d placed_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null && "${as_root[@]}" chmod 755 "$policy" && placed_policy=1
  fi
  local apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 -qq)
  local rc=0
  printf '%s: installing Debian packages: %s\n' "$caller" "${missing[*]}" >&2
  if ! timeout 300 "${apt[@]}" update >&2; then
    _debian_fail "apt-get update failed"; rc=1
  elif ! timeout 900 "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >&2; then
    _debian_fail "apt-get install ${missing[*]} failed"; rc=1
  fi
  if ((placed_policy)); then
    "${as_root[@]}" rm -f "$policy"
  fi
  return "$rc"
}
