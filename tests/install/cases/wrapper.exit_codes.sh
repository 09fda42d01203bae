# install.wrapper.exit_codes: the exit codes --zaph-help prints (from wrapper/wrapper_exit.h) are
# the table in docs/install.md, row for row.
"$ZAPH_PREFIX/bin/zaph-cc" --zaph-help | sed -n '/^exit status/,$p' | sed -n 's/^ *\([0-9]*\)  \(.*\)$/| \1 | \2 |/p' >help.rows
sed -n '/^### Exit codes/,/^## /p' "$ZAPH_SOURCE_DIR/docs/install.md" | grep -E '^\| [0-9]+ \|' >doc.rows
step "rows" wc -l <help.rows
step "help and docs/install.md" diff help.rows doc.rows
