#!/bin/sh
# Runs one ledger scenario of zaph-report, tests/report/ledger/CASE.sh, in a scratch copy of
# fixtures/ and compares its transcript with expected/ledger_CASE.expected, byte for byte. A
# scenario is a shell script of steps:
#   run ARG...        runs zaph-report ARG...: "== zaph-report ARG... (exit N)", "-- stdout" and
#                     "-- stderr", each followed by what was written there (the scratch
#                     directory's path shown as <run>)
#   show FILE         "-- file FILE" and its bytes
#   compare A B       "-- compare A B: identical" or "differ" and diff -u's lines after its header
# Plain shell (cp, sed) between the steps prepares inputs. zaph-report runs without LC_ALL,
# LC_CTYPE, LANG and NO_COLOR. ZAPH_UPDATE_EXPECTED=1 writes the expected transcript instead.
# Usage: ledger_case.sh ZAPH_REPORT TEST_DIR CASE
set -u
zaph_report=$1 test_dir=$2 case_name=$3

scratch=$(mktemp -d) && scratch=$(cd "$scratch" && pwd -P) || exit 2
trap 'chmod -R u+w "$scratch"; rm -rf "$scratch"' EXIT
mkdir "$scratch/run"
cp -R "$test_dir/fixtures/." "$scratch/run/"
cd "$scratch/run" || exit 2
transcript=$scratch/transcript
: >"$transcript"

section() { # section TITLE FILE; the scratch directory shown as <run>
  echo "-- $1"
  sed "s|$scratch/run|<run>|g" "$2"
  if [ -s "$2" ] && [ -n "$(tail -c 1 "$2")" ]; then
    echo
    printf '%s\n' '\ no newline at end'
  fi
}
run() {
  env -u LC_ALL -u LC_CTYPE -u LANG -u NO_COLOR "$zaph_report" "$@" \
    </dev/null >"$scratch/stdout" 2>"$scratch/stderr"
  status=$?
  {
    echo "== zaph-report $* (exit $status)" | sed "s|$scratch/run|<run>|g"
    section stdout "$scratch/stdout"
    section stderr "$scratch/stderr"
  } >>"$transcript"
}
show() {
  if [ -e "$1" ]; then section "file $1" "$1"; else echo "-- file $1: missing"; fi >>"$transcript"
}
compare() {
  if cmp -s "$1" "$2"; then
    echo "-- compare $1 $2: identical"
  else
    echo "-- compare $1 $2: differ"
    diff -u "$1" "$2" | tail -n +3
  fi >>"$transcript"
}

. "$test_dir/ledger/$case_name.sh"

expected=$test_dir/expected/ledger_$case_name.expected
if [ "${ZAPH_UPDATE_EXPECTED:-}" = 1 ]; then
  cp "$transcript" "$expected"
  exit 0
fi
if ! cmp -s "$expected" "$transcript"; then
  diff -u "$expected" "$transcript"
  echo "ledger_case.sh: $case_name: transcript differs from $expected" >&2
  exit 1
fi
