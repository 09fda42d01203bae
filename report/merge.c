/* The merge of many profiles into one op table, keyed by identity through an open-addressing
 * hash table, so 1000 profiles of 10000 ops each merge in linear time. Strings are copied into
 * the merged set's own pool, so each profile can be freed as soon as it is merged. */
#include "merge.h"

#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

void merge_init(struct merged_profiles *merged) {
  memset(merged, 0, sizeof *merged);
  string_pool_init(&merged->text);
}

/* "2026-11-24T09:12:09Z" -> 20261124091209, which orders like the time itself. */
static uint64_t time_number(const char *time) {
  uint64_t n = 0;
  for (const char *c = time; *c; c++)
    if (*c >= '0' && *c <= '9')
      n = n * 10 + (uint64_t)(*c - '0');
  return n;
}

/* Adds text to a list of distinct strings unless it is there already. */
static void collect(struct merged_profiles *merged, const char ***list, size_t *count,
                    const char *text) {
  for (size_t i = 0; i < *count; i++)
    if (strcmp((*list)[i], text) == 0)
      return;
  *list = xreallocarray(*list, *count + 1, sizeof **list);
  (*list)[(*count)++] = string_pool_add(&merged->text, text, strlen(text));
}

static void add_input(struct merged_profiles *merged, const struct profile *profile) {
  merged->inputs = xreallocarray(merged->inputs, merged->profile_count + 1, sizeof *merged->inputs);
  struct merged_input *in = &merged->inputs[merged->profile_count];
  struct string_pool *text = &merged->text;
  in->display_name = string_pool_add(text, profile->display_name, strlen(profile->display_name));
  in->program = string_pool_add(text, profile->program, strlen(profile->program));
  in->source = string_pool_add(text, profile->source, strlen(profile->source));
  memcpy(in->start, profile->start, sizeof in->start);
  memcpy(in->end, profile->end, sizeof in->end);
  in->requests = profile->requests;
}

static void grow_slots(struct merged_profiles *merged) {
  size_t count = merged->slot_count ? merged->slot_count * 2 : 1024;
  size_t *slots = xcalloc(count, sizeof *slots);
  for (size_t i = 0; i < merged->op_count; i++) {
    size_t at = (size_t)merged->ops[i].hash & (count - 1);
    while (slots[at])
      at = (at + 1) & (count - 1);
    slots[at] = i + 1;
  }
  free(merged->slots);
  merged->slots = slots;
  merged->slot_count = count;
}

/* Returns the merged op with this identity, adding a zeroed one when there is none. */
static struct merged_op *find_or_add(struct merged_profiles *merged, const struct zaph_identity *id) {
  if ((merged->op_count + 1) * 2 > merged->slot_count)
    grow_slots(merged);
  uint64_t hash = zaph_identity_hash(id);
  size_t at = (size_t)hash & (merged->slot_count - 1);
  for (; merged->slots[at]; at = (at + 1) & (merged->slot_count - 1)) {
    struct merged_op *op = &merged->ops[merged->slots[at] - 1];
    if (op->hash == hash && zaph_identity_equal(&op->id, id))
      return op;
  }
  if (merged->op_count == merged->op_capacity) {
    merged->op_capacity = merged->op_capacity ? merged->op_capacity * 2 : 256;
    merged->ops = xreallocarray(merged->ops, merged->op_capacity, sizeof *merged->ops);
  }
  struct merged_op *op = &merged->ops[merged->op_count++];
  memset(op, 0, sizeof *op);
  op->id.name = string_pool_add(&merged->text, id->name, strlen(id->name));
  op->id.file = string_pool_add(&merged->text, id->file, strlen(id->file));
  op->id.line = id->line;
  op->id.kind = id->kind;
  op->hash = hash;
  merged->slots[at] = merged->op_count;
  return op;
}

int merge_add(struct merged_profiles *merged, const struct profile *profile, char **error) {
  uint64_t end_time = time_number(profile->end);
  if (zaph_add_count(&merged->total_requests, profile->requests))
    goto overflow;
  for (size_t i = 0; i < profile->op_count; i++) {
    const struct profile_op *in = &profile->ops[i];
    struct merged_op *op = find_or_add(merged, &in->id);
    if (zaph_add_count(&op->entries, in->entries) ||
        zaph_add_count(&op->requests_touching, in->requests_touching) ||
        zaph_add_count(&op->entries_outside, in->entries_outside))
      goto overflow;
    if (in->timing && !op->timing) {
      op->timing = xmalloc(sizeof *op->timing);
      *op->timing = *in->timing;
      op->target_time = end_time;
    } else if (in->timing) {
      if (latency_timing_add(op->timing, in->timing) != 0)
        goto overflow;
      if (in->timing->target && (!op->timing->target || end_time >= op->target_time)) {
        op->timing->target = in->timing->target;
        op->target_time = end_time;
      }
    }
    if (in->declared_tier && (!op->declared_tier || end_time >= op->declared_tier_time)) {
      op->declared_tier = in->declared_tier;
      op->declared_tier_time = end_time;
    }
    if (!merged->total_entries_overflow_file &&
        zaph_add_count(&merged->total_entries, in->entries))
      merged->total_entries_overflow_file = xstrdup(profile->display_name);
  }
  if (merged->profile_count == 0 || strcmp(profile->start, merged->start) < 0)
    memcpy(merged->start, profile->start, sizeof merged->start);
  if (merged->profile_count == 0 || strcmp(profile->end, merged->end) > 0)
    memcpy(merged->end, profile->end, sizeof merged->end);
  collect(merged, &merged->programs, &merged->program_count, profile->program);
  collect(merged, &merged->sources, &merged->source_count, profile->source);
  add_input(merged, profile);
  merged->profile_count++;
  *error = NULL;
  return 0;
overflow:
  *error = xformat("counts overflow 64 bits when merging %s", profile->display_name);
  return -1;
}

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void merge_finish(struct merged_profiles *merged) {
  if (merged->program_count > 1)
    qsort(merged->programs, merged->program_count, sizeof *merged->programs, compare_strings);
  if (merged->source_count > 1)
    qsort(merged->sources, merged->source_count, sizeof *merged->sources, compare_strings);
}

void merge_free(struct merged_profiles *merged) {
  free(merged->total_entries_overflow_file);
  free(merged->inputs);
  free(merged->programs);
  free(merged->sources);
  for (size_t i = 0; i < merged->op_count; i++)
    free(merged->ops[i].timing);
  free(merged->ops);
  free(merged->slots);
  string_pool_free(&merged->text);
  memset(merged, 0, sizeof *merged);
}
