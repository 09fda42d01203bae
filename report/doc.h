/* zaph-report doc: the decision record's "TIER ASSIGNMENT DATA" block for every op, as C comments
 * ready to paste above each function, or (--format=header) a C header with one macro per op
 * giving its measured tier, so code can pick a tier's implementation at compile time. */
#ifndef ZAPH_REPORT_DOC_H
#define ZAPH_REPORT_DOC_H

#include "options.h"
#include "output.h"
#include "zaph_ledger.h"

#include <stdint.h>
#include <stdio.h>

void doc_write(FILE *out, const struct report_view *view, enum report_format format);

/* doc --ledger: the same two outputs from the tier ledger (docs/ledger.md), the recorded
 * assignment of every entry rather than a measurement, so that the source's comments, the
 * header and the ledger say the same. */
void doc_write_ledger(FILE *out, const struct zaph_ledger *ledger, enum report_format format);

/* n with a comma between each group of three digits: 1547 -> "1,547"; malloc()ed. */
char *thousands(uint64_t n);

#endif
