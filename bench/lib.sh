# shellcheck shell=bash
# Helpers shared by the benchmark scripts (sourced, not run): where zaph's build and the
# scratch directory are, installing the tools a benchmark needs, medians, callgrind counts.
# Every script works from a clean checkout; ZAPH_BUILD=<dir> skips `scripts/build.sh`.

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_src=$bench_root/bench
bench_dir=${ZAPH_BENCH_DIR:-$bench_root/build/bench}
mkdir -p "$bench_dir"
bench_dir=$(cd "$bench_dir" && pwd)

# Prints one line on stderr, prefixed with the script's name.
say() { echo "$(basename "$0"): $*" >&2; }
die() { say "error: $*"; exit 1; }

# Installs the Debian packages given that are not installed yet.
need_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "$@" >/dev/null
}

# Prints the absolute path of zaph's build directory for LLVM $1: $ZAPH_BUILD_<N> or, for the
# LLVM of the first call, $ZAPH_BUILD when set, else whatever scripts/build.sh builds.
zaph_build() {
  local llvm=$1 var="ZAPH_BUILD_$1" dir
  if [ -n "${!var:-}" ]; then
    dir=${!var}
  elif [ -n "${ZAPH_BUILD:-}" ] && [ "$llvm" = "${ZAPH_BUILD_LLVM:-14}" ]; then
    dir=$ZAPH_BUILD
  else
    dir=$(cd "$bench_root" && scripts/build.sh --llvm "$llvm")
    dir=$bench_root/$dir
  fi
  [ -f "$dir/lib/zaph-pass.so" ] || die "no zaph-pass.so in $dir/lib"
  (cd "$dir" && pwd)
}

# The LLVM majors to measure: $ZAPH_BENCH_LLVM ("14 22" by default).
bench_llvms() { echo "${ZAPH_BENCH_LLVM:-14 22}"; }

# The compilers of the request-shaped benchmarks (requests.sh, servers.sh): each LLVM of
# bench_llvms, meaning its clang with zaph's clang plugin, and "gcc", Debian's GCC with the GCC
# plugin of the first LLVM's zaph build. $ZAPH_BENCH_COMPILERS overrides ("14 22 gcc").
bench_compilers() { echo "${ZAPH_BENCH_COMPILERS:-$(bench_llvms) gcc}"; }
# The C compiler of compiler $1.
compiler_cc() { if [ "$1" = gcc ]; then echo "${ZAPH_GCC:-gcc}"; else echo "/usr/lib/llvm-$1/bin/clang"; fi; }
# zaph's build directory that serves compiler $1.
compiler_build() {
  if [ "$1" = gcc ]; then zaph_build "$(bench_llvms | awk '{ print $1 }')"; else zaph_build "$1"; fi
}
# The flags that load zaph's plugin into compiler $1 from build directory $2, one per line.
compiler_plugin() {
  if [ "$1" = gcc ]; then
    [ -f "$2/lib/zaph-gcc.so" ] || die "no zaph-gcc.so in $2/lib (install gcc-12-plugin-dev)"
    echo "-fplugin=$2/lib/zaph-gcc.so"
  else
    printf '%s\n' "-fplugin=$2/lib/zaph-frontend.so" "-fpass-plugin=$2/lib/zaph-pass.so"
  fi
}
# The name of compiler $1 in tables: "clang 14", "GCC".
compiler_label() { if [ "$1" = gcc ]; then echo GCC; else echo "clang $1"; fi; }
# One line naming compiler $1 and its version.
compiler_version() { "$(compiler_cc "$1")" --version | head -1; }

# Median of the numbers on stdin, one per line.
median() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Instructions executed inside function $1 (and what it calls) by the command after it,
# counted by callgrind. Collection is on only while $1 runs.
callgrind_inside() {
  local fn=$1 out
  shift
  out=$(mktemp "$bench_dir/callgrind.XXXXXX")
  valgrind --tool=callgrind --collect-atstart=no --toggle-collect="$fn" \
    --callgrind-out-file="$out" "$@" >/dev/null 2>"$out.log" || {
    cat "$out.log" >&2
    rm -f "$out" "$out.log"
    return 1
  }
  awk '/^(summary|totals):/ { print $2; exit }' "$out"
  rm -f "$out" "$out.log"
}

# The machine, for docs/benchmarks.md.
machine_line() {
  local cpu
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  echo "$(nproc) cores, $cpu, Linux $(uname -r)"
}
