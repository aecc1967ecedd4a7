# Sourced by the scripts: installs Debian packages that are missing (as root, or through sudo),
# refreshing the package lists only when something must be installed.
# Usage: ensure_debian_packages <caller> pkg...
ensure_debian_packages() {
  local caller=$1; shift
  local missing=() pkg status
  for pkg in "$@"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  local sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || {
      printf '%s: ERROR: Debian packages missing (%s) and not root: install them with apt-get\n' "$caller" "${missing[*]}" >&2
      return 1
    }
    sudo=(sudo)
  fi
  printf '%s: installing Debian packages: %s\n' "$caller" "${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq >&2 || { printf '%s: ERROR: apt-get update failed\n' "$caller" >&2; return 1; }
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || {
    printf '%s: ERROR: apt-get install %s failed\n' "$caller" "${missing[*]}" >&2
    return 1
  }
}
