#!/usr/bin/env bash
# thirdparty.sqlite_list.*: Debian 12's SQLite, fetched by `apt-get source` and built without
# editing a line, its ops chosen by tests/thirdparty/sqlite.list, run through speedtest1; every
# op's entry count must equal the function count of clang's own instrumentation
# (-fprofile-instr-generate, read with llvm-profdata show --all-functions --counts), which
# counts every entry before any inlining, as zaph does.
#   sqlite_list.sh reference   fetch, build and run the -fprofile-instr-generate build
#   sqlite_list.sh clang|gcc   build with that compiler and zaph's plugin and the list, run, compare
# Environment (from tests/thirdparty/CMakeLists.txt): ZAPH_CLANG, ZAPH_FRONTEND, ZAPH_PLUGIN,
# ZAPH_GCC, ZAPH_GCC_PLUGIN_LINK, ZAPH_RUNTIME, ZAPH_REPORT, ZAPH_WORK.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
step=$1
work=$ZAPH_WORK
list=$here/sqlite.list
workload=(--memdb --size 5)
llvm_bin=$(dirname "$ZAPH_CLANG")
mkdir -p "$work"

fail() { echo "sqlite_list.sh $step: $*" >&2; exit 1; }

# The fetched source (one copy per build directory, outside the repository).
src=$("$here/../../bench/sqlite/fetch.sh" "$work/cache")

# Builds speedtest1 into $work/$1/ from sqlite3.c and speedtest1.c compiled by $2 with the
# flags after it, links with the runtime when $3 is "zaph", and runs the workload there.
build_and_run() {
  local dir=$work/$1 cc=$2 link=$3
  shift 3
  rm -rf "$dir" && mkdir -p "$dir"
  "$cc" -O2 "$@" -I"$src" -c "$src/sqlite3.c" -o "$dir/sqlite3.o" &
  "$cc" -O2 "$@" -I"$src" -c "$src/test/speedtest1.c" -o "$dir/speedtest1.o"
  wait $! || fail "$cc could not compile sqlite3.c"
  local extra=()
  [ "$link" = zaph ] && extra=("$ZAPH_RUNTIME")
  [ "$link" = profile ] && extra=(-fprofile-instr-generate)
  "$cc" "$dir/speedtest1.o" "$dir/sqlite3.o" "${extra[@]}" -lpthread -ldl -lm -o "$dir/speedtest1"
  (cd "$dir" && LLVM_PROFILE_FILE=$dir/run.profraw ZAPH_PROFILE_FILE=$dir/run.prof \
    ZAPH_SOURCE=load-test ./speedtest1 "${workload[@]}" >"$dir/stdout" 2>"$dir/stderr") ||
    fail "speedtest1 failed: $(tail -3 "$dir/stderr")"
}

case $step in
  reference)
    # clang's own -fprofile-list, a matcher independent of zaph's, chooses the same functions
    # (reference.list); the string builder stays, to show that zaph's exclusion works.
    build_and_run reference "$ZAPH_CLANG" profile -fprofile-instr-generate \
      -fprofile-list="$here/reference.list"
    dir=$work/reference
    "$llvm_bin/llvm-profdata" merge -o "$dir/run.profdata" "$dir/run.profraw"
    # A static function's name is prefixed with its file ("sqlite3.c:f"; ";" on newer LLVM).
    "$llvm_bin/llvm-profdata" show --all-functions --counts "$dir/run.profdata" |
      awk '/^  [^ ].*:$/ { name = substr($0, 3, length($0) - 3); sub(/^[^:;]*[:;]/, "", name) }
           /^    Function count: / { print name "\t" $3 }' | sort >"$dir/all"
    grep -P '^speedtest1_run\t' "$dir/all" | cut -f2 >"$dir/requests"
    grep -vP '^speedtest1_run\t' "$dir/all" >"$dir/sqlite3"
    echo "reference: $(wc -l <"$dir/sqlite3") functions of sqlite3.c, $(cat "$dir/requests") runs of speedtest1_run"
    ;;
  clang | gcc)
    ref=$work/reference
    [ -s "$ref/sqlite3" ] || fail "no reference counts in $ref (thirdparty.sqlite_list.reference)"
    if [ "$step" = clang ]; then
      build_and_run clang "$ZAPH_CLANG" zaph -fplugin="$ZAPH_FRONTEND" -fpass-plugin="$ZAPH_PLUGIN" \
        -fplugin-arg-zaph-list="$list"
    else
      build_and_run gcc "$ZAPH_GCC" zaph -fplugin="$ZAPH_GCC_PLUGIN_LINK" -fplugin-arg-zaph-list="$list"
    fi
    dir=$work/$step
    [ -s "$dir/stderr" ] && fail "speedtest1 wrote to stderr: $(head -3 "$dir/stderr")"
    [ -f "$dir/run.prof" ] || fail "speedtest1 left no profile"
    # The ops the list chooses: the reference's functions of sqlite3.c but sqlite3_str*.
    grep -vP '^sqlite3_str' "$ref/sqlite3" >"$dir/expected"
    awk -F'\t' '$1 == "op" && $2 == "op" { print $9 "\t" $4 }' "$dir/run.prof" | sort >"$dir/ops"
    if ! diff "$dir/expected" "$dir/ops" >"$dir/diff"; then
      echo "ops whose count differs from clang's profile (< reference, > zaph):" >&2
      head -40 "$dir/diff" >&2
      fail "$(grep -c '^<' "$dir/diff" || true) of the $(wc -l <"$dir/expected") listed functions" \
        "are missing or counted differently; $(grep -c '^>' "$dir/diff" || true) op lines are not theirs"
    fi
    # The excluded string builder ran, and is not an op.
    ran=$(awk -F'\t' '$1 ~ /^sqlite3_str/ && $2 > 0' "$ref/sqlite3" | wc -l)
    [ "$ran" -gt 0 ] || fail "no sqlite3_str* function ran: the exclusion is not tested"
    requests=$(awk -F'\t' '$1 == "requests" { print $2 }' "$dir/run.prof")
    [ "$requests" = "$(cat "$ref/requests")" ] ||
      fail "$requests requests, but speedtest1_run ran $(cat "$ref/requests") times"
    request_op=$(awk -F'\t' '$1 == "op" && $2 == "request" { print $9 "\t" $4 }' "$dir/run.prof")
    [ "$request_op" = "speedtest1_run	$requests" ] || fail "request op line: '$request_op'"
    tiers=$(awk -F'\t' '$1 == "op" && $3 != 0 { print $9 "=" $3 }' "$dir/run.prof")
    [ "$tiers" = "sqlite3_step=1" ] || fail "declared tiers: '$tiers' (expected sqlite3_step=1)"
    "$ZAPH_REPORT" "$dir/run.prof" >"$dir/report" || fail "zaph-report exited $?"
    entries=$(awk -F'\t' '{ s += $2 } END { print s }' "$dir/ops")
    echo "$step: $(wc -l <"$dir/ops") ops of sqlite3.c, $entries entries, $requests requests," \
      "each op's count equal to clang's profile; $ran excluded functions ran and are not ops"
    ;;
  *) fail "unknown step (expected reference, clang or gcc)" ;;
esac
