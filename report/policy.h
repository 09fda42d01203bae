/* The numbers of the decision record ZAPH-DEC-04 ("Mandatory Performance Profiling Before Tier
 * Assignment"), in one place: the code compares with these, and every message that states one
 * formats it in from here (POLICY_TEXT for string literals such as --help), so no message
 * spells a number of its own. Options may loosen them; the outputs then say "below policy". */
#ifndef ZAPH_REPORT_POLICY_H
#define ZAPH_REPORT_POLICY_H

/* "1,000+ requests minimum sample size" before any tier is assigned. */
#define POLICY_MIN_REQUESTS 1000

/* The tier bands, in whole percent of access frequency: above POLICY_HOT_ABOVE_PCT is Tier 1
 * (Hot), above POLICY_WARM_ABOVE_PCT Tier 2 (Warm), the rest Tier 3 (Cold). A frequency exactly
 * on an edge belongs to the colder tier; classify.c compares exactly, in integers. */
#define POLICY_HOT_ABOVE_PCT 80
#define POLICY_WARM_ABOVE_PCT 20

/* "Statistical confidence level >95%": the default bar of --confidence, in percent. A re-profiling
 * trigger's "access pattern anomaly" (diff) is a change significant at the same level. */
#define POLICY_CONFIDENCE_PCT 95
#define POLICY_ANOMALY_LEVEL_PCT POLICY_CONFIDENCE_PCT

/* "Profiling data <90 days old": the default of --max-age, in days. */
#define POLICY_MAX_AGE_DAYS 90

/* "Production metrics (30-day window)": the default window of --prometheus, in days. */
#define POLICY_WINDOW_DAYS 30

/* "Quarterly tier validation reviews": the next review is this many days after the profiling
 * date, and the reports call the interval by this name. */
#define POLICY_REVIEW_INTERVAL_DAYS 90
#define POLICY_REVIEW_INTERVAL_NAME "quarterly"

/* "<5% tier reassignments required post-deployment" and "95%+ tier classification accuracy":
 * the measures `zaph-report ledger` states beside the ledger's own rates. */
#define POLICY_MAX_REASSIGNMENT_PCT 5
#define POLICY_MIN_ACCURACY_PCT 95

/* The acceptable data sources, in the record's order of preference, are the first
 * POLICY_ACCEPTABLE_SOURCES names of ZAPH_SOURCES (include/zaph_profile.h, best first, the list
 * the runtime checks ZAPH_SOURCE against); the others, and an unspecified or unknown source, are
 * not acceptable for tier assignment. POLICY_SOURCE_DESCRIPTIONS is the record's wording for
 * each name of ZAPH_SOURCES in the same order, then for an unspecified or unknown source. */
#define POLICY_ACCEPTABLE_SOURCES 3
#define POLICY_SOURCE_DESCRIPTIONS                                                             \
  "Production metrics", "Staging with production replay",                                      \
      "Load testing with representative scenarios", "Synthetic benchmarks", "Unspecified"

/* A constant above as a string literal: POLICY_TEXT(POLICY_MIN_REQUESTS) is "1000". */
#define POLICY_TEXT(constant) POLICY_TEXT_OF(constant)
#define POLICY_TEXT_OF(constant) #constant

#endif
