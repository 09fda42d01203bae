# shellcheck shell=bash
# Builds the variants of the hot-path program (driver.c + op.c + hooks.c) and runs one of them;
# sourced by bench/hotpath.sh and bench/threads.sh after bench/lib.sh.
work=$bench_dir/hotpath
mkdir -p "$work"
variants=(base hand zaph zaph-shared zaph-pic cyg pgo-single pgo-atomic xray sancov)
# op.c compiled by GCC (with the GCC plugin, or without it: gcc-base, their baseline), the
# driver and hooks as for the others; only when zaph's build has the GCC plugin.
gcc_variants=(gcc-base zaph-gcc zaph-gcc-pic)

# Builds every variant for LLVM $1 with zaph's build $2 into $work/llvm$1/.
build_variants() {
  local v=$1 zb=$2 out=$work/llvm$1 cc=/usr/lib/llvm-$1/bin/clang
  local common=(-O2 -I"$bench_root/include") variant
  mkdir -p "$out/lib"
  # Valgrind 3.19 cannot read the DWARF 5 of a RelWithDebInfo runtime: link without debug info
  # (symbols stay, which is all callgrind needs).
  objcopy --strip-debug "$zb/lib/libzaph-rt.so" "$out/lib/libzaph-rt.so"
  "$cc" "${common[@]}" -c "$bench_src/hotpath/driver.c" -o "$out/driver.o"
  for variant in "${variants[@]}"; do
    local op=() hooks=() link=()
    case $variant in
      hand) op=(-DBENCH_HAND_TLS) hooks=(-DBENCH_HAND_TLS) ;;
      zaph) op=(-fplugin="$zb/lib/zaph-frontend.so" -fpass-plugin="$zb/lib/zaph-pass.so") hooks=(-DBENCH_ZAPH)
        link=("$zb/lib/libzaph-rt.a") ;;
      zaph-shared) op=(-fplugin="$zb/lib/zaph-frontend.so" -fpass-plugin="$zb/lib/zaph-pass.so") hooks=(-DBENCH_ZAPH)
        link=(-L"$out/lib" -lzaph-rt -Wl,-rpath,"$out/lib") ;;
      # op.c compiled as position-independent code, the way it would be for a shared library:
      # the pass then counts through the thread's block instead of a TLS array.
      zaph-pic) op=(-fPIC -fplugin="$zb/lib/zaph-frontend.so" -fpass-plugin="$zb/lib/zaph-pass.so") hooks=(-DBENCH_ZAPH)
        link=("$zb/lib/libzaph-rt.a") ;;
      cyg) op=(-finstrument-functions) hooks=(-DBENCH_CYG) ;;
      pgo-single) op=(-fprofile-instr-generate -fprofile-update=single)
        link=(-fprofile-instr-generate) ;;
      pgo-atomic) op=(-fprofile-instr-generate -fprofile-update=atomic)
        link=(-fprofile-instr-generate) ;;
      xray) op=(-fxray-instrument -fxray-instruction-threshold=1) hooks=(-DBENCH_XRAY)
        link=(-fxray-instrument) ;;
      sancov) op=(-fsanitize-coverage=trace-pc-guard) hooks=(-DBENCH_SANCOV) ;;
    esac
    "$cc" "${common[@]}" "${op[@]}" -c "$bench_src/hotpath/op.c" -o "$out/$variant-op.o"
    "$cc" "${common[@]}" "${hooks[@]}" -c "$bench_src/hotpath/hooks.c" -o "$out/$variant-hooks.o"
    "$cc" "$out/driver.o" "$out/$variant-op.o" "$out/$variant-hooks.o" "${link[@]}" -lpthread \
      -Wl,--strip-debug -o "$out/$variant"
  done
  if [ -f "$zb/lib/zaph-gcc.so" ]; then
    for variant in "${gcc_variants[@]}"; do
      local op=()
      case $variant in
        zaph-gcc) op=(-fplugin="$zb/lib/zaph-gcc.so") ;;
        zaph-gcc-pic) op=(-fPIC -fplugin="$zb/lib/zaph-gcc.so") ;;
      esac
      gcc "${common[@]}" "${op[@]}" -c "$bench_src/hotpath/op.c" -o "$out/$variant-op.o"
      local hooks=base
      [ "$variant" = gcc-base ] || hooks=zaph
      "$cc" "$out/driver.o" "$out/$variant-op.o" "$out/$hooks-hooks.o" \
        "$zb/lib/libzaph-rt.a" -lpthread -Wl,--strip-debug -o "$out/$variant"
    done
  fi
  for variant in zaph zaph-pic zaph-gcc; do
    [ -f "$out/$variant" ] || continue
    objdump -d --no-show-raw-insn "$out/$variant" | sed -n '/<op_small>:/,/^$/p' \
      >"$out/op_small.$variant.s"
  done
}

# Runs case $2 of LLVM $1 with $3 calls per thread on $4 threads; checks the count the variant
# made against the true number of calls; appends "llvm case threads wall_ns cpu_ns lost" to
# results (ns per call, wall clock and thread CPU time).
run_timed() {
  local v=$1 case=$2 n=$3 threads=$4 variant=${2%%:*} mode=${2#*:} out line ns cpu counted lost
  out=$work/llvm$v
  rm -f "$out/run.prof" "$out/run.profraw"
  line=$(ZAPH_PROFILE_FILE="$out/run.prof" LLVM_PROFILE_FILE="$out/run.profraw" \
    "$out/$variant" "$n" "$threads" "$mode")
  ns=$(echo "$line" | awk '{ print $2 }')
  cpu=$(echo "$line" | awk '{ print $6 }')
  counted=$(echo "$line" | awk '{ print $4 }')
  case $variant in
    zaph*) counted=$(awk -F'\t' '$1 == "op" && $9 == "op_small" { print $4 }' "$out/run.prof") ;;
    pgo*) counted=$("/usr/lib/llvm-$v/bin/llvm-profdata" show --function=op_small \
      "$out/run.profraw" | awk '/Function count:/ { print $3 }') ;;
  esac
  lost=-
  case $variant in base | gcc-base) ;; *) lost=$((n * threads - counted)) ;; esac
  echo "$v $case $threads $ns $cpu $lost" >>"$work/results"
}

