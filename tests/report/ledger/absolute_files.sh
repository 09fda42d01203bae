# A profile that names its files by absolute paths (compiled from another directory) inside the
# ledger's directory: the entries record them relative to it, and the same op is found again
# under either name.
sed "s|\tsrc/|\t$PWD/src/|" kv-load.prof >kv-absolute.prof
run assign --now=2026-12-01 --ledger=zaph-tiers.toml kv-absolute.prof
grep -E '^(name|file) = ' zaph-tiers.toml >names.txt
show names.txt
run check --now=2026-12-01 --ledger=zaph-tiers.toml kv-load.prof
