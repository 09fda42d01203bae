/* The data sources of ZAPH-DEC-04 in its order of preference (production, staging-replay,
 * load-test, then synthetic and unspecified, which it does not accept for tier assignment; the
 * list and the line between them are in policy.h), and the effective source of a merge: the
 * worst one it contains. */
#ifndef ZAPH_REPORT_DATA_SOURCE_H
#define ZAPH_REPORT_DATA_SOURCE_H

#include <stddef.h>

/* 1 production, 2 staging-replay, 3 load-test, 4 synthetic, 5 unspecified or anything else. */
int source_rank(const char *source);

/* 1 for production, staging-replay and load-test. */
int source_is_acceptable(const char *source);

/* The decision record's wording: "Production metrics", "Staging with production replay",
 * "Load testing with representative scenarios", "Synthetic benchmarks", or "Unspecified" (also
 * for a source zaph does not know). */
const char *source_description(const char *source);

/* The acceptable sources as messages list them: "production, staging-replay and load-test". */
const char *sources_accepted(void);

/* The source of the highest rank; among equal ranks the first in the list. count > 0. */
const char *source_worst(const char *const *sources, size_t count);

#endif
