# Renames: kv_scan becomes kv_range in the source. Until the ledger says so, kv_range is a new op
# without an entry; once its entry lists previous_names = ["kv_scan"], check follows either name
# to it, and assign on profiles of the old name confirms the entry, which keeps its name; diff
# --ledger pairs the two names in one row.
run assign --now=2026-12-01 --ledger=zaph-tiers.toml kv-load.prof
sed 's/kv_scan$/kv_range/' kv-load.prof >kv-renamed.prof
run check --now=2026-12-01 --ledger=zaph-tiers.toml kv-renamed.prof
cp zaph-tiers.toml before-rename.toml
sed 's/^name = "kv_scan"$/name = "kv_range"/
/^name = "kv_range"$/,/^previous_names/ s/^previous_names = \[\]$/previous_names = ["kv_scan"]/' \
  before-rename.toml >zaph-tiers.toml
compare before-rename.toml zaph-tiers.toml
run check --now=2026-12-01 --ledger=zaph-tiers.toml kv-renamed.prof
run check --now=2026-12-01 --ledger=zaph-tiers.toml kv-load.prof
cp zaph-tiers.toml before.toml
run assign --now=2026-12-02 --ledger=zaph-tiers.toml kv-load.prof
compare before.toml zaph-tiers.toml
# diff pairs the renamed op with its old self only through the ledger (--ledger).
run diff --now=2026-12-01 kv-load.prof -- kv-renamed.prof
run diff --now=2026-12-01 --ledger=zaph-tiers.toml kv-load.prof -- kv-renamed.prof
