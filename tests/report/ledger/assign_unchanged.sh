# assign on the same data, on a later day, writes nothing: the file stays byte for byte, and
# the unassigned entry keeps the day it was first recorded.
run assign --now=2026-12-01 --ledger=zaph-tiers.toml kv-load.prof
cp zaph-tiers.toml before.toml
run assign --now=2026-12-20 --ledger=zaph-tiers.toml kv-load.prof
compare before.toml zaph-tiers.toml
