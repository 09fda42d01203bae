#!/usr/bin/env bash
# Targets 1-5 and 8 of the request-shaped hot path: what zaph adds to programs whose requests
# touch K of N ops, each 1..M times, built with each compiler (clang of each LLVM, and GCC) and measured in the same run.
#   program: bench/requests/driver.c (compiled once per compiler, without the plugin) calling the ops
#     of a generated file (bench/requests/gen_ops.sh: N tiny annotated functions and a table of
#     pointers) through the table. Variants: base (op file without the pass, linked with
#     bench/requests/stub.c, whose zaph_request_begin/end return 0, so base makes the same
#     calls), zaph (the pass and libzaph-rt.a, counts in memory) and cont (the zaph binary run
#     with ZAPH_CONTINUOUS=1, its file in a temporary directory). Each run warms up (one
#     request entering every op once, then the first requests of the sequence) and then makes
#     the measured pass, which alone is counted and timed.
#   instructions: callgrind, inside bench_measure() only; "extra" is the zaph run minus the
#     base run of the same arguments, so it is what zaph adds beyond empty begin/end calls;
#     instructions inside zaph_request_begin/end and the zaph_request function are callgrind's
#     inclusive counts, per call.
#   time: ns per request of the measured pass at each timed point, median and min-max of
#     interleaved runs (each repetition runs every point's variants, the variants of one point
#     back to back), and the ratios to base of the same repetition and point.
#   exactness: the profile of every timed run and of each request mode (memory and continuous)
#     is compared with the counts the driver computes for its own calls; a mismatch fails.
# Markdown tables on stdout, progress on stderr. Default run time with today's hot path, zaph
# already built: 3.5 minutes on 2 idle cores, 5.5 on a loaded machine.
# usage: bench/requests.sh
# environment (besides lib.sh's ZAPH_BUILD_<LLVM>, ZAPH_BENCH_LLVM, ZAPH_BENCH_COMPILERS, ZAPH_BENCH_DIR):
#   ZAPH_BENCH_NS="100 10000"  ZAPH_BENCH_KS="1 10 100"  ZAPH_BENCH_MS="1 8"   grid of target 5
#                             (N ops in the program, K touched per request, 1..M entries each;
#                             N at most 16384, the pass's limit for one translation unit)
#   ZAPH_BENCH_REQUESTS=2000  requests per callgrind run of the grid and of targets 1, 2, 4
#   ZAPH_BENCH_WARMUP=100     requests of the sequence in a callgrind run's warm-up
#   ZAPH_BENCH_T_N=100 ZAPH_BENCH_T_K=10 ZAPH_BENCH_T_M=16
#                             targets 1, 2, 4: K of N ops entered exactly 1 and exactly M times
#   ZAPH_BENCH_T3_N=10000 ZAPH_BENCH_T3_OPS=1000 ZAPH_BENCH_T3_REQUESTS=500
#                             target 3: requests touching 1 and T3_OPS of T3_N ops, once each
#   ZAPH_BENCH_TIME="100 10 8;10000 100 8"
#                             the timed grid points, "N K M" each, separated by ";" (by default
#                             a small program whose counters stay in cache and a large one where
#                             every op's first entry in a request misses it)
#   ZAPH_BENCH_TIME_REQUESTS=100000  requests per timed run (warm-up: a tenth of them)
#   ZAPH_BENCH_REPS=7         timed repetitions
#   ZAPH_BENCH_CLEARLY=1.25   target 8: continuous extra / memory extra that counts as clearly
#   ZAPH_BENCH_JOBS=$(nproc)  callgrind runs at once (instruction counts do not mind load)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_packages valgrind
grid_ns=${ZAPH_BENCH_NS:-100 10000}
grid_ks=${ZAPH_BENCH_KS:-1 10 100}
grid_ms=${ZAPH_BENCH_MS:-1 8}
cg_requests=${ZAPH_BENCH_REQUESTS:-2000}
warmup=${ZAPH_BENCH_WARMUP:-100}
t_n=${ZAPH_BENCH_T_N:-100}
t_k=${ZAPH_BENCH_T_K:-10}
t_m=${ZAPH_BENCH_T_M:-16}
t3_n=${ZAPH_BENCH_T3_N:-10000}
t3_big=${ZAPH_BENCH_T3_OPS:-1000}
t3_requests=${ZAPH_BENCH_T3_REQUESTS:-500}
# The timed points: time_n[p], time_k[p], time_m[p] for p in 0..${#time_n[@]}-1.
time_n=() time_k=() time_m=()
IFS=';' read -r -a time_points <<<"${ZAPH_BENCH_TIME:-100 10 8;10000 100 8}"
for point in "${time_points[@]}"; do
  read -r -a nkm <<<"$point"
  [ ${#nkm[@]} -ne 0 ] || continue # an empty point, as after a trailing ";"
  [[ ${#nkm[@]} -eq 3 && ${nkm[0]} =~ ^[1-9][0-9]*$ && ${nkm[1]} =~ ^[1-9][0-9]*$ && ${nkm[2]} =~ ^[1-9][0-9]*$ ]] ||
    die "ZAPH_BENCH_TIME: \"$point\" is not \"N K M\" (three positive integers)"
  [ "${nkm[1]}" -le "${nkm[0]}" ] || die "ZAPH_BENCH_TIME: K must not exceed N (\"$point\")"
  time_n+=("${nkm[0]}") time_k+=("${nkm[1]}") time_m+=("${nkm[2]}")
done
[ ${#time_n[@]} -gt 0 ] || die "ZAPH_BENCH_TIME has no point"
time_spec=$(for p in "${!time_n[@]}"; do echo "${time_n[p]} ${time_k[p]} ${time_m[p]}"; done | paste -sd ';')
time_requests=${ZAPH_BENCH_TIME_REQUESTS:-100000}
time_warmup=$((time_requests / 10))
reps=${ZAPH_BENCH_REPS:-7}
clearly=${ZAPH_BENCH_CLEARLY:-1.25}
jobs=${ZAPH_BENCH_JOBS:-$(nproc)}
check_k=$t_k check_m=8 check_requests=1000 # the exactness runs, one per request mode

[ "$t_m" -ge 2 ] || die "ZAPH_BENCH_T_M must be at least 2"
[ "$t_k" -le "$t_n" ] || die "ZAPH_BENCH_T_K must not exceed ZAPH_BENCH_T_N"
[ "$t3_big" -le "$t3_n" ] || die "ZAPH_BENCH_T3_OPS must not exceed ZAPH_BENCH_T3_N"
if [ "$reps" -lt 1 ] || [ "$jobs" -lt 1 ]; then die "ZAPH_BENCH_REPS and ZAPH_BENCH_JOBS must be >= 1"; fi

work=$bench_dir/requests
mkdir -p "$work"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zaph-requests.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
start_time=$(date +%s)
llvms=$(bench_compilers)
# shellcheck disable=SC2086
all_ns=$(printf '%s\n' $grid_ns "$t_n" "$t3_n" "${time_n[@]}" | sort -nu)

# Waits until fewer than $jobs background jobs run.
throttle() {
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
}

# ---- building ----------------------------------------------------------------------------
for n in $all_ns; do
  "$bench_src/requests/gen_ops.sh" "$n" "$work/ops$n.c"
done
declare -A report
build_jobs=()
for v in $llvms; do
  zb=$(compiler_build "$v")
  report[$v]=$zb/bin/zaph-report
  echo "$v $zb" >>"$tmp/builds"
  mkdir -p "$work/cc-$v"
  for n in $all_ns; do build_jobs+=("$v $zb $n base" "$v $zb $n zaph"); done
done
# build_one COMPILER BUILD N VARIANT: the variant's op object and program for N ops.
build_one() {
  local v=$1 zb=$2 n=$3 variant=$4 out=$work/cc-$1 cc
  cc=$(compiler_cc "$1")
  local common=(-O2 -I"$bench_root/include") pass=() link=("$out/stub.o")
  if [ "$variant" = zaph ]; then
    mapfile -t pass < <(compiler_plugin "$v" "$zb")
    link=("$zb/lib/libzaph-rt.a" -lpthread)
  fi
  # From the op file's directory, so that profiles name it ops<N>.c.
  (cd "$work" && "$cc" "${common[@]}" "${pass[@]}" -c "ops$n.c" -o "$out/ops$n.$variant.o") &&
    # No debug info in the programs: valgrind 3.19 cannot read the runtime's DWARF 5.
    "$cc" "$out/driver.o" "$out/ops$n.$variant.o" "${link[@]}" -Wl,--strip-debug \
      -o "$out/$variant-$n" || touch "$tmp/build-failed"
}
say "building the programs for $(echo "$llvms" | paste -sd ' '), N = $(echo "$all_ns" | paste -sd ' ')"
for v in $llvms; do
  for f in driver stub; do
    "$(compiler_cc "$v")" -O2 -I"$bench_root/include" -c "$bench_src/requests/$f.c" \
      -o "$work/cc-$v/$f.o"
  done
done
for b in "${build_jobs[@]}"; do
  throttle
  # shellcheck disable=SC2086
  build_one $b &
done
wait
[ ! -e "$tmp/build-failed" ] || die "building the programs failed"

# ---- callgrind -----------------------------------------------------------------------------
# cg_run ID LLVM VARIANT N MODE K M DIST REQUESTS: one callgrind run of the variant's program;
# writes "LLVM VARIANT N MODE K M DIST REQUESTS total begin end fn out entries" to $tmp/cg/ID
# (instructions in the measured pass: all, inside zaph_request_begin, zaph_request_end and
# bench_request_fn, and inside what the ops call (their out-of-line path), as
# requests/cgcounts.awk reads them; entries in the pass), or the error to ID.err.
mkdir -p "$tmp/cg"
cg_run() {
  local id=$1 v=$2 variant=$3 n=$4 mode=$5 k=$6 m=$7 dist=$8 r=$9
  local f=$tmp/cg/$id bin=$work/cc-$2/zaph-$4 env
  env=(ZAPH_PROFILE_FILE="$tmp/cg/$1.prof")
  [ "$variant" = base ] && bin=$work/cc-$v/base-$n
  [ "$variant" = cont ] && env+=(ZAPH_CONTINUOUS=1)
  if ! env "${env[@]}" valgrind --tool=callgrind --collect-atstart=no \
    --toggle-collect=bench_measure --callgrind-out-file="$f.out" \
    "$bin" "$mode" "$k" "$m" "$dist" "$r" "$warmup" >"$f.stdout" 2>"$f.log"; then
    { echo "callgrind $variant-$n $mode $k $m $dist $r ($v) failed:"; cat "$f.log"; } >"$f.err"
    return 0
  fi
  echo "$v $variant $n $mode $k $m $dist $r $(awk -f "$bench_src/requests/cgcounts.awk" "$f.out")" \
    "$(awk '{ print $4 }' "$f.stdout")" >"$f"
  rm -f "$f.out" "$f.stdout" "$f.log" "$f.prof"
}

# check_run ID LLVM VARIANT N MODE K M REQUESTS: runs the program outside valgrind and compares
# its profile with the driver's own account; writes "ok" or the differences to $tmp/check/ID.
mkdir -p "$tmp/check"
expect_file() { # N MODE K M REQUESTS WARMUP: the driver's account of those arguments, made once
  local e=$tmp/check/expect-$1-$2-$3-$4-$5-$6
  [ -e "$e" ] || "$work/cc-${llvms%% *}/base-$1" "$2" "$3" "$4" u "$5" "$6" expect >"$e"
  echo "$e"
}
compare_profile() { # PROFILE LLVM EXPECTED: prints the differences, fails on any
  "${report[$2]}" convert "$1" | awk -F'\t' '
    FNR == NR { split($0, w, " ")
      if (w[1] == "requests") want_req = w[2]; else { want[w[2]] = w[3] " " w[4] " " w[5]; n++ }
      next }
    $1 == "requests" { req = $2 }
    $1 == "op" { got[$9] = $4 " " $5 " " $6; m++ }
    END {
      if (req != want_req) { print "requests " req ", want " want_req; bad++ }
      if (m != n) { print m " ops in the profile, want " n; bad++ }
      for (op in want) if (got[op] != want[op] && bad++ < 5)
        print op ": entries/requests_touching/entries_outside " got[op] ", want " want[op]
      exit bad > 0 }' "$3" /dev/stdin
}
check_run() {
  local id=$1 v=$2 variant=$3 n=$4 mode=$5 k=$6 m=$7 r=$8 env msg
  env=(ZAPH_PROFILE_FILE="$tmp/check/$id.prof")
  [ "$variant" = cont ] && env+=(ZAPH_CONTINUOUS=1)
  if ! env "${env[@]}" "$work/cc-$v/zaph-$n" "$mode" "$k" "$m" u "$r" "$warmup" >/dev/null; then
    echo "the program failed" >"$tmp/check/$id"
  elif msg=$(compare_profile "$tmp/check/$id.prof" "$v" \
    "$(expect_file "$n" "$mode" "$k" "$m" "$r" "$warmup")"); then
    echo ok >"$tmp/check/$id"
  else
    echo "$msg" | paste -sd ';' >"$tmp/check/$id"
  fi
  rm -f "$tmp/check/$id.prof"
}

# The runs. Grid: base, zaph and cont for every N, K <= N, M (entries 1..M). Targets 1, 2, 4:
# base and zaph in modes req, outside and none, K of N ops entered exactly once and exactly M
# times. Target 3: base and zaph in modes req, chain and fn, 1 and T3_OPS ops once each.
runs=()
for v in $llvms; do
  for n in $grid_ns; do
    for k in $grid_ks; do
      [ "$k" -le "$n" ] || continue
      for m in $grid_ms; do
        for variant in base zaph cont; do runs+=("$v $variant $n req $k $m u $cg_requests"); done
      done
    done
  done
  for mode in req outside none; do
    for m in 1 "$t_m"; do
      for variant in base zaph; do runs+=("$v $variant $t_n $mode $t_k $m x $cg_requests"); done
    done
  done
  for mode in req chain fn; do
    for k in 1 "$t3_big"; do
      for variant in base zaph; do runs+=("$v $variant $t3_n $mode $k 1 x $t3_requests"); done
    done
  done
done
# Exactness: each request mode, memory and continuous (expected counts made first, serially).
checks=()
for mode in req chain fn outside none; do
  expect_file "$t_n" "$mode" "$check_k" "$check_m" "$check_requests" "$warmup" >/dev/null
  for v in $llvms; do
    for variant in zaph cont; do checks+=("$v $variant $t_n $mode $check_k $check_m $check_requests"); done
  done
done

say "${#runs[@]} callgrind runs and ${#checks[@]} exactness runs, $jobs at a time"
i=0
for c in "${checks[@]}"; do
  throttle
  # shellcheck disable=SC2086
  check_run "c$i" $c &
  i=$((i + 1))
done
i=0
for run in "${runs[@]}"; do
  throttle
  # shellcheck disable=SC2086
  cg_run "r$i" $run &
  i=$((i + 1))
  [ $((i % 20)) -ne 0 ] || say "callgrind: $i of ${#runs[@]} started ($(($(date +%s) - start_time)) s)"
done
wait
if ls "$tmp"/cg/*.err >/dev/null 2>&1; then
  cat "$tmp"/cg/*.err >&2
  die "callgrind runs failed"
fi
cat "$tmp"/cg/r* >"$work/instructions"

# ---- timed runs ----------------------------------------------------------------------------
say "timing: $reps interleaved runs of $time_requests requests at N K M = ${time_spec//;/, }"
# Each repetition runs every point, and each point's variants back to back; times lines are
# "POINT LLVM VARIANT REP ns_per_request entries_per_request", POINT the index in time_n.
expected=()
for p in "${!time_n[@]}"; do
  expected[p]=$(expect_file "${time_n[p]}" req "${time_k[p]}" "${time_m[p]}" "$time_requests" "$time_warmup")
done
: >"$work/times"
for ((rep = 0; rep < reps; rep++)); do
  for p in "${!time_n[@]}"; do
    n=${time_n[p]} k=${time_k[p]} m=${time_m[p]}
    for v in $llvms; do
      for variant in base zaph cont; do
        bin=$work/cc-$v/zaph-$n prof=$tmp/timed.prof env=(ZAPH_PROFILE_FILE="$prof")
        [ "$variant" = base ] && bin=$work/cc-$v/base-$n
        [ "$variant" = cont ] && env+=(ZAPH_CONTINUOUS=1)
        rm -f "$prof"
        line=$(env "${env[@]}" "$bin" req "$k" "$m" u "$time_requests" "$time_warmup")
        echo "$p $v $variant $rep $(echo "$line" | awk '{ print $2, $4 / $6 }')" >>"$work/times"
        if [ "$variant" != base ]; then
          id=t-$p-$v-$variant-$rep
          if msg=$(compare_profile "$prof" "$v" "${expected[p]}"); then echo ok; else echo "$msg" | paste -sd ';'; fi \
            >"$tmp/check/$id"
        fi
      done
    done
  done
done

# ---- tables --------------------------------------------------------------------------------
echo "- machine: $(machine_line)"
while read -r v zb; do
  echo "- $v: $(compiler_version "$v"); zaph build $zb"
done <"$tmp/builds"
echo "- extra = instructions of the zaph build minus those of the uninstrumented build, which runs"
echo "  the same driver and call sequence and links zaph_request_begin/end stubs returning 0 (2"
echo "  instructions each): what zaph adds, not the calls themselves. Counted by callgrind inside the"
echo "  measured pass (after an uncounted warm-up: one request entering every op once, then the"
echo "  first $warmup requests of the sequence)."
echo
awk -v llvms="$llvms" -v grid_ns="$grid_ns" -v grid_ks="$grid_ks" -v grid_ms="$grid_ms" \
  -v cgr="$cg_requests" -v tn="$t_n" -v tk="$t_k" -v tm="$t_m" -v t3n="$t3_n" -v big="$t3_big" \
  -v t3r="$t3_requests" -v timepoints="$time_spec" \
  -v timer="$time_requests" -v clearly="$clearly" -f "$bench_src/requests/tables.awk" \
  "$work/instructions" "$work/times" | tee "$work/tables.md"

# ---- exactness -----------------------------------------------------------------------------
bad=0
for f in "$tmp"/check/c* "$tmp"/check/t-*; do
  [ "$(cat "$f")" = ok ] && continue
  bad=1
  say "counts not exact ($(basename "$f")): $(cat "$f")"
done
i=0
echo
echo "Exactness: the profile of each of these runs was compared with the driver's own account"
echo "(requests; per op entries, requests_touching, entries_outside):"
echo
echo "| compiler | counts in | mode | N | K | M | requests | result |"
echo "|---|---|---|---|---|---|---|---|"
for c in "${checks[@]}"; do
  read -r v variant n mode k m r <<<"$c"
  want=$(awk '$1 == "requests" { print $2 }' "$(expect_file "$n" "$mode" "$k" "$m" "$r" "$warmup")")
  echo "| $(compiler_label "$v") | $([ "$variant" = cont ] && echo continuous || echo memory) | $mode | $n | $k | 1..$m | $want | $(cat "$tmp/check/c$i") |"
  i=$((i + 1))
done
for p in "${!time_n[@]}"; do
  for v in $llvms; do
    for variant in zaph cont; do
      res=ok
      for ((rep = 0; rep < reps; rep++)); do
        [ "$(cat "$tmp/check/t-$p-$v-$variant-$rep")" = ok ] || res="not exact (see stderr)"
      done
      echo "| $(compiler_label "$v") | $([ "$variant" = cont ] && echo continuous || echo memory) | req (timed, $reps runs) | ${time_n[p]} | ${time_k[p]} | 1..${time_m[p]} | $((1 + time_warmup + time_requests)) | $res |"
    done
  done
done
say "done in $(($(date +%s) - start_time)) s"
[ "$bad" = 0 ] || die "counts were not exact"
