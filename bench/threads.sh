#!/usr/bin/env bash
# Target 2: zaph's per-thread throughput at 2 threads against 1 thread, and exact totals. Runs
# the hot-path program (bench/hotpath/) interleaved at 1 and 2 threads and checks every count
# in the profile: entries, requests, requests touching the op, entries outside requests.
# usage: bench/threads.sh   (environment: see docs/benchmarks.md)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$bench_src/hotpath/variants.sh"

calls=${ZAPH_BENCH_CALLS:-50000000}
reps=${ZAPH_BENCH_REPS:-7}
variants=(base zaph zaph-pic)
modes=(none one 100)

# Checks the profile of a run of $1 calls per thread on $2 threads in request mode $3.
check_profile() {
  local n=$1 threads=$2 mode=$3 prof=$4 want_req want_touch want_out
  case $mode in
    none) want_req=0 want_touch=0 want_out=$((n * threads)) ;;
    one) want_req=$threads want_touch=$threads want_out=0 ;;
    *) want_req=$((threads * ((n + mode - 1) / mode))) want_touch=$want_req want_out=0 ;;
  esac
  awk -F'\t' -v e=$((n * threads)) -v r="$want_req" -v t="$want_touch" -v o="$want_out" '
    $1 == "requests" { req = $2 }
    $1 == "op" && $9 == "op_small" { got = $4 " " req " " $5 " " $6 }
    END { want = e " " r " " t " " o
      if (got != want) { print "entries/requests/touching/outside " got ", want " want; exit 1 } }' \
    "$prof"
}

for v in $(bench_llvms); do
  build_variants "$v" "$(zaph_build "$v")"
done

: >"$work/threads"
bad=0
for ((r = 0; r < reps; r++)); do
  for v in $(bench_llvms); do
    for variant in "${variants[@]}"; do
      for mode in "${modes[@]}"; do
        for threads in 1 2; do
          prof=$work/llvm$v/threads.prof
          rm -f "$prof"
          ns=$(ZAPH_PROFILE_FILE=$prof "$work/llvm$v/$variant" "$calls" "$threads" "$mode" |
            awk '{ print $2, $6 }')
          echo "$v $variant $mode $threads $ns" >>"$work/threads"
          if [ "$variant" != base ] && ! msg=$(check_profile "$calls" "$threads" "$mode" "$prof"); then
            say "LLVM $v, $threads threads, requests $mode: wrong counts: $msg"
            bad=1
          fi
        done
      done
    done
  done
done

echo "| LLVM | variant | requests | ns/call 1T | ns/call 2T | 2T/1T per-thread throughput (wall) | same, thread CPU time | wall ratio ÷ base's wall ratio | counts exact |"
echo "|---|---|---|---|---|---|---|---|---|"
# Median of column $2 (5 = wall ns, 6 = CPU ns) of the runs of key $1.
med_of() { awk -v k="$1" -v c="$2" '$1 " " $2 " " $3 " " $4 == k { print $c }' "$work/threads" | median; }
for v in $(bench_llvms); do
  for mode in "${modes[@]}"; do
    base_ratio=$(awk -v a="$(med_of "$v base $mode 1" 5)" -v b="$(med_of "$v base $mode 2" 5)" \
      'BEGIN { print a / b }')
    for variant in "${variants[@]}"; do
      exact=-
      [ "$variant" != base ] && { [ $bad = 0 ] && exact="yes ($reps runs each)" || exact=NO; }
      awk -v v="$v" -v b="$variant" -v m="$mode" -v x="$exact" -v br="$base_ratio" \
        -v o="$(med_of "$v $variant $mode 1" 5)" -v t="$(med_of "$v $variant $mode 2" 5)" \
        -v oc="$(med_of "$v $variant $mode 1" 6)" -v tc="$(med_of "$v $variant $mode 2" 6)" \
        'BEGIN { printf "| %s | %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %s |\n",
                 v, b, m, o, t, o / t, oc / tc, o / t / br, x }'
    done
  done
done | tee "$work/threads.md"
exit $bad
