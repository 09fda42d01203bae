# doc --ledger: the TIER ASSIGNMENT DATA blocks and the generated header from the ledger, so
# that the source's comments, the header and the ledger agree.
run assign --now=2026-12-01 --ledger=zaph-tiers.toml --approve=Ana kv-load.prof
run doc --ledger=zaph-tiers.toml
run doc --ledger=zaph-tiers.toml --format=header
