/* The JSON string escaper and the UTF-8 validator behind it (RFC 8259 strings, RFC 3629
 * sequences), used for every string zaph-report writes as JSON. */
#include "json_string.h"

#include "xalloc.h"

#include <string.h>

static int continuation(unsigned char c) { return c >= 0x80 && c <= 0xbf; }

size_t utf8_sequence_length(const unsigned char *s, size_t len) {
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

char *utf8_repaired(const char *text) {
  const unsigned char *s = (const unsigned char *)text;
  size_t len = strlen(text), used = 0;
  char *out = xmalloc(len * 3 + 1);
  for (size_t i = 0; i < len;) {
    size_t n = utf8_sequence_length(s + i, len - i);
    if (n == 0) {
      memcpy(out + used, "\xef\xbf\xbd", 3);
      used += 3;
      i++;
    } else {
      memcpy(out + used, s + i, n);
      used += n;
      i += n;
    }
  }
  out[used] = '\0';
  return out;
}

void json_write_string(FILE *out, const char *text) {
  const unsigned char *s = (const unsigned char *)text;
  size_t len = strlen(text);
  putc('"', out);
  for (size_t i = 0; i < len;) {
    unsigned char c = s[i];
    if (c == '"' || c == '\\') {
      putc('\\', out);
      putc(c, out);
      i++;
    } else if (c < 0x20 || c == 0x7f) {
      fprintf(out, "\\u%04x", c);
      i++;
    } else {
      size_t n = utf8_sequence_length(s + i, len - i);
      if (n == 0) {
        fputs("\\ufffd", out);
        i++;
      } else {
        fwrite(s + i, 1, n, out);
        i += n;
      }
    }
  }
  putc('"', out);
}
