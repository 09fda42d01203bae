/* Parsing one profile file (include/zaph_profile.h, docs/profile-format.md) into a struct with
 * every header field and op record, checking everything the format promises. Errors are one
 * message naming the file and, where one applies, the line; docs/report.md lists them all. */
#ifndef ZAPH_REPORT_PROFILE_READ_H
#define ZAPH_REPORT_PROFILE_READ_H

#include "latency.h"
#include "string_pool.h"
#include "zaph_profile.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The name used in messages for the PROFILE argument "-". */
#define PROFILE_STDIN_NAME "<stdin>"

struct profile_op {
  struct zaph_identity id;
  unsigned declared_tier; /* 0 when the source declares none */
  uint64_t entries;
  uint64_t requests_touching;
  uint64_t entries_outside;
  unsigned long text_line; /* line of the profile this op was read from; for a continuous
                            * profile, the byte offset of its (first) record */
  struct op_timing *timing; /* its timing line, or NULL when the op is not timed */
};

struct profile {
  const char *display_name; /* the file name as messages show it */
  uint64_t version;
  const char *program;
  uint64_t pid;
  const char *host;
  char start[ZAPH_PROFILE_TIME_LENGTH + 1];
  char end[ZAPH_PROFILE_TIME_LENGTH + 1];
  const char *source;
  uint64_t requests;
  uint64_t declared_ops;
  uint64_t clock_hz; /* version 2: the tick rate durations were read at, 0 the monotonic clock */
  struct profile_op *ops;
  size_t op_count;
  size_t op_capacity;
  struct string_pool text; /* holds every string above */
};

/* Parses a whole stream; display_name is used in messages. Returns 0, or -1 with *error set
 * to a malloc()ed message ("<name>:<line>: <what>", without the "zaph-report: error: "
 * prefix). The profile must be released with profile_free() either way. */
int profile_parse(struct profile *profile, FILE *stream, const char *display_name, char **error);

/* Opens path ("-" is standard input, named PROFILE_STDIN_NAME) and parses it. */
int profile_load(struct profile *profile, const char *path, char **error);

void profile_free(struct profile *profile);

/* Returns the op on the earliest line that repeats an identity listed before it (the format
 * forbids it; the parser turns the answer into its "duplicate op" message), or NULL. */
const struct profile_op *profile_find_duplicate(const struct profile *profile);

#endif
