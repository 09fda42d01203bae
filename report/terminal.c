/* Deciding colour and character set from the environment alone, without setlocale(), so
 * nothing else in the tool changes with the locale (numbers keep their '.'). */
#include "terminal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int terminal_color(enum color_when when, FILE *out) {
  if (when != COLOR_AUTO)
    return when == COLOR_ALWAYS;
  const char *no_color = getenv("NO_COLOR");
  return (!no_color || !*no_color) && isatty(fileno(out));
}

/* 1 when a locale name's codeset (after '.', before '@') is UTF-8 or utf8, in any case. */
static int names_utf8(const char *locale) {
  const char *dot = strchr(locale, '.');
  if (!dot)
    return 0;
  size_t len = strcspn(dot + 1, "@");
  return (len == 5 && strncasecmp(dot + 1, "utf-8", 5) == 0) ||
         (len == 4 && strncasecmp(dot + 1, "utf8", 4) == 0);
}

int terminal_utf8(void) {
  static const char *const variables[] = {"LC_ALL", "LC_CTYPE", "LANG"};
  for (size_t i = 0; i < sizeof variables / sizeof variables[0]; i++) {
    const char *value = getenv(variables[i]);
    if (value && *value)
      return names_utf8(value);
  }
  return 0;
}
