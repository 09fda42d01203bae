#!/usr/bin/env bash
# Checks what the GCC plugin leaves in one codegen case with FileCheck: the GIMPLE its pass
# writes (the `zaph` dump, right after `ssa`), the x86-64 assembly, without the lines that say
# nothing of the code (comments, CFI directives, local labels), or the object file as objdump
# disassembles it (-d -r: one instruction a line, then its relocation; addresses and spacing
# folded to "ADDRESS: INSTRUCTION").
# usage: run_gcc_check.sh GCC PLUGIN INCLUDE FILECHECK PREFIX gimple|asm|objdump SOURCE [GCC FLAGS...]
set -euo pipefail
gcc=$1 plugin=$2 include=$3 filecheck=$4 prefix=$5 what=$6 source=$7
shift 7
dir=$(mktemp -d) && trap 'rm -rf "$dir"' EXIT
if [ "$what" = gimple ]; then
  # GCC takes -fdump-tree-NAME only for its own passes: a plugin's dump comes with all of them.
  "$gcc" -O2 -c "$@" -fplugin="$plugin" -I"$include" -fdump-tree-all -dumpdir "$dir/" \
    "$source" -o "$dir/out.o"
  cat "$dir"/*.zaph
elif [ "$what" = objdump ]; then
  "$gcc" -O2 -c "$@" -fplugin="$plugin" -I"$include" "$source" -o "$dir/out.o"
  objdump -d -r --no-show-raw-insn "$dir/out.o" |
    sed -E 's/^ +([0-9a-f]+):[[:space:]]+/\1: /; s/^[[:space:]]+[0-9a-f]+: (R_X86_64_)/\1/; s/[[:space:]]+/ /g; s/ *#.*$//'
else
  "$gcc" -O2 -S "$@" -fplugin="$plugin" -I"$include" "$source" -o - |
    grep -Ev '^[[:space:]]*(#|\.cfi_)|^\.L[A-Z]*[0-9]+:'
fi | "$filecheck" --check-prefix="$prefix" "$source"
