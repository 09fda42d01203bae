#!/usr/bin/env bash
# Issue 14's cost targets for timed ops, on the hot-path program (bench/hotpath/: a loop in one
# request calling a small op in another translation unit), built with each LLVM's clang and its
# plugin and with GCC and the GCC plugin (of the first LLVM's build; left out when that build
# has none), each compiler's variants against its own baselines, in one run:
#   untimed entry: instructions per call of an op timed 1 in 65536 (all but one entry in 65536
#     untimed) minus those of the same op counted only; the target is at most 1
#   timed 1 in 64, the default: instructions and ns per call over counting only
#   timed entry: ns per call of an op timed on every entry minus counting only, against a bare
#     pair of rdtsc reads (the op with two reads and nothing else) minus the plain op, both
#     medians of interleaved runs; the target is at most 40 ns
# usage: bench/timing.sh   (environment: see docs/benchmarks.md)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_packages valgrind
cg_calls=${ZAPH_BENCH_CG_CALLS:-2000000}  # calls counted by callgrind
time_calls=${ZAPH_BENCH_CALLS:-5000000}   # calls in a timed run
reps=${ZAPH_BENCH_REPS:-5}
work=$bench_dir/timing
mkdir -p "$work"
variants=(base pair counted timed65536 timed64 timed1)

# The directory of compiler $1's variants: llvm14, llvm22, gcc.
out_dir() { if [ "$1" = gcc ]; then echo "$work/gcc"; else echo "$work/llvm$1"; fi; }

build() {
  local v=$1 zb=$2 out cc plugin=()
  out=$(out_dir "$v") cc=$(compiler_cc "$v")
  local common=(-O2 -I"$bench_root/include")
  # GCC without the plugin does not know the annotate attribute of the baselines' op.
  [ "$v" = gcc ] && common+=(-Wno-attributes)
  mapfile -t plugin < <(compiler_plugin "$v" "$zb")
  mkdir -p "$out"
  "$cc" "${common[@]}" -c "$bench_src/hotpath/driver.c" -o "$out/driver.o"
  "$cc" "${common[@]}" -c "$bench_src/hotpath/hooks.c" -o "$out/base-hooks.o"
  "$cc" "${common[@]}" -DBENCH_ZAPH -c "$bench_src/hotpath/hooks.c" -o "$out/zaph-hooks.o"
  for variant in "${variants[@]}"; do
    local op=() hooks=zaph link=("$zb/lib/libzaph-rt.a")
    case $variant in
      base) hooks=base link=() ;;
      pair) op=(-DBENCH_RDTSC_PAIR) hooks=base link=() ;;
      counted) op=("${plugin[@]}") ;;
      timed*) op=("${plugin[@]}" "-DBENCH_TIMED=\"timed=${variant#timed}\"") ;;
    esac
    "$cc" "${common[@]}" "${op[@]}" -c "$bench_src/hotpath/op.c" -o "$out/$variant-op.o"
    "$cc" "$out/driver.o" "$out/$variant-op.o" "$out/$hooks-hooks.o" "${link[@]}" -lpthread \
      -Wl,--strip-debug -o "$out/$variant"
  done
  objdump -d --no-show-raw-insn "$out/timed64" | sed -n '/<op_small>:/,/^$/p' >"$out/op_small.timed64.s"
}

llvms=$(bench_llvms)
compilers=$llvms
[ -f "$(compiler_build gcc)/lib/zaph-gcc.so" ] && compilers="$compilers gcc"
for v in $compilers; do
  zb=$(compiler_build "$v")
  say "building the variants with $(compiler_version "$v") ($zb)"
  build "$v" "$zb"
done

say "instructions per call (callgrind, $cg_calls calls in one request)"
: >"$work/instructions"
for v in $compilers; do
  for variant in "${variants[@]}"; do
    ir=$(ZAPH_PROFILE_FILE=/dev/null callgrind_inside bench_run_calls \
      "$(out_dir "$v")/$variant" "$cg_calls" 1 one)
    echo "$v $variant $ir" >>"$work/instructions"
  done
done

say "ns per call ($reps interleaved runs of $time_calls calls, one thread)"
: >"$work/results"
for ((r = 0; r < reps; r++)); do
  for v in $compilers; do
    for variant in "${variants[@]}"; do
      rm -f "$work/run.prof"
      line=$(ZAPH_PROFILE_FILE="$work/run.prof" "$(out_dir "$v")/$variant" "$time_calls" 1 one)
      echo "$v $variant $(echo "$line" | awk '{ print $6 }')" >>"$work/results"
      # Every call counted, and the timed ones as many as the sampling says.
      if [ -f "$work/run.prof" ]; then
        entries=$(awk -F'\t' '$1 == "op" && $9 == "op_small" { print $4 }' "$work/run.prof")
        [ "$entries" = "$time_calls" ] || die "$variant ($(compiler_label "$v")) counted $entries of $time_calls calls"
        every=${variant#timed}
        if [ "$every" != "$variant" ]; then
          started=$(awk -F'\t' '$1 == "timing" { print $5 }' "$work/run.prof")
          [ "$started" = $((time_calls / every)) ] ||
            die "$variant ($(compiler_label "$v")) timed $started of $time_calls calls, not 1 in $every"
        fi
      fi
    done
  done
done

ns() { awk -v v="$1" -v c="$2" '$1 == v && $2 == c { print $3 }' "$work/results" | median; }
ins() { awk -v v="$1" -v c="$2" -v n="$cg_calls" '$1 == v && $2 == c { printf "%.3f", $3 / n }' "$work/instructions"; }
echo "| compiler | untimed entry: instructions over counting (target <= 1) | timed 1 in 64: instructions over counting | timed 1 in 64: ns over counting | timed entry: ns over counting | bare rdtsc pair: ns | timed entry over the pair: ns (target <= 40) |"
echo "|---|---|---|---|---|---|---|"
for v in $compilers; do
  counted=$(ins "$v" counted)
  awk -v v="$(compiler_label "$v")" -v c="$counted" -v u="$(ins "$v" timed65536)" -v d="$(ins "$v" timed64)" \
    -v nc="$(ns "$v" counted)" -v n64="$(ns "$v" timed64)" -v n1="$(ns "$v" timed1)" \
    -v nb="$(ns "$v" base)" -v np="$(ns "$v" pair)" 'BEGIN {
      printf "| %s | %+.3f | %+.3f | %+.2f | %+.1f | %.1f | %+.1f |\n", v, u - c, d - c, n64 - nc,
        n1 - nc, np - nb, (n1 - nc) - (np - nb) }'
done
echo
echo "CPU time per call, medians of $reps interleaved runs; instructions from callgrind over"
echo "$cg_calls calls. The hot path of the op timed 1 in 64, per compiler:"
for v in $(echo "$llvms" | awk '{ print $1 }') $(echo "$compilers" | grep -o gcc); do
  echo
  echo "$(compiler_label "$v"):"
  echo
  echo '```'
  grep -E '^\s+[0-9a-f]+:' "$(out_dir "$v")/op_small.timed64.s" | head -8 |
    sed -E 's/^\s+[0-9a-f]+:\s+//'
  echo '```'
done
