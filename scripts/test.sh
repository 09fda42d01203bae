#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (unit and end-to-end) with ctest.
# usage: scripts/test.sh [--llvm N] [ctest arguments...]   (default LLVM 14)
set -euo pipefail
cd "$(dirname "$0")/.."

args=()
if [ "${1:-}" = --llvm ]; then args=(--llvm "$2"); shift 2; fi
dir=$(scripts/build.sh "${args[@]}")
ctest --test-dir "$dir" --output-on-failure -j"$(nproc)" "$@"
