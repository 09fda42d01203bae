#!/bin/sh
# The exit codes of zaph-report are one list in four places: report/report_exit.h (the code),
# --help, docs/report.md's "Exit status" table and README.md's "zaph-report exit codes" table.
# Fails, naming the place, when one of them lists other codes than report_exit.h.
# Usage: exit_codes.sh ZAPH_REPORT SOURCE_DIR
set -u
zaph_report=$1 source_dir=$2
codes() { sort -n | uniq | tr '\n' ' '; }
from_header=$(sed -n 's/^ *REPORT_EXIT_[A-Z_]* = \([0-9]*\),.*/\1/p' \
  "$source_dir/report/report_exit.h" | codes)
from_help=$("$zaph_report" --help |
  sed -n '/^Exit status:/,/^$/ s/^ \{1,2\}\([0-9][0-9]*\)  .*/\1/p' | codes)
table() { # table FILE HEADING: the codes in the first column of the table under HEADING
  awk -v heading="$2" '
    $0 == heading { inside = 1; next }
    inside && /^#/ { exit }
    inside && /^\| [0-9]+ \|/ { split($0, cell, "|"); gsub(/ /, "", cell[2]); print cell[2] }
  ' "$1" | codes
}
from_docs=$(table "$source_dir/docs/report.md" "## Exit status")
from_readme=$(table "$source_dir/README.md" "### zaph-report exit codes")
status=0
for place in help docs readme; do
  eval "found=\$from_$place"
  if [ "$found" != "$from_header" ]; then
    echo "exit_codes.sh: $place lists codes '$found', report_exit.h has '$from_header'" >&2
    status=1
  fi
done
[ -n "$from_header" ] || { echo "exit_codes.sh: no code found in report_exit.h" >&2; status=1; }
exit $status
