#!/usr/bin/env bash
# Compiles one IR case to LLVM IR with clang (no optimisation, no pass), runs the pass alone
# over it with opt and checks the result with FileCheck against the patterns in the source.
# usage: run_check.sh CLANG OPT FILECHECK PLUGIN INCLUDE SOURCE [CLANG FLAG...] -- [FILECHECK FLAG...]
set -euo pipefail
clang=$1 opt=$2 filecheck=$3 plugin=$4 include=$5 source=$6
shift 6
clang_flags=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
  clang_flags+=("$1")
  shift
done
[ $# -eq 0 ] || shift
"$clang" -O0 -Xclang -disable-O0-optnone -S -emit-llvm "${clang_flags[@]}" -I"$include" "$source" -o - |
  "$opt" -load-pass-plugin="$plugin" -passes=zaph -S |
  "$filecheck" "$@" "$source"
