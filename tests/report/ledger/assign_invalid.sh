# assign never writes what the reader would refuse: an approval dated (--now) before the
# assignment it replaces is not written, exit 4, the ledger as it was. Data older than a quarter
# that passes only under a loosened --max-age gets a review date of the day it is recorded,
# never one before it.
run assign --now=2027-02-01 --ledger=zaph-tiers.toml kv-load.prof
cp zaph-tiers.toml before.toml
run assign --now=2027-01-16 --approve=Ana --ledger=zaph-tiers.toml kv-next.prof
compare before.toml zaph-tiers.toml
run assign --now=2027-03-15 --max-age=120 --ledger=old-data.toml kv-load.prof
