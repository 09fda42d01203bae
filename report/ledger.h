/* The ledger commands of zaph-report (docs/ledger.md, "Commands"): assign records the measured
 * tiers of ops whose data passes the gates, check --ledger holds the build, the profiles and the
 * ledger against each other, ledger prints the ledger's state, doc --ledger documents it. The
 * gates are check's (assess.h); this adds what the ledger knows: entries, review dates,
 * approvals and history. */
#ifndef ZAPH_REPORT_LEDGER_H
#define ZAPH_REPORT_LEDGER_H

#include "analysis.h"
#include "zaph_ledger.h"

#include <stdio.h>

/* The gates whose failure keeps assign from recording a tier: those about the data. A declared
 * tier that differs (misclassified) or a p99 above target is about the code, and check says so. */
#define LEDGER_DATA_FLAGS                                                                      \
  (FLAG_NO_DATA | FLAG_FEW_REQUESTS | FLAG_NOT_CONFIDENT | FLAG_STALE | FLAG_UNACCEPTABLE_SOURCE)

/* The entry of an op of the profiles (zaph_ledger_find), or NULL. */
const struct zaph_ledger_entry *ledger_find_op(const struct zaph_ledger *ledger,
                                               const struct zaph_identity *id);

/* diff --ledger: for each NEW op without an OLD op of its identity, the OLD op it was before a
 * rename: an OLD op of another name that the ledger takes to the same entry (a previous name of
 * it), and that no NEW op has the identity of. old_of[i] is set for nc->ops[i] (left as it is
 * when no such op, or more than one, is found). */
void ledger_pair_renames(const struct zaph_ledger *ledger, const struct classification *oc,
                         const struct classification *nc, const struct classified_op **old_of);

/* Whether op i's data passes every data gate, so that assign records its measured tier. */
int ledger_data_passes(const struct analysis *analysis, size_t op_index);

/* The ledger at path; with missing_ok a file that does not exist is an empty ledger. NULL with
 * *error set (the reader's message, malloc()ed) when it cannot be read or is invalid. */
struct zaph_ledger *ledger_load(const char *path, int missing_ok, char **error);

/* What assign did. */
struct assign_summary {
  size_t assigned, unassigned, confirmed, changed, refused, kept;
  int written; /* 0 when the file was already what assign would write */
};

/* assign: the new ledger from old and the analysis, each op's outcome on out, the file written
 * at path unless it already holds exactly that. Returns 0, or -1 with *error set (the write
 * failed; the old file is untouched). */
int ledger_assign(FILE *out, const struct analysis *analysis, const struct zaph_ledger *old,
                  const char *path, const char *approve, struct assign_summary *summary,
                  char **error);

/* check --ledger: the ledger's failures, with those of the gates when analysis is not NULL, as
 * text or JSON (schema zaph-report-check-ledger/1). Returns the exit status:
 * REPORT_EXIT_SUCCESS, REPORT_EXIT_CHECK_FAILED or, with deploy, when an op has no tier
 * assignment, REPORT_EXIT_UNASSIGNED. */
int ledger_check(FILE *out, const struct analysis *analysis, const struct zaph_ledger *ledger,
                 long now_day, int deploy, int json);

/* ledger FILE [PROFILE...]: the state, as text or JSON. analysis may be NULL. */
void ledger_state(FILE *out, const struct zaph_ledger *ledger, const struct analysis *analysis,
                  long now_day, int json);

/* "Tier 1 (Hot)" or "Unassigned - Profiling", as every ledger output names a current state. */
const char *ledger_state_label(const struct zaph_ledger_assignment *a);

/* An entry as messages name it: "name (file:line)", escaped. malloc()ed. */
char *ledger_entry_label(const struct zaph_ledger_entry *e);

/* Its reasons as "few-requests, unacceptable-source"; malloc()ed. */
char *ledger_reasons_text(const struct zaph_ledger_assignment *a);

#endif
