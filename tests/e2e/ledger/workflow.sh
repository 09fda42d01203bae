#!/usr/bin/env bash
# ZAPH-DEC-04's process on a real program, through the tier ledger (README.md, "Workflow"):
# kv.c compiled with the clang plugin; a synthetic benchmark refused; a load test assigned; an
# edit (an op added, the others moved down) that keeps every op's identity and is blocked from
# deploying until the new op is assigned; a shifted mix whose tier change is refused, then
# approved; the quarterly review passing; the state, the header; a build that takes the ledger.
# The transcript is compared with
# workflow.expected. Each profile's start and end are set to fixed hours of yesterday (its
# profiling day), so that the ledger does not depend on the second a run took; dates are shown
# relative to that day and to today.
# env: ZAPH_CLANG ZAPH_FRONTEND ZAPH_PLUGIN ZAPH_RUNTIME ZAPH_REPORT ZAPH_INCLUDE ZAPH_WORK
#      ZAPH_E2E_CFLAGS; ZAPH_COMPILER=gcc with ZAPH_GCC and ZAPH_GCC_PLUGIN for GCC (the same
#      transcript); ZAPH_UPDATE_EXPECTED=1 rewrites workflow.expected.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${ZAPH_WORK:?}/ledger_workflow
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
read -r -a suite_flags <<<"${ZAPH_E2E_CFLAGS:-}"
today=$(date -u +%F)
day=$(date -u -d "$today - 1 day" +%F)
review=$(date -u -d "$day + 90 days" +%F)
audit=$(date -u -d "$day + 91 days" +%F)
transcript=$work/transcript
: >"$transcript"

mask() {
  sed -e "s/$today/<today>/g; s/$day/<day>/g; s/$review/<day+90>/g; s/$audit/<day+91>/g"
}
note() { echo "## $*" >>"$transcript"; }
# clang and its two plugins, or with ZAPH_COMPILER=gcc, ZAPH_GCC and its plugin.
compiler=("$ZAPH_CLANG" -fplugin="${ZAPH_FRONTEND:-}" -fpass-plugin="${ZAPH_PLUGIN:-}")
[ "${ZAPH_COMPILER:-clang}" = gcc ] && compiler=("$ZAPH_GCC" -fplugin="$ZAPH_GCC_PLUGIN")
build() { # build [ENV...]: kv.c compiled with the plugin, in that environment
  env "$@" "${compiler[@]}" -O2 "${suite_flags[@]}" \
    -I"$ZAPH_INCLUDE" kv.c "$ZAPH_RUNTIME" -lpthread -o kv 2>"$work/compile.err"
  local status=$?
  echo "== ${*:+$* }compile (exit $status)" >>"$transcript"
  mask <"$work/compile.err" >>"$transcript"
}
hour=0
profile() { # profile SOURCE MIX FILE: the run, its profile from HOUR:00 to HOUR:10 yesterday
  env -u ZAPH_PROFILE_FILE ZAPH_SOURCE="$1" ZAPH_PROFILE_FILE="$3" ./kv "$2" >/dev/null \
    2>"$work/run.err"
  echo "== ZAPH_SOURCE=$1 ./kv $2 (exit $?)" >>"$transcript"
  mask <"$work/run.err" >>"$transcript"
  hour=$((hour + 1))
  sed -i "s/^start\t.*/start\t${day}T0$hour:00:00Z/; s/^end\t2.*/end\t${day}T0$hour:10:00Z/" "$3"
}
report() {
  "$ZAPH_REPORT" "$@" >"$work/out" 2>"$work/err"
  local status=$?
  { echo "== zaph-report $* (exit $status)"; cat "$work/out"; echo "-- stderr"; cat "$work/err"; } |
    mask >>"$transcript"
}
show() { { echo "-- file $1"; mask <"$1"; } >>"$transcript"; }

cp "$here/kv.c" kv.c
note "1. The annotated program"
build
note "2. A synthetic benchmark: refused by the gates, every op Unassigned - Profiling"
profile synthetic load bench.prof
report assign --now="$today" bench.prof
note "3. A load test: every op gets its measured tier"
profile load-test load load.prof
report assign --now="$today" load.prof
show zaph-tiers.toml
note "   the same data again changes nothing"
report assign --now="$today" load.prof
report check --now="$today" --ledger=zaph-tiers.toml --deploy load.prof
note "4. An edit: kv_stats added above the others, which move down two lines and keep their entries;"
note "   the new op has none, so it cannot deploy until a load test assigns it"
sed -i '0,/^\/\/ STATS$/ s||/* Statistics, added by the edit. */\nstatic int stats_calls;\nZAPH_OP int kv_stats(void) { return ++stats_calls; }|' kv.c
sed -i 's|^  // STATS$|  if (i % 4 == 0)\n    r += kv_stats();|' kv.c
build
profile load-test load edited.prof
report check --now="$today" --ledger=zaph-tiers.toml --deploy edited.prof
cp zaph-tiers.toml before-edit.toml
report assign --now="$today" edited.prof
report check --now="$today" --ledger=zaph-tiers.toml --deploy edited.prof
note "5. The mix shifts: kv_put falls to 10% of requests, Tier 3; the change is refused, then approved"
profile load-test shifted shifted.prof
report assign --now="$today" shifted.prof
report assign --now="$today" --approve="capacity review, Ana" shifted.prof
report ledger --now="$today" zaph-tiers.toml shifted.prof
note "6. The quarterly review passes: check fails until the ops are re-profiled"
report check --now="$audit" --ledger=zaph-tiers.toml
note "7. The ledger as the workflow leaves it, and the header made from it"
show zaph-tiers.toml
report doc --ledger=zaph-tiers.toml --format=header
note "8. The compiler takes the ledger (Tier 1 ops hot, Tier 3 cold): what assign wrote, it reads"
build ZAPH_TIERS=zaph-tiers.toml

expected=$here/workflow.expected
if [ "${ZAPH_UPDATE_EXPECTED:-}" = 1 ]; then
  cp "$transcript" "$expected"
  exit 0
fi
if ! cmp -s "$expected" "$transcript"; then
  diff -u "$expected" "$transcript"
  echo "workflow.sh: transcript differs from $expected" >&2
  exit 1
fi
