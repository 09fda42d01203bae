/* Text-field escaping, UTF-8 validity, kind names, and an op's identity (order, equality, hash and the text a
 * profile holds for a long name) of the profile format (zaph_profile.h). Compiled into both
 * the runtime and zaph-report, so writer and reader cannot drift apart. */
#include "zaph_profile.h"

#include <string.h>

static const char hex_digits[] = "0123456789abcdef";

size_t zaph_escape(char *out, size_t cap, const char *in, size_t len) {
  size_t need = 0, written = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)in[i];
    char buf[4];
    size_t n;
    if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
      buf[0] = '\\';
      buf[1] = c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
      n = 2;
    } else if (c < 0x20 || c == 0x7f) {
      buf[0] = '\\';
      buf[1] = 'x';
      buf[2] = hex_digits[c >> 4];
      buf[3] = hex_digits[c & 15];
      n = 4;
    } else {
      buf[0] = (char)c;
      n = 1;
    }
    if (need + n < cap) {
      memcpy(out + need, buf, n);
      written = need + n;
    }
    need += n;
  }
  /* Cut between escapes, never inside one. */
  if (cap > 0)
    out[written] = '\0';
  return need;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

long zaph_unescape(char *text) {
  char *w = text;
  for (const char *r = text; *r; r++) {
    if (*r != '\\') {
      *w++ = *r;
      continue;
    }
    r++;
    switch (*r) {
    case '\\': *w++ = '\\'; break;
    case 't': *w++ = '\t'; break;
    case 'n': *w++ = '\n'; break;
    case 'r': *w++ = '\r'; break;
    case 'x': {
      int hi = hex_value(r[1]), lo = hi < 0 ? -1 : hex_value(r[2]);
      if (lo < 0)
        return -1;
      *w++ = (char)(hi << 4 | lo);
      r += 2;
      break;
    }
    default:
      return -1;
    }
  }
  *w = '\0';
  return (long)(w - text);
}

static int continuation(unsigned char c) { return c >= 0x80 && c <= 0xbf; }

size_t zaph_utf8_sequence_length(const unsigned char *s, size_t len) {
  if (len == 0)
    return 0;
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf)
    return len >= 2 && continuation(s[1]) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    /* E0 needs A0-BF (no overlong form), ED 80-9F (no surrogate). */
    unsigned char low = c == 0xe0 ? 0xa0 : 0x80, high = c == 0xed ? 0x9f : 0xbf;
    return len >= 3 && s[1] >= low && s[1] <= high && continuation(s[2]) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    /* F0 needs 90-BF (no overlong form), F4 80-8F (nothing above U+10FFFF). */
    unsigned char low = c == 0xf0 ? 0x90 : 0x80, high = c == 0xf4 ? 0x8f : 0xbf;
    return len >= 4 && s[1] >= low && s[1] <= high && continuation(s[2]) && continuation(s[3])
               ? 4
               : 0;
  }
  return 0;
}

const char *zaph_kind_name(int kind) {
  switch (kind) {
  case ZAPH_KIND_OP: return "op";
  case ZAPH_KIND_REQUEST: return "request";
  default: return NULL;
  }
}

int zaph_kind_from_name(const char *name) {
  if (strcmp(name, "op") == 0)
    return ZAPH_KIND_OP;
  if (strcmp(name, "request") == 0)
    return ZAPH_KIND_REQUEST;
  return 0;
}

int zaph_identity_compare(const struct zaph_identity *a, const struct zaph_identity *b) {
  int c = strcmp(a->file, b->file);
  if (c)
    return c;
  if (a->line != b->line)
    return a->line < b->line ? -1 : 1;
  c = strcmp(a->name, b->name);
  if (c)
    return c;
  return (a->kind > b->kind) - (a->kind < b->kind);
}

#define FNV_OFFSET 14695981039346656037ull
#define FNV_PRIME 1099511628211ull

static uint64_t fnv1a_onto(uint64_t h, const void *bytes, size_t len) {
  for (size_t i = 0; i < len; i++)
    h = (h ^ ((const unsigned char *)bytes)[i]) * FNV_PRIME;
  return h;
}

static uint64_t fnv1a(const char *text, size_t len) { return fnv1a_onto(FNV_OFFSET, text, len); }

int zaph_identity_equal(const struct zaph_identity *a, const struct zaph_identity *b) {
  return a->line == b->line && a->kind == b->kind && strcmp(a->name, b->name) == 0 &&
         strcmp(a->file, b->file) == 0;
}

uint64_t zaph_identity_hash(const struct zaph_identity *id) {
  /* The terminating NUL separates name from file, so ("ab", "c") and ("a", "bc") differ. */
  uint64_t h = fnv1a_onto(FNV_OFFSET, id->name, strlen(id->name) + 1);
  h = fnv1a_onto(h, id->file, strlen(id->file) + 1);
  unsigned char line[8];
  for (int i = 0; i < 8; i++)
    line[i] = (unsigned char)(id->line >> (8 * i));
  h = fnv1a_onto(h, line, sizeof line);
  unsigned char kind = (unsigned char)id->kind;
  return fnv1a_onto(h, &kind, 1);
}

size_t zaph_identity_text(char *out, const char *text) {
  size_t len = strlen(text);
  if (len <= ZAPH_PROFILE_MAX_TEXT) {
    if (out)
      memcpy(out, text, len);
    return len;
  }
  size_t keep = ZAPH_PROFILE_MAX_TEXT - ZAPH_PROFILE_DIGEST_SIZE;
  while (keep > 0 && ((unsigned char)text[keep] & 0xc0) == 0x80)
    keep--;
  size_t mark = sizeof ZAPH_PROFILE_DIGEST_MARK - 1;
  if (out) {
    uint64_t h = fnv1a(text, len);
    memcpy(out, text, keep);
    memcpy(out + keep, ZAPH_PROFILE_DIGEST_MARK, mark);
    for (int i = 15; i >= 0; i--, h >>= 4)
      out[keep + mark + (size_t)i] = hex_digits[h & 15];
  }
  return keep + ZAPH_PROFILE_DIGEST_SIZE;
}
