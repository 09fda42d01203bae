/* The identity of an op, (name, file, line, kind) as docs/profile-format.md defines it: the one
 * ordering (that of the writer: file, line, name, kind) and the one hash every module uses. */
#ifndef ZAPH_REPORT_OP_IDENTITY_H
#define ZAPH_REPORT_OP_IDENTITY_H

#include <stdint.h>

struct op_identity {
  const char *name;
  const char *file;
  uint64_t line;
  int kind; /* enum zaph_op_kind */
};

/* Orders by file, line, name, kind, with strcmp() byte order for the strings. */
int op_identity_compare(const struct op_identity *a, const struct op_identity *b);

/* Returns 1 when a and b are the same op. */
int op_identity_equal(const struct op_identity *a, const struct op_identity *b);

/* 64-bit FNV-1a over all four parts. */
uint64_t op_identity_hash(const struct op_identity *id);

#endif
