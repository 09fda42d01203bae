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
  dpkg-dev tcl make chromium meson libcurl4-openssl-dev libjson-c-dev
  prometheus prometheus-node-exporter curl jq python3 libtomlplusplus-dev)
# Debian starts a package's service on install; these two would listen on every address. The
# suite starts its own, on 127.0.0.1 (tests/prometheus/), so theirs are kept from starting.
services=(prometheus prometheus-node-exporter)
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
# policy-rc.d exiting 101 tells invoke-rc.d and deb-systemd-invoke not to start a service; one
# already there (a container's) is left as it is.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  trap '"${sudo[@]}" rm -f "$policy"' EXIT
fi
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if [ -d /run/systemd/system ]; then # enabled for the next boot all the same
  "${sudo[@]}" systemctl disable --now "${services[@]}" >/dev/null 2>&1 || true
fi
