/* Parsing zaph-report's arguments by hand rather than with getopt_long, so that abbreviations
 * are not accepted and every message is ours: "unknown option '--x'", "option '--format'
 * requires a value", "invalid value 'xml' for --format (expected text or json)". */
#include "options.h"

#include "classify.h"
#include "profile_values.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

enum option_id { OPT_FORMAT, OPT_MIN_REQUESTS, OPT_OUTPUT, OPT_HELP, OPT_VERSION };

struct option_spec {
  const char *long_name;
  char short_name; /* 0 for none */
  int takes_value;
  enum option_id id;
};

static const struct option_spec option_specs[] = {
    {"format", 0, 1, OPT_FORMAT},   {"min-requests", 0, 1, OPT_MIN_REQUESTS},
    {"output", 'o', 1, OPT_OUTPUT}, {"help", 'h', 0, OPT_HELP},
    {"version", 0, 0, OPT_VERSION},
};
#define OPTION_COUNT (sizeof option_specs / sizeof option_specs[0])

static const struct option_spec *find_long(const char *name, size_t len) {
  for (size_t i = 0; i < OPTION_COUNT; i++)
    if (strlen(option_specs[i].long_name) == len &&
        strncmp(option_specs[i].long_name, name, len) == 0)
      return &option_specs[i];
  return NULL;
}

static const struct option_spec *find_short(char name) {
  for (size_t i = 0; i < OPTION_COUNT; i++)
    if (option_specs[i].short_name && option_specs[i].short_name == name)
      return &option_specs[i];
  return NULL;
}

static int apply(struct report_options *o, const struct option_spec *spec, const char *value,
                 char **error) {
  switch (spec->id) {
  case OPT_FORMAT:
    if (strcmp(value, "text") == 0)
      o->format = REPORT_FORMAT_TEXT;
    else if (strcmp(value, "json") == 0)
      o->format = REPORT_FORMAT_JSON;
    else {
      *error = xformat("invalid value '%s' for --format (expected text or json)", value);
      return -1;
    }
    return 0;
  case OPT_MIN_REQUESTS:
    if (parse_decimal_u64(value, &o->min_requests) != 0 || o->min_requests == 0) {
      *error = xformat("invalid value '%s' for --min-requests (expected a whole number from 1 "
                       "to 18446744073709551615)", value);
      return -1;
    }
    return 0;
  case OPT_OUTPUT:
    if (!*value) {
      *error = xstrdup("invalid value '' for --output (expected a file name)");
      return -1;
    }
    o->output_path = value;
    return 0;
  case OPT_HELP:
    o->show_help = 1;
    return 0;
  case OPT_VERSION:
    o->show_version = 1;
    return 0;
  }
  return -1;
}

static void add_profile(struct report_options *o, const char *path) {
  o->profiles = xreallocarray(o->profiles, o->profile_count + 1, sizeof *o->profiles);
  o->profiles[o->profile_count++] = path;
}

/* Parses the option at argv[*i], consuming its value argument too when it has one. */
static int parse_option(struct report_options *o, int argc, char *const argv[], int *i,
                        char **error) {
  const char *arg = argv[*i];
  const struct option_spec *spec;
  const char *value = NULL;
  char shown[3] = {'-', arg[1], '\0'};
  const char *name_shown = shown;
  char *long_shown = NULL;
  if (arg[1] == '-') {
    const char *equals = strchr(arg + 2, '=');
    size_t len = equals ? (size_t)(equals - arg - 2) : strlen(arg + 2);
    spec = find_long(arg + 2, len);
    long_shown = xformat("--%.*s", (int)len, arg + 2);
    name_shown = long_shown;
    if (equals)
      value = equals + 1;
    if (spec && equals && !spec->takes_value) {
      *error = xformat("option '%s' takes no value", name_shown);
      free(long_shown);
      return -1;
    }
  } else {
    spec = find_short(arg[1]);
    if (spec && arg[2]) {
      if (spec->takes_value)
        value = arg + 2;
      else
        spec = NULL;
    }
  }
  if (!spec) {
    *error = xformat("unknown option '%s'", arg[1] == '-' ? name_shown : arg);
    free(long_shown);
    return -1;
  }
  if (spec->takes_value && !value) {
    if (*i + 1 >= argc) {
      *error = xformat("option '%s' requires a value", name_shown);
      free(long_shown);
      return -1;
    }
    value = argv[++*i];
  }
  free(long_shown);
  return apply(o, spec, value, error);
}

int options_parse(struct report_options *o, int argc, char *const argv[], char **error) {
  int operands_only = 0, stdin_seen = 0;
  memset(o, 0, sizeof *o);
  o->format = REPORT_FORMAT_TEXT;
  o->min_requests = POLICY_MIN_REQUESTS;
  *error = NULL;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (!operands_only && strcmp(arg, "--") == 0) {
      operands_only = 1;
    } else if (!operands_only && arg[0] == '-' && arg[1] != '\0') {
      if (parse_option(o, argc, argv, &i, error) != 0)
        return -1;
      if (o->show_help || o->show_version)
        return 0;
    } else {
      if (strcmp(arg, "-") == 0 && stdin_seen++) {
        *error = xstrdup("standard input ('-') given more than once");
        return -1;
      }
      add_profile(o, arg);
    }
  }
  if (o->profile_count == 0) {
    *error = xstrdup("no PROFILE given");
    return -1;
  }
  return 0;
}

void options_free(struct report_options *o) {
  free(o->profiles);
  o->profiles = NULL;
  o->profile_count = 0;
}
