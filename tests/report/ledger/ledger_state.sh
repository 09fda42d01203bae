# ledger FILE: counts per tier, the reviews due, the reassignment rate over the history (one
# tier change over five ops assigned) and, with the build's profiles, the accuracy of the
# declared tiers (kv_get declares 2, the ledger has 1).
run assign --now=2026-12-01 --ledger=zaph-tiers.toml kv-load.prof
run assign --now=2027-01-16 --ledger=zaph-tiers.toml --approve=review kv-next.prof
run ledger --now=2027-01-16 zaph-tiers.toml
run ledger --now=2027-04-16 zaph-tiers.toml kv-next.prof
run ledger --now=2027-04-16 --format=json zaph-tiers.toml kv-next.prof
