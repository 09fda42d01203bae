#!/usr/bin/env bash
# Annotates a copy of a server's source tree in place, from an ops file (redis.ops,
# memcached.ops): every function listed with kind `request` gets
# __attribute__((annotate("zaph_request"))), every one of kind `handler` or `op` gets
# __attribute__((annotate("zaph_op"))), on its definition and on each prototype at the start of
# a line in the same file (clang 22 drops the annotation of a static function whose first
# declaration lacks it). Each `end` line of the ops file inserts a statement (by default
# `zaph_request_end();`) before or after an anchor text inside one function, and includes
# zaph.h in that file. Fails, naming what is wrong, unless every listed function has exactly one
# definition in the files given and every anchor is found exactly once.
#
# Ops file lines (# starts a comment):
#   NAME KIND [STAT...]                 KIND: request, handler or op; STATs are for servers.sh
#   end FILE FUNCTION before|after ANCHOR [:: STATEMENT]
#                                       ANCHOR: the rest of the line, a fixed string
# usage: annotate.sh SRC_DIR OPS_FILE FILE...   (FILEs relative to SRC_DIR)
set -euo pipefail
src=$1 ops=$2
shift 2
me=annotate.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Definitions and prototypes: NAME( at the start of a line after type words, or alone at the
# start of a line when the type is on the line before (the attribute then goes first on that
# line). A definition is a match followed by "{" before any ";".
for f in "$@"; do
  [ -f "$src/$f" ] || { echo "$me: error: no $src/$f" >&2; exit 1; }
  awk -v ops="$ops" -v found="$tmp/found" '
    BEGIN {
      while ((getline line < ops) > 0) {
        sub(/#.*/, "", line); n = split(line, w, /[ \t]+/)
        if (w[1] == "") { for (i = 1; i < n; i++) w[i] = w[i + 1]; n-- }
        if (n < 2 || w[1] == "end") continue
        attr[w[1]] = w[2] == "request" ? "__attribute__((annotate(\"zaph_request\"))) " \
                                       : "__attribute__((annotate(\"zaph_op\"))) "
      }
    }
    function name_of(s,   m) {
      if (s ~ /^(return|else|if|while|for|switch|case|do|goto|typedef)[ \t(]/) return ""
      if (match(s, /^[A-Za-z_][A-Za-z0-9_ \t*]*[ \t*][A-Za-z_][A-Za-z0-9_]*[ \t]*\(/) ||
          match(s, /^[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/)) {
        m = substr(s, 1, RLENGTH - 1); sub(/[ \t]+$/, "", m); sub(/.*[ \t*]/, "", m)
        return (m in attr) ? m : ""
      }
      return ""
    }
    # Decides whether the pending match was a definition, and prints the held lines.
    function flush(is_def,   i) {
      if (is_def) print pending >> found
      for (i = 1; i <= nheld; i++) print held[i]
      nheld = 0; pending = ""
    }
    {
      if (pending != "") {
        held[++nheld] = $0
        if ($0 ~ /\{/) flush(1); else if ($0 ~ /;/) flush(0)
        next
      }
      nm = name_of($0)
      if (nm == "") { if (have_prev) print prev; prev = $0; have_prev = 1; next }
      lone = ($0 ~ "^" nm "[ \t]*\\(")
      if (lone && have_prev && prev ~ /^[A-Za-z_]/ && prev !~ /[;{}]/) prev = attr[nm] prev
      else $0 = attr[nm] $0
      if (have_prev) print prev
      have_prev = 0
      pending = nm; nheld = 1; held[1] = $0
      if ($0 ~ /\{/) flush(1); else if ($0 ~ /;/) flush(0)
    }
    END { if (pending != "") flush(0); if (have_prev) print prev }
  ' "$src/$f" >"$tmp/out"
  cat "$tmp/out" >"$src/$f"
done

# Every listed function defined exactly once.
bad=0
while read -r name kind _; do
  n=$(grep -cx "$name" "$tmp/found" 2>/dev/null || true)
  if [ "$n" != 1 ]; then
    echo "$me: error: $name ($kind) has ${n:-0} annotated definitions in $*" >&2
    bad=1
  fi
done < <(sed 's/#.*//' "$ops" | awk 'NF >= 2 && $1 != "end"')
[ "$bad" = 0 ] || exit 1

# The request ends.
while read -r _ file fn where rest; do
  anchor=${rest%% :: *}
  stmt='zaph_request_end();'
  [ "$anchor" = "$rest" ] || stmt=${rest#* :: }
  awk -v fn="$fn" -v where="$where" -v anchor="$anchor" -v stmt="$stmt" -v me="$me" '
    BEGIN { print "#include \"zaph.h\"" }
    # The function body: from its definition line to the next "}" in column 1.
    !inside && $0 ~ "^[A-Za-z_].*[ \t*]" fn "\\(" && $0 !~ /;[ \t]*$/ { inside = 1 }
    inside && index($0, anchor) {
      hits++
      ind = $0; sub(/[^ \t].*/, "", ind)
      if (where == "before") print ind stmt " /* zaph: request ends (bench/servers) */"
      print
      if (where == "after") print ind stmt " /* zaph: request ends (bench/servers) */"
      next
    }
    inside && /^}/ { inside = 0 }
    { print }
    END {
      if (hits != 1) { printf "%s: error: \"%s\" found %d times in %s()\n", me, anchor, hits, fn > "/dev/stderr"; exit 1 }
    }' "$src/$file" >"$tmp/out" || exit 1
  cat "$tmp/out" >"$src/$file"
done < <(sed 's/#.*//' "$ops" | awk '$1 == "end"')
