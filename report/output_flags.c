/* The words the text outputs use for an op's own flags and for the op itself, written once so
 * that the report table, check, diff and doc say the same thing. */
#include "output.h"

#include "text_table.h"
#include "xalloc.h"
#include "zaph_profile.h"

#include <stdlib.h>
#include <string.h>

static void append(char **text, const char *part) {
  char *joined = xformat("%s%s%s", *text, **text ? ", " : "", part);
  free(*text);
  *text = joined;
}

char *op_flags_text(const struct op_assessment *a, unsigned declared_tier) {
  char *text = xstrdup("");
  if (a->flags & FLAG_NO_DATA)
    append(&text, "no-data");
  if (a->flags & FLAG_NOT_CONFIDENT) {
    char *part;
    if (!a->has_interval)
      part = xstrdup("not-confident");
    else if (a->requests_needed == UINT64_MAX)
      part = xstrdup("not-confident (never at this frequency)");
    else
      part = xformat("not-confident (needs %llu)", (unsigned long long)a->requests_needed);
    append(&text, part);
    free(part);
  }
  if (a->flags & FLAG_MISCLASSIFIED) {
    char *part = xformat("misclassified (declared %u)", declared_tier);
    append(&text, part);
    free(part);
  }
  return text;
}

char *op_label(const struct merged_op *op) {
  char *name = text_escaped(op->id.name), *file = text_escaped(op->id.file);
  const char *kind = op->id.kind == ZAPH_KIND_REQUEST ? " [request]" : "";
  char *label = xformat("%s%s (%s:%llu)", name, kind, file, (unsigned long long)op->id.line);
  free(name);
  free(file);
  return label;
}
