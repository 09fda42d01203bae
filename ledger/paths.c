/* Trailing-component comparison of source paths (include/zaph_paths.h). */
#include "zaph_paths.h"

#include <string.h>

/* The normalised path, as up to ZAPH_PATH_DEPTH components (start, length), last one last.
 * Deeper paths keep their last ZAPH_PATH_DEPTH components, which is all a comparison of
 * suffixes can use. */
#define ZAPH_PATH_DEPTH 64

struct components {
  const char *start[ZAPH_PATH_DEPTH];
  size_t length[ZAPH_PATH_DEPTH];
  unsigned count;
};

static void split(const char *path, struct components *out) {
  out->count = 0;
  const char *p = path;
  while (*p) {
    while (*p == '/')
      p++;
    const char *begin = p;
    while (*p && *p != '/')
      p++;
    size_t length = (size_t)(p - begin);
    if (length == 0 || (length == 1 && begin[0] == '.'))
      continue;
    if (length == 2 && begin[0] == '.' && begin[1] == '.') {
      if (out->count > 0)
        out->count--; /* "x/.." folds; a leading ".." names nothing a suffix can use */
      continue;
    }
    if (out->count == ZAPH_PATH_DEPTH) {
      memmove(out->start, out->start + 1, sizeof out->start[0] * (ZAPH_PATH_DEPTH - 1));
      memmove(out->length, out->length + 1, sizeof out->length[0] * (ZAPH_PATH_DEPTH - 1));
      out->count--;
    }
    out->start[out->count] = begin;
    out->length[out->count] = length;
    out->count++;
  }
}

unsigned zaph_path_common_suffix(const char *a, const char *b) {
  struct components x, y;
  split(a, &x);
  split(b, &y);
  unsigned shared = 0;
  while (shared < x.count && shared < y.count) {
    unsigned i = x.count - 1 - shared, j = y.count - 1 - shared;
    if (x.length[i] != y.length[j] || memcmp(x.start[i], y.start[j], x.length[i]) != 0)
      break;
    shared++;
  }
  return shared;
}

const char *zaph_path_base(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

size_t zaph_path_tail(const char *path, unsigned components, char *out, size_t cap) {
  struct components x;
  split(path, &x);
  unsigned first = components < x.count ? x.count - components : 0;
  size_t length = 0;
  for (unsigned i = first; i < x.count; i++) {
    if (i > first) {
      if (length + 1 < cap)
        out[length] = '/';
      length++;
    }
    for (size_t k = 0; k < x.length[i]; k++, length++)
      if (length + 1 < cap)
        out[length] = x.start[i][k];
  }
  if (cap)
    out[length < cap ? length : cap - 1] = '\0';
  return length;
}
