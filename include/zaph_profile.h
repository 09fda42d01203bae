/* The zaph profile file format: the one definition shared by the runtime, which writes it, and
 * zaph-report, which reads it. docs/profile-format.md describes it in prose; any change here
 * changes ZAPH_PROFILE_VERSION and that document together. */
#ifndef ZAPH_PROFILE_H
#define ZAPH_PROFILE_H

#include <stddef.h>
#include <stdint.h>

/* First line of every profile: "zaph-profile <version>\n". Version 2 added timing (the
 * `timed` and `clock_hz` header keys and the timing lines); a writer writes version 1 when no
 * op is timed, so a profile without timing reads in every zaph-report. Readers read both. */
#define ZAPH_PROFILE_MAGIC "zaph-profile"
#define ZAPH_PROFILE_VERSION 2
#define ZAPH_PROFILE_VERSION_TIMING 2

/* Header lines follow the magic line, one "<key>\t<value>\n" each, exactly in this order; a
 * key is present from the format version `since` on. X(key, since, description) */
#define ZAPH_PROFILE_HEADER(X)                                                                 \
  X(program, 1, "absolute path of the executable that wrote the profile")                     \
  X(pid, 1, "process id, decimal")                                                             \
  X(host, 1, "host name")                                                                      \
  X(start, 1, "UTC time the counting started, YYYY-MM-DDTHH:MM:SSZ")                           \
  X(end, 1, "UTC time the profile was written, YYYY-MM-DDTHH:MM:SSZ")                          \
  X(source, 1, "data source from ZAPH_SOURCE, or unspecified")                                 \
  X(requests, 1, "requests begun in the process, decimal")                                     \
  X(ops, 1, "number of op lines that follow")                                                  \
  X(timed, 2, "number of timing lines that follow the op lines, at least 1")                  \
  X(clock_hz, 2, "ticks per second of the cycle counter durations were read with; 0: the "    \
                 "monotonic clock (clock_gettime) was read instead")

/* Then one line per op, tab-separated, fields exactly in this order. Numbers are unsigned
 * decimal; text fields are escaped with zaph_escape(). X(field, description) */
#define ZAPH_PROFILE_OP_FIELDS(X)                                                              \
  X(op, "the literal word op")                                                                 \
  X(kind, "op or request")                                                                     \
  X(tier, "declared tier 1-3, or 0 when the source declares none")                            \
  X(entries, "entries of the op")                                                              \
  X(requests_touching, "requests in which the op was entered at least once")                  \
  X(entries_outside, "entries outside any request")                                            \
  X(line, "source line of the definition")                                                     \
  X(file, "source file of the definition, as the compiler was given it")                      \
  X(name, "the op's name, demangled for C++")

/* Version 2: after the op lines, one line per timed op, tab-separated, fields exactly in this
 * order; durations in nanoseconds. X(field, description) */
#define ZAPH_PROFILE_TIMING_FIELDS(X)                                                          \
  X(timing, "the literal word timing")                                                         \
  X(op, "the op line it belongs to, by its place among the op lines, from 0; ascending")      \
  X(every, "one entry in every this many is timed: a power of two, 1 to 65536")               \
  X(target, "the op's declared target duration, 0 when it declares none")                    \
  X(started, "timed entries begun")                                                            \
  X(samples, "timed entries that returned, each a duration in the histogram; <= started")    \
  X(total, "the sum of those durations")                                                       \
  X(max, "the largest of them, 0 when there is none")                                          \
  X(buckets, "the histogram (zaph_histogram.h): bucket:count pairs, comma-separated, buckets " \
             "ascending, counts above 0 and summing to samples; empty when samples is 0")
#define ZAPH_PROFILE_TIMING_MAX_EVERY 65536u

/* Clocks disagree a little: between hosts, and when a clock is stepped while a process runs.
 * A reader accepts an end up to this many seconds after its own "now", and a start up to this
 * many seconds after the end; beyond that the times are invalid (docs/profile-format.md). */
#define ZAPH_PROFILE_CLOCK_SKEW_SECONDS 300

/* Last line: "end\t<ops>\n", repeating the op count, so a truncated file is always detected. */
#define ZAPH_PROFILE_END "end"

/* Longest line a reader must accept, newline included. Writers never produce longer lines:
 * names and file names are cut to ZAPH_PROFILE_MAX_TEXT bytes before escaping. */
#define ZAPH_PROFILE_MAX_TEXT 4096
#define ZAPH_PROFILE_MAX_LINE (4 * ZAPH_PROFILE_MAX_TEXT * 2 + 256)

/* A name or file name longer than ZAPH_PROFILE_MAX_TEXT bytes (C++ names can be) is held in a
 * profile as its first bytes, cut before a UTF-8 continuation byte, then ZAPH_PROFILE_DIGEST_MARK
 * and the 64-bit FNV-1a hash of the whole text in 16 lower-case hex digits: at most
 * ZAPH_PROFILE_MAX_TEXT bytes, and two texts that agree in their first bytes stay two. */
#define ZAPH_PROFILE_DIGEST_MARK "...#"
#define ZAPH_PROFILE_DIGEST_SIZE (sizeof ZAPH_PROFILE_DIGEST_MARK - 1 + 16)

/* Writes the text a profile holds for text (above; no terminating NUL) to out, unless out is
 * NULL, and returns its length, at most ZAPH_PROFILE_MAX_TEXT. A text it returns is its own. */
size_t zaph_identity_text(char *out, const char *text);

/* The data sources of ZAPH-DEC-04, best first; "unspecified" when ZAPH_SOURCE is unset. */
#define ZAPH_SOURCES(X)                                                                        \
  X(production)                                                                                \
  X(staging-replay)                                                                            \
  X(load-test)                                                                                 \
  X(synthetic)

enum zaph_op_kind { ZAPH_KIND_OP = 1, ZAPH_KIND_REQUEST = 2 };

/* The code below is compiled into both the runtime and zaph-report (format/): every reader and
 * writer of text profiles uses it, so they cannot disagree on what a profile is. None of it
 * allocates memory or ends the process. */

/* An op's identity (docs/profile-format.md). Op lines are written in the order of
 * zaph_identity_compare: file, line, name, kind, strings in strcmp() byte order. */
struct zaph_identity {
  const char *name;
  const char *file;
  uint64_t line;
  int kind;
};
int zaph_identity_compare(const struct zaph_identity *a, const struct zaph_identity *b);

/* Returns 1 when a and b are the same op. */
int zaph_identity_equal(const struct zaph_identity *a, const struct zaph_identity *b);

/* 64-bit FNV-1a over all four parts. */
uint64_t zaph_identity_hash(const struct zaph_identity *id);

/* Largest line number: the width of the ABI's and the continuous format's line field. */
#define ZAPH_PROFILE_MAX_LINE_NUMBER 4294967295u

/* "YYYY-MM-DDTHH:MM:SSZ" */
#define ZAPH_PROFILE_TIME_LENGTH 20

/* Parses an unsigned decimal: digits only (leading zeros allowed), no sign, no spaces, at most
 * 18446744073709551615. Returns 0 and sets *value, or returns -1 and leaves it. */
int zaph_parse_u64(const char *text, uint64_t *value);

/* Adds value to *sum; returns -1, leaving *sum, when the sum would pass 2^64-1. Every sum of
 * counts is checked, never saturated. */
int zaph_add_count(uint64_t *sum, uint64_t value);

/* Days from 1970-01-01 to year-month-day of the proleptic Gregorian calendar (month 1-12; a day
 * past the month's end counts on). The one calendar of the profile's times and the report's
 * dates. */
int64_t zaph_days_from_civil(int64_t year, int month, int day);

/* Parses a time: exactly "YYYY-MM-DDTHH:MM:SSZ", month 01-12, day 01-31, hour 00-23, minute
 * 00-59, second 00-60; a day past its month's end or second 60 counts on into the next (as
 * timegm() does). Returns 0 and sets *seconds (Unix time), or -1. */
int zaph_time_parse(const char *text, int64_t *seconds);

/* Writes Unix seconds of years 0000-9999 as a time, with its NUL. */
void zaph_time_format(int64_t seconds, char out[ZAPH_PROFILE_TIME_LENGTH + 1]);

/* How much of a text a message quotes, and the room a quote takes: escaped, cut after
 * ZAPH_QUOTE_LIMIT bytes with "...". */
#define ZAPH_QUOTE_LIMIT 64
#define ZAPH_QUOTE_SIZE (4 * ZAPH_QUOTE_LIMIT + 4)
void zaph_quote(char out[ZAPH_QUOTE_SIZE], const char *text);

/* Escapes a text field: backslash, tab, newline, carriage return and every other byte below
 * 0x20 or equal to 0x7f become \\, \t, \n, \r or \xHH; other bytes (UTF-8 or not) pass through.
 * Writes at most cap bytes including the terminating NUL and returns the length it needed
 * (like snprintf), so a caller can detect truncation. */
size_t zaph_escape(char *out, size_t cap, const char *in, size_t len);

/* Reverses zaph_escape in place. Returns the unescaped length, or -1 for a malformed escape. */
long zaph_unescape(char *text);

/* Returns the length (1-4) of the valid UTF-8 sequence at text[0..len), or 0 if it is not one
 * (overlong forms, surrogates and code points above U+10FFFF are not valid, RFC 3629). */
size_t zaph_utf8_sequence_length(const unsigned char *text, size_t len);

/* Returns the name of a kind ("op", "request"), or NULL. */
const char *zaph_kind_name(int kind);

/* Returns the kind for a name, or 0. */
int zaph_kind_from_name(const char *name);

/* Reading a text profile, one line at a time (format/profile_grammar.c). A reader reads lines
 * (each without its newline, NUL-terminated, at most ZAPH_PROFILE_MAX_LINE bytes with the
 * newline) and hands each to zaph_text_read_line(), which checks it against everything above
 * and says what it held; the reader then copies what it keeps, since text points into the line.
 * At the end of the data it calls zaph_text_read_end(). The first problem stops the reading;
 * zaph_text_problem() words it, without the file name and line a reader puts before it. */
enum zaph_text_problem {
  ZAPH_TEXT_GOOD,
  ZAPH_TEXT_EMPTY_FILE,
  ZAPH_TEXT_NOT_A_PROFILE,
  ZAPH_TEXT_NEWER_VERSION,       /* found: the version */
  ZAPH_TEXT_LINE_TOO_LONG,
  ZAPH_TEXT_NUL_BYTE,
  ZAPH_TEXT_MISSING_HEADER,      /* field: the key */
  ZAPH_TEXT_EXPECTED_HEADER,     /* field: the key; found: the line's first field */
  ZAPH_TEXT_FIELD_COUNT,         /* a: expected, b: found */
  ZAPH_TEXT_INVALID_NUMBER,      /* field */
  ZAPH_TEXT_INVALID_TIME,        /* field */
  ZAPH_TEXT_START_AFTER_END,     /* found: start, found_too: end */
  ZAPH_TEXT_INVALID_ESCAPE,      /* field */
  ZAPH_TEXT_ESCAPED_NUL,         /* field */
  ZAPH_TEXT_EXPECTED_OP,         /* found */
  ZAPH_TEXT_EARLY_END,           /* a: ops read, b: ops declared */
  ZAPH_TEXT_MISSING_END,         /* a: ops read, b: ops declared */
  ZAPH_TEXT_INVALID_KIND,        /* found */
  ZAPH_TEXT_INVALID_TIER,        /* found */
  ZAPH_TEXT_TOUCHING_ABOVE_REQUESTS, /* a: requests_touching, b: requests */
  ZAPH_TEXT_TOUCHING_ABOVE_ENTRIES,  /* a: requests_touching, b: entries */
  ZAPH_TEXT_OUTSIDE_ABOVE_ENTRIES,   /* a: entries_outside, b: entries */
  ZAPH_TEXT_EXPECTED_END,        /* found */
  ZAPH_TEXT_END_MISMATCH,        /* a: the end line's count, b: the header's */
  ZAPH_TEXT_DATA_AFTER_END,
  ZAPH_TEXT_DUPLICATE_OP,        /* found: name, found_too: file, a: line */
  ZAPH_TEXT_NO_TIMED_OPS,        /* a version-2 header with timed 0 */
  ZAPH_TEXT_EXPECTED_TIMING,     /* found */
  ZAPH_TEXT_MISSING_TIMING,      /* a: timing lines read, b: declared */
  ZAPH_TEXT_TIMING_OP_RANGE,     /* a: the op index, b: the op lines */
  ZAPH_TEXT_TIMING_OP_ORDER,     /* a: the op index, b: the previous line's */
  ZAPH_TEXT_INVALID_EVERY,       /* found */
  ZAPH_TEXT_SAMPLES_ABOVE_STARTED, /* a: samples, b: started */
  ZAPH_TEXT_INVALID_BUCKETS,     /* found: the first bad pair */
  ZAPH_TEXT_BUCKETS_SUM,         /* a: the counts' sum, b: samples */
  ZAPH_TEXT_MAX_OUTSIDE_BUCKET,  /* a: max, b: the last bucket */
  ZAPH_TEXT_TOTAL_OUTSIDE_BUCKETS, /* a: total */
  ZAPH_TEXT_VALUES_WITHOUT_SAMPLES,
};

/* One op line's values; name and file point into the line. */
struct zaph_op_line {
  struct zaph_identity id;
  unsigned tier;
  uint64_t entries;
  uint64_t requests_touching;
  uint64_t entries_outside;
};

/* One timing line's values; buckets points into the line, already checked: read it with
 * zaph_timing_counts(). */
struct zaph_timing_line {
  uint64_t op;
  uint64_t every;
  uint64_t target;
  uint64_t started;
  uint64_t samples;
  uint64_t total;
  uint64_t max;
  const char *buckets;
};

/* Writes a checked timing line's histogram into counts, ZAPH_HIST_BUCKETS of them (every
 * reader of timing lines keeps it so). */
void zaph_timing_counts(const struct zaph_timing_line *t, uint64_t *counts);

#define ZAPH_HEADER_INDEX(key, since, description) ZAPH_HEADER_##key,
enum zaph_header_key { ZAPH_PROFILE_HEADER(ZAPH_HEADER_INDEX) ZAPH_HEADER_COUNT };
#undef ZAPH_HEADER_INDEX

/* What a line held. */
enum zaph_text_line {
  ZAPH_LINE_BAD = -1, /* the reader's problem says why */
  ZAPH_LINE_CUT,      /* a last line without its newline: where the file was cut, the end of the
                       * data (a first line is read even so, to say what the file is) */
  ZAPH_LINE_MAGIC,
  ZAPH_LINE_HEADER,   /* key says which; text the unescaped value of a text field */
  ZAPH_LINE_OP,       /* op holds it */
  ZAPH_LINE_TIMING,   /* timing holds it */
  ZAPH_LINE_END,
};

struct zaph_text_reader {
  const char *reader_name;   /* who reads ("zaph-report"), for the newer-version message */
  unsigned long line_number; /* of the line last read, from 1 */
  int stage;                 /* 0 the magic, then each header key, then op lines, the end */
  uint64_t ops_read, timings_read;
  /* The header's values, as read so far. */
  uint64_t version, pid, requests, ops, timed, clock_hz;
  int64_t start, end;
  char start_text[ZAPH_PROFILE_TIME_LENGTH + 1], end_text[ZAPH_PROFILE_TIME_LENGTH + 1];
  /* What the line last read held. */
  enum zaph_header_key key;
  const char *text;
  struct zaph_op_line op;
  struct zaph_timing_line timing;
  /* The first problem; problem_line is 0 when it concerns no one line. */
  enum zaph_text_problem problem;
  unsigned long problem_line;
  const char *field;
  char found[ZAPH_QUOTE_SIZE], found_too[ZAPH_QUOTE_SIZE];
  uint64_t a, b;
};

void zaph_text_read_begin(struct zaph_text_reader *r, const char *reader_name);
/* Reads one line of len bytes (without its newline; complete when it had one) at line, which
 * has room for a NUL after them and is changed in place (split at tabs, unescaped). A reader
 * that found no newline within ZAPH_PROFILE_MAX_LINE bytes passes that many, not complete. */
enum zaph_text_line zaph_text_read_line(struct zaph_text_reader *r, char *line, size_t len,
                                        int complete);
/* At the end of the data: returns 0 when the profile was complete, else -1 (a problem). */
int zaph_text_read_end(struct zaph_text_reader *r);
/* Records a duplicate op, found on line; returns -1. */
int zaph_text_fail_duplicate(struct zaph_text_reader *r, const struct zaph_identity *id,
                             unsigned long line);
/* Words the problem, like snprintf; returns the length it needed. */
size_t zaph_text_problem(char *out, size_t cap, const struct zaph_text_reader *r);

/* Writing a text profile (format/profile_emit.c): bytes go to emit(context, bytes, len), in
 * pieces. Text fields are written whole; the runtime hands names already in identity form
 * (zaph_identity_text) and cuts header texts. */
typedef void zaph_emit_fn(void *context, const char *bytes, size_t len);
struct zaph_header_values {
  const char *program;
  uint64_t pid;
  const char *host;
  const char *start, *end; /* times, as zaph_time_format() writes them */
  const char *source;
  uint64_t requests;
  uint64_t ops;
  uint64_t timed;    /* 0: a version-1 profile, without the keys below or timing lines */
  uint64_t clock_hz;
};
void zaph_emit_header(zaph_emit_fn *emit, void *context, const struct zaph_header_values *h);
void zaph_emit_op(zaph_emit_fn *emit, void *context, const struct zaph_op_line *op);
/* A timing line (t->buckets is not read): counts holds the histogram, ZAPH_HIST_BUCKETS
 * counts. */
void zaph_emit_timing(zaph_emit_fn *emit, void *context, const struct zaph_timing_line *t,
                      const uint64_t *counts);
void zaph_emit_end(zaph_emit_fn *emit, void *context, uint64_t ops);

#endif
