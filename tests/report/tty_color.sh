#!/bin/sh
# report.tty_color: zaph-report's text report on a pseudo-terminal (util-linux script(1)), where
# --color=auto decides by NO_COLOR: unset or empty colours the tiers exactly as --color=always
# does, set to anything else (or --color=never) gives exactly the --color=never output, with no
# escape at all. script's terminal turns each LF into CRLF; the CRs are dropped before comparing.
# Usage: tty_color.sh ZAPH_REPORT TEST_DIR
set -u

zaph_report=$1 test_dir=$2
scratch=$(mktemp -d) || exit 2
trap 'rm -rf "$scratch"' EXIT
failed=0
profile=$test_dir/fixtures/policy.prof
report() { # report ARG...: standard output, not a terminal
  env -u LC_ALL -u LC_CTYPE -u LANG -u NO_COLOR "$zaph_report" --now=2026-12-01 "$@" "$profile"
}
report --color=always >"$scratch/always" || exit 2
report --color=never >"$scratch/never" || exit 2
esc=$(printf '\033')
grep -q "$esc" "$scratch/always" || { echo "tty_color.sh: --color=always has no escape" >&2; exit 1; }
! grep -q "$esc" "$scratch/never" || { echo "tty_color.sh: --color=never has escapes" >&2; exit 1; }

# on_tty NAME EXPECTED ENV-ASSIGNMENT... -- ARG...: zaph-report on a terminal must print EXPECTED
on_tty() {
  name=$1 expected=$2
  shift 2
  assignments=
  while [ "$1" != -- ]; do assignments="$assignments $1"; shift; done
  shift
  script -qec "env -u LC_ALL -u LC_CTYPE -u LANG -u NO_COLOR $assignments '$zaph_report' \
--now=2026-12-01 $* '$profile'" /dev/null </dev/null | tr -d '\r' >"$scratch/$name"
  if ! cmp -s "$scratch/$expected" "$scratch/$name"; then
    echo "tty_color.sh: $name: not the --color=$expected output:" >&2
    diff "$scratch/$expected" "$scratch/$name" | head -5 >&2
    failed=1
  fi
}
on_tty auto always --
on_tty auto_empty_no_color always NO_COLOR= --
on_tty auto_no_color never NO_COLOR=1 --
on_tty auto_no_color_word never NO_COLOR=false -- --color=auto
on_tty never never -- --color=never
on_tty no_color_option never -- --no-color
on_tty always_beats_no_color always NO_COLOR=1 -- --color
exit "$failed"
