/* The text profile writer of zaph-report convert, through the writer the runtime uses too
 * (format/profile_emit.c). */
#include "profile_write.h"

#include "zaph_profile.h"

#include <stdlib.h>

/* The writer's zaph_emit_fn: to the stream. */
static void to_stream(void *context, const char *bytes, size_t len) {
  fwrite(bytes, 1, len, context);
}

static int compare_ops(const void *a, const void *b) {
  return zaph_identity_compare(&((const struct profile_op *)a)->id,
                               &((const struct profile_op *)b)->id);
}

/* Text is written whole (the runtime hands names in identity form and cuts its header texts):
 * convert changes no value. */
void profile_write_text(FILE *out, struct profile *profile) {
  if (profile->op_count) /* ops is NULL when there are none */
    qsort(profile->ops, profile->op_count, sizeof *profile->ops, compare_ops);
  uint64_t timed = 0;
  for (size_t i = 0; i < profile->op_count; i++)
    timed += profile->ops[i].timing != NULL;
  struct zaph_header_values header = {profile->program,  profile->pid,      profile->host,
                                      profile->start,    profile->end,      profile->source,
                                      profile->requests, profile->op_count, timed,
                                      profile->clock_hz};
  zaph_emit_header(to_stream, out, &header);
  for (size_t i = 0; i < profile->op_count; i++) {
    const struct profile_op *op = &profile->ops[i];
    struct zaph_op_line line = {op->id, op->declared_tier, op->entries, op->requests_touching,
                                op->entries_outside};
    zaph_emit_op(to_stream, out, &line);
  }
  for (size_t i = 0; i < profile->op_count; i++) {
    const struct op_timing *t = profile->ops[i].timing;
    if (!t)
      continue;
    struct zaph_timing_line line = {i, t->every, t->target, t->started, t->samples, t->total,
                                    t->max, NULL};
    zaph_emit_timing(to_stream, out, &line, t->counts);
  }
  zaph_emit_end(to_stream, out, profile->op_count);
}
