# A ledger the reader refuses: every command stops with its message (PATH:LINE:COLUMN), exit 3,
# and assign leaves the file as it was.
run assign --now=2026-12-01 --ledger=zaph-tiers.toml kv-load.prof
sed 's/^tier = 2$/teir = 2/' zaph-tiers.toml >misspelt.toml
cp misspelt.toml before.toml
run assign --now=2026-12-01 --ledger=misspelt.toml kv-load.prof
compare before.toml misspelt.toml
printf 'zaph_ledger = 1\n[[op]\nname = "x"\n' >broken.toml
run check --now=2026-12-01 --ledger=broken.toml kv-load.prof
run ledger --now=2026-12-01 broken.toml
run doc --ledger=broken.toml
run check --ledger=. --now=2026-12-01
