/* Merging profiles: the same op in several profiles (op_match.h: kind and name equal, files that
 * match by their trailing components, the line only telling apart ops that share those) is
 * summed and shown with the file and line of the latest profile; requests are summed, the time
 * range widens, and the programs and sources seen are collected. A sum that would overflow 64
 * bits is an error, never a saturated value. */
#ifndef ZAPH_REPORT_MERGE_H
#define ZAPH_REPORT_MERGE_H

#include "zaph_profile.h"
#include "profile_read.h"
#include "string_pool.h"

#include <stddef.h>
#include <stdint.h>

struct merged_op {
  struct zaph_identity id;
  uint64_t entries;
  uint64_t requests_touching;
  uint64_t entries_outside;
  /* The tier declared by the profile with the latest end time that declares one (the later on
   * the command line on a tie); 0 when none does. */
  unsigned declared_tier;
  uint64_t declared_tier_time; /* that profile's end time as YYYYMMDDHHMMSS */
  struct op_timing *timing; /* the sum of its profiles' timing lines; NULL when none has one;
                             * its target, like the declared tier, from the latest profile that
                             * declares one */
  uint64_t target_time;
  uint64_t identity_time; /* end time of the profile whose file and line id holds */
  const char *file_name;  /* op_match_file_name() of id.file, the same for its whole group */
  uint64_t hash;          /* op_match_group_hash() */
  size_t group_next;      /* the next op of its group (op_match.h), index + 1; 0 ends it */
};

/* What the report shows of each input profile: where it came from and when. */
struct merged_input {
  const char *display_name; /* the PROFILE argument as messages show it */
  const char *program;
  const char *source;
  char start[ZAPH_PROFILE_TIME_LENGTH + 1];
  char end[ZAPH_PROFILE_TIME_LENGTH + 1];
  uint64_t requests;
};

struct merged_profiles {
  size_t profile_count;
  struct merged_input *inputs; /* one per profile, in the order they were added */
  uint64_t total_requests;
  /* Sum of entries over all ops; only the no-requests rule needs it, so an overflow is
   * remembered (with the file that caused it) rather than reported at once. */
  uint64_t total_entries;
  char *total_entries_overflow_file;
  char start[ZAPH_PROFILE_TIME_LENGTH + 1]; /* earliest start */
  char end[ZAPH_PROFILE_TIME_LENGTH + 1];   /* latest end */
  const char **programs;               /* distinct, sorted after merge_finish() */
  size_t program_count;
  const char **sources; /* distinct, sorted after merge_finish() */
  size_t source_count;
  struct merged_op *ops; /* in order of first appearance */
  size_t op_count;
  size_t op_capacity;
  size_t *slots; /* open-addressing hash table of the first op of each group, index + 1; 0 is
                  * empty */
  size_t slot_count;
  size_t group_count;
  /* Ops of a profile kept apart because they match several merged ops equally well: one
   * message each ("<file>: op 'f' (a.c:3) matches ..."), for the caller to print as warnings. */
  char **warnings;
  size_t warning_count;
  struct string_pool text;
};

void merge_init(struct merged_profiles *merged);

/* Adds one profile. Returns 0, or -1 with *error set to a malloc()ed message
 * ("counts overflow 64 bits when merging <file>"); after an error the merged set is only fit
 * for merge_free(). */
int merge_add(struct merged_profiles *merged, const struct profile *profile, char **error);

/* Sorts the program and source lists; call once after the last merge_add(). */
void merge_finish(struct merged_profiles *merged);

void merge_free(struct merged_profiles *merged);

#endif
