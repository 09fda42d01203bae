# A measured tier that differs from the ledger's (kv_put, Warm in November, Cold in January) is
# not recorded without --approve: exit 9, that entry unchanged, the rest refreshed (new data,
# review a quarter after the new profiling date), the new op kv_new assigned.
run assign --now=2026-12-01 --ledger=zaph-tiers.toml kv-load.prof
cp zaph-tiers.toml before.toml
run assign --now=2027-01-16 --ledger=zaph-tiers.toml kv-next.prof
compare before.toml zaph-tiers.toml
