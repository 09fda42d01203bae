/* Writing one profile as a text profile (include/zaph_profile.h), as the runtime would have
 * written it: what `zaph-report convert` prints, so a continuous profile can be kept, merged or
 * read by anything that takes text profiles. */
#ifndef ZAPH_REPORT_PROFILE_WRITE_H
#define ZAPH_REPORT_PROFILE_WRITE_H

#include "profile_read.h"

#include <stdio.h>

/* Writes the profile with its ops in identity order; sorts profile->ops in place. */
void profile_write_text(FILE *out, struct profile *profile);

#endif
