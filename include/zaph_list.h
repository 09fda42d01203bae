/* The list file: which functions are ops without editing their source (README, "Choosing ops
 * without editing the source"). One matcher (list/list.c), compiled into both compiler plugins:
 * pass/Frontend.cpp for clang, gcc/module.cc for GCC. Written to compile as C and as C++.
 *
 * One rule a line; '#' starts a comment; blank lines are skipped:
 *   fun:GLOB       every function whose name (C++: demangled) matches GLOB (fnmatch(3))
 *   src:GLOB       every function defined in a file whose presumed name matches GLOB
 *   request:GLOB   a function, by name, that is a request boundary
 *   !fun:GLOB ...  an exclusion: a function it matches is not an op, whatever else matches
 *   fun:GLOB tier=N   a declared tier, 1 to 3 (not on an exclusion)
 *   fun:GLOB timed    timed one entry in 64; timed=N, one in N (docs/latency.md); options
 *                     combine, separated by spaces: fun:lookup tier=1 timed=16
 * A listed function is exactly like an annotated one (zaph_op, zaph_request, zaph_op:tier=N). */
#ifndef ZAPH_LIST_H
#define ZAPH_LIST_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where the list comes from: this environment variable, or the plugins' argument "list". */
#define ZAPH_LIST_ENV "ZAPH_LIST"
/* Set to 1, the plugins report every line that matched no function of the translation unit. */
#define ZAPH_LIST_VERBOSE_ENV "ZAPH_LIST_VERBOSE"

struct zaph_list;

/* Reads the list in Text; Name is the list file's name, for messages. On a malformed line,
 * returns NULL and writes "NAME:LINE: what is wrong" into Error (ErrorSize bytes). */
struct zaph_list *zaph_list_parse(const char *Name, const char *Text, char *Error,
                                  size_t ErrorSize);
/* The same for the file at Path ("PATH: cannot read: REASON" when it cannot be read). */
struct zaph_list *zaph_list_read(const char *Path, char *Error, size_t ErrorSize);
void zaph_list_free(struct zaph_list *List);

/* Whether the function named Name, defined in File, is listed: 1 with *Kind (ZAPH_KIND_OP or
 * ZAPH_KIND_REQUEST of zaph_profile.h) and *Tier (0 for none) set, else 0. */
int zaph_list_match(struct zaph_list *List, const char *Name, const char *File, unsigned *Kind,
                    unsigned *Tier);
/* The same, with *Timed: 0, or 1 + log2 of the sampling the first matching line with a timed
 * option gives (zaph_abi.h). */
int zaph_list_match_timed(struct zaph_list *List, const char *Name, const char *File,
                          unsigned *Kind, unsigned *Tier, unsigned *Timed);

/* Calls Report with "NAME:LINE: 'RULE' matched no function" for each line that matched nothing
 * since the list was read, in the order of the file. */
void zaph_list_unmatched(const struct zaph_list *List, void (*Report)(const char *, void *),
                         void *Context);

/* Whether ZAPH_LIST_VERBOSE asks for unmatched lines. */
int zaph_list_verbose(void);

#ifdef __cplusplus
}
#endif

#endif
