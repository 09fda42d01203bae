/* The JSON string escaper (RFC 8259 strings), used for every string zaph-report writes as JSON,
 * over format/'s UTF-8 validator (RFC 3629 sequences). */
#include "json_string.h"

#include "xalloc.h"
#include "zaph_profile.h"

#include <string.h>

char *utf8_repaired(const char *text) {
  const unsigned char *s = (const unsigned char *)text;
  size_t len = strlen(text), used = 0;
  char *out = xmalloc(len * 3 + 1);
  for (size_t i = 0; i < len;) {
    size_t n = zaph_utf8_sequence_length(s + i, len - i);
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
      size_t n = zaph_utf8_sequence_length(s + i, len - i);
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
