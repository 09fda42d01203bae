/* Reading continuous profiles (include/zaph_continuous.h) into the struct profile that text
 * profiles give. Messages have the same form as the text parser's, with "op record at byte N"
 * where the text parser names a line; docs/report.md lists them. */
#ifndef ZAPH_REPORT_PROFILE_CONTINUOUS_H
#define ZAPH_REPORT_PROFILE_CONTINUOUS_H

#include "profile_read.h"

#include <stddef.h>
#include <stdint.h>

/* Returns 1 when data starts with the continuous magic. */
int profile_is_continuous(const void *data, size_t size);

/* Parses size bytes of a continuous profile. modified is the file's modification time in Unix
 * seconds (0 when unknown): the end of a profile whose program has not written one yet.
 * Returns 0, or -1 with *error set as profile_parse() does. */
int profile_parse_continuous(struct profile *profile, const void *data, size_t size,
                             int64_t modified, const char *display_name, char **error);

/* Reads the continuous profile open at fd (a regular file of size bytes), safely while a
 * program is still counting into it, and parses it. Only the header and the records it counts
 * are read; a file that becomes shorter while it is read is an error naming it. */
int profile_load_continuous(struct profile *profile, int fd, size_t size, int64_t modified,
                            const char *display_name, char **error);

#endif
