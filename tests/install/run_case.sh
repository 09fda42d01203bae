#!/usr/bin/env bash
# Runs one install test: cases/<case>.sh (below: or a variant), with the helpers below, in a scratch directory, and
# compares its transcript with expected/<case>.expected, exactly (ZAPH_UPDATE_EXPECTED=1
# rewrites it). Masked: the scratch directory, the prefix, the build and source trees, the
# LLVM and GCC majors and the build type in the CMake package's per-configuration file, so one
# transcript serves every build. A case that cannot run here
# says why and exits 77 (ctest shows it as skipped).
#
# usage: run_case.sh CASE
# env:   ZAPH_PREFIX (the installed prefix), ZAPH_BUILD, ZAPH_SOURCE_DIR, ZAPH_WORK, ZAPH_CLANG,
#        ZAPH_CLANGXX, ZAPH_GCC, ZAPH_GXX, ZAPH_LLVM_MAJOR, ZAPH_GCC_MAJOR, ZAPH_LLVM_DIR
set -uo pipefail
case_name=$1
here=$(cd "$(dirname "$0")" && pwd)
expected=$here/expected/$case_name.expected
work=${ZAPH_WORK:?}/$case_name
rm -rf "$work" && mkdir -p "$work"
cd "$work" || exit 1
export LC_ALL=C
unset ZAPH_CC ZAPH_CXX ZAPH_LIST ZAPH_LIST_VERBOSE ZAPH_CC_VERBOSE ZAPH_PROFILE_FILE ZAPH_SOURCE
unset ZAPH_WRITE ZAPH_CONTINUOUS CC CXX CFLAGS LDFLAGS PKG_CONFIG_PATH

mask() {
  sed -e "s|$work|<work>|g; s|$ZAPH_PREFIX|<prefix>|g; s|$ZAPH_BUILD|<build>|g" \
    -e "s|$ZAPH_SOURCE_DIR|<source>|g; s|$ZAPH_CLANG|<clang>|g" \
    -e "s/clang\([-+]*\)-$ZAPH_LLVM_MAJOR\b/clang\1-<llvm>/g; s/clang\(++\)\{0,1\}$ZAPH_LLVM_MAJOR\b/clang\1<llvm>/g" \
    -e "s/clang $ZAPH_LLVM_MAJOR\b/clang <llvm>/g; s/Clang $ZAPH_LLVM_MAJOR\b/Clang <llvm>/g" \
    -e "s/gcc-$ZAPH_GCC_MAJOR\b/gcc-<gcc>/g; s/gcc$ZAPH_GCC_MAJOR\b/gcc<gcc>/g" \
    -e "s/GCC $ZAPH_GCC_MAJOR\b/GCC <gcc>/g; s/GNU $ZAPH_GCC_MAJOR\b/GNU <gcc>/g" \
    -e 's/zaphTargets-[a-z]*\.cmake/zaphTargets-<config>.cmake/g'
}

# step LABEL COMMAND...: runs the command; its exit status, stdout and stderr, masked.
step() {
  local label=$1; shift
  "$@" >"$work/step.out" 2>"$work/step.err"
  echo "== $label (exit $?)"
  echo "-- stdout"; mask <"$work/step.out"
  echo "-- stderr"; mask <"$work/step.err"
}

# quietly LABEL COMMAND...: runs a command whose output is not part of the transcript (a
# build); its exit status only, and its output on the test's stderr when it fails.
quietly() {
  local label=$1; shift
  "$@" >"$work/quiet.log" 2>&1
  local status=$?
  echo "== $label (exit $status)"
  [ $status -eq 0 ] || { echo "-- $label failed:"; cat "$work/quiet.log"; } >&2
}

# profile FILE: the profile without the lines that change from run to run.
profile() {
  echo "== profile $(basename "$1")"
  grep -Ev '^(program|pid|host|start|end)	' "$1" | mask
}

# copy_kv DIR: the kv project's sources in DIR.
copy_kv() {
  mkdir -p "$1" && cp -r "$here/kv/." "$1/"
}

skip() {
  echo "run_case.sh: $case_name skipped: $*" >&3
  exit 77
}

# install.<name>.<variant> runs cases/<name>.sh with $variant set, unless cases/<name>.<variant>.sh
# exists.
script=$here/cases/$case_name.sh variant=
if [ ! -f "$script" ]; then
  script=$here/cases/${case_name%.*}.sh variant=${case_name##*.}
fi
exec 3>&2
. "$script" >"$work/actual" 2>"$work/stderr"
status=$?
cat "$work/stderr" >&2

if [ "${ZAPH_UPDATE_EXPECTED:-}" = 1 ]; then
  cp "$work/actual" "$expected"
  exit 0
fi
if ! diff -u "$expected" "$work/actual"; then
  echo "run_case.sh: $case_name: transcript differs from $expected" >&2
  exit 1
fi
