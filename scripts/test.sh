#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (unit and end-to-end) with ctest.
# usage: scripts/test.sh [--llvm N] [--sanitize LIST] [ctest arguments...]   (default LLVM 14)
set -euo pipefail
cd "$(dirname "$0")/.."

args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --llvm|--sanitize) args+=("$1" "$2"); shift 2 ;;
    *) break ;;
  esac
done
dir=$(scripts/build.sh "${args[@]}")
ctest --test-dir "$dir" --output-on-failure -j"$(nproc)" "$@"
