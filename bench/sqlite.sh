#!/usr/bin/env bash
# Target 4: a real program. SQLite's speedtest1 (Debian 12's SQLite source, fetched into the
# scratch directory) with the functions of bench/sqlite/functions.txt annotated in the
# amalgamation, built three ways per LLVM: uninstrumented, zaph, and XRay instrumenting the same
# functions (xray_always_instrument, nothing else) with a counting handler. Wall time of
# interleaved runs of `speedtest1 --memdb --size N`, medians, and each variant's entry count;
# and callgrind's instruction count of a smaller run, to give the cost per counted entry. The
# zaph build also runs in continuous mode (zaph-cont: ZAPH_CONTINUOUS=1, the file in the
# scratch directory). When zaph's build of the first LLVM has the GCC plugin, sqlite3.c is also
# built by GCC, without it (gcc-base) and with it (zaph-gcc), listed under that LLVM.
# usage: bench/sqlite.sh   (environment: see docs/benchmarks.md)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_packages dpkg-dev tcl make valgrind
size=${ZAPH_BENCH_SQLITE_SIZE:-50}
cg_size=${ZAPH_BENCH_SQLITE_CG_SIZE:-5}
reps=${ZAPH_BENCH_SQLITE_REPS:-11}
work=$bench_dir/sqlite
mkdir -p "$work"
src=$("$bench_src/sqlite/fetch.sh" "$work/cache")
"$bench_src/sqlite/annotate.sh" "$src/sqlite3.c" "$bench_src/sqlite/functions.txt" \
  "$work/sqlite3.c"
variants=(base zaph zaph-cont xray)
built=(base zaph xray)
declare -A report

# Prints ZAPH_CONTINUOUS's value for variant $1.
continuous_of() { if [ "$1" = zaph-cont ]; then echo 1; else echo 0; fi; }

# Builds speedtest1 variant $2 for LLVM $1 (zaph build $3) as $work/llvm$1/speedtest1-$2.
build_variant() {
  local v=$1 variant=$2 zb=$3 out=$work/llvm$1 cc=/usr/lib/llvm-$1/bin/clang
  local flags=() link=()
  case $variant in
    zaph) flags=(-fplugin="$zb/lib/zaph-frontend.so" -fpass-plugin="$zb/lib/zaph-pass.so" '-DBENCH_OP=__attribute__((annotate("zaph_op")))')
      link=("$zb/lib/libzaph-rt.a") ;;
    gcc-base) cc=gcc ;;
    zaph-gcc) cc=gcc flags=(-fplugin="$zb/lib/zaph-gcc.so" '-DBENCH_OP=__attribute__((annotate("zaph_op")))')
      link=("$zb/lib/libzaph-rt.a") ;;
    xray) flags=(-fxray-instrument -fxray-instruction-threshold=1000000000 -fxray-ignore-loops
      '-DBENCH_OP=__attribute__((xray_always_instrument))')
      link=(-fxray-instrument "$out/xray_count.o") ;;
  esac
  "$cc" -O2 -I"$src" "${flags[@]}" -c "$work/sqlite3.c" -o "$out/sqlite3-$variant.o"
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
    built=(base zaph xray)
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

say "timing $reps interleaved runs of speedtest1 --memdb --size $size"
: >"$work/times"
for ((r = 0; r < reps; r++)); do
  for v in $(bench_llvms); do
    for variant in $(variants_of "$v"); do
      out=$work/llvm$v
      rm -f "$out/run.prof"
      continuous=$(continuous_of "$variant")
      t0=$(date +%s%N)
      ZAPH_CONTINUOUS=$continuous ZAPH_PROFILE_FILE=$out/run.prof "$out/speedtest1-$variant" \
        --memdb --size "$size" >/dev/null 2>"$out/run.err"
      t1=$(date +%s%N)
      echo "$v $variant $(((t1 - t0) / 1000))" >>"$work/times"
      case $variant in
        zaph*) "${report[$v]}" convert "$out/run.prof" |
          awk -F'\t' '$1 == "op" { n++; s += $4 } END { print n, s }' >"$out/count-$variant" ;;
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

echo "| LLVM | variant | wall s (median of $reps) | overhead vs base | functions counted | entries counted | instructions, size $cg_size | extra instr / entry |"
echo "|---|---|---|---|---|---|---|---|"
for v in $(bench_llvms); do
  for variant in $(variants_of "$v"); do
    # GCC's builds against GCC's uninstrumented one.
    b0=base
    case $variant in *gcc*) b0=gcc-base ;; esac
    base=$(awk -v v="$v" -v b="$b0" '$1 == v && $2 == b { print $3 }' "$work/times" | median)
    t=$(awk -v v="$v" -v b="$variant" '$1 == v && $2 == b { print $3 }' "$work/times" | median)
    count="- -"
    [ -f "$work/llvm$v/count-$variant" ] && count=$(cat "$work/llvm$v/count-$variant")
    ir=$(awk -v v="$v" -v b="$variant" '$1 == v && $2 == b { print $3, $4 }' "$work/instructions")
    base_ir=$(awk -v v="$v" -v b="$b0" '$1 == v && $2 == b { print $3 }' "$work/instructions")
    awk -v v="$v" -v b="$variant" -v t="$t" -v base="$base" -v c="$count" -v ir="$ir" \
      -v bir="$base_ir" 'BEGIN {
      split(c, f, " "); split(ir, g, " ")
      per = g[2] == "-" ? "-" : sprintf("%.2f", (g[1] - bir) / g[2])
      printf "| %s | %s | %.3f | %+.2f%% | %s | %s | %d | %s |\n", v, b, t / 1e6,
        (t / base - 1) * 100, f[1], f[2], g[1], per }'
  done
done | tee "$work/sqlite.md"
