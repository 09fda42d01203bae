#!/usr/bin/env bash
# Targets 1, 2 and 3: the cost of counting one call of a small annotated function, for zaph
# and every alternative, built with each LLVM and run in the same session.
#   instructions/call: callgrind, inside the calling loop only, minus the uninstrumented build
#   ns/call: median of interleaved runs at 1 and 2 threads, timed inside the program
#   counted: every variant's count checked against the true number of calls
# usage: bench/hotpath.sh   (environment: see docs/benchmarks.md)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$bench_src/hotpath/variants.sh"

need_packages valgrind
cg_calls=${ZAPH_BENCH_CG_CALLS:-10000000}   # calls counted by callgrind
time_calls=${ZAPH_BENCH_CALLS:-30000000}    # calls per thread in a timed run
reps=${ZAPH_BENCH_REPS:-5}

# case = variant:request mode. Modes: none, one (one request around the loop), K (a request
# every K calls). Each case is measured against base with the same mode.
cases=(base:none base:one base:100 hand:none zaph:none zaph:one zaph:100 zaph-shared:none
  zaph-shared:one zaph-pic:none zaph-pic:one cyg:none pgo-single:none pgo-atomic:none xray:none sancov:none)

llvms=$(bench_llvms)
for v in $llvms; do
  zb=$(zaph_build "$v")
  say "building the variants with LLVM $v ($zb)"
  build_variants "$v" "$zb"
done
# The GCC plugin's variants, against op.c compiled by GCC without it (gcc-base), when every
# build has the plugin.
with_gcc=1
for v in $llvms; do [ -x "$work/llvm$v/zaph-gcc" ] || with_gcc=; done
[ -z "$with_gcc" ] || cases+=(gcc-base:none gcc-base:one gcc-base:100 zaph-gcc:none zaph-gcc:one
  zaph-gcc:100 zaph-gcc-pic:none zaph-gcc-pic:one)

say "instructions per call (callgrind, $cg_calls calls)"
: >"$work/instructions"
for v in $llvms; do
  for c in "${cases[@]}"; do
    ir=$(ZAPH_PROFILE_FILE=/dev/null LLVM_PROFILE_FILE=/dev/null \
      callgrind_inside bench_run_calls "$work/llvm$v/${c%%:*}" "$cg_calls" 1 "${c#*:}")
    echo "$v $c $ir" >>"$work/instructions"
  done
done

say "ns per call ($reps interleaved runs of $time_calls calls per thread, 1 and 2 threads)"
: >"$work/results"
for ((r = 0; r < reps; r++)); do
  for v in $llvms; do
    for c in "${cases[@]}"; do
      for threads in 1 2; do
        run_timed "$v" "$c" "$time_calls" "$threads"
      done
    done
  done
done

# The table: extra over base with the same request mode. Times are medians of thread CPU time
# per call (the machine is shared: wall time at 2 threads also measures waiting for a core);
# the wall-clock median at 1 thread is shown beside it.
awk -v cg="$cg_calls" '
  FNR == NR { ir[$1 " " $2] = $3; next }
  { k = $1 " " $2 " " $3; n[k]++; wall[k, n[k]] = $4; cpu[k, n[k]] = $5
    if ($6 != "-" && (!(k in lost) || $6 > lost[k])) lost[k] = $6 }
  function lostof(k) { return k in lost ? lost[k] : "-" }
  function med(k, which,   m, i, j, t, v) {
    m = n[k]; for (i = 1; i <= m; i++) v[i] = which == "cpu" ? cpu[k, i] : wall[k, i]
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
  }
  END {
    printf "| LLVM | variant | requests | instr/call | extra instr/call | ns/call 1T (wall) | ns/call 1T (CPU) | extra ns 1T (CPU) | ns/call 2T (CPU) | extra ns 2T (CPU) | 2T/1T per-thread throughput (CPU) | lost counts 1T / 2T |\n"
    printf "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    for (k in ir) order[++m] = k
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (order[j] < order[i]) { t = order[i]; order[i] = order[j]; order[j] = t }
    for (i = 1; i <= m; i++) {
      split(order[i], f, " "); v = f[1]; c = f[2]; split(c, cm, ":")
      b = v " " (cm[1] ~ /gcc/ ? "gcc-base" : "base") ":" cm[2]
      w1 = med(v " " c " 1", "wall"); one = med(v " " c " 1", "cpu"); two = med(v " " c " 2", "cpu")
      bone = med(b " 1", "cpu"); btwo = med(b " 2", "cpu")
      printf "| %s | %s | %s | %.2f | %+.2f | %.3f | %.3f | %+.3f | %.3f | %+.3f | %.3f | %s / %s |\n",
        v, cm[1], cm[2], ir[order[i]] / cg, (ir[order[i]] - ir[b]) / cg, w1, one, one - bone,
        two, two - btwo, one / two, lostof(v " " c " 1"), lostof(v " " c " 2")
    }
  }' "$work/instructions" "$work/results" | tee "$work/table.md"
for v in $llvms; do
  for variant in zaph zaph-pic zaph-gcc; do
    [ -f "$work/llvm$v/op_small.$variant.s" ] || continue
    echo
    echo "$variant's op_small, LLVM $v:"
    echo '```'
    sed '/^$/d' "$work/llvm$v/op_small.$variant.s"
    echo '```'
  done
done
