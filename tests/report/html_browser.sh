#!/bin/sh
# report.html_browser: renders pages of zaph-report --format=html in Debian's headless Chromium,
# offline. Checks that a page names no URL (nothing to fetch), that the laid-out chart, the table
# and its sorting are what html_browser.expected says (html_probe.js measures them in the page),
# and that a screenshot has exactly the window's size (the PNG's IHDR).
# Usage: html_browser.sh ZAPH_REPORT TEST_DIR
# ZAPH_UPDATE_EXPECTED=1 writes html_browser.expected from this run instead (then read it).
set -u

zaph_report=$1 test_dir=$2
chromium=${ZAPH_CHROMIUM:-chromium}
command -v "$chromium" >/dev/null ||
  { echo "html_browser.sh: $chromium not found (scripts/setup.sh installs it)" >&2; exit 1; }
scratch=$(mktemp -d) || exit 2
trap 'rm -rf "$scratch"' EXIT
failed=0
fail() { echo "html_browser.sh: $*" >&2; failed=1; }

# Every name resolves nowhere, so the browser could not fetch anything even if a page asked.
browse() { # browse ARG... (the page last)
  "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --host-resolver-rules='MAP * ~NOTFOUND' \
    --user-data-dir="$scratch/profile" "$@" 2>>"$scratch/chromium.log"
}

for name in policy html-escapes; do
  page=$scratch/$name.html
  "$zaph_report" --now=2026-12-01 --format=html -o "$page" "$test_dir/fixtures/$name.prof"
  status=$?
  [ "$status" -eq 0 ] || fail "zaph-report on $name.prof exited $status"
  if grep -Eino 'https?:|ftp:|//[a-z]|src=|href=|@import|url\(' "$page"; then
    fail "$name.html names a resource (above)"
  fi
  { sed '/^<\/body>$/,$d' "$page"
    printf '<script>\n'; cat "$test_dir/html_probe.js"; printf '</script>\n</body>\n</html>\n'
  } >"$scratch/$name-probe.html"
  echo "== $name.prof" >>"$scratch/actual"
  browse --dump-dom "file://$scratch/$name-probe.html" >"$scratch/$name.dom"
  sed -n '/<pre id="probe">/,/<\/pre>/p' "$scratch/$name.dom" |
    sed 's/.*<pre id="probe">//; s/<\/pre>.*//' >>"$scratch/actual"
done

expected=$test_dir/html_browser.expected
if [ "${ZAPH_UPDATE_EXPECTED:-}" = 1 ]; then
  cp "$scratch/actual" "$expected"
elif ! cmp -s "$expected" "$scratch/actual"; then
  diff -u "$expected" "$scratch/actual"
  fail "the rendered pages differ from $expected"
fi

# The screenshot is a PNG of exactly the window: signature, then IHDR's width and height.
browse --screenshot="$scratch/shot.png" --window-size=1200,900 "file://$scratch/policy.html" \
  >/dev/null
signature=$(od -An -tx1 -N8 "$scratch/shot.png" 2>/dev/null | tr -d ' \n')
ihdr=$(od -An -c -j12 -N4 "$scratch/shot.png" 2>/dev/null | tr -d ' \n')
size=$(od -An -tu1 -j16 -N8 "$scratch/shot.png" 2>/dev/null |
  awk '{ printf "%dx%d", (($1 * 256 + $2) * 256 + $3) * 256 + $4, (($5 * 256 + $6) * 256 + $7) * 256 + $8 }')
[ "$signature" = 89504e470d0a1a0a ] || fail "screenshot: not a PNG (signature '$signature')"
[ "$ihdr" = IHDR ] || fail "screenshot: first chunk '$ihdr', not IHDR"
[ "$size" = 1200x900 ] || fail "screenshot: $size, not the window's 1200x900"
[ "$failed" -eq 0 ] || { echo "-- chromium's stderr:" >&2; cat "$scratch/chromium.log" >&2; }
exit "$failed"
