/* The text profile writer of zaph-report convert: the magic line, the header keys and the op
 * fields in the order include/zaph_profile.h lists them, text fields escaped. */
#include "profile_write.h"

#include "op_identity.h"
#include "text_table.h"
#include "zaph_profile.h"

#include <stdlib.h>

/* Text is written whole (never cut, unlike the runtime's writer): convert changes no value. */
static void write_text(FILE *out, const char *text) {
  char *escaped = text_escaped(text);
  fputs(escaped, out);
  free(escaped);
}

static int compare_ops(const void *a, const void *b) {
  return op_identity_compare(&((const struct profile_op *)a)->id,
                             &((const struct profile_op *)b)->id);
}

void profile_write_text(FILE *out, struct profile *profile) {
  if (profile->op_count) /* ops is NULL when there are none */
    qsort(profile->ops, profile->op_count, sizeof *profile->ops, compare_ops);
  fprintf(out, "%s %d\n", ZAPH_PROFILE_MAGIC, ZAPH_PROFILE_VERSION);
  fputs("program\t", out);
  write_text(out, profile->program);
  fprintf(out, "\npid\t%llu\nhost\t", (unsigned long long)profile->pid);
  write_text(out, profile->host);
  fprintf(out, "\nstart\t%s\nend\t%s\nsource\t", profile->start, profile->end);
  write_text(out, profile->source);
  fprintf(out, "\nrequests\t%llu\nops\t%zu\n", (unsigned long long)profile->requests,
          profile->op_count);
  for (size_t i = 0; i < profile->op_count; i++) {
    const struct profile_op *op = &profile->ops[i];
    fprintf(out, "op\t%s\t%u\t%llu\t%llu\t%llu\t%llu\t", zaph_kind_name(op->id.kind),
            op->declared_tier, (unsigned long long)op->entries,
            (unsigned long long)op->requests_touching, (unsigned long long)op->entries_outside,
            (unsigned long long)op->id.line);
    write_text(out, op->id.file);
    fputc('\t', out);
    write_text(out, op->id.name);
    fputc('\n', out);
  }
  fprintf(out, "%s\t%zu\n", ZAPH_PROFILE_END, profile->op_count);
}
