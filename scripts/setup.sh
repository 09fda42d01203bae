#!/usr/bin/env bash
# Installs the Debian packages zaph needs, and nothing when they are all present.
# usage: scripts/setup.sh [--llvm N]...   (default: 14, the LLVM of Debian 12)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

versions=()
while [ $# -gt 0 ]; do
  case $1 in
    --llvm | --llvm=*) option_value "$@"; versions+=("$value"); shift "$taken" ;;
    *) other_argument "$1" ;;
  esac
done
[ ${#versions[@]} -gt 0 ] || versions=(14)

packages=(cmake ninja-build libcmocka-dev gcc g++ gcc-12-plugin-dev pkgconf
  dpkg-dev tcl make chromium meson)
for v in "${versions[@]}"; do
  packages+=("clang-$v" "llvm-$v-dev" "libclang-$v-dev" "llvm-$v-tools" "lld-$v" "libclang-rt-$v-dev")
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup.sh: installing ${missing[*]}" >&2
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
