#!/usr/bin/env bash
# Op identity across an edit and a build directory (docs/ledger.md, "Op identity"): builds
# edit/kv.c and edit/main.c with the clang plugin from build/ (the compiler is given
# ../src/kv.c), profiles them, adds a comment line above the ops, builds again from the project's
# root (src/kv.c) and profiles again; zaph-report diff must find the same ops, unchanged, and
# exit 0. The transcript (the diff, times masked) is compared with edit.expected.
# env: ZAPH_CLANG ZAPH_PLUGIN ZAPH_FRONTEND ZAPH_RUNTIME ZAPH_REPORT ZAPH_INCLUDE ZAPH_WORK
#      ZAPH_E2E_CFLAGS; ZAPH_UPDATE_EXPECTED=1 rewrites edit.expected.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
read -r -a suite_flags <<<"${ZAPH_E2E_CFLAGS:-}"
work=${ZAPH_WORK:?}/edit
rm -rf "$work" && mkdir -p "$work/project/src" "$work/project/build" || exit 2
cp "$here/edit/kv.c" "$here/edit/main.c" "$work/project/src/" || exit 2

build() { # build DIR SOURCE...: the program, compiled in DIR from the SOURCEs as given
  (cd "$1" && shift && "$ZAPH_CLANG" -O2 -fplugin="$ZAPH_FRONTEND" -fpass-plugin="$ZAPH_PLUGIN" \
    -I"$ZAPH_INCLUDE" "${suite_flags[@]}" "$@" "$ZAPH_RUNTIME" -lpthread -o kv)
}
profile() { # profile DIR NAME: runs DIR/kv, which writes NAME
  (cd "$1" && ZAPH_PROFILE_FILE="$work/$2" ZAPH_SOURCE=load-test ./kv)
}
build "$work/project/build" ../src/kv.c ../src/main.c && profile "$work/project/build" old.prof ||
  exit 2
sed -i '1i /* A comment line added above every op. */' "$work/project/src/kv.c" || exit 2
build "$work/project" src/kv.c src/main.c && profile "$work/project" new.prof || exit 2

"$ZAPH_REPORT" diff "$work/old.prof" -- "$work/new.prof" >"$work/stdout" 2>"$work/stderr"
status=$?
{
  echo "== diff (exit $status)"
  sed -E 's/profiled [0-9T:Z-]+/profiled <time>/' "$work/stdout"
  echo "-- stderr"
  cat "$work/stderr"
} >"$work/actual"
if [ "${ZAPH_UPDATE_EXPECTED:-}" = 1 ]; then
  cp "$work/actual" "$here/edit.expected"
  exit 0
fi
diff -u "$here/edit.expected" "$work/actual" || exit 1
