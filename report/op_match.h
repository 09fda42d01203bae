/* Which op of one set is the same op as one of another (docs/ledger.md, "Op identity"): the
 * same kind and name, files that match by their trailing path components (include/zaph_paths.h),
 * the line only to tell apart ops that share kind, name and file. Merging (merge.c) and diff
 * (diff.c) pair ops by this one rule. */
#ifndef ZAPH_REPORT_OP_MATCH_H
#define ZAPH_REPORT_OP_MATCH_H

#include "string_pool.h"
#include "zaph_profile.h"

#include <stddef.h>
#include <stdint.h>

/* No match: the op is new (or, seen from the other side, vanished). */
#define OP_MATCH_NONE ((size_t)-1)

/* Ops can be the same op only within one group: equal kind and name, and equal file names (the
 * last path component). The group's hash, and whether two ops are in one group. */
uint64_t op_match_group_hash(const struct zaph_identity *id);
/* The same, with op_match_file_name() of id->file already made. */
uint64_t op_match_group_hash_of(const struct zaph_identity *id, const char *file_name);
int op_match_same_group(const struct zaph_identity *a, const struct zaph_identity *b);

/* The group's order for sorting: kind, name, then file name, strcmp() byte order. file_name is
 * op_match_file_name() of each op's file. */
int op_match_group_compare(const struct zaph_identity *a, const char *a_file_name,
                           const struct zaph_identity *b, const char *b_file_name);

/* The file name (last normalised component) of file, malloc()ed; or copied into pool. */
char *op_match_file_name(const char *file);
const char *op_match_file_name_in(struct string_pool *pool, const char *file);

/* Pairs the ops of one group: old[0, old_count) (distinct identities) with new_[0, new_count)
 * (distinct identities). Sets match[j] to the index in old of new_[j]'s op, or OP_MATCH_NONE;
 * no old op is matched twice. Where new_[j] matches several old ops equally well and the line
 * does not decide, it stays unmatched and ambiguous[j] is set to 1 (else 0).
 *
 * The rule: each op's best candidates on the other side are those whose files share the most
 * trailing components with its own. When the ops of one file (as a string) and the ops of
 * one file on the other side are each other's only best candidates, they pair in line order when
 * both have as many ops, else each op with the op of the nearest line, when that is mutual and
 * unique. When the best candidates lie in several files, an op pairs with a candidate of the same
 * line (of the same file string, if several) when that is unique both ways; otherwise it is
 * ambiguous. An op whose best candidates all match others better stays unmatched. */
void op_match_pair(const struct zaph_identity *const *old, size_t old_count,
                   const struct zaph_identity *const *new_, size_t new_count, size_t *match,
                   size_t *ambiguous);

#endif
