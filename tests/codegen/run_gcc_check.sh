#!/usr/bin/env bash
# Checks what the GCC plugin leaves in one codegen case with FileCheck: the GIMPLE its pass
# writes (the `zaph` dump, right after `ssa`) or the x86-64 assembly, without the lines that say
# nothing of the code (comments, CFI directives, local labels).
# usage: run_gcc_check.sh GCC PLUGIN INCLUDE FILECHECK PREFIX gimple|asm SOURCE [GCC FLAGS...]
set -euo pipefail
gcc=$1 plugin=$2 include=$3 filecheck=$4 prefix=$5 what=$6 source=$7
shift 7
dir=$(mktemp -d) && trap 'rm -rf "$dir"' EXIT
if [ "$what" = gimple ]; then
  # GCC takes -fdump-tree-NAME only for its own passes: a plugin's dump comes with all of them.
  "$gcc" -O2 -c "$@" -fplugin="$plugin" -I"$include" -fdump-tree-all -dumpdir "$dir/" \
    "$source" -o "$dir/out.o"
  cat "$dir"/*.zaph
else
  "$gcc" -O2 -S "$@" -fplugin="$plugin" -I"$include" "$source" -o - |
    grep -Ev '^[[:space:]]*(#|\.cfi_)|^\.L[A-Z]*[0-9]+:'
fi | "$filecheck" --check-prefix="$prefix" "$source"
