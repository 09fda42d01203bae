/* The zaph profile file format: the one definition shared by the runtime, which writes it, and
 * zaph-report, which reads it. docs/profile-format.md describes it in prose; any change here
 * changes ZAPH_PROFILE_VERSION and that document together. */
#ifndef ZAPH_PROFILE_H
#define ZAPH_PROFILE_H

#include <stddef.h>
#include <stdint.h>

/* First line of every profile: "zaph-profile <version>\n". */
#define ZAPH_PROFILE_MAGIC "zaph-profile"
#define ZAPH_PROFILE_VERSION 1

/* Header lines follow the magic line, one "<key>\t<value>\n" each, exactly in this order.
 * X(key, description) */
#define ZAPH_PROFILE_HEADER(X)                                                                 \
  X(program, "absolute path of the executable that wrote the profile")                        \
  X(pid, "process id, decimal")                                                                \
  X(host, "host name")                                                                         \
  X(start, "UTC time the counting started, YYYY-MM-DDTHH:MM:SSZ")                              \
  X(end, "UTC time the profile was written, YYYY-MM-DDTHH:MM:SSZ")                             \
  X(source, "data source from ZAPH_SOURCE, or unspecified")                                    \
  X(requests, "requests begun in the process, decimal")                                        \
  X(ops, "number of op lines that follow")

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

/* An op's identity (docs/profile-format.md). Op lines are written in the order of
 * zaph_identity_compare: file, line, name, kind, strings in strcmp() byte order. */
struct zaph_identity {
  const char *name;
  const char *file;
  uint64_t line;
  int kind;
};
int zaph_identity_compare(const struct zaph_identity *a, const struct zaph_identity *b);

/* Escapes a text field: backslash, tab, newline, carriage return and every other byte below
 * 0x20 or equal to 0x7f become \\, \t, \n, \r or \xHH; other bytes (UTF-8 or not) pass through.
 * Writes at most cap bytes including the terminating NUL and returns the length it needed
 * (like snprintf), so a caller can detect truncation. */
size_t zaph_escape(char *out, size_t cap, const char *in, size_t len);

/* Reverses zaph_escape in place. Returns the unescaped length, or -1 for a malformed escape. */
long zaph_unescape(char *text);

/* Returns the name of a kind ("op", "request"), or NULL. */
const char *zaph_kind_name(int kind);

/* Returns the kind for a name, or 0. */
int zaph_kind_from_name(const char *name);

#endif
