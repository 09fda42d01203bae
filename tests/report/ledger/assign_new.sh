# assign into a ledger that does not exist yet: every op of a load test that passes the gates is
# assigned its measured tier, review a quarter after the profiling date; kv_compact, never
# entered, is Unassigned - Profiling with the gate that failed.
run assign --now=2026-12-01 --ledger=zaph-tiers.toml kv-load.prof
show zaph-tiers.toml
