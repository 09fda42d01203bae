# check --ledger with the build's profiles: the gates' reasons, then the ledger's: kv_new has no
# entry, kv_get declares Tier 2 in the source where the ledger has Tier 1, kv_put measures
# Cold where the ledger has Warm. Exit 6.
run assign --now=2026-12-01 --ledger=zaph-tiers.toml kv-load.prof
run check --now=2027-01-16 --ledger=zaph-tiers.toml kv-next.prof
run check --now=2026-12-01 --ledger=zaph-tiers.toml kv-load.prof
# The same as JSON (schema zaph-report-check-ledger/1): each reason with its flag.
run check --now=2027-01-16 --ledger=zaph-tiers.toml --format=json kv-next.prof
