/* The output checks of the fuzz target: a small strict JSON reader that decodes object keys to
 * compare them, an RFC 4180 record counter, and line scanners for the text formats. Written for
 * the fuzzer only, independent of report/ so a writer's bug is not shared by its check. */
#include "output_checks.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Nesting deeper than this is a problem in itself: no report nests more than four levels. */
#define JSON_MAX_DEPTH 16

/* Length of the well-formed UTF-8 sequence at s (RFC 3629 table 3-7), or 0. */
static size_t utf8_length(const unsigned char *s, size_t len) {
  if (s[0] < 0x80)
    return 1;
  size_t n = s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3
           : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
  if (n == 0 || n > len)
    return 0;
  unsigned char low = 0x80, high = 0xbf;
  if (s[0] == 0xe0)
    low = 0xa0;
  else if (s[0] == 0xed)
    high = 0x9f;
  else if (s[0] == 0xf0)
    low = 0x90;
  else if (s[0] == 0xf4)
    high = 0x8f;
  if (s[1] < low || s[1] > high)
    return 0;
  for (size_t i = 2; i < n; i++)
    if (s[i] < 0x80 || s[i] > 0xbf)
      return 0;
  return n;
}

static int is_utf8(const char *text, size_t len) {
  const unsigned char *s = (const unsigned char *)text;
  for (size_t i = 0, n; i < len; i += n)
    if ((n = utf8_length(s + i, len - i)) == 0)
      return 0;
  return 1;
}

struct key {
  char *bytes;
  size_t len;
};

struct json_reader {
  const char *at, *end;
  const char *problem;
};

static int json_fail(struct json_reader *j, const char *problem) {
  if (!j->problem)
    j->problem = problem;
  return -1;
}

static void skip_space(struct json_reader *j) {
  while (j->at < j->end && strchr(" \t\n\r", *j->at) && *j->at)
    j->at++;
}

static int hex4(const char *s, unsigned *value) {
  *value = 0;
  for (int i = 0; i < 4; i++) {
    char c = s[i];
    unsigned digit = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
    if (digit == 16)
      return -1;
    *value = *value << 4 | digit;
  }
  return 0;
}

static size_t put_utf8(char *out, unsigned cp) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xc0 | cp >> 6);
    out[1] = (char)(0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xe0 | cp >> 12);
    out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
  }
  out[0] = (char)(0xf0 | cp >> 18);
  out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
  out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
  out[3] = (char)(0x80 | (cp & 0x3f));
  return 4;
}

/* Reads a string; when key is not NULL, stores its decoded bytes there (malloc()ed). */
static int read_string(struct json_reader *j, struct key *key) {
  j->at++; /* the opening quote */
  char *decoded = key ? malloc((size_t)(j->end - j->at) + 1) : NULL;
  size_t used = 0;
  int rc = -1;
  for (;;) {
    if (j->at >= j->end) {
      json_fail(j, "unterminated string");
      break;
    }
    unsigned char c = (unsigned char)*j->at;
    if (c == '"') {
      j->at++;
      rc = 0;
      break;
    }
    if (c < 0x20) {
      json_fail(j, "control byte in a string");
      break;
    }
    if (c != '\\') {
      if (decoded)
        decoded[used++] = (char)c;
      j->at++;
      continue;
    }
    if (j->end - j->at < 2) {
      json_fail(j, "unterminated escape");
      break;
    }
    char e = j->at[1];
    const char *simple = strchr("\"\\/bfnrt", e);
    if (simple && e) {
      static const char values[] = "\"\\/\b\f\n\r\t";
      if (decoded)
        decoded[used++] = values[simple - "\"\\/bfnrt"];
      j->at += 2;
      continue;
    }
    unsigned cp, low;
    if (e != 'u' || j->end - j->at < 6 || hex4(j->at + 2, &cp) != 0) {
      json_fail(j, "invalid escape");
      break;
    }
    j->at += 6;
    if (cp >= 0xdc00 && cp <= 0xdfff) {
      json_fail(j, "lone low surrogate");
      break;
    }
    if (cp >= 0xd800 && cp <= 0xdbff) {
      if (j->end - j->at < 6 || j->at[0] != '\\' || j->at[1] != 'u' ||
          hex4(j->at + 2, &low) != 0 || low < 0xdc00 || low > 0xdfff) {
        json_fail(j, "lone high surrogate");
        break;
      }
      j->at += 6;
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
    }
    if (decoded)
      used += put_utf8(decoded + used, cp);
  }
  if (rc == 0 && key) {
    key->bytes = decoded;
    key->len = used;
  } else {
    free(decoded);
  }
  return rc;
}

static int digits(struct json_reader *j) {
  const char *start = j->at;
  while (j->at < j->end && *j->at >= '0' && *j->at <= '9')
    j->at++;
  return j->at > start ? 0 : -1;
}

static int read_number(struct json_reader *j) {
  if (*j->at == '-')
    j->at++;
  if (j->at < j->end && *j->at == '0')
    j->at++;
  else if (digits(j) != 0)
    return json_fail(j, "invalid number");
  if (j->at < j->end && *j->at == '.') {
    j->at++;
    if (digits(j) != 0)
      return json_fail(j, "invalid number");
  }
  if (j->at < j->end && (*j->at == 'e' || *j->at == 'E')) {
    j->at++;
    if (j->at < j->end && (*j->at == '+' || *j->at == '-'))
      j->at++;
    if (digits(j) != 0)
      return json_fail(j, "invalid number");
  }
  return 0;
}

static int read_value(struct json_reader *j, int depth);

/* Reads an object, failing when a key repeats. */
static int read_object(struct json_reader *j, int depth) {
  struct key *keys = NULL;
  size_t count = 0;
  int rc = -1;
  j->at++;
  skip_space(j);
  if (j->at < j->end && *j->at == '}') {
    j->at++;
    return 0;
  }
  for (;;) {
    skip_space(j);
    if (j->at >= j->end || *j->at != '"') {
      json_fail(j, "expected a key");
      break;
    }
    struct key key;
    if (read_string(j, &key) != 0)
      break;
    int repeated = 0;
    for (size_t i = 0; i < count && !repeated; i++)
      repeated = keys[i].len == key.len && memcmp(keys[i].bytes, key.bytes, key.len) == 0;
    keys = realloc(keys, (count + 1) * sizeof *keys);
    keys[count++] = key;
    if (repeated) {
      json_fail(j, "an object holds the same key twice");
      break;
    }
    skip_space(j);
    if (j->at >= j->end || *j->at != ':') {
      json_fail(j, "expected ':'");
      break;
    }
    j->at++;
    if (read_value(j, depth + 1) != 0)
      break;
    skip_space(j);
    if (j->at < j->end && *j->at == ',') {
      j->at++;
      continue;
    }
    if (j->at < j->end && *j->at == '}') {
      j->at++;
      rc = 0;
    } else {
      json_fail(j, "expected ',' or '}'");
    }
    break;
  }
  for (size_t i = 0; i < count; i++)
    free(keys[i].bytes);
  free(keys);
  return rc;
}

static int read_array(struct json_reader *j, int depth) {
  j->at++;
  skip_space(j);
  if (j->at < j->end && *j->at == ']') {
    j->at++;
    return 0;
  }
  for (;;) {
    if (read_value(j, depth + 1) != 0)
      return -1;
    skip_space(j);
    if (j->at < j->end && *j->at == ',') {
      j->at++;
      continue;
    }
    if (j->at < j->end && *j->at == ']') {
      j->at++;
      return 0;
    }
    return json_fail(j, "expected ',' or ']'");
  }
}

static int read_literal(struct json_reader *j, const char *word) {
  size_t len = strlen(word);
  if ((size_t)(j->end - j->at) < len || memcmp(j->at, word, len) != 0)
    return json_fail(j, "unexpected character");
  j->at += len;
  return 0;
}

static int read_value(struct json_reader *j, int depth) {
  if (depth > JSON_MAX_DEPTH)
    return json_fail(j, "nested too deeply");
  skip_space(j);
  if (j->at >= j->end)
    return json_fail(j, "expected a value");
  switch (*j->at) {
  case '{': return read_object(j, depth);
  case '[': return read_array(j, depth);
  case '"': return read_string(j, NULL);
  case 't': return read_literal(j, "true");
  case 'f': return read_literal(j, "false");
  case 'n': return read_literal(j, "null");
  default:
    if (*j->at == '-' || (*j->at >= '0' && *j->at <= '9'))
      return read_number(j);
    return json_fail(j, "unexpected character");
  }
}

const char *json_check(const char *text, size_t len) {
  if (!is_utf8(text, len))
    return "not valid UTF-8";
  struct json_reader j = {text, text + len, NULL};
  if (read_value(&j, 0) != 0)
    return j.problem;
  skip_space(&j);
  return j.at == j.end ? NULL : "data after the value";
}

const char *csv_check(const char *text, size_t len) {
  const char *at = text, *end = text + len;
  size_t columns = 0, fields = 0;
  if (len == 0)
    return "no header row";
  while (at < end) {
    if (*at == '"') {
      for (at++;; at++) {
        if (at >= end)
          return "unterminated quoted field";
        if (*at == '"' && (at + 1 >= end || at[1] != '"'))
          break;
        if (*at == '"')
          at++;
      }
      at++;
    } else {
      while (at < end && *at != ',' && *at != '\r') {
        if (*at == '"' || *at == '\n')
          return "a quote or line feed in an unquoted field";
        at++;
      }
    }
    fields++;
    if (at < end && *at == ',') {
      at++;
      continue;
    }
    if (end - at < 2 || at[0] != '\r' || at[1] != '\n')
      return "a field not followed by a comma or CRLF";
    at += 2;
    if (!columns)
      columns = fields;
    else if (fields != columns)
      return "a record with another number of fields than the header";
    fields = 0;
  }
  return NULL;
}

const char *text_check(const char *text, size_t len) {
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)text[i];
    if ((c < 0x20 && c != '\n') || c == 0x7f)
      return "a control byte in text output";
  }
  return len == 0 || text[len - 1] == '\n' ? NULL : "text output without a final newline";
}

const char *comment_check(const char *text, size_t len) {
  for (size_t i = 0; i + 1 < len; i++)
    if (text[i] == '*' && text[i + 1] == '/' && (i + 2 >= len || text[i + 2] != '\n'))
      return "a comment ends before the end of its line";
  return NULL;
}

static int identifier_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

const char *header_check(const char *text, size_t len) {
  static const char define[] = "#define ";
  struct key *names = NULL;
  size_t count = 0;
  const char *problem = NULL;
  for (const char *line = text, *end = text + len; line < end && !problem;) {
    const char *newline = memchr(line, '\n', (size_t)(end - line));
    const char *stop = newline ? newline : end;
    size_t define_len = sizeof define - 1;
    if ((size_t)(stop - line) > define_len && memcmp(line, define, define_len) == 0) {
      const char *name = line + define_len, *c = name;
      while (c < stop && identifier_byte(*c))
        c++;
      if (c == name || (*name >= '0' && *name <= '9') || (c < stop && *c != ' '))
        problem = "a #define whose name is not an identifier";
      for (size_t i = 0; i < count && !problem; i++)
        if (names[i].len == (size_t)(c - name) && memcmp(names[i].bytes, name, names[i].len) == 0)
          problem = "two #defines of the same name";
      names = realloc(names, (count + 1) * sizeof *names);
      names[count].bytes = (char *)name;
      names[count++].len = (size_t)(c - name);
    }
    line = stop + 1;
  }
  free(names);
  return problem;
}

static int metric_name_byte(char c, int first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         (!first && c >= '0' && c <= '9');
}

/* One sample line (without its newline): name{label="value",...} digits. */
static const char *sample_check(const char *p, const char *end) {
  if (p == end || !metric_name_byte(*p, 1))
    return "a sample line does not start with a metric name";
  while (p < end && metric_name_byte(*p, 0))
    p++;
  if (p < end && *p == '{') {
    p++;
    while (p < end && *p != '}') {
      if (!metric_name_byte(*p, 1) || *p == ':')
        return "a label does not start with a label name";
      while (p < end && metric_name_byte(*p, 0) && *p != ':')
        p++;
      if (end - p < 2 || p[0] != '=' || p[1] != '"')
        return "a label name is not followed by =\"";
      for (p += 2; p < end && *p != '"'; p++)
        if (*p == '\\' && (++p == end || (*p != '\\' && *p != '"' && *p != 'n')))
          return "a label value holds an escape other than \\\\, \\\" and \\n";
      if (p == end)
        return "a label value is not closed";
      p++;
      if (p < end && *p == ',')
        p++;
    }
    if (p == end)
      return "a label set is not closed";
    p++;
  }
  if (p == end || *p != ' ')
    return "no space before a sample's value";
  if (++p == end)
    return "a sample without a value";
  /* A whole number (the counters, a histogram's counts) or a decimal (a histogram's _sum). */
  int point = 0;
  for (const char *first = p; p < end; p++)
    if (*p == '.' && !point && p > first && p + 1 < end)
      point = 1;
    else if (*p < '0' || *p > '9')
      return "a sample's value is not a number";
  return NULL;
}

const char *openmetrics_check(const char *text, size_t len) {
  if (!is_utf8(text, len))
    return "not valid UTF-8";
  const char *p = text, *end = text + len;
  int eof = 0;
  while (p < end) {
    const char *newline = memchr(p, '\n', (size_t)(end - p));
    if (!newline)
      return "the last line has no newline";
    if (eof)
      return "a line after # EOF";
    size_t n = (size_t)(newline - p);
    const char *problem = NULL;
    if (n == 5 && memcmp(p, "# EOF", 5) == 0)
      eof = 1;
    else if (n >= 7 && memcmp(p, "# HELP ", 7) == 0)
      problem = NULL; /* the help texts are the writer's own constants */
    else if (n >= 7 && memcmp(p, "# TYPE ", 7) == 0)
      problem = (n > 15 && memcmp(newline - 8, " counter", 8) == 0) ||
                        (n > 17 && memcmp(newline - 10, " histogram", 10) == 0)
                    ? NULL
                    : "a # TYPE that is not counter or histogram";
    else
      problem = sample_check(p, newline);
    if (problem)
      return problem;
    p = newline + 1;
  }
  return eof ? NULL : "no # EOF";
}
