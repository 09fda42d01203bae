#!/usr/bin/env bash
# Target 6: zaph-report at fleet scale. Generates profiles of one program's fleet
# (bench/report/gen_profiles.c) and times merging and classifying them (text report to
# /dev/null), with /usr/bin/time's wall time and maximum resident set size; the headline is
# 1,000 profiles of 10,000 ops, and the two series show growth in profiles and in ops.
# usage: bench/report_scale.sh   (environment: see docs/benchmarks.md)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_packages time
reps=${ZAPH_BENCH_REPS:-3}
report=${ZAPH_REPORT:-$(zaph_build 14)/bin/zaph-report}
[ -x "$report" ] || die "no zaph-report at $report"
work=$bench_dir/report
mkdir -p "$work"
cc -O2 -o "$work/gen_profiles" "$bench_src/report/gen_profiles.c"

# Times zaph-report over $1 profiles of $2 ops; prints one table row.
measure() {
  local profiles=$1 ops=$2 set=$work/fleet-$1x$2 r times rss rc
  if [ ! -f "$set/done" ]; then
    rm -rf "$set"
    mkdir -p "$set"
    "$work/gen_profiles" "$set" "$profiles" "$ops"
    touch "$set/done"
  fi
  : >"$work/runs"
  for ((r = 0; r < reps; r++)); do
    rc=0
    /usr/bin/time -f '%e %M' -o "$work/time.out" "$report" "$set"/p*.prof >/dev/null || rc=$?
    [ $rc -le 1 ] || die "zaph-report exited $rc on $set"
    echo "$(cat "$work/time.out") $rc" >>"$work/runs"
  done
  times=$(awk '{ print $1 }' "$work/runs" | median)
  rss=$(awk '{ print $2 }' "$work/runs" | sort -g | tail -1)
  rc=$(awk '{ print $3 }' "$work/runs" | sort -u | paste -sd,)
  awk -v p="$profiles" -v o="$ops" -v t="$times" -v k="$rss" -v b="$(du -sb "$set" | cut -f1)" \
    -v rc="$rc" 'BEGIN { printf "| %d | %d | %d | %.0f | %.2f | %.0f | %.0f | %s |\n", p, o,
      p * o, b / 1048576, t, k / 1024, t * 1e9 / (p * o), rc }'
}

echo "| profiles | ops each | op lines | input MiB | wall s (median of $reps) | max RSS MiB | ns per op line | exit |"
echo "|---|---|---|---|---|---|---|---|"
{
  for p in 10 100 1000; do measure "$p" 10000; done
  for o in 100 1000 100000; do measure 100 "$o"; done
} | tee "$work/report.md"
