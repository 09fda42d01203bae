# --deploy: an op of the build without a tier assignment (kv_compact is Unassigned -
# Profiling; kv_new has no entry) blocks the deploy, exit 10; once each has one, it passes.
run assign --now=2026-12-01 --ledger=zaph-tiers.toml kv-load.prof
run check --deploy --now=2026-12-01 --ledger=zaph-tiers.toml
run check --deploy --now=2027-01-16 --ledger=zaph-tiers.toml kv-next.prof
grep -v kv_compact kv-load.prof | sed 's/^ops\t5/ops\t4/; s/^end\t5/end\t4/' >kv-ready.prof
rm zaph-tiers.toml
run assign --now=2026-12-01 --ledger=zaph-tiers.toml kv-ready.prof
run check --deploy --now=2026-12-01 --ledger=zaph-tiers.toml kv-ready.prof
run check --deploy --now=2026-12-01 --format=json --ledger=zaph-tiers.toml
rm zaph-tiers.toml
run assign --now=2026-12-01 --ledger=zaph-tiers.toml kv-load.prof
run check --deploy --now=2026-12-01 --format=json --ledger=zaph-tiers.toml
