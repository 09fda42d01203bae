#!/usr/bin/env bash
# Writes sqlite3.c ($1) to $3 with the word BENCH_OP in front of the definition of every
# function listed in $2, and a default empty definition of BENCH_OP at the top; the build
# defines BENCH_OP as the zaph or XRay attribute. Fails unless every function is found once.
# Prototypes get BENCH_OP too: clang 22 drops the annotation of a static function that a
# deferred static function calls before the annotated definition (sqlite3VdbeExec, called from
# sqlite3Step), unless the first declaration carries it (see docs/benchmarks.md).
# usage: annotate.sh SQLITE3_C FUNCTIONS_TXT OUT
set -euo pipefail
awk -v list="$2" '
  BEGIN {
    while ((getline line < list) > 0)
      if (line !~ /^#/ && line != "") { want[line] = 1; wanted++ }
    print "#ifndef BENCH_OP\n#define BENCH_OP\n#endif"
  }
  # A candidate starts a line with a storage class and names a wanted function; it is a
  # definition if a "{" comes before any ";" (the parameter list may span lines).
  function flush(   i) {
    if (pending_name != "") buf[1] = "BENCH_OP " buf[1]
    if (pending_name != "" && is_def) found[pending_name]++
    for (i = 1; i <= nbuf; i++) print buf[i]
    nbuf = 0; pending_name = ""; is_def = 0
  }
  {
    if (pending_name != "") {
      buf[++nbuf] = $0
      if ($0 ~ /;/ && $0 !~ /\{/) flush()
      else if ($0 ~ /\{/) { is_def = 1; flush() }
      next
    }
    if (match($0, /^(SQLITE_API|SQLITE_PRIVATE|static)[^;(]*[ *]([A-Za-z0-9_]+)\(/)) {
      name = substr($0, 1, RLENGTH - 1); sub(/.*[ *]/, "", name)
      if (name in want) {
        pending_name = name; nbuf = 1; buf[1] = $0
        if ($0 ~ /\{/ ) { is_def = 1; flush() }
        else if ($0 ~ /;/) flush()
        next
      }
    }
    print
  }
  END {
    flush()
    for (n in want) if (found[n] != 1) { printf "annotate.sh: %s defined %d times\n", n, found[n] > "/dev/stderr"; bad = 1 }
    exit bad
  }' "$1" >"$3"
