/* Finding an op identity that a profile lists twice, which the format forbids; the parser turns
 * the answer into its "duplicate op" message. */
#ifndef ZAPH_REPORT_PROFILE_DUPLICATES_H
#define ZAPH_REPORT_PROFILE_DUPLICATES_H

#include "profile_read.h"

/* Returns the op on the earliest line that repeats an identity listed before it, or NULL. */
const struct profile_op *profile_find_duplicate(const struct profile *profile);

#endif
