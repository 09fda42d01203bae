/* Writing JSON string literals: quotes, backslashes and control characters escaped, valid UTF-8
 * passed through, and every byte that is not part of a valid UTF-8 sequence replaced by
 * U+FFFD (written as \ufffd), so the output is always valid JSON text. */
#ifndef ZAPH_REPORT_JSON_STRING_H
#define ZAPH_REPORT_JSON_STRING_H

#include <stddef.h>
#include <stdio.h>

/* Returns text as json_write_string() shows it: every byte that is not part of a valid UTF-8
 * sequence replaced by U+FFFD; malloc()ed. */
char *utf8_repaired(const char *text);

/* Writes text as a quoted JSON string. */
void json_write_string(FILE *out, const char *text);

#endif
