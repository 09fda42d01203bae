# Synthetic data is refused by the gates: every op is Unassigned - Profiling, with the reason
# unacceptable-source; a load test afterwards assigns them.
run assign --now=2026-12-01 --ledger=zaph-tiers.toml kv-synthetic.prof
show zaph-tiers.toml
cp zaph-tiers.toml synthetic.toml
run assign --now=2026-12-02 --ledger=zaph-tiers.toml kv-load.prof
compare synthetic.toml zaph-tiers.toml
