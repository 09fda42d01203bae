#!/usr/bin/env bash
# Target 5: what the pass adds to compiling SQLite's amalgamation at -O2. Compiles sqlite3.c
# (fetched by bench/sqlite/fetch.sh) interleaved in four ways per LLVM — as released, as
# released with the plugin loaded (no annotations: the pass only looks), with the functions of
# bench/sqlite/functions.txt annotated, and annotated with the plugin (the pass instruments
# them) — and reports the median user+system CPU time of the compiler. Those end-to-end figures
# carry the machine's noise, so a second table gives the pass's own time from -ftime-report.
# A third shows how compile time grows with the number of ops in one translation unit
# (bench/dump/gen_ops.sh).
# usage: bench/compile_time.sh   (environment: see docs/benchmarks.md)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_packages dpkg-dev tcl make time
reps=${ZAPH_BENCH_COMPILE_REPS:-3}
op_counts=${ZAPH_BENCH_COMPILE_OPS:-1000 3000 10000}
work=$bench_dir/compile
mkdir -p "$work"
src=$("$bench_src/sqlite/fetch.sh" "$bench_dir/sqlite/cache")
"$bench_src/sqlite/annotate.sh" "$src/sqlite3.c" "$bench_src/sqlite/functions.txt" \
  "$work/sqlite3-annotated.c"
cp "$src/sqlite3.c" "$work/sqlite3-plain.c"
configs=(plain plain+plugin annotated annotated+plugin)
annotate='-DBENCH_OP=__attribute__((annotate("zaph_op")))'

: >"$work/times"
for v in $(bench_llvms); do zaph_build "$v" >/dev/null; done
for ((r = 0; r < reps; r++)); do
  for v in $(bench_llvms); do
    zb=$(zaph_build "$v")
    for config in "${configs[@]}"; do
      flags=()
      case $config in *plugin) flags+=(-fplugin="$zb/lib/zaph-frontend.so" -fpass-plugin="$zb/lib/zaph-pass.so") ;; esac
      case $config in annotated*) flags+=("$annotate") ;; esac
      /usr/bin/time -f '%U %S' -o "$work/time.out" "/usr/lib/llvm-$v/bin/clang" -O2 -I"$src" \
        "${flags[@]}" -c "$work/sqlite3-${config%+plugin}.c" -o "$work/sqlite3.o"
      echo "$v $config $(awk '{ print $1 + $2 }' "$work/time.out")" >>"$work/times"
    done
  done
done

echo "| LLVM | sqlite3.c | CPU s without plugin | CPU s with plugin | added by the pass |"
echo "|---|---|---|---|---|"
for v in $(bench_llvms); do
  for kind in plain annotated; do
    a=$(awk -v k="$v $kind" '$1 " " $2 == k { print $3 }' "$work/times" | median)
    b=$(awk -v k="$v $kind+plugin" '$1 " " $2 == k { print $3 }' "$work/times" | median)
    awk -v v="$v" -v k="$kind" -v a="$a" -v b="$b" \
      'BEGIN { printf "| %s | %s | %.2f | %.2f | %+.2f%% |\n", v, k, a, b, (b / a - 1) * 100 }'
  done
done | tee "$work/compile.md"

echo
echo "| LLVM | zaph::ZaphPass (-ftime-report, wall ms) | whole compile (CPU s) | share |"
echo "|---|---|---|---|"
for v in $(bench_llvms); do
  zb=$(zaph_build "$v")
  /usr/bin/time -f '%U %S' -o "$work/time.out" "/usr/lib/llvm-$v/bin/clang" -O2 -I"$src" \
    -fplugin="$zb/lib/zaph-frontend.so" -fpass-plugin="$zb/lib/zaph-pass.so" "$annotate" -ftime-report \
    -c "$work/sqlite3-annotated.c" -o "$work/sqlite3.o" 2>"$work/time-report.txt"
  # Columns after dropping the "( n%)" groups: user, system, user+system, wall, name.
  awk -v v="$v" -v total="$(awk '{ print $1 + $2 }' "$work/time.out")" '
    { line = $0; gsub(/\([^)]*\)/, "", line); split(line, f, " ") }
    f[5] == "zaph::ZaphPass" { pass += f[4] }
    END { printf "| %s | %.2f | %.2f | %.4f%% |\n", v, pass * 1000, total, pass / total * 100 }' \
    "$work/time-report.txt"
done | tee -a "$work/compile.md"

echo
echo "| LLVM | ops in one translation unit | CPU s without plugin | CPU s with plugin | ratio |"
echo "|---|---|---|---|---|"
for n in $op_counts; do
  mkdir -p "$work/ops$n"
  "$bench_src/dump/gen_ops.sh" "$work/ops$n" "$n" 1 1
  for v in $(bench_llvms); do
    zb=$(zaph_build "$v")
    for flags in "" "-fplugin=$zb/lib/zaph-frontend.so -fpass-plugin=$zb/lib/zaph-pass.so"; do
      # shellcheck disable=SC2086 # $flags is empty or one word
      /usr/bin/time -f '%U %S' -o "$work/time.out" "/usr/lib/llvm-$v/bin/clang" -O2 $flags \
        -I"$bench_root/include" -c "$work/ops$n/part_0.c" -o "$work/ops.o"
      awk '{ print $1 + $2 }' "$work/time.out"
    done | paste -sd' ' | awk -v v="$v" -v n="$n" \
      '{ printf "| %s | %d | %.2f | %.2f | %.1fx |\n", v, n, $1, $2, $2 / $1 }'
  done
done | tee -a "$work/compile.md"
