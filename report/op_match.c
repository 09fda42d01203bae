/* Pairing the ops of one group (same kind, name and file name) in two rounds: files that are
 * each other's only best match pair their ops by line; the rest fall back to an exact line. A
 * group holds more than one op only for functions that share a name and a file name (static
 * helpers, C++ overloads demangle to different names), so the rounds compare every pair. */
#include "op_match.h"

#include "xalloc.h"
#include "zaph_paths.h"

#include <stdlib.h>
#include <string.h>

char *op_match_file_name(const char *file) {
  size_t length = zaph_path_tail(file, 1, NULL, 0);
  char *name = xmalloc(length + 1);
  zaph_path_tail(file, 1, name, length + 1);
  return name;
}

/* The file name of file in buffer when it fits, else malloc()ed; release with free_name(). */
static char *file_name_in(const char *file, char *buffer, size_t size) {
  return zaph_path_tail(file, 1, buffer, size) < size ? buffer : op_match_file_name(file);
}

static void free_name(char *name, const char *buffer) {
  if (name != buffer)
    free(name);
}

const char *op_match_file_name_in(struct string_pool *pool, const char *file) {
  char buffer[256];
  char *file_name = file_name_in(file, buffer, sizeof buffer);
  const char *copy = string_pool_add(pool, file_name, strlen(file_name));
  free_name(file_name, buffer);
  return copy;
}

uint64_t op_match_group_hash(const struct zaph_identity *id) {
  char buffer[256];
  char *file_name = file_name_in(id->file, buffer, sizeof buffer);
  uint64_t h = op_match_group_hash_of(id, file_name);
  free_name(file_name, buffer);
  return h;
}

uint64_t op_match_group_hash_of(const struct zaph_identity *id, const char *file_name) {
  /* FNV-1a over kind, name and file name; each NUL separates the next part. */
  uint64_t h = 14695981039346656037ull;
  const char *parts[2] = {id->name, file_name};
  h = (h ^ (unsigned char)id->kind) * 1099511628211ull;
  for (int p = 0; p < 2; p++)
    for (const char *c = parts[p];; c++) {
      h = (h ^ (unsigned char)*c) * 1099511628211ull;
      if (!*c)
        break;
    }
  return h;
}

/* File names compared as strings, so that files without one ("") are a group too. */
int op_match_same_group(const struct zaph_identity *a, const struct zaph_identity *b) {
  if (a->kind != b->kind || strcmp(a->name, b->name) != 0)
    return 0;
  char buffer_a[256], buffer_b[256];
  char *name_a = file_name_in(a->file, buffer_a, sizeof buffer_a);
  char *name_b = file_name_in(b->file, buffer_b, sizeof buffer_b);
  int same = strcmp(name_a, name_b) == 0;
  free_name(name_a, buffer_a);
  free_name(name_b, buffer_b);
  return same;
}

int op_match_group_compare(const struct zaph_identity *a, const char *a_file_name,
                           const struct zaph_identity *b, const char *b_file_name) {
  if (a->kind != b->kind)
    return a->kind < b->kind ? -1 : 1;
  int c = strcmp(a->name, b->name);
  return c ? c : strcmp(a_file_name, b_file_name);
}

struct by_line {
  uint64_t line;
  size_t index;
};

static int compare_lines(const void *a, const void *b) {
  const struct by_line *x = a, *y = b;
  return (x->line > y->line) - (x->line < y->line);
}

static uint64_t distance(uint64_t a, uint64_t b) { return a > b ? a - b : b - a; }

/* The position in to[0, count) of the line nearest to line, or count when two are as near. */
static size_t nearest(uint64_t line, const struct by_line *to, size_t count) {
  size_t best = count;
  int tie = 0;
  for (size_t k = 0; k < count; k++) {
    if (best == count || distance(line, to[k].line) < distance(line, to[best].line)) {
      best = k;
      tie = 0;
    } else if (distance(line, to[k].line) == distance(line, to[best].line)) {
      tie = 1;
    }
  }
  return tie ? count : best;
}

/* Pairs the ops of one file with the ops of its partner file by line: in order when both have
 * as many, else each with its nearest line when that is mutual. */
static void pair_by_line(struct by_line *olds, size_t old_count, struct by_line *news,
                         size_t new_count, size_t *match) {
  qsort(olds, old_count, sizeof *olds, compare_lines);
  qsort(news, new_count, sizeof *news, compare_lines);
  for (size_t k = 0; k < new_count; k++) {
    if (old_count == new_count) {
      match[news[k].index] = olds[k].index;
      continue;
    }
    size_t o = nearest(news[k].line, olds, old_count);
    if (o < old_count && nearest(olds[o].line, news, new_count) == k)
      match[news[k].index] = olds[o].index;
  }
}

void op_match_pair(const struct zaph_identity *const *old, size_t old_count,
                   const struct zaph_identity *const *new_, size_t new_count, size_t *match,
                   size_t *ambiguous) {
  for (size_t j = 0; j < new_count; j++) {
    match[j] = OP_MATCH_NONE;
    ambiguous[j] = 0;
  }
  if (old_count == 1 && new_count == 1) { /* the common case: one op of its name and file name */
    match[0] = 0;
    return;
  }
  if (old_count == 0 || new_count == 0)
    return;
  size_t n = old_count, m = new_count;
  unsigned *score = xcalloc(n * m, sizeof *score);
  unsigned *best_old = xcalloc(n, sizeof *best_old), *best_new = xcalloc(m, sizeof *best_new);
  for (size_t j = 0; j < m; j++)
    for (size_t i = 0; i < n; i++) {
      unsigned s = zaph_path_common_suffix(new_[j]->file, old[i]->file);
      score[j * n + i] = s;
      best_new[j] = s > best_new[j] ? s : best_new[j];
      best_old[i] = s > best_old[i] ? s : best_old[i];
    }
#define BEST_FOR_BOTH(j, i) (score[(j) * n + (i)] == best_new[j] && best_old[i] == best_new[j])
  char *decided = xcalloc(m, 1);
  struct by_line *olds = xcalloc(n, sizeof *olds), *news = xcalloc(m, sizeof *news);
  /* Round 1: a file and its only best partner file. */
  for (size_t j = 0; j < m; j++) {
    if (decided[j])
      continue;
    const char *file = new_[j]->file, *partner = NULL;
    int paired = 1;
    for (size_t i = 0; i < n && paired; i++) {
      if (score[j * n + i] != best_new[j])
        continue;
      if (!BEST_FOR_BOTH(j, i) || (partner && strcmp(partner, old[i]->file) != 0))
        paired = 0;
      partner = old[i]->file;
      for (size_t k = 0; k < m && paired; k++)
        if (score[k * n + i] == best_old[i] && strcmp(new_[k]->file, file) != 0)
          paired = 0;
    }
    if (!paired)
      continue;
    size_t olds_count = 0, news_count = 0;
    for (size_t i = 0; i < n; i++)
      if (strcmp(old[i]->file, partner) == 0)
        olds[olds_count++] = (struct by_line){old[i]->line, i};
    for (size_t k = 0; k < m; k++)
      if (strcmp(new_[k]->file, file) == 0) {
        news[news_count++] = (struct by_line){new_[k]->line, k};
        decided[k] = 1;
      }
    pair_by_line(olds, olds_count, news, news_count, match);
  }
  /* Round 2: several best files; the same line decides, or nothing does. */
  size_t *claims = xcalloc(n, sizeof *claims), *choice = xcalloc(m, sizeof *choice);
  for (size_t j = 0; j < m; j++) {
    choice[j] = OP_MATCH_NONE;
    if (decided[j])
      continue;
    size_t same_line = 0, same_file = 0, line_choice = 0, file_choice = 0;
    for (size_t i = 0; i < n; i++) {
      if (!BEST_FOR_BOTH(j, i))
        continue;
      ambiguous[j] = 1;
      if (old[i]->line != new_[j]->line)
        continue;
      same_line++;
      line_choice = i;
      if (strcmp(old[i]->file, new_[j]->file) == 0) {
        same_file++;
        file_choice = i;
      }
    }
    if (same_line == 1)
      choice[j] = line_choice;
    else if (same_file == 1)
      choice[j] = file_choice;
    if (choice[j] != OP_MATCH_NONE)
      claims[choice[j]]++;
  }
  for (size_t j = 0; j < m; j++)
    if (choice[j] != OP_MATCH_NONE && claims[choice[j]] == 1) {
      match[j] = choice[j];
      ambiguous[j] = 0;
    } else if (decided[j]) {
      ambiguous[j] = 0;
    }
#undef BEST_FOR_BOTH
  free(score);
  free(best_old);
  free(best_new);
  free(decided);
  free(olds);
  free(news);
  free(claims);
  free(choice);
}
