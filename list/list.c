/* The list-file matcher both compiler plugins share (include/zaph_list.h has the grammar). It
 * compiles as C (clang's front-end plugin links it) and as C++ (the GCC plugin, built by g++). */
#include "zaph_abi.h"
#include "zaph_list.h"
#include "zaph_profile.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum rule_kind { RULE_FUN, RULE_SRC, RULE_REQUEST };

struct rule {
  enum rule_kind kind;
  int exclude;
  unsigned tier;
  unsigned timed; /* 0, or 1 + log2 of the sampling (zaph_abi.h) */
  unsigned line;
  int matched;
  char *text;    /* the rule as written, for messages */
  char *pattern;
};

struct zaph_list {
  char *name;
  struct rule *rules;
  size_t count;
};

static char *copy(const char *s, size_t n) {
  char *c = (char *)malloc(n + 1);
  if (c) {
    memcpy(c, s, n);
    c[n] = '\0';
  }
  return c;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* 1 + log2 n for the sampling rate n, a power of two from 1 to 2^ZAPH_TIMED_MAX_LOG2 written as
 * len decimal digits at text; 0 for anything else. */
static unsigned sampling_of(const char *text, size_t len) {
  unsigned long long n = 0;
  unsigned log2;
  size_t i;
  if (len == 0 || len > 6)
    return 0;
  for (i = 0; i < len; i++) {
    if (text[i] < '0' || text[i] > '9')
      return 0;
    n = n * 10 + (unsigned)(text[i] - '0');
  }
  for (log2 = 0; log2 <= ZAPH_TIMED_MAX_LOG2; log2++)
    if (n == 1ull << log2 && (text[0] != '0'))
      return log2 + 1;
  return 0;
}

/* Reads one option after the pattern (tier=N, timed, timed=N) into R; returns 0, or writes the
 * problem. */
static int parse_option(struct rule *r, const char *word, size_t len, char *why,
                        size_t why_size) {
  if (r->exclude) {
    snprintf(why, why_size, "an exclusion takes no options ('%.*s')", (int)len, word);
    return -1;
  }
  if (len >= 5 && strncmp(word, "tier=", 5) == 0) {
    if (len != 6 || word[5] < '1' || word[5] > '3') {
      snprintf(why, why_size, "invalid tier '%.*s': a tier is 1, 2 or 3", (int)(len - 5),
               word + 5);
      return -1;
    }
    r->tier = (unsigned)(word[5] - '0');
    return 0;
  }
  if (len == 5 && strncmp(word, "timed", 5) == 0) {
    r->timed = ZAPH_TIMED_DEFAULT_LOG2 + 1;
    return 0;
  }
  if (len > 6 && strncmp(word, "timed=", 6) == 0) {
    if (!(r->timed = sampling_of(word + 6, len - 6))) {
      snprintf(why, why_size, "invalid sampling '%.*s': timed=N times one entry in N, a power of "
               "two from 1 to %u", (int)(len - 6), word + 6, 1u << ZAPH_TIMED_MAX_LOG2);
      return -1;
    }
    return 0;
  }
  snprintf(why, why_size, "unexpected '%.*s' after the pattern (known: tier=N, timed, timed=N)",
           (int)len, word);
  return -1;
}

/* Reads one line (without its comment, trimmed) into R; returns 0, or writes the problem. */
static int parse_rule(char *line, struct rule *r, char *why, size_t why_size) {
  char *colon, *end, *rest;
  if (*line == '!') {
    r->exclude = 1;
    line++;
  }
  colon = strchr(line, ':');
  end = line;
  while (*end && !is_space(*end))
    end++;
  if (!colon || colon > end) {
    snprintf(why, why_size, "expected KIND:PATTERN, got '%.*s'", (int)(end - line), line);
    return -1;
  }
  if ((size_t)(colon - line) == 3 && strncmp(line, "fun", 3) == 0)
    r->kind = RULE_FUN;
  else if ((size_t)(colon - line) == 3 && strncmp(line, "src", 3) == 0)
    r->kind = RULE_SRC;
  else if ((size_t)(colon - line) == 7 && strncmp(line, "request", 7) == 0)
    r->kind = RULE_REQUEST;
  else {
    snprintf(why, why_size, "unknown kind '%.*s' (expected fun, src or request)",
             (int)(colon - line), line);
    return -1;
  }
  if (colon + 1 == end) {
    snprintf(why, why_size, "empty pattern after '%.*s'", (int)(colon + 1 - line), line);
    return -1;
  }
  r->pattern = copy(colon + 1, (size_t)(end - colon - 1));
  for (rest = end;; rest = end) {
    while (is_space(*rest))
      rest++;
    if (*rest == '\0')
      return r->pattern ? 0 : -1;
    end = rest;
    while (*end && !is_space(*end))
      end++;
    if (parse_option(r, rest, (size_t)(end - rest), why, why_size) != 0)
      return -1;
  }
}

struct zaph_list *zaph_list_parse(const char *name, const char *text, char *error,
                                  size_t error_size) {
  struct zaph_list *list = (struct zaph_list *)calloc(1, sizeof *list);
  size_t capacity = 0;
  unsigned number = 0;
  const char *p = text;
  if (!list || !(list->name = copy(name, strlen(name)))) {
    snprintf(error, error_size, "%s: out of memory", name);
    zaph_list_free(list);
    return NULL;
  }
  while (*p) {
    const char *eol = strchr(p, '\n');
    size_t n = eol ? (size_t)(eol - p) : strlen(p);
    char *line = copy(p, n), *start, *stop, why[256];
    struct rule r;
    number++;
    p += n + (eol ? 1 : 0);
    if (!line)
      goto out_of_memory;
    if ((stop = strchr(line, '#')))
      *stop = '\0';
    start = line;
    while (is_space(*start))
      start++;
    stop = start + strlen(start);
    while (stop > start && is_space(stop[-1]))
      *--stop = '\0';
    if (*start == '\0') {
      free(line);
      continue;
    }
    memset(&r, 0, sizeof r);
    r.line = number;
    why[0] = '\0';
    if (parse_rule(start, &r, why, sizeof why) != 0) {
      free(r.pattern);
      free(line);
      if (!why[0])
        goto out_of_memory;
      snprintf(error, error_size, "%s:%u: %s", name, number, why);
      zaph_list_free(list);
      return NULL;
    }
    r.text = copy(start, strlen(start));
    free(line);
    if (list->count == capacity) {
      size_t more = capacity ? 2 * capacity : 16;
      struct rule *grown = (struct rule *)realloc(list->rules, more * sizeof *grown);
      if (!grown) {
        free(r.text);
        free(r.pattern);
        goto out_of_memory;
      }
      list->rules = grown;
      capacity = more;
    }
    list->rules[list->count++] = r;
    if (!r.text)
      goto out_of_memory;
  }
  return list;
out_of_memory:
  snprintf(error, error_size, "%s:%u: out of memory", name, number);
  zaph_list_free(list);
  return NULL;
}

struct zaph_list *zaph_list_read(const char *path, char *error, size_t error_size) {
  FILE *f = fopen(path, "r");
  char *text = NULL;
  size_t size = 0, used = 0, got;
  struct zaph_list *list;
  if (!f) {
    snprintf(error, error_size, "%s: cannot read: %s", path, strerror(errno));
    return NULL;
  }
  do {
    if (used + 4096 + 1 > size) {
      char *grown = (char *)realloc(text, size = 2 * (used + 4096 + 1));
      if (!grown) {
        free(text);
        fclose(f);
        snprintf(error, error_size, "%s: out of memory", path);
        return NULL;
      }
      text = grown;
    }
    got = fread(text + used, 1, size - used - 1, f);
    used += got;
  } while (got > 0);
  if (ferror(f)) {
    snprintf(error, error_size, "%s: cannot read: %s", path, strerror(errno));
    free(text);
    fclose(f);
    return NULL;
  }
  fclose(f);
  text[used] = '\0';
  list = zaph_list_parse(path, text, error, error_size);
  free(text);
  return list;
}

void zaph_list_free(struct zaph_list *list) {
  size_t i;
  if (!list)
    return;
  for (i = 0; i < list->count; i++) {
    free(list->rules[i].text);
    free(list->rules[i].pattern);
  }
  free(list->rules);
  free(list->name);
  free(list);
}

/* A file matches as the compiler presumes it and without a leading "./". */
static int file_matches(const char *pattern, const char *file) {
  if (fnmatch(pattern, file, 0) == 0)
    return 1;
  return strncmp(file, "./", 2) == 0 && fnmatch(pattern, file + 2, 0) == 0;
}

int zaph_list_match(struct zaph_list *list, const char *name, const char *file, unsigned *kind,
                    unsigned *tier) {
  unsigned timed;
  return zaph_list_match_timed(list, name, file, kind, tier, &timed);
}

int zaph_list_match_timed(struct zaph_list *list, const char *name, const char *file,
                          unsigned *kind, unsigned *tier, unsigned *timed) {
  size_t i;
  int listed = 0, excluded = 0;
  *kind = ZAPH_KIND_OP;
  *tier = 0;
  *timed = 0;
  if (!list)
    return 0;
  for (i = 0; i < list->count; i++) {
    struct rule *r = &list->rules[i];
    int hit = r->kind == RULE_SRC ? file_matches(r->pattern, file)
                                  : fnmatch(r->pattern, name, 0) == 0;
    if (!hit)
      continue;
    r->matched = 1;
    if (r->exclude) {
      excluded = 1;
      continue;
    }
    listed = 1;
    if (r->kind == RULE_REQUEST)
      *kind = ZAPH_KIND_REQUEST;
    if (r->tier && !*tier)
      *tier = r->tier;
    if (r->timed && !*timed)
      *timed = r->timed;
  }
  if (excluded || !listed) {
    *kind = ZAPH_KIND_OP;
    *tier = 0;
    *timed = 0;
    return 0;
  }
  return 1;
}

void zaph_list_unmatched(const struct zaph_list *list, void (*report)(const char *, void *),
                         void *context) {
  size_t i;
  char message[512];
  for (i = 0; list && i < list->count; i++)
    if (!list->rules[i].matched) {
      snprintf(message, sizeof message, "%s:%u: '%s' matched no function", list->name,
               list->rules[i].line, list->rules[i].text);
      report(message, context);
    }
}

int zaph_list_verbose(void) {
  const char *v = getenv(ZAPH_LIST_VERBOSE_ENV);
  return v && strcmp(v, "1") == 0;
}
