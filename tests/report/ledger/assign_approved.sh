# With --approve the tier change is recorded: the old assignment goes to the history with the
# day it ended, the new one carries the approval; the entries only confirmed keep theirs.
run assign --now=2026-12-01 --ledger=zaph-tiers.toml kv-load.prof
run assign --now=2027-01-16 --ledger=zaph-tiers.toml --approve "capacity review 2027-01-16, Ana" kv-next.prof
show zaph-tiers.toml
