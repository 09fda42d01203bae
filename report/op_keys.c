/* Making op keys unique in rounds: each round sorts the keys, finds the groups that collide and
 * lengthens only their keys, so ops with unique names keep their plain names and an op's key
 * depends only on the ops that share its name. The same rounds make the C macro names of doc
 * --format=header. */
#include "op_keys.h"

#include "json_string.h"
#include "zaph_paths.h"
#include "xalloc.h"
#include "zaph_profile.h"

#include <stdlib.h>
#include <string.h>

struct key_slot {
  char *key;
  char *shown; /* the key as JSON shows it, invalid UTF-8 made U+FFFD: this must be unique */
  size_t index; /* position in report order */
  int level;    /* 0 name, 1 with file, 2 with file and line, 3 with kind, 4 with a counter */
  char *file;   /* from level 1: the trailing part of the file that tells it apart */
};

static int compare_slots(const void *a, const void *b) {
  const struct key_slot *x = a, *y = b;
  int c = strcmp(x->shown, y->shown);
  if (c)
    return c;
  return (x->index > y->index) - (x->index < y->index);
}

/* "ZAPH_TIER_" and text with every byte outside [A-Za-z0-9_] made "_". */
static char *macro_name(const char *text) {
  char *out = xformat("ZAPH_TIER_%s", text);
  for (char *c = out; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
      *c = '_';
  return out;
}

static char *macro_at_level(const struct merged_op *op, const struct key_slot *slot, int level,
                            size_t occurrence) {
  char *text, *key;
  switch (level) {
  case 0:
    return macro_name(op->id.name);
  case 1:
  case 2:
    text = level == 1 ? xformat("%s_%s", op->id.name, slot->file)
                      : xformat("%s_%s_%llu", op->id.name, slot->file,
                                (unsigned long long)op->id.line);
    key = macro_name(text);
    free(text);
    return key;
  case 3:
    return xformat("%s_%s", slot->key, zaph_kind_name(op->id.kind));
  default:
    return xformat("%s_%zu", slot->key, occurrence);
  }
}

static char *key_at_level(const struct merged_op *op, const struct key_slot *slot, int level,
                          size_t occurrence, enum op_key_style style) {
  if (style == OP_KEY_C_MACRO)
    return macro_at_level(op, slot, level, occurrence);
  switch (level) {
  case 0:
    return xstrdup(op->id.name);
  case 1:
    return xformat("%s (%s)", op->id.name, slot->file);
  case 2:
    return xformat("%s (%s:%llu)", op->id.name, slot->file, (unsigned long long)op->id.line);
  case 3:
    return xformat("%s [%s]", slot->key, zaph_kind_name(op->id.kind));
  default:
    return xformat("%s #%zu", slot->key, occurrence);
  }
}

/* The part of each file of a group of ops that share a name that tells it from the others': as
 * many trailing components as it shares with the most alike other file, plus one (the whole
 * normalised path when that is all of it). */
static void distinguishing_files(struct key_slot *slots, size_t first, size_t end,
                                 const struct classification *c) {
  for (size_t i = first; i < end; i++) {
    if (slots[i].level != 0)
      continue;
    const char *file = c->ops[slots[i].index].op->id.file;
    unsigned shared = 0;
    for (size_t j = first; j < end; j++) {
      if (j == i || slots[j].level != 0)
        continue;
      unsigned k = zaph_path_common_suffix(file, c->ops[slots[j].index].op->id.file);
      shared = k > shared ? k : shared;
    }
    size_t length = zaph_path_tail(file, shared + 1, NULL, 0);
    slots[i].file = xmalloc(length + 1);
    zaph_path_tail(file, shared + 1, slots[i].file, length + 1);
  }
}

/* Sorts slots and lengthens the keys of every colliding group; returns how many changed. */
static size_t lengthen_collisions(struct key_slot *slots, size_t count,
                                  const struct classification *c, enum op_key_style style) {
  size_t changed = 0;
  qsort(slots, count, sizeof *slots, compare_slots);
  for (size_t first = 0; first < count;) {
    size_t end = first + 1;
    while (end < count && strcmp(slots[first].shown, slots[end].shown) == 0)
      end++;
    if (end - first > 1)
      distinguishing_files(slots, first, end, c);
    for (size_t i = first; end - first > 1 && i < end; i++) {
      struct key_slot *s = &slots[i];
      /* Past the kind, only the first of a group keeps its key; the rest are numbered. */
      if (s->level >= 3 && i == first)
        continue;
      int level = s->level < 4 ? s->level + 1 : 4;
      char *key = key_at_level(c->ops[s->index].op, s, level, i - first + 1, style);
      free(s->key);
      free(s->shown);
      s->key = key;
      s->shown = utf8_repaired(key);
      s->level = level;
      changed++;
    }
    first = end;
  }
  return changed;
}

char **op_keys_make(const struct classification *c) {
  return op_keys_make_styled(c, OP_KEY_JSON);
}

char **op_keys_make_styled(const struct classification *c, enum op_key_style style) {
  struct key_slot *slots = xcalloc(c->op_count + 1, sizeof *slots);
  for (size_t i = 0; i < c->op_count; i++) {
    slots[i].key = key_at_level(c->ops[i].op, &slots[i], 0, 0, style);
    slots[i].shown = utf8_repaired(slots[i].key);
    slots[i].index = i;
  }
  while (lengthen_collisions(slots, c->op_count, c, style) > 0) {
  }
  char **keys = xcalloc(c->op_count + 1, sizeof *keys);
  for (size_t i = 0; i < c->op_count; i++) {
    keys[slots[i].index] = slots[i].key;
    free(slots[i].shown);
    free(slots[i].file);
  }
  free(slots);
  return keys;
}

void op_keys_free(char **keys, size_t count) {
  for (size_t i = 0; keys && i < count; i++)
    free(keys[i]);
  free(keys);
}
