#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (unit, report CLI, end-to-end, codegen) with
# ctest. Arguments after -- go to ctest (-- -R '^unit\.' runs the unit tests alone).
# usage: scripts/test.sh [--llvm N] [--sanitize LIST] [-- CTEST-ARGUMENT...]   (default LLVM 14)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

args=()
while [ $# -gt 0 ]; do
  case $1 in
    --llvm | --llvm=* | --sanitize | --sanitize=*)
      option_value "$@"; args+=("${1%%=*}" "$value"); shift "$taken" ;;
    --) shift; break ;;
    *) other_argument "$1" ;;
  esac
done
dir=$(scripts/build.sh "${args[@]}")
ctest --test-dir "$dir" --output-on-failure -j"$(nproc)" "$@"
