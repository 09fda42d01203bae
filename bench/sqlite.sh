#!/usr/bin/env bash
# Target 4: a real program. SQLite's speedtest1 (Debian 12's SQLite source, fetched into the
# scratch directory) with the functions of bench/sqlite/functions.txt annotated in the
# amalgamation, built three ways per LLVM: uninstrumented, zaph, and XRay instrumenting the same
# functions (xray_always_instrument, nothing else) with a counting handler. Wall time of
# interleaved runs of `speedtest1 --memdb --size N`, medians, and each variant's entry count;
# and callgrind's instruction count of a smaller run, to give the cost per counted entry. The
# zaph build also runs in continuous mode (zaph-cont: ZAPH_CONTINUOUS=1, the file in the
# scratch directory). zaph-timedN is the zaph build made with ZAPH_TIMED=N in the compiler's
# environment, which times every op 1 in N, for each N of $ZAPH_BENCH_SQLITE_TIMED ("64" by
# default: the default sampling); a second table gives its wall and CPU time (user + system)
# and instructions against zaph and base, and what its profile's timing lines hold (samples
# against the timed ops' entries / N). When zaph's
# build of the first LLVM has the GCC plugin, sqlite3.c is also built by GCC, without it
# (gcc-base) and with it (zaph-gcc), listed under that LLVM.
# usage: bench/sqlite.sh   (environment: see docs/benchmarks.md)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_packages dpkg-dev tcl make valgrind
size=${ZAPH_BENCH_SQLITE_SIZE:-50}
cg_size=${ZAPH_BENCH_SQLITE_CG_SIZE:-5}
reps=${ZAPH_BENCH_SQLITE_REPS:-11}
read -ra timed_every <<<"${ZAPH_BENCH_SQLITE_TIMED:-64}"
timed_variants=("${timed_every[@]/#/zaph-timed}")
work=$bench_dir/sqlite
mkdir -p "$work"
src=$("$bench_src/sqlite/fetch.sh" "$work/cache")
"$bench_src/sqlite/annotate.sh" "$src/sqlite3.c" "$bench_src/sqlite/functions.txt" \
  "$work/sqlite3.c"
variants=(base zaph zaph-cont "${timed_variants[@]}" xray)
built=(base zaph "${timed_variants[@]}" xray)
declare -A report

# Prints ZAPH_CONTINUOUS's value for variant $1.
continuous_of() { if [ "$1" = zaph-cont ]; then echo 1; else echo 0; fi; }

# Builds speedtest1 variant $2 for LLVM $1 (zaph build $3) as $work/llvm$1/speedtest1-$2.
build_variant() {
  local v=$1 variant=$2 zb=$3 out=$work/llvm$1 cc=/usr/lib/llvm-$1/bin/clang
  local flags=() link=() timed=
  case $variant in
    zaph | zaph-timed*) flags=(-fplugin="$zb/lib/zaph-frontend.so" -fpass-plugin="$zb/lib/zaph-pass.so" '-DBENCH_OP=__attribute__((annotate("zaph_op")))')
      link=("$zb/lib/libzaph-rt.a")
      [ "$variant" = zaph ] || timed=${variant#zaph-timed} ;;
    gcc-base) cc=gcc ;;
    zaph-gcc) cc=gcc flags=(-fplugin="$zb/lib/zaph-gcc.so" '-DBENCH_OP=__attribute__((annotate("zaph_op")))')
      link=("$zb/lib/libzaph-rt.a") ;;
    xray) flags=(-fxray-instrument -fxray-instruction-threshold=1000000000 -fxray-ignore-loops
      '-DBENCH_OP=__attribute__((xray_always_instrument))')
      link=(-fxray-instrument "$out/xray_count.o") ;;
  esac
  env ${timed:+ZAPH_TIMED=$timed} "$cc" -O2 -I"$src" "${flags[@]}" -c "$work/sqlite3.c" \
    -o "$out/sqlite3-$variant.o"
  # No debug info: valgrind 3.19 cannot read the runtime's DWARF 5.
  /usr/lib/llvm-$1/bin/clang "$out/speedtest1.o" "$out/sqlite3-$variant.o" "${link[@]}" -lpthread -ldl -lm \
    -Wl,--strip-debug -o "$out/speedtest1-$variant"
}

first_llvm=$(bench_llvms | awk '{ print $1 }')
with_gcc=
for v in $(bench_llvms); do
  zb=$(zaph_build "$v")
  if [ "$v" = "$first_llvm" ] && [ -f "$zb/lib/zaph-gcc.so" ]; then
    with_gcc=1 built+=(gcc-base zaph-gcc)
  else
    built=(base zaph "${timed_variants[@]}" xray)
  fi
  out=$work/llvm$v
  mkdir -p "$out"
  cc=/usr/lib/llvm-$v/bin/clang
  "$cc" -O2 -I"$src" -c "$src/test/speedtest1.c" -o "$out/speedtest1.o"
  "$cc" -O2 -c "$bench_src/sqlite/xray_count.c" -o "$out/xray_count.o"
  report[$v]=$zb/bin/zaph-report
  say "building speedtest1 with LLVM $v"
  for variant in "${built[@]}"; do
    build_variant "$v" "$variant" "$zb" &
  done
  wait
  cp "$out/speedtest1-zaph" "$out/speedtest1-zaph-cont"
  for variant in "${built[@]}"; do
    [ -x "$out/speedtest1-$variant" ] || die "building speedtest1-$variant with LLVM $v failed"
  done
done

# The variants of LLVM $1: the GCC ones go with the first.
variants_of() {
  echo "${variants[@]}"
  [ -z "$with_gcc" ] || [ "$1" != "$first_llvm" ] || echo gcc-base zaph-gcc
}

# What the timing lines of profile $1 hold: "timed-ops every entries-of-timed-ops started
# samples" (every: the ops' common rate, or "mixed").
timing_of() {
  "${report[$v]}" convert "$1" | awk -F'\t' '
    $1 == "op" { e[n++] = $4 }
    $1 == "timing" { k++; every = (every == "" || every == $3) ? $3 : "mixed"
      te += e[$2]; st += $5; sa += $6 }
    END { printf "%d %s %.0f %.0f %.0f\n", k, every == "" ? "-" : every, te, st, sa }'
}

say "timing $reps interleaved runs of speedtest1 --memdb --size $size"
TIMEFORMAT='%3U %3S'
: >"$work/times"
: >"$work/timing"
for ((r = 0; r < reps; r++)); do
  for v in $(bench_llvms); do
    for variant in $(variants_of "$v"); do
      out=$work/llvm$v
      rm -f "$out/run.prof"
      continuous=$(continuous_of "$variant")
      t0=$(date +%s%N)
      # The run's CPU time (user, system) from bash's time, on run.cpu.
      {
        time ZAPH_CONTINUOUS=$continuous ZAPH_PROFILE_FILE=$out/run.prof "$out/speedtest1-$variant" \
          --memdb --size "$size" >/dev/null 2>"$out/run.err"
      } 2>"$out/run.cpu"
      t1=$(date +%s%N)
      echo "$v $variant $(((t1 - t0) / 1000)) $(awk '{ printf "%.0f", ($1 + $2) * 1e6 }' "$out/run.cpu")" \
        >>"$work/times"
      case $variant in
        zaph*) "${report[$v]}" convert "$out/run.prof" |
          awk -F'\t' '$1 == "op" { n++; s += $4 } END { print n, s }' >"$out/count-$variant"
          case $variant in
            zaph-timed*) echo "$v $variant $(timing_of "$out/run.prof")" >>"$work/timing" ;;
          esac ;;
        xray) awk '$1 == "xray_entries" { print "-", $2 }' "$out/run.err" >"$out/count-$variant" ;;
      esac
    done
  done
done

say "counting instructions of speedtest1 --memdb --size $cg_size with callgrind"
: >"$work/instructions"
for v in $(bench_llvms); do
  for variant in $(variants_of "$v"); do
    out=$work/llvm$v
    rm -f "$out/cg.prof"
    continuous=$(continuous_of "$variant")
    ZAPH_CONTINUOUS=$continuous ZAPH_PROFILE_FILE=$out/cg-run.prof \
      valgrind --tool=callgrind --smc-check=all \
      --callgrind-out-file="$out/cg.out" "$out/speedtest1-$variant" \
      --memdb --size "$cg_size" >/dev/null 2>"$out/cg.err" </dev/null ||
      die "callgrind failed on speedtest1-$variant (LLVM $v): $(tail -3 "$out/cg.err")"
    ir=$(awk '/^(summary|totals):/ { print $2; exit }' "$out/cg.out")
    entries=-
    case $variant in
      zaph*) rm -f "$out/cg.prof"
        entries=$(ZAPH_CONTINUOUS=$continuous ZAPH_PROFILE_FILE=$out/cg.prof \
          "$out/speedtest1-$variant" --memdb --size "$cg_size" >/dev/null &&
          "${report[$v]}" convert "$out/cg.prof" | awk -F'\t' '$1 == "op" { s += $4 } END { print s }') ;;
    esac
    [ "$variant" = xray ] && entries=$(awk '/xray_entries/ { print $NF }' "$out/cg.err")
    echo "$v $variant $ir $entries" >>"$work/instructions"
    rm -f "$out/cg.out"
  done
done

# The wall times (us) of LLVM $1's variant $2, one a line, in the order of the runs; their CPU
# times (us, user + system) with $3 = cpu.
times_of() {
  local f=3
  [ "${3:-}" != cpu ] || f=4
  awk -v v="$1" -v b="$2" -v f="$f" '$1 == v && $2 == b { print $f }' "$work/times"
}

echo "| LLVM | variant | wall s (median of $reps) | wall s min-max | CPU s (median) | overhead vs base | functions counted | entries counted | instructions, size $cg_size | extra instr / entry |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for v in $(bench_llvms); do
  for variant in $(variants_of "$v"); do
    # GCC's builds against GCC's uninstrumented one.
    b0=base
    case $variant in *gcc*) b0=gcc-base ;; esac
    base=$(times_of "$v" "$b0" | median)
    t=$(times_of "$v" "$variant" | median)
    range=$(times_of "$v" "$variant" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END {
      printf "%.3f-%.3f", lo / 1e6, hi / 1e6 }')
    range+=" | $(times_of "$v" "$variant" cpu | median | awk '{ printf "%.3f", $1 / 1e6 }')"
    count="- -"
    [ -f "$work/llvm$v/count-$variant" ] && count=$(cat "$work/llvm$v/count-$variant")
    ir=$(awk -v v="$v" -v b="$variant" '$1 == v && $2 == b { print $3, $4 }' "$work/instructions")
    base_ir=$(awk -v v="$v" -v b="$b0" '$1 == v && $2 == b { print $3 }' "$work/instructions")
    awk -v v="$v" -v b="$variant" -v t="$t" -v base="$base" -v c="$count" -v ir="$ir" \
      -v bir="$base_ir" -v range="$range" 'BEGIN {
      split(c, f, " "); split(ir, g, " ")
      per = g[2] == "-" ? "-" : sprintf("%.2f", (g[1] - bir) / g[2])
      printf "| %s | %s | %.3f | %s | %+.2f%% | %s | %s | %d | %s |\n", v, b, t / 1e6, range,
        (t / base - 1) * 100, f[1], f[2], g[1], per }'
  done
done | tee "$work/sqlite.md"

# Timing's own cost: each zaph-timedN against zaph (the same ops counted) and base. Wall and
# CPU time: the ratio of the medians, and the min-max of the ratios of the runs made in the same
# round. Instructions: callgrind's, size $cg_size, and the extra over zaph per timed entry of
# that run (its entries / N; the untimed entries' one instruction more is in the extra). The
# profile: what the zaph-timedN runs' timing lines held, summed over the runs; samples should
# be about entries / N.
echo
echo "Timing every op 1 in N (zaph-timedN) against counting them (zaph) and no zaph (base); ratios of medians of $reps interleaved runs, with the min-max of the ratios within each round"
echo
echo "| LLVM | N | wall timed / zaph | paired min-max | wall timed / base | paired min-max | CPU timed / zaph | paired min-max | CPU timed / base | instructions timed / zaph | timed / base | extra instr per timed entry | ops timed | entries of timed ops | samples | entries / samples |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
# The ratio of the medians of LLVM $1's variant $2 over variant $3 ($4: cpu for CPU times), and
# the min-max of the ratios within each round: "ratio | min-max".
ratios() {
  local a b
  a=$(times_of "$1" "$2" "${4:-}" | median)
  b=$(times_of "$1" "$3" "${4:-}" | median)
  paste <(times_of "$1" "$2" "${4:-}") <(times_of "$1" "$3" "${4:-}") | awk -v a="$a" -v b="$b" '
    { r = $1 / $2; if (NR == 1 || r < lo) lo = r; if (r > hi) hi = r }
    END { printf "%.4f | %.4f-%.4f", a / b, lo, hi }'
}
for v in $(bench_llvms); do
  for variant in "${timed_variants[@]}"; do
    n=${variant#zaph-timed}
    cpu_base=$(ratios "$v" "$variant" base cpu)
    awk -v v="$v" -v t="$variant" -v n="$n" -v wz="$(ratios "$v" "$variant" zaph)" \
      -v wb="$(ratios "$v" "$variant" base)" -v cz="$(ratios "$v" "$variant" zaph cpu)" \
      -v cb="${cpu_base%% |*}" '
      FILENAME ~ /instructions$/ && $1 == v { ir[$2] = $3; en[$2] = $4; next }
      FILENAME ~ /timing$/ && $1 == v && $2 == t { k = $3; every = $4; te += $5; sa += $7 }
      END {
        x = (ir[t] - ir["zaph"]) / (en[t] / n)
        printf "| %s | %s | %s | %s | %s | %s | %.4f | %.4f | %.0f | %d (1 in %s) | %.0f | %.0f | %.2f |\n",
          v, n, wz, wb, cz, cb, ir[t] / ir["zaph"], ir[t] / ir["base"], x, k, every, te, sa,
          sa ? te / sa : 0 }' "$work/instructions" "$work/timing"
  done
done | tee "$work/timing.md"
