# zaph-report --format=json (schema zaph-report/3) to a tier ledger (docs/ledger.md), for
# bench/tiers.sh until `zaph-report assign` writes ledgers: one [[op]] per operation, sorted by
# file, name and line. An op is assigned its measured tier when zaph-report raises no flag on
# it (enough requests, an acceptable source, a confident band, ...); otherwise it is unassigned
# with the flags as its reasons. Strings are written with JSON's escapes, which TOML's basic
# strings share.
def day: .[0:10];
. as $r
| "# zaph tier ledger (docs/ledger.md), made from zaph-report's JSON by bench/tiers/ledger.jq\n"
  + "zaph_ledger = 1\n"
  + ([$r.operations | to_entries[] | .value] | sort_by(.file, .name, .line) | map(
      ((.flags | length) == 0 and .measured_tier != null) as $ok
      | "\n[[op]]\n"
      + "name = \(.name | tojson)\nfile = \(.file | tojson)\nline = \(.line)\n"
      + "kind = \(.kind | tojson)\n"
      + "status = \(if $ok then "\"assigned\"" else "\"unassigned\"" end)\n"
      + (if $ok then "tier = \(.measured_tier)\n" else "" end)
      + "assigned = \($r.profiled_at | day)\n"
      + "period_start = \($r.time_range.start)\nperiod_end = \($r.time_range.end)\n"
      + "requests = \($r.total_requests)\nrequests_touching = \(.requests_touching)\n"
      + "frequency_pct = \(.access_frequency_pct)\n"
      + "interval_pct = [\(.interval_pct.low // 0), \(.interval_pct.high // 100)]\n"
      + "confidence_pct = \(.confidence_level_pct // $r.confidence_pct)\n"
      + "source = \($r.data_source | tojson)\n"
      + (if $ok then "review = \($r.next_review_at | day)\n"
         else "reasons = \(if (.flags | length) > 0 then .flags else ["no-tier"] end | tojson)\n"
         end))
    | join(""))
