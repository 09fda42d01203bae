/* The merge of many profiles into one op table, through an open-addressing hash table of op
 * groups (kind, name, file name; op_match.h), so 1000 profiles of 10000 ops each merge in linear
 * time; ops are paired only within their group. Strings are copied into
 * the merged set's own pool, so each profile can be freed as soon as it is merged. */
#include "merge.h"

#include "op_match.h"
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

/* The slot of the group of id (whose file name is file_name), or the empty slot for it. */
static size_t *find_slot(const struct merged_profiles *merged, uint64_t hash,
                         const struct zaph_identity *id, const char *file_name) {
  size_t at = (size_t)hash & (merged->slot_count - 1);
  for (; merged->slots[at]; at = (at + 1) & (merged->slot_count - 1)) {
    const struct merged_op *head = &merged->ops[merged->slots[at] - 1];
    if (head->hash == hash &&
        op_match_group_compare(&head->id, head->file_name, id, file_name) == 0)
      break;
  }
  return &merged->slots[at];
}

/* Makes room for `more` groups beyond those there are, moving the groups' heads. */
static void reserve_groups(struct merged_profiles *merged, size_t more) {
  size_t count = merged->slot_count ? merged->slot_count : 1024;
  while ((merged->group_count + more) * 2 > count)
    count *= 2;
  if (count == merged->slot_count)
    return;
  size_t *slots = xcalloc(count, sizeof *slots);
  for (size_t s = 0; s < merged->slot_count; s++) {
    if (!merged->slots[s])
      continue;
    size_t at = (size_t)merged->ops[merged->slots[s] - 1].hash & (count - 1);
    while (slots[at])
      at = (at + 1) & (count - 1);
    slots[at] = merged->slots[s];
  }
  free(merged->slots);
  merged->slots = slots;
  merged->slot_count = count;
}

/* Adds a zeroed op with this identity to the group whose slot is *slot (0: a new group). */
static size_t add_op(struct merged_profiles *merged, size_t *slot, const struct zaph_identity *id,
                     const char *file_name, uint64_t hash, uint64_t end_time) {
  if (merged->op_count == merged->op_capacity) {
    merged->op_capacity = merged->op_capacity ? merged->op_capacity * 2 : 256;
    merged->ops = xreallocarray(merged->ops, merged->op_capacity, sizeof *merged->ops);
  }
  size_t index = merged->op_count++;
  struct merged_op *op = &merged->ops[index];
  memset(op, 0, sizeof *op);
  op->id.name = string_pool_add(&merged->text, id->name, strlen(id->name));
  op->id.file = string_pool_add(&merged->text, id->file, strlen(id->file));
  op->id.line = id->line;
  op->id.kind = id->kind;
  op->identity_time = end_time;
  op->hash = hash;
  if (*slot) {
    struct merged_op *head = &merged->ops[*slot - 1];
    op->file_name = head->file_name;
    op->group_next = head->group_next;
    head->group_next = index + 1;
  } else {
    op->file_name = string_pool_add(&merged->text, file_name, strlen(file_name));
    *slot = index + 1;
    merged->group_count++;
  }
  return index;
}

/* A profile op that matches several merged ops equally well. */
static void warn_ambiguous(struct merged_profiles *merged, const struct profile *profile,
                           const struct zaph_identity *id) {
  char name[ZAPH_QUOTE_SIZE], file[ZAPH_QUOTE_SIZE];
  zaph_quote(name, id->name);
  zaph_quote(file, id->file);
  merged->warnings = xreallocarray(merged->warnings, merged->warning_count + 1,
                                   sizeof *merged->warnings);
  merged->warnings[merged->warning_count++] =
      xformat("%s: op '%s' (%s:%llu) matches several ops of the profiles before it equally well "
              "(by file and line); counted as an op of its own", profile->display_name, name,
              file, (unsigned long long)id->line);
}

/* A merged op paired with a profile op takes its file and line when the profile is the latest. */
static void take_identity(struct merged_profiles *merged, struct merged_op *op,
                          const struct zaph_identity *id, uint64_t end_time) {
  if (end_time < op->identity_time)
    return;
  if (strcmp(op->id.file, id->file) != 0)
    op->id.file = string_pool_add(&merged->text, id->file, strlen(id->file));
  op->id.line = id->line;
  op->identity_time = end_time;
}

/* The merged op of each profile op, target[i]: ops are grouped (op_match.h), each group is
 * paired with the merged ops of its group, and what matches nothing becomes a new op. A paired
 * op takes the file and line of the latest profile. */
static void match_ops(struct merged_profiles *merged, const struct profile *profile,
                      uint64_t end_time, size_t *target) {
  size_t n = profile->op_count;
  size_t cap = 16;
  while (cap < 2 * n)
    cap *= 2;
  size_t *heads = xcalloc(cap, sizeof *heads), *next = xcalloc(n + 1, sizeof *next);
  uint64_t *hash = xcalloc(n + 1, sizeof *hash);
  const char **names = xcalloc(n + 1, sizeof *names); /* file names */
  struct string_pool scratch;
  string_pool_init(&scratch);
  size_t groups = 0;
  for (size_t i = 0; i < n; i++) {
    const struct zaph_identity *id = &profile->ops[i].id;
    names[i] = op_match_file_name_in(&scratch, id->file);
    hash[i] = op_match_group_hash_of(id, names[i]);
    size_t at = (size_t)hash[i] & (cap - 1);
    while (heads[at] && !(hash[heads[at] - 1] == hash[i] &&
                          op_match_group_compare(&profile->ops[heads[at] - 1].id,
                                                 names[heads[at] - 1], id, names[i]) == 0))
      at = (at + 1) & (cap - 1);
    if (heads[at]) { /* keeps each group's list ascending: after its last op */
      size_t last = heads[at] - 1;
      while (next[last])
        last = next[last] - 1;
      next[last] = i + 1;
    } else {
      heads[at] = i + 1;
      groups++;
    }
  }
  reserve_groups(merged, groups);
  size_t *members = xcalloc(n + 1, sizeof *members), *rep = xcalloc(n + 1, sizeof *rep);
  size_t *first = xcalloc(n + 1, sizeof *first); /* the first op line of its identity */
  size_t *distinct_first = xcalloc(n + 1, sizeof *distinct_first);
  const struct zaph_identity **new_ids = xcalloc(n + 1, sizeof *new_ids);
  for (size_t h = 0; h < cap; h++) {
    if (!heads[h])
      continue;
    size_t only = heads[h] - 1;
    size_t *slot = find_slot(merged, hash[only], &profile->ops[only].id, names[only]);
    if (!next[only]) { /* the common case: one op in the profile, one or none merged */
      first[only] = only;
      target[only] = OP_MATCH_NONE;
      if (*slot && !merged->ops[*slot - 1].group_next) {
        target[only] = *slot - 1;
        take_identity(merged, &merged->ops[*slot - 1], &profile->ops[only].id, end_time);
        continue;
      }
      if (!*slot)
        continue;
    }
    /* The group's distinct identities (a --prometheus window repeats an op per series). */
    size_t count = 0, distinct = 0;
    for (size_t i = heads[h]; i; i = next[i - 1]) {
      size_t k = 0;
      while (k < distinct && !zaph_identity_equal(new_ids[k], &profile->ops[i - 1].id))
        k++;
      if (k == distinct) {
        distinct_first[distinct] = i - 1;
        new_ids[distinct++] = &profile->ops[i - 1].id;
      }
      members[count] = i - 1;
      rep[count++] = k;
    }
    size_t old_count = 0;
    for (size_t o = *slot; o; o = merged->ops[o - 1].group_next)
      old_count++;
    const struct zaph_identity **old_ids = xcalloc(old_count + 1, sizeof *old_ids);
    size_t *old_index = xcalloc(old_count + 1, sizeof *old_index);
    size_t *match = xcalloc(distinct, sizeof *match);
    size_t *ambiguous = xcalloc(distinct, sizeof *ambiguous);
    old_count = 0;
    for (size_t o = *slot; o; o = merged->ops[o - 1].group_next) {
      old_index[old_count] = o - 1;
      old_ids[old_count++] = &merged->ops[o - 1].id;
    }
    op_match_pair(old_ids, old_count, new_ids, distinct, match, ambiguous);
    for (size_t k = 0; k < distinct; k++) {
      if (match[k] == OP_MATCH_NONE) {
        if (ambiguous[k])
          warn_ambiguous(merged, profile, new_ids[k]);
        continue;
      }
      match[k] = old_index[match[k]];
      take_identity(merged, &merged->ops[match[k]], new_ids[k], end_time);
    }
    for (size_t c = 0; c < count; c++) {
      target[members[c]] = match[rep[c]];
      first[members[c]] = distinct_first[rep[c]];
    }
    free(old_ids);
    free(old_index);
    free(match);
    free(ambiguous);
  }
  /* New ops, in the profile's order: the first op line of each identity makes it. */
  for (size_t i = 0; i < n; i++) {
    if (target[i] != OP_MATCH_NONE)
      continue;
    if (first[i] < i) {
      target[i] = target[first[i]];
      continue;
    }
    size_t *slot = find_slot(merged, hash[i], &profile->ops[i].id, names[i]);
    target[i] = add_op(merged, slot, &profile->ops[i].id, names[i], hash[i], end_time);
  }
  free(heads);
  free(next);
  free(hash);
  free(names);
  string_pool_free(&scratch);
  free(members);
  free(rep);
  free(first);
  free(distinct_first);
  free(new_ids);
}

int merge_add(struct merged_profiles *merged, const struct profile *profile, char **error) {
  uint64_t end_time = time_number(profile->end);
  size_t *target = NULL;
  if (zaph_add_count(&merged->total_requests, profile->requests))
    goto overflow;
  target = xcalloc(profile->op_count + 1, sizeof *target);
  match_ops(merged, profile, end_time, target);
  for (size_t i = 0; i < profile->op_count; i++) {
    const struct profile_op *in = &profile->ops[i];
    struct merged_op *op = &merged->ops[target[i]];
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
  free(target);
  *error = NULL;
  return 0;
overflow:
  free(target);
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
  for (size_t i = 0; i < merged->warning_count; i++)
    free(merged->warnings[i]);
  free(merged->warnings);
  string_pool_free(&merged->text);
  memset(merged, 0, sizeof *merged);
}
