# A tier once assigned is never taken away by data that fails a gate (here too few requests):
# the entry is kept and assign says which gates the new data fails.
run assign --now=2026-12-01 --ledger=zaph-tiers.toml kv-load.prof
cp zaph-tiers.toml before.toml
run assign --now=2026-12-01 --ledger=zaph-tiers.toml kv-small.prof
compare before.toml zaph-tiers.toml
