/* The continuous profile format: the one definition shared by the runtime, which counts into
 * such a file through a shared memory mapping (ZAPH_CONTINUOUS=1 or %c in ZAPH_PROFILE_FILE),
 * and zaph-report, which reads it. docs/profile-format.md describes it in prose; any change here
 * changes ZAPH_CONTINUOUS_VERSION and that document together.
 *
 * A continuous profile is a binary file, little-endian, with every field naturally aligned:
 * a header of ZAPH_CONTINUOUS_HEADER_SIZE bytes, then op records back to back, each starting on
 * a ZAPH_CONTINUOUS_RECORD_ALIGN boundary (its own cache line: threads that count different ops
 * never share one). Counters are only ever increased with atomic adds, so what is in the file is
 * always a consistent prefix of the counting: a process killed at any instruction leaves every
 * entry it counted in the file. Records are appended (under an fcntl lock on the file, by
 * whichever process registers a new op) and published by advancing `used` last; bytes after
 * `used` are not part of the profile. */
#ifndef ZAPH_CONTINUOUS_H
#define ZAPH_CONTINUOUS_H

#include <stddef.h>
#include <stdint.h>

/* The first 16 bytes of the file; no text profile can start with them. */
#define ZAPH_CONTINUOUS_MAGIC "zaph-continuous\n"
#define ZAPH_CONTINUOUS_MAGIC_SIZE 16
#define ZAPH_CONTINUOUS_VERSION 1
#define ZAPH_CONTINUOUS_HEADER_SIZE 4096
#define ZAPH_CONTINUOUS_RECORD_ALIGN 64

/* Longest program, host and source texts in the header (writers cut longer ones), and longest
 * name and file of a record (as in text profiles, ZAPH_PROFILE_MAX_TEXT). */
#define ZAPH_CONTINUOUS_MAX_PROGRAM 2048
#define ZAPH_CONTINUOUS_MAX_HOST 256
#define ZAPH_CONTINUOUS_MAX_SOURCE 1024

struct zaph_continuous_header {
  char magic[ZAPH_CONTINUOUS_MAGIC_SIZE];
  uint32_t version;
  uint32_t header_size; /* ZAPH_CONTINUOUS_HEADER_SIZE */
  uint64_t used;        /* bytes of op records after the header; advanced after each append */
  uint64_t requests;    /* requests begun, by every process counting into the file */
  int64_t start;        /* when counting started (creation or zaph_reset()), Unix seconds */
  int64_t end;          /* latest zaph_dump() or exit of a process counting here; 0 = none yet */
  uint32_t pid;         /* the process that created the file */
  uint32_t program_len; /* bytes of text[], in this order: program, host, source */
  uint32_t host_len;
  uint32_t source_len;
  char text[]; /* no NUL bytes, no terminators */
};
#define ZAPH_CONTINUOUS_TEXT_OFFSET 72

/* One op. Its counters are a profile's (include/zaph_profile.h), with entries split in two:
 * entries = entries_inside + entries_outside. An entry is one atomic add, to entries_inside or
 * to entries_outside, and an op's first entry in a request adds to requests_touching after
 * that. A reader that loads requests_touching, then entries_inside, then entries_outside (and
 * the header's requests after every record) sees no more requests touching than entries or
 * requests, even while a program is counting, because the runtime adds requests_touching with
 * release ordering after the entries_inside add and the request's requests add. */
struct zaph_continuous_record {
  uint64_t requests_touching; /* requests in which the op was entered */
  uint64_t entries_inside;    /* entries inside a request */
  uint64_t entries_outside;   /* entries outside any request */
  uint32_t size;    /* bytes of the record, padding included: a multiple of the alignment */
  uint32_t line;
  uint32_t kind; /* enum zaph_op_kind */
  uint32_t tier; /* declared tier 1-3, 0 = none */
  uint32_t name_len;
  uint32_t file_len;
  char text[]; /* name, then file; no NUL bytes, no terminators */
};
#define ZAPH_CONTINUOUS_RECORD_TEXT_OFFSET 48

/* The record's counters as the runtime adds to them: words from the record's start. */
enum zaph_continuous_counter {
  ZAPH_CONTINUOUS_REQUESTS_TOUCHING,
  ZAPH_CONTINUOUS_ENTRIES_INSIDE,
  ZAPH_CONTINUOUS_ENTRIES_OUTSIDE,
  ZAPH_CONTINUOUS_COUNTERS
};

/* Bytes of a record with the given text lengths. */
#define ZAPH_CONTINUOUS_RECORD_SIZE(name_len, file_len)                                        \
  (((uint64_t)ZAPH_CONTINUOUS_RECORD_TEXT_OFFSET + (name_len) + (file_len) +                   \
    ZAPH_CONTINUOUS_RECORD_ALIGN - 1) /                                                        \
   ZAPH_CONTINUOUS_RECORD_ALIGN * ZAPH_CONTINUOUS_RECORD_ALIGN)

/* The layout above, checked wherever it is used: the runtime and zaph-report read and write it
 * at these offsets. */
_Static_assert(offsetof(struct zaph_continuous_header, text) == ZAPH_CONTINUOUS_TEXT_OFFSET,
               "continuous header layout");
_Static_assert(offsetof(struct zaph_continuous_record, text) ==
                   ZAPH_CONTINUOUS_RECORD_TEXT_OFFSET,
               "continuous record layout");
_Static_assert(offsetof(struct zaph_continuous_record, requests_touching) ==
                       8 * ZAPH_CONTINUOUS_REQUESTS_TOUCHING &&
                   offsetof(struct zaph_continuous_record, entries_inside) ==
                       8 * ZAPH_CONTINUOUS_ENTRIES_INSIDE &&
                   offsetof(struct zaph_continuous_record, entries_outside) ==
                       8 * ZAPH_CONTINUOUS_ENTRIES_OUTSIDE,
               "the counters are the record's first words, in this order");
_Static_assert(ZAPH_CONTINUOUS_TEXT_OFFSET + ZAPH_CONTINUOUS_MAX_PROGRAM +
                       ZAPH_CONTINUOUS_MAX_HOST + ZAPH_CONTINUOUS_MAX_SOURCE <=
                   ZAPH_CONTINUOUS_HEADER_SIZE,
               "continuous header text fits");

#endif
