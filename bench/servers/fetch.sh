#!/usr/bin/env bash
# Fetches the Debian 12 source package $2 (redis, memcached) with `apt-get source` into cache
# directory $1, once, and prints the unpacked source directory. When apt knows no source for
# it, adds deb-src entries mirroring the system's own bookworm entries (same URIs, suites and
# components, the security suite included) in /etc/apt/sources.list.d/zaph-bench-servers-src.*
# and runs apt-get update. Nothing fetched is ever part of the repository.
# usage: fetch.sh CACHE_DIR PACKAGE
set -euo pipefail
cache=$1 pkg=$2
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
me=fetch.sh

# An earlier run leaves the unpacked tree and a stamp naming it.
if [ -f "$cache/$pkg.dir" ] && [ -d "$(cat "$cache/$pkg.dir")" ]; then
  cat "$cache/$pkg.dir"
  exit 0
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
known=$(apt-cache showsrc "$pkg" 2>/dev/null || true)
if ! grep -q '^Package:' <<<"$known"; then
  dir=/etc/apt/sources.list.d
  deb822=() oneline=()
  for f in "$dir"/*.sources; do [ -f "$f" ] && deb822+=("$f"); done
  for f in /etc/apt/sources.list "$dir"/*.list; do [ -f "$f" ] && oneline+=("$f"); done
  # deb822 files: every stanza of Types "deb" for a bookworm suite, as deb-src.
  awk 'FNR == 1 { if (keep) print stanza; stanza = ""; keep = 0; types = 0 }
    /^[ \t]*$/ { if (keep) print stanza; stanza = ""; keep = 0; types = 0; next }
    /^#/ { next }
    /^Types:/ { if ($0 ~ /[ \t]deb([ \t]|$)/) types = 1; stanza = stanza "Types: deb-src\n"; next }
    /^Suites:/ && /bookworm/ { if (types) keep = 1 }
    { stanza = stanza $0 "\n" }
    END { if (keep) print stanza }' \
    "${deb822[@]}" /dev/null |
    "${sudo[@]}" tee "$dir/zaph-bench-servers-src.sources" >/dev/null
  # One-line files: every "deb" line for bookworm, as deb-src.
  awk '$1 == "deb" && /bookworm/ { $1 = "deb-src"; print }' \
    "${oneline[@]}" /dev/null |
    "${sudo[@]}" tee "$dir/zaph-bench-servers-src.list" >/dev/null
  added=()
  for f in "$dir"/zaph-bench-servers-src.sources "$dir"/zaph-bench-servers-src.list; do
    if [ -s "$f" ]; then added+=("$f"); else "${sudo[@]}" rm -f "$f"; fi
  done
  [ ${#added[@]} -gt 0 ] ||
    { echo "$me: error: no bookworm entry in apt's sources to derive a deb-src entry from" >&2; exit 1; }
  echo "$me: added deb-src entries: ${added[*]}" >&2
  "${sudo[@]}" apt-get update -qq >&2
fi

work=$cache/$pkg.fetch
rm -rf "$work"
mkdir -p "$work"
(cd "$work" && apt-get source -qq "$pkg" >&2)
src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name "$pkg-*" | head -1)
[ -n "$src" ] || { echo "$me: error: apt-get source left no $pkg-* directory" >&2; exit 1; }
echo "$src" >"$cache/$pkg.dir"
echo "$src"
