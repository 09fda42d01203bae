# The quarterly audit: without profiles, check --ledger fails the entries whose review date
# (2027-02-28, a quarter after the profiling date) has passed; on the date itself they pass.
run assign --now=2026-12-01 --ledger=zaph-tiers.toml kv-load.prof
run check --now=2027-02-28 --ledger=zaph-tiers.toml
run check --now=2027-03-01 --ledger zaph-tiers.toml
