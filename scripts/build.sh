#!/usr/bin/env bash
# Sets up and builds zaph: build/ for LLVM 14 (Debian 12's clang), build-N/ for --llvm N.
# Prints the build directory on stdout.
# usage: scripts/build.sh [--llvm N] [cmake arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."

llvm=14
if [ "${1:-}" = --llvm ]; then llvm=$2; shift 2; fi
scripts/setup.sh --llvm "$llvm" >&2

dir=build
[ "$llvm" = 14 ] || dir=build-$llvm
cmake -S . -B "$dir" -G Ninja \
  -DLLVM_DIR="/usr/lib/llvm-$llvm/lib/cmake/llvm" \
  -DCMAKE_C_COMPILER="/usr/lib/llvm-$llvm/bin/clang" \
  -DCMAKE_CXX_COMPILER="/usr/lib/llvm-$llvm/bin/clang++" "$@" >&2
cmake --build "$dir" >&2
echo "$dir"
