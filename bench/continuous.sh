#!/usr/bin/env bash
# Continuous mode's cost: the hot-path program (bench/hotpath/) built with zaph, run with its
# counts in memory and with ZAPH_CONTINUOUS=1 (counts in a mapped file on tmpfs and on the
# build directory's disk), against the uninstrumented build in the same session.
#   instructions/call: callgrind, inside the calling loop only, minus base with the same mode
#   ns/call: median thread CPU time of interleaved runs at 1 and 2 threads (both threads call
#            the same op, so at 2 threads continuous mode's atomic adds share a cache line)
#   every continuous run's file is read back with zaph-report convert and checked exactly
# usage: bench/continuous.sh   (environment: see docs/benchmarks.md)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$bench_src/hotpath/variants.sh"

need_packages valgrind
cg_calls=${ZAPH_BENCH_CG_CALLS:-10000000}
time_calls=${ZAPH_BENCH_CALLS:-20000000}
reps=${ZAPH_BENCH_REPS:-5}
tmpfs=${ZAPH_BENCH_TMPFS:-/dev/shm}
modes=(none one 100)
# run = variant:where. where: mem (in memory, written at exit), shm (continuous on tmpfs),
# disk (continuous in the scratch directory).
runs=(base:mem zaph:mem zaph:shm zaph:disk)

llvms=$(bench_llvms)
declare -A report
for v in $llvms; do
  zb=$(zaph_build "$v")
  report[$v]=$zb/bin/zaph-report
  say "building the variants with LLVM $v ($zb)"
  build_variants "$v" "$zb"
done

# Prints the environment of run $1 (profile path and mode) for LLVM $2.
run_env() {
  case ${1#*:} in
    mem) echo "ZAPH_PROFILE_FILE=$work/llvm$2/cont-run.prof" ;;
    shm) echo "ZAPH_CONTINUOUS=1 ZAPH_PROFILE_FILE=$tmpfs/zaph-bench-cont.prof" ;;
    disk) echo "ZAPH_CONTINUOUS=1 ZAPH_PROFILE_FILE=$work/llvm$2/cont-run.prof" ;;
  esac
}

# Checks the profile a run of $1 calls per thread on $2 threads in mode $3 left at $4.
check_counts() {
  local n=$1 threads=$2 mode=$3 prof=$4 want_req
  case $mode in
    none) want_req=0 ;;
    one) want_req=$threads ;;
    *) want_req=$((threads * ((n + mode - 1) / mode))) ;;
  esac
  "${report[$v]}" convert "$prof" | awk -F'\t' -v e=$((n * threads)) -v r="$want_req" '
    $1 == "requests" { req = $2 }
    $1 == "op" && $9 == "op_small" { got = $4 " " req " " $5 }
    END { want = e " " r " " r
      if (got != want) { print "entries/requests/touching " got ", want " want; exit 1 } }'
}

say "instructions per call (callgrind, $cg_calls calls)"
: >"$work/cont-instructions"
for v in $llvms; do
  for run in "${runs[@]}"; do
    for mode in "${modes[@]}"; do
      rm -f "$work/llvm$v/cont-run.prof" "$tmpfs/zaph-bench-cont.prof"
      # shellcheck disable=SC2046
      ir=$(export $(run_env "$run" "$v") &&
        callgrind_inside bench_run_calls "$work/llvm$v/${run%%:*}" "$cg_calls" 1 "$mode")
      echo "$v $run $mode $ir" >>"$work/cont-instructions"
    done
  done
done

say "ns per call ($reps interleaved runs of $time_calls calls per thread, 1 and 2 threads)"
: >"$work/cont-results"
bad=0
for ((r = 0; r < reps; r++)); do
  for v in $llvms; do
    for run in "${runs[@]}"; do
      for mode in "${modes[@]}"; do
        for threads in 1 2; do
          rm -f "$work/llvm$v/cont-run.prof" "$tmpfs/zaph-bench-cont.prof"
          # shellcheck disable=SC2046
          line=$(env $(run_env "$run" "$v") "$work/llvm$v/${run%%:*}" "$time_calls" "$threads" \
            "$mode")
          echo "$v $run $mode $threads $(echo "$line" | awk '{ print $6 }')" \
            >>"$work/cont-results"
          if [ "${run%%:*}" = zaph ]; then
            prof=$work/llvm$v/cont-run.prof
            [ "${run#*:}" = shm ] && prof=$tmpfs/zaph-bench-cont.prof
            if ! msg=$(check_counts "$time_calls" "$threads" "$mode" "$prof"); then
              say "LLVM $v $run $mode ${threads}T: $msg"
              bad=1
            fi
          fi
        done
      done
    done
  done
done
rm -f "$tmpfs/zaph-bench-cont.prof"

awk -v cg="$cg_calls" '
  FNR == NR { ir[$1 " " $2 " " $3] = $4; next }
  { k = $1 " " $2 " " $3 " " $4; n[k]++; ns[k, n[k]] = $5 }
  function med(k,   m, i, j, t, v) {
    m = n[k]; for (i = 1; i <= m; i++) v[i] = ns[k, i]
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
  }
  END {
    printf "| LLVM | counts in | requests | extra instr/call | ns/call 1T (CPU) | extra ns 1T | ns/call 2T (CPU) | extra ns 2T |\n"
    printf "|---|---|---|---|---|---|---|---|\n"
    for (k in ir) order[++m] = k
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (order[j] < order[i]) { t = order[i]; order[i] = order[j]; order[j] = t }
    for (i = 1; i <= m; i++) {
      split(order[i], f, " "); v = f[1]; run = f[2]; mode = f[3]
      if (run == "base:mem") continue
      b = v " base:mem " mode
      one = med(order[i] " 1"); two = med(order[i] " 2")
      where = run == "zaph:mem" ? "memory" : run == "zaph:shm" ? "file (tmpfs)" : "file (disk)"
      printf "| %s | %s | %s | %+.2f | %.3f | %+.3f | %.3f | %+.3f |\n", v, where, mode,
        (ir[order[i]] - ir[b]) / cg, one, one - med(b " 1"), two, two - med(b " 2")
    }
  }' "$work/cont-instructions" "$work/cont-results" | tee "$work/continuous.md"
[ "$bad" = 0 ] || die "a continuous run's counts were not exact"
say "every continuous run's counts exact"
