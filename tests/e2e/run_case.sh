#!/usr/bin/env bash
# Runs one end-to-end case: compiles cases/<name>.c(pp) with the real plugin and runtime under
# the given flags, runs it, reads every profile it wrote (and zaph-report's view of them), and
# compares that transcript with cases/<name>.expected, exactly. Timestamps (and the ages in
# days derived from them), pids, hosts and absolute paths are the only things masked.
#
# usage: run_case.sh CASE-SOURCE FLAGS...
# env:   ZAPH_CLANG ZAPH_CLANGXX ZAPH_PLUGIN ZAPH_FRONTEND ZAPH_RUNTIME ZAPH_REPORT ZAPH_INCLUDE ZAPH_WORK
#        ZAPH_E2E_CFLAGS: more compile and link flags for every case (sanitizer builds)
#        ZAPH_COMPILER=gcc: compile with ZAPH_GCC / ZAPH_GXX and -fplugin=ZAPH_GCC_PLUGIN
#        instead of clang and its two plugins (cases/<name>.gcc.expected, if there is one);
#        ZAPH_GCC_PLUGIN_LINK, the same plugin named zaph, for the `list:` directive
#        ZAPH_LINK_WITHOUT_PLUGIN=1: compile each source with the plugin, link without it
#        ZAPH_UPDATE_EXPECTED=1 rewrites the .expected file instead of comparing.
#
# Directives, one per line anywhere in the case source:
#   // zaph-e2e sources: b.c c.c     more translation units (same directory)
#   // zaph-e2e cflags: -DX=1        flags for this case only
#   // zaph-e2e link: -ldl           link flags
#   // zaph-e2e runtime: shared      link libzaph-rt.so instead of libzaph-rt.a
#   // zaph-e2e shared: libx.so x.c  an instrumented shared library built first, into the
#                                    work directory's lib/, ../lib/ from the run directory
#                                    (same flags plus -fPIC -shared)
#   // zaph-e2e env: NAME=VALUE      environment of the run (repeatable)
#   // zaph-e2e args: a b c          arguments of the run
#   // zaph-e2e stdin: FILE          standard input of the run (relative to the case)
#   // zaph-e2e profile: PATTERN     ZAPH_PROFILE_FILE (default %p.prof in a scratch dir)
#   // zaph-e2e report: ARGS         run zaph-report ARGS on every profile (repeatable)
#   // zaph-e2e compile-only         stop after compiling (diagnostics tests)
#   // zaph-e2e no-frontend          compile with the pass plugin only, without zaph-frontend.so
#   // zaph-e2e list: FILE           choose ops by the list file FILE (relative to the case),
#                                    given as the plugin's argument list=FILE
#   // zaph-e2e list-env: FILE       the same through ZAPH_LIST=FILE in the compiler's environment
#   // zaph-e2e list-verbose         compile with ZAPH_LIST_VERBOSE=1 (lines that matched nothing)
#   // zaph-e2e tiers: FILE          mark ops by the tier ledger FILE (relative to the case),
#                                    given as the plugin's argument tiers=FILE
#   // zaph-e2e tiers-env: FILE      the same through ZAPH_TIERS=FILE in the compiler's environment
#   // zaph-e2e sections: F G ...    show the ELF section of each function F, G, ... in the object
#                                    file of the case's source (compiled again alone, with -c)
#   // zaph-e2e timed-env: N         compile with ZAPH_TIMED=N (every op timed 1 in N)
#   // zaph-e2e read-only-dir: D     make run/D a directory the program cannot write to (run
#                                    as nobody when the suite runs as root, who writes anywhere)
#   // zaph-e2e durations: OP LO HI  every sampled duration of OP lies in [LO, HI] ns (its
#                                    fastest bucket reaches LO, its max is at most HI); the
#                                    profiles show a timing line's counts, not its durations
#   // zaph-e2e quantile: OP Q LO HI  zaph-report's pQ of OP (p50, p90, p99, p999) lies in
#                                    [LO, HI] ns and so does part of its interval
set -uo pipefail

src=$1; shift
flags=("$@")
read -r -a suite_flags <<<"${ZAPH_E2E_CFLAGS:-}"
case_dir=$(cd "$(dirname "$src")" && pwd)
name=$(basename "$src"); stem=${name%.*}
expected=$case_dir/$stem.expected
# A case whose transcript depends on the LLVM version has one file per version.
gcc=; [ "${ZAPH_COMPILER:-clang}" = gcc ] && gcc=1
if [ -n "$gcc" ]; then
  [ -f "$case_dir/$stem.gcc.expected" ] && expected=$case_dir/$stem.gcc.expected
elif [ -f "$case_dir/$stem.llvm${ZAPH_LLVM_MAJOR:-}.expected" ]; then
  expected=$case_dir/$stem.llvm$ZAPH_LLVM_MAJOR.expected
fi
work=${ZAPH_WORK:?}/$stem${flags:+-$(printf '%s' "${flags[*]}" | tr -c 'A-Za-z0-9_' '_')}
rm -rf "$work" && mkdir -p "$work/run"

directive() { sed -n "s|^// zaph-e2e $1: *||p" "$case_dir/$name"; }
has_directive() { grep -q "^// zaph-e2e $1\$" "$case_dir/$name"; }

cc=$ZAPH_CLANG
case $name in *.cpp) cc=$ZAPH_CLANGXX ;; esac
# The plugin's two halves: the front end (-fplugin) and the pass (-fpass-plugin).
plugin=(-fplugin="$ZAPH_FRONTEND" -fpass-plugin="$ZAPH_PLUGIN")
has_directive no-frontend && plugin=(-fpass-plugin="$ZAPH_PLUGIN")
if [ -n "$gcc" ]; then
  cc=$ZAPH_GCC
  case $name in *.cpp) cc=$ZAPH_GXX ;; esac
  # One line a diagnostic, without the source excerpt or colours.
  plugin=(-fplugin="$ZAPH_GCC_PLUGIN" -fdiagnostics-plain-output)
fi
# A list file, as the plugin's argument -fplugin-arg-zaph-list=; GCC's plugin by the name zaph
# (ZAPH_GCC_PLUGIN_LINK, lib/gcc/zaph.so), since GCC cuts a plugin's name at its first '-'.
# A tier ledger the same way, as the argument tiers=FILE.
list=$(directive list) tiers=$(directive tiers)
if [ -n "$list$tiers" ] && [ -n "$gcc" ]; then
  plugin=(-fplugin="$ZAPH_GCC_PLUGIN_LINK" -fdiagnostics-plain-output)
fi
[ -n "$list" ] && plugin+=(-fplugin-arg-zaph-list="$list")
[ -n "$tiers" ] && plugin+=(-fplugin-arg-zaph-tiers="$tiers")
compile_env=(env -u ZAPH_LIST -u ZAPH_LIST_VERBOSE -u ZAPH_TIMED -u ZAPH_TIERS)
[ -n "$(directive tiers-env)" ] && compile_env+=(ZAPH_TIERS="$(directive tiers-env)")
[ -n "$(directive timed-env)" ] && compile_env+=(ZAPH_TIMED="$(directive timed-env)")
[ -n "$(directive list-env)" ] && compile_env+=(ZAPH_LIST="$(directive list-env)")
has_directive list-verbose && compile_env+=(ZAPH_LIST_VERBOSE=1)

# A profile without the header lines that change from run to run.
# Durations and the clock's rate differ from run to run: a timing line keeps its counts.
unstable_lines_out() {
  grep -Ev '^(program|pid|host|start|end)	' |
    sed -E 's/^clock_hz	[0-9]+$/clock_hz	<hz>/; s/^(timing(	[0-9]+){5})	.*/\1	<durations>/'
}

mask() {
  sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/<time>/g' \
    -e 's/, age [0-9]+ days?:/, age <days>:/g; s/"age_days": [0-9]+/"age_days": <days>/g' \
    -e 's/<time>,<time>,[0-9]+,/<time>,<time>,<days>,/g' \
    -e 's/(^|[^0-9a-f])[0-9a-f]{16}([^0-9a-f]|$)/\1<signature>\2/g; s/\.prof\.[0-9]+/.prof.<pid>/g' \
    -e "s|$work/run/|<run>/|g; s|$work|<work>|g; s|$case_dir/|<cases>/|g; s|$(dirname "$ZAPH_PLUGIN")/|<plugins>/|g"
}

{
  read -r -a extra <<<"$(directive sources)"
  read -r -a cflags <<<"$(directive cflags)"
  cflags+=("${suite_flags[@]}")
  read -r -a ldflags <<<"$(directive link)"
  runtime=$ZAPH_RUNTIME
  if [ "$(directive runtime)" = shared ]; then
    runtime=$ZAPH_RUNTIME_SHARED
    ldflags+=("-Wl,-rpath,$(dirname "$ZAPH_RUNTIME_SHARED")")
  fi
  cd "$case_dir"
  mkdir -p "$work/lib"
  : >"$work/compile.err"
  while read -r lib lib_src; do
    [ -n "$lib" ] || continue
    "${compile_env[@]}" "$cc" "${flags[@]}" "${cflags[@]}" -fPIC -shared "${plugin[@]}" -I"$ZAPH_INCLUDE" \
      "$lib_src" -o "$work/lib/$lib" 2>>"$work/compile.err"
  done < <(directive shared)
  if [ "${flags[0]:-}" = opt ]; then
    # The same pass through opt: -passes=zaph ahead of the O2 pipeline, as clang would run it,
    # one translation unit at a time.
    objects=()
    for tu in "$name" "${extra[@]}"; do
      bc=$work/${tu%.*}.bc
      "$cc" -O2 -Xclang -disable-llvm-passes -c -emit-llvm "${cflags[@]}" -I"$ZAPH_INCLUDE" \
        "$tu" -o "$bc" 2>>"$work/compile.err" &&
        "$ZAPH_OPT" -load-pass-plugin="$ZAPH_PLUGIN" -passes='zaph,default<O2>' \
          "$bc" -o "$bc.opt" 2>>"$work/compile.err" || break
      objects+=("$bc.opt")
    done
    "$cc" "${suite_flags[@]}" -x ir "${objects[@]}" -x none "$runtime" -lpthread \
      "${ldflags[@]}" -o "$work/prog" 2>>"$work/compile.err"
  elif [ -n "${ZAPH_LINK_WITHOUT_PLUGIN:-}" ]; then
    # Each translation unit compiled with the plugin, the link (with -flto: lto1) without it.
    objects=()
    for tu in "$name" "${extra[@]}"; do
      "${compile_env[@]}" "$cc" "${flags[@]}" "${cflags[@]}" "${plugin[@]}" -I"$ZAPH_INCLUDE" -c "$tu" \
        -o "$work/${tu%.*}.o" 2>>"$work/compile.err" || break
      objects+=("$work/${tu%.*}.o")
    done
    "$cc" "${flags[@]}" "${cflags[@]}" "${objects[@]}" "$runtime" -lpthread "${ldflags[@]}" \
      -o "$work/prog" 2>>"$work/compile.err"
  else
    "${compile_env[@]}" "$cc" "${flags[@]}" "${cflags[@]}" "${plugin[@]}" -I"$ZAPH_INCLUDE" "$name" "${extra[@]}" \
      "$runtime" -lpthread "${ldflags[@]}" -o "$work/prog" 2>>"$work/compile.err"
  fi
  echo "== compile (exit $?)"
  mask <"$work/compile.err"
  # The ELF section each named function is placed in, in an object file of the case's source
  # compiled alone with the same flags.
  read -r -a section_functions <<<"$(directive sections)"
  if [ ${#section_functions[@]} -gt 0 ]; then
    "${compile_env[@]}" "$cc" "${flags[@]}" "${cflags[@]}" "${plugin[@]}" -I"$ZAPH_INCLUDE" -c "$name" \
      -o "$work/sections.o" 2>/dev/null
    echo "== sections"
    for f in "${section_functions[@]}"; do
      printf '%s %s\n' "$f" "$(objdump -t "$work/sections.o" 2>&1 |
        awk -v f="$f" '$NF == f { for (i = 1; i < NF; i++) if ($i == "F") { print $(i + 1); exit } }')"
    done
  fi
  if ! has_directive compile-only; then
    cd "$work/run"
    profile=$(directive profile | head -1)
    envs=(ZAPH_PROFILE_FILE="${profile:-%p.prof}")
    [ "$profile" = - ] && envs=()
    while IFS= read -r e; do [ -n "$e" ] && envs+=("$e"); done < <(directive env)
    read -r -a args <<<"$(directive args)"
    as_user=() prog=$work/prog run_dir=$work/run
    if [ -n "$(directive read-only-dir)" ]; then
      if [ "$(id -u)" -eq 0 ]; then
        # nobody may not be able to reach the build tree: run from a scratch directory.
        run_dir=$(mktemp -d /tmp/zaph-e2e-XXXXXX) && chmod 0755 "$run_dir"
        prog=$run_dir/prog && cp "$work/prog" "$prog" && mkdir -m 0777 "$run_dir/run"
        run_dir=$run_dir/run
        as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
      fi
      mkdir -m 0555 "$run_dir/$(directive read-only-dir)"
    fi
    cd "$run_dir"
    input=/dev/null
    [ -n "$(directive stdin)" ] && input=$case_dir/$(directive stdin)
    # The braces' redirection keeps bash's own "Terminated" notice out of the transcript.
    {
      "${as_user[@]}" env -u ZAPH_SOURCE -u ZAPH_PROFILE_FILE "${envs[@]}" "$prog" "${args[@]}" <"$input" \
        >"$work/run.out" 2>"$work/run.err"
      status=$?
    } 2>/dev/null
    echo "== run (exit $status)"
    if [ "$run_dir" != "$work/run" ]; then
      cp -a "$run_dir/." "$work/run/" && rm -rf "${run_dir%/run}"
      cd "$work/run"
    fi
    echo "-- stdout"; mask <"$work/run.out"
    echo "-- stderr"; mask <"$work/run.err"
    echo "-- files"; ls -1 "$work/run" | mask | sed -E 's/[0-9]+/N/g' | sort
    # Profiles in a stable order: by their masked text. A node_exporter textfile (ZAPH_PROM_FILE,
    # *.prom) is shown as "== metrics", with the digits of its process label masked (%p).
    profiles=()
    for p in $(ls -1 "$work/run" 2>/dev/null); do
      [ -f "$work/run/$p" ] && [ "${p%.lock}" = "$p" ] || continue
      if [ "${p%.prom}" != "$p" ]; then
        { echo "== metrics"; sed -E ':a; s/(process="[^"0-9]*)[0-9]+/\1<pid>/; ta' "$work/run/$p"; } \
          >"$work/$p.masked"
        continue
      fi
      profiles+=("$work/run/$p")
      # A continuous profile is binary: shown as zaph-report converts it to text.
      if [ "$(head -c 15 "$work/run/$p")" = zaph-continuous ]; then
        echo "== profile (continuous)"
        "$ZAPH_REPORT" convert "$work/run/$p" 2>&1 | unstable_lines_out
      else
        echo "== profile"
        unstable_lines_out <"$work/run/$p"
      fi >"$work/$p.masked"
    done
    for m in $(for f in "$work"/*.masked; do [ -f "$f" ] && echo "$(md5sum <"$f" | cut -c1-32) $f"; done | sort | cut -d' ' -f2); do
      cat "$m"
    done
    while IFS= read -r r; do
      read -r -a rargs <<<"$r"
      # Without the locale and NO_COLOR of whoever runs the suite: the text report's bars are '#'.
      env -u LC_ALL -u LC_CTYPE -u LANG -u NO_COLOR \
        "$ZAPH_REPORT" "${rargs[@]}" $(printf '%s\n' "${profiles[@]}" | sort) >"$work/report.out" 2>"$work/report.err"
      echo "== report $r (exit $?)"
      echo "-- stdout"; mask <"$work/report.out"
      echo "-- stderr"; mask <"$work/report.err"
    done < <(directive report)
    while read -r op lo hi; do
      [ -n "$op" ] || continue
      json=$("$ZAPH_REPORT" --format=json $(printf '%s\n' "${profiles[@]}" | sort) 2>&1)
      # The op's latency object: its histogram's first bucket and its max.
      entry=$(printf '%s\n' "$json" | sed -n "/^    \"$op\": {/,/^    }/p")
      fastest=$(printf '%s\n' "$entry" | sed -n 's/.*"histogram": \[{"low_ns": [0-9]*, "high_ns": \([0-9]*\).*/\1/p')
      max=$(printf '%s\n' "$entry" | sed -n 's/.*"max_ns": \([0-9]*\).*/\1/p')
      if [ -n "$fastest" ] && [ -n "$max" ] && [ "$fastest" -ge "$lo" ] && [ "$max" -le "$hi" ]; then
        echo "== durations of $op within [$lo, $hi] ns"
      else
        echo "== durations of $op NOT within [$lo, $hi] ns: fastest bucket up to ${fastest:-none}, max ${max:-none}"
      fi
    done < <(directive durations)
    while read -r op q lo hi; do
      [ -n "$op" ] || continue
      json=$("$ZAPH_REPORT" --format=json $(printf '%s\n' "${profiles[@]}" | sort) 2>&1)
      entry=$(printf '%s\n' "$json" | sed -n "/^    \"$op\": {/,/^    }/p")
      line=$(printf '%s\n' "$entry" | sed -n "s/.*\"${q}_ns\": {\"value\": \([0-9.]*\), \"low\": \([0-9]*\), \"high\": \([0-9a-z]*\)}.*/\1 \2 \3/p")
      read -r value low high <<<"$line"
      [ "$high" = null ] && high=$hi
      if [ -n "$value" ] && awk -v v="$value" -v l="$low" -v h="$high" -v lo="$lo" -v hi="$hi" \
        'BEGIN { exit !(v >= lo && v <= hi && l <= hi && h >= lo) }'; then
        echo "== $q of $op within [$lo, $hi] ns, its interval too"
      else
        echo "== $q of $op NOT within [$lo, $hi] ns: ${value:-none} [${low:-}..${high:-}]"
      fi
    done < <(directive quantile)
  fi
} >"$work/actual" 2>&1

if [ "${ZAPH_UPDATE_EXPECTED:-}" = 1 ]; then
  cp "$work/actual" "$expected"
  exit 0
fi
if ! diff -u "$expected" "$work/actual"; then
  echo "run_case.sh: $stem with flags '${flags[*]}': transcript differs from $expected" >&2
  exit 1
fi
