# Without --ledger, assign writes zaph-tiers.toml in the working directory.
run assign --now=2026-12-01 kv-small.prof
show zaph-tiers.toml
