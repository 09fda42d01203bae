/* An op's source file across builds: the same file compiled from another directory or another
 * checkout is named differently ("src/kv.c", "../src/kv.c", "/home/ci/x/src/kv.c"), so files are
 * compared by their trailing path components after lexical normalisation, never as strings
 * (docs/ledger.md, "Op identity"). One definition (ledger/paths.c), compiled into zaph-report and
 * both compiler plugins. Written to compile as C and as C++. */
#ifndef ZAPH_PATHS_H
#define ZAPH_PATHS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How many trailing components a and b share after normalisation: empty and "." components
 * dropped, "x/.." pairs folded, a leading "/" and leading ".." components ignored. 0 when the
 * last components (the file names) differ or either path has none. Case-sensitive. */
unsigned zaph_path_common_suffix(const char *a, const char *b);

/* The last component of path (after any '/'), as a pointer into path; the whole path when it
 * has no '/'. "" when path ends in '/'. */
const char *zaph_path_base(const char *path);

/* Writes the last `components` components of path, after the normalisation above, joined by
 * '/' (all of them when it has fewer), to out (at most cap bytes with the NUL, like snprintf)
 * and returns the length it needed. zaph_path_tail(p, 1, ...) is the file name, as
 * zaph_path_common_suffix compares it. */
size_t zaph_path_tail(const char *path, unsigned components, char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
