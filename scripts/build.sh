#!/usr/bin/env bash
# Sets up and builds zaph. Prints the build directory on stdout:
#   build/ for LLVM 14 (Debian 12's clang), build-N/ for --llvm N,
#   build-asan/ or build-tsan/ (and build-N-asan/ ...) for a sanitizer build.
# Arguments after -- go to cmake's configure step (-DZAPH_FUZZ=ON, ...).
# usage: scripts/build.sh [--llvm N] [--sanitize address,undefined|thread] [-- CMAKE-ARGUMENT...]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

llvm=14 sanitize=
while [ $# -gt 0 ]; do
  case $1 in
    --llvm | --llvm=*) option_value "$@"; llvm=$value; shift "$taken" ;;
    --sanitize | --sanitize=*) option_value "$@"; sanitize=$value; shift "$taken" ;;
    --) shift; break ;;
    *) other_argument "$1" ;;
  esac
done
scripts/setup.sh --llvm "$llvm" >&2

dir=build
[ "$llvm" = 14 ] || dir=build-$llvm
case "$sanitize" in
  "") ;;
  thread) dir=$dir-tsan ;;
  *) dir=$dir-asan ;;
esac
cmake -S . -B "$dir" -G Ninja \
  -DLLVM_DIR="/usr/lib/llvm-$llvm/lib/cmake/llvm" \
  -DCMAKE_C_COMPILER="/usr/lib/llvm-$llvm/bin/clang" \
  -DCMAKE_CXX_COMPILER="/usr/lib/llvm-$llvm/bin/clang++" \
  -DZAPH_SANITIZE="$sanitize" "$@" >&2
cmake --build "$dir" >&2
echo "$dir"
