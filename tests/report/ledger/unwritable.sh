# A ledger path that cannot be written: exit 4, with a message naming it, after the outcome of
# each op (nothing was recorded). unit.ledger_write shows an old ledger kept whole when the
# write fails.
run assign --now=2026-12-01 --ledger=no-such-dir/zaph-tiers.toml kv-load.prof
show no-such-dir/zaph-tiers.toml
