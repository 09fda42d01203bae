/* The keys of the JSON "operations" object: an op's plain name when no other op has it, else
 * "name (file)" with as much of the end of its file as tells it from the other ops of that name
 * ("helper (a.c)", "helper (x/util.c)"), "name (file:line)" when ops share name and file, and
 * " [op]" or " [request]" added when that still collides. So a key changes only when an op of
 * the same name comes or goes, and with the line only when name and file are shared. Keys are
 * always unique, also as JSON shows them with U+FFFD for invalid UTF-8 (docs/report.md gives
 * the last-resort rule). */
#ifndef ZAPH_REPORT_OP_KEYS_H
#define ZAPH_REPORT_OP_KEYS_H

#include "classify.h"

enum op_key_style {
  OP_KEY_JSON,    /* "name", "name (file)", "name (file:line)", "... [kind]", "... #2" */
  OP_KEY_C_MACRO, /* "ZAPH_TIER_name", "..._file", "..._file_line", "..._kind", "..._2", every
                     byte that is not a letter, digit or underscore made "_" */
};

/* Returns one malloc()ed key per classified op, in the same order. */
char **op_keys_make(const struct classification *classification);

/* The same, in either style; keys are unique within the style. */
char **op_keys_make_styled(const struct classification *classification, enum op_key_style style);

void op_keys_free(char **keys, size_t count);

#endif
