/* The one writer of the tier ledger (docs/ledger.md, include/zaph_ledger.h): entries sorted by
 * file, then name, then line, every key in the documented order, so that the same ledger is
 * always the same bytes; and the file replaced atomically, never half-written. */
#ifndef ZAPH_REPORT_LEDGER_WRITE_H
#define ZAPH_REPORT_LEDGER_WRITE_H

#include "zaph_ledger.h"

#include <stddef.h>

/* The ledger as the TOML text of the schema; malloc()ed, its length in *length. NULL with *error
 * set (malloc()ed) when a text cannot be written as TOML: a name, file, source or approval
 * that is not valid UTF-8. */
char *ledger_format(const struct zaph_ledger *ledger, size_t *length, char **error);

/* Replaces the file at path with text: a temporary file in the same directory, written, synced
 * and renamed over path, then the directory synced. The file keeps the mode of the one it
 * replaces (0666 less the umask for a new one). Returns 0, or -1 with *error set to
 * "PATH: cannot write: REASON" (malloc()ed); the old file is then as it was. */
int ledger_write_file(const char *path, const char *text, size_t length, char **error);

#endif
