/* The keys of the JSON "operations" object: an op's plain name when no other op has it, else
 * "name (file:line)", and " [op]" or " [request]" added when that still collides. Keys are
 * always unique (docs/report.md gives the last-resort rule). */
#ifndef ZAPH_REPORT_OP_KEYS_H
#define ZAPH_REPORT_OP_KEYS_H

#include "classify.h"

/* Returns one malloc()ed key per classified op, in the same order. */
char **op_keys_make(const struct classification *classification);

void op_keys_free(char **keys, size_t count);

#endif
