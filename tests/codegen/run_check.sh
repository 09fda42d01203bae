#!/usr/bin/env bash
# Compiles one codegen case to x86-64 assembly with the plugin and checks it with FileCheck,
# without the lines that say nothing of the code: comments, CFI directives, block labels.
# usage: run_check.sh CLANG PLUGIN INCLUDE FILECHECK PREFIX SOURCE [CLANG FLAGS...]
set -euo pipefail
clang=$1 plugin=$2 include=$3 filecheck=$4 prefix=$5 source=$6
shift 6
"$clang" -O2 -S "$@" -fplugin="$(dirname "$plugin")/zaph-frontend.so" -fpass-plugin="$plugin" -I"$include" "$source" -o - |
  grep -Ev '^[[:space:]]*(#|\.cfi_)|^\.LBB[0-9_]+:' |
  "$filecheck" --check-prefix="$prefix" "$source"
