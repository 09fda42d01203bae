#!/usr/bin/env bash
# Target 7: the latency of writing a profile of 10,000 ops. A generated program with 10,000
# annotated functions in 10 translation units calls each once, then times zaph_dump() (the
# same code the exit hook runs: snapshot, format, write a temporary file, fsync, rename) with
# clock_gettime, inside the program.
# usage: bench/dump_latency.sh   (environment: see docs/benchmarks.md)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ops=${ZAPH_BENCH_DUMP_OPS:-10000}
dumps=${ZAPH_BENCH_DUMPS:-21}
files=${ZAPH_BENCH_DUMP_FILES:-10}
work=$bench_dir/dump
mkdir -p "$work/profiles" "$work/src"
"$bench_src/dump/gen_ops.sh" "$work/src" "$ops" "$files" "$dumps"

echo "| LLVM | ops | first dump (ms) | median of $dumps dumps (ms) | max (ms) | profile bytes | file system |"
echo "|---|---|---|---|---|---|---|"
for v in $(bench_llvms); do
  zb=$(zaph_build "$v")
  rm -rf "$work/llvm$v"
  mkdir -p "$work/llvm$v"
  for src in "$work"/src/*.c; do echo "$src"; done |
    xargs -P "$(nproc)" -I{} sh -c '"$0" -O2 -fplugin="${1%/*}/zaph-frontend.so" -fpass-plugin="$1" -I"$2" -c "$3" -o "$4/$(basename "$3" .c).o"' \
      "/usr/lib/llvm-$v/bin/clang" "$zb/lib/zaph-pass.so" "$bench_root/include" {} "$work/llvm$v"
  "/usr/lib/llvm-$v/bin/clang" "$work/llvm$v"/*.o "$zb/lib/libzaph-rt.a" -lpthread \
    -o "$work/ops$ops-llvm$v"
  # Once on the scratch directory's file system (fsync reaches the disk) and once on tmpfs
  # (fsync costs nothing), to tell the runtime's own work from the disk's.
  for profdir in "$work/profiles" "${ZAPH_BENCH_TMPFS:-/dev/shm}/zaph-bench-$$"; do
    mkdir -p "$profdir"
    prof=$profdir/dump.prof
    line=$(ZAPH_PROFILE_FILE=$prof "$work/ops$ops-llvm$v")
    n=$(awk -F'\t' '$1 == "ops" { print $2 }' "$prof")
    [ "$n" = "$ops" ] || die "the profile has $n ops, want $ops"
    echo "$line" | awk -v v="$v" -v ops="$ops" -v bytes="$(stat -c %s "$prof")" \
      -v fs="$(stat -f -c %T "$profdir")" \
      '{ printf "| %s | %d | %.3f | %.3f | %.3f | %d | %s |\n", v, ops, $2, $4, $6, bytes, fs }'
    [ "$profdir" = "$work/profiles" ] || rm -rf "$profdir"
  done
done | tee "$work/dump.md"
