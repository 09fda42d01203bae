#!/usr/bin/env bash
# Runs every benchmark once, in the order of the targets' priority, and writes all their tables
# with the machine and compiler versions to $ZAPH_BENCH_DIR/results.md (default
# build/bench/results.md), the source of docs/benchmarks.md. ZAPH_BENCH_SKIP="sqlite ..." leaves
# benchmarks out.
# usage: bench/run_all.sh   (environment: see docs/benchmarks.md)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Build zaph once per LLVM and let every benchmark reuse it.
for v in $(bench_llvms); do
  var=ZAPH_BUILD_$v
  export "$var=$(zaph_build "$v")"
done

results=$bench_dir/results.md
{
  echo "# zaph benchmark results"
  echo
  echo "- machine: $(machine_line)"
  for v in $(bench_llvms); do
    var=ZAPH_BUILD_$v
    echo "- clang $v: $("/usr/lib/llvm-$v/bin/clang" --version | head -1); zaph build ${!var}"
  done
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$bench_root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
} >"$results"

for b in hotpath requests servers dump_latency report_scale threads compile_time sqlite continuous timing tiers; do
  case " ${ZAPH_BENCH_SKIP:-} " in *" $b "*) continue ;; esac
  say "running bench/$b.sh"
  start=$(date +%s)
  {
    echo
    echo "## $b"
    echo
  } >>"$results"
  rc=0
  "$bench_src/$b.sh" >>"$results" || rc=$?
  echo >>"$results"
  echo "(bench/$b.sh: exit $rc, $(($(date +%s) - start)) s)" >>"$results"
done
cat "$results"
