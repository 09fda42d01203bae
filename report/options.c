/* Parsing zaph-report's arguments by hand rather than with getopt_long, so that abbreviations
 * are not accepted and every message is ours: "unknown option '--x'", "option '--format'
 * requires a value", "invalid value 'xml' for --format (expected text, json, csv, html or
 * openmetrics)". */
#include "options.h"

#include "calendar.h"
#include "policy.h"
#include "prometheus_input.h"
#include "xalloc.h"
#include "zaph_ledger.h"
#include "zaph_profile.h"

#include <stdlib.h>
#include <string.h>

enum option_id { OPT_FORMAT, OPT_MIN_REQUESTS, OPT_CONFIDENCE, OPT_MAX_AGE, OPT_NOW, OPT_OUTPUT,
                 OPT_COLOR, OPT_NO_COLOR, OPT_PROMETHEUS, OPT_WINDOW, OPT_WINDOW_END, OPT_MATCH,
                 OPT_MIN_CHANGE, OPT_LEDGER, OPT_APPROVE, OPT_DEPLOY, OPT_HELP, OPT_VERSION };

/* How an option takes its value: never, always (--name=value or --name value), or only after
 * '=' (git's --color[=WHEN]), so that the next argument stays a PROFILE. */
enum option_value { VALUE_NONE, VALUE_REQUIRED, VALUE_OPTIONAL };

struct option_spec {
  const char *long_name;
  char short_name; /* 0 for none */
  enum option_value takes_value;
  enum option_id id;
};

static const struct option_spec option_specs[] = {
    {"format", 0, VALUE_REQUIRED, OPT_FORMAT},
    {"min-requests", 0, VALUE_REQUIRED, OPT_MIN_REQUESTS},
    {"confidence", 0, VALUE_REQUIRED, OPT_CONFIDENCE},
    {"max-age", 0, VALUE_REQUIRED, OPT_MAX_AGE},
    {"now", 0, VALUE_REQUIRED, OPT_NOW},
    {"output", 'o', VALUE_REQUIRED, OPT_OUTPUT},
    {"color", 0, VALUE_OPTIONAL, OPT_COLOR},
    {"no-color", 0, VALUE_NONE, OPT_NO_COLOR},
    {"prometheus", 0, VALUE_REQUIRED, OPT_PROMETHEUS},
    {"window", 0, VALUE_REQUIRED, OPT_WINDOW},
    {"window-end", 0, VALUE_REQUIRED, OPT_WINDOW_END},
    {"match", 0, VALUE_REQUIRED, OPT_MATCH},
    {"min-change", 0, VALUE_REQUIRED, OPT_MIN_CHANGE},
    {"ledger", 0, VALUE_REQUIRED, OPT_LEDGER},
    {"approve", 0, VALUE_REQUIRED, OPT_APPROVE},
    {"deploy", 0, VALUE_NONE, OPT_DEPLOY},
    {"help", 'h', VALUE_NONE, OPT_HELP},
    {"version", 0, VALUE_NONE, OPT_VERSION},
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

int parse_percentage(const char *text, double *pct) {
  size_t whole = strspn(text, "0123456789");
  if (whole == 0 || whole > 3)
    return -1;
  if (text[whole] == '.') {
    size_t fraction = strspn(text + whole + 1, "0123456789");
    if (fraction == 0 || text[whole + 1 + fraction] != '\0')
      return -1;
  } else if (text[whole] != '\0') {
    return -1;
  }
  double value = strtod(text, NULL);
  if (!(value > 0 && value < 100))
    return -1;
  *pct = value;
  return 0;
}

int parse_days(const char *text, uint64_t limit, uint64_t *days) {
  size_t len = strlen(text);
  char digits[32];
  if (len > 0 && text[len - 1] == 'd')
    len--;
  if (len == 0 || len >= sizeof digits)
    return -1;
  memcpy(digits, text, len);
  digits[len] = '\0';
  uint64_t value;
  if (zaph_parse_u64(digits, &value) != 0 || value > limit)
    return -1;
  *days = value;
  return 0;
}

int parse_points(const char *text, unsigned *hundredths) {
  size_t whole = strspn(text, "0123456789"), fraction = 0;
  if (whole == 0 || whole > 3)
    return -1;
  if (text[whole] == '.') {
    fraction = strspn(text + whole + 1, "0123456789");
    if (fraction == 0 || fraction > 2 || text[whole + 1 + fraction] != '\0')
      return -1;
  } else if (text[whole] != '\0') {
    return -1;
  }
  unsigned value = 0;
  for (size_t i = 0; i < whole; i++)
    value = value * 10 + (unsigned)(text[i] - '0');
  value *= 100;
  if (fraction >= 1)
    value += 10 * (unsigned)(text[whole + 1] - '0');
  if (fraction == 2)
    value += (unsigned)(text[whole + 2] - '0');
  if (value > 10000)
    return -1;
  *hundredths = value;
  return 0;
}

/* --prometheus=URL: http:// or https:// and a host. */
static int parse_prometheus_url(struct report_options *o, const char *value, char **error) {
  const char *host = strncmp(value, "http://", 7) == 0    ? value + 7
                     : strncmp(value, "https://", 8) == 0 ? value + 8
                                                          : NULL;
  if (!host || !*host || *host == '/' || strpbrk(value, " \t\r\n?#")) {
    *error = xformat("invalid value '%s' for --prometheus (expected a URL http://HOST:PORT or "
                     "https://HOST:PORT/PATH)", value);
    return -1;
  }
  o->prometheus_url = value;
  return 0;
}

static int apply(struct report_options *o, const struct option_spec *spec, const char *value,
                 char **error) {
  switch (spec->id) {
  case OPT_FORMAT:
    o->format_text = value;
    return 0;
  case OPT_CONFIDENCE:
    if (parse_percentage(value, &o->confidence_pct) != 0) {
      *error = xformat("invalid value '%s' for --confidence (expected a percentage above 0 and "
                       "below 100, such as %d or 99.9)", value, POLICY_CONFIDENCE_PCT);
      return -1;
    }
    o->confidence_text = value;
    return 0;
  case OPT_MAX_AGE:
    if (parse_days(value, MAX_AGE_LIMIT_DAYS, &o->max_age_days) != 0) {
      *error = xformat("invalid value '%s' for --max-age (expected days from 0 to %d, such as "
                       "%dd)", value, MAX_AGE_LIMIT_DAYS, POLICY_MAX_AGE_DAYS);
      return -1;
    }
    return 0;
  case OPT_NOW:
    if (calendar_parse(value, &o->now_day) != 0) {
      *error = xformat("invalid value '%s' for --now (expected a date YYYY-MM-DD)", value);
      return -1;
    }
    o->has_now = 1;
    return 0;
  case OPT_MIN_REQUESTS:
    if (zaph_parse_u64(value, &o->min_requests) != 0 || o->min_requests == 0) {
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
  case OPT_COLOR:
    if (!value || strcmp(value, "always") == 0) {
      o->color = COLOR_ALWAYS;
    } else if (strcmp(value, "auto") == 0) {
      o->color = COLOR_AUTO;
    } else if (strcmp(value, "never") == 0) {
      o->color = COLOR_NEVER;
    } else {
      *error = xformat("invalid value '%s' for --color (expected always, auto or never)", value);
      return -1;
    }
    return 0;
  case OPT_NO_COLOR:
    o->color = COLOR_NEVER;
    return 0;
  case OPT_PROMETHEUS:
    return parse_prometheus_url(o, value, error);
  case OPT_WINDOW:
    if (prometheus_window_parse(value, &o->window_seconds) != 0) {
      *error = xformat("invalid value '%s' for --window (expected a whole number and a unit, "
                       "s, m, h, d or w, such as 30d, at most 3650d)", value);
      return -1;
    }
    o->window_text = value;
    o->prometheus_only = o->prometheus_only ? o->prometheus_only : "--window";
    return 0;
  case OPT_WINDOW_END: {
    int64_t end;
    if (strlen(value) != ZAPH_PROFILE_TIME_LENGTH || zaph_time_parse(value, &end) != 0) {
      *error = xformat("invalid value '%s' for --window-end (expected a time "
                       "YYYY-MM-DDTHH:MM:SSZ)", value);
      return -1;
    }
    o->window_end = end;
    o->has_window_end = 1;
    o->prometheus_only = o->prometheus_only ? o->prometheus_only : "--window-end";
    return 0;
  }
  case OPT_MATCH: {
    const char *problem;
    size_t at;
    if (prometheus_match_check(value, &problem, &at) != 0) {
      *error = xformat("invalid value '%s' for --match (expected label matchers such as "
                       "job=\"api\",instance=~\"web-.*\"): %s at character %zu", value,
                       problem, at);
      return -1;
    }
    o->match = value;
    o->prometheus_only = o->prometheus_only ? o->prometheus_only : "--match";
    return 0;
  }
  case OPT_MIN_CHANGE:
    if (parse_points(value, &o->min_change_hundredths) != 0) {
      *error = xformat("invalid value '%s' for --min-change (expected percentage points from 0 "
                       "to 100, at most two decimals, such as %d or 0.5)", value,
                       DIFF_MIN_CHANGE_DEFAULT_PP);
      return -1;
    }
    o->min_change_text = value;
    return 0;
  case OPT_LEDGER:
    if (!*value) {
      *error = xstrdup("invalid value '' for --ledger (expected a file name)");
      return -1;
    }
    o->ledger_path = value;
    return 0;
  case OPT_APPROVE:
    if (!*value || strpbrk(value, "\n\r")) {
      *error = xformat("invalid value '%s' for --approve (expected who or what approved the tier "
                       "change, on one line)", value);
      return -1;
    }
    o->approve = value;
    return 0;
  case OPT_DEPLOY:
    o->deploy = 1;
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
    if (spec && equals && spec->takes_value == VALUE_NONE) {
      *error = xformat("option '%s' takes no value", name_shown);
      free(long_shown);
      return -1;
    }
  } else {
    spec = find_short(arg[1]);
    if (spec && arg[2]) {
      if (spec->takes_value == VALUE_REQUIRED)
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
  if (spec->takes_value == VALUE_REQUIRED && !value) {
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

static const char *const command_names[] = {"report", "check", "diff", "doc", "convert", "assign",
                                            "ledger"};

const char *command_name(enum report_command command) {
  return command_names[command];
}

/* The formats each command writes (names and values side by side, at most FORMATS_MAX) and how
 * a usage error lists them. */
#define FORMATS_MAX 5
struct command_formats {
  const char *names[FORMATS_MAX];
  enum report_format formats[FORMATS_MAX];
  const char *expected;
};

static const struct command_formats formats_of[] = {
    [COMMAND_REPORT] = {{"text", "json", "csv", "html", "openmetrics"},
                        {REPORT_FORMAT_TEXT, REPORT_FORMAT_JSON, REPORT_FORMAT_CSV,
                         REPORT_FORMAT_HTML, REPORT_FORMAT_OPENMETRICS},
                        "text, json, csv, html or openmetrics"},
    [COMMAND_CHECK] = {{"text", "json", NULL},
                       {REPORT_FORMAT_TEXT, REPORT_FORMAT_JSON},
                       "text or json for check"},
    [COMMAND_DIFF] = {{"text", "json", NULL},
                      {REPORT_FORMAT_TEXT, REPORT_FORMAT_JSON},
                      "text or json for diff"},
    [COMMAND_DOC] = {{"text", "header", NULL},
                     {REPORT_FORMAT_TEXT, REPORT_FORMAT_HEADER},
                     "text or header for doc"},
    [COMMAND_CONVERT] = {{"text", NULL, NULL}, {REPORT_FORMAT_TEXT}, "text for convert"},
    [COMMAND_ASSIGN] = {{"text", NULL, NULL}, {REPORT_FORMAT_TEXT}, "text for assign"},
    [COMMAND_LEDGER] = {{"text", "json", NULL},
                        {REPORT_FORMAT_TEXT, REPORT_FORMAT_JSON},
                        "text or json for ledger"},
};

static int resolve_format(struct report_options *o, char **error) {
  const struct command_formats *f = &formats_of[o->command];
  if (!o->format_text)
    return 0;
  for (int i = 0; i < FORMATS_MAX && f->names[i]; i++)
    if (strcmp(o->format_text, f->names[i]) == 0) {
      o->format = f->formats[i];
      return 0;
    }
  *error = xformat("invalid value '%s' for --format (expected %s)", o->format_text, f->expected);
  return -1;
}

/* The command a word names, or COMMAND_REPORT when it names none. */
static enum report_command command_named(const char *word) {
  for (int c = COMMAND_CHECK; c <= COMMAND_LEDGER; c++)
    if (strcmp(word, command_names[c]) == 0)
      return (enum report_command)c;
  return COMMAND_REPORT;
}

/* The operands of diff: OLD... -- NEW..., each side at least one. */
static int check_diff_operands(const struct report_options *o, int separated, char **error) {
  if (!separated)
    *error = xstrdup("diff needs OLD... -- NEW...: no '--' between the OLD and NEW profiles");
  else if (o->old_count == 0)
    *error = xstrdup("diff: no OLD PROFILE given");
  else if (o->profile_count == o->old_count)
    *error = xstrdup("diff: no NEW PROFILE given");
  return *error ? -1 : 0;
}

/* --prometheus replaces the PROFILEs, for the commands that read one set of them. */
static int check_prometheus_operands(const struct report_options *o, char **error) {
  if (!o->prometheus_url)
    *error = xformat("%s needs --prometheus", o->prometheus_only);
  else if (o->command == COMMAND_DIFF || o->command == COMMAND_CONVERT ||
           o->command == COMMAND_LEDGER)
    *error = xformat("--prometheus does not work with %s (only the report, check, doc and assign)",
                     command_name(o->command));
  else if (o->profile_count)
    *error = xformat("--prometheus takes no PROFILE ('%s' given)", o->profiles[0]);
  return *error ? -1 : 0;
}

/* Which commands take --ledger, --approve and --deploy; assign's default ledger. */
static int check_ledger_options(struct report_options *o, char **error) {
  enum report_command c = o->command;
  if (o->ledger_path && c != COMMAND_ASSIGN && c != COMMAND_CHECK && c != COMMAND_DOC &&
      c != COMMAND_DIFF)
    *error = xformat("--ledger does not work with %s (only assign, check, doc and diff; ledger "
                     "takes the FILE itself)", command_name(c));
  else if (o->approve && c != COMMAND_ASSIGN)
    *error = xstrdup("--approve works only with assign");
  else if (o->deploy && !(c == COMMAND_CHECK && o->ledger_path))
    *error = xstrdup("--deploy needs check --ledger FILE");
  if (*error)
    return -1;
  if (c == COMMAND_ASSIGN && !o->ledger_path)
    o->ledger_path = ZAPH_LEDGER_DEFAULT_NAME;
  return 0;
}

/* ledger FILE [PROFILE...]: the first operand is the ledger. */
static int take_ledger_operand(struct report_options *o, char **error) {
  if (o->profile_count == 0) {
    *error = xstrdup("ledger needs a FILE");
    return -1;
  }
  o->ledger_path = o->profiles[0];
  memmove(o->profiles, o->profiles + 1, (o->profile_count - 1) * sizeof *o->profiles);
  o->profile_count--;
  return 0;
}

int options_parse(struct report_options *o, int argc, char *const argv[], char **error) {
  int operands_only = 0, stdin_seen = 0, separated = 0, operand_seen = 0;
  memset(o, 0, sizeof *o);
  o->format = REPORT_FORMAT_TEXT;
  o->min_requests = POLICY_MIN_REQUESTS;
  o->confidence_pct = POLICY_CONFIDENCE_PCT;
  o->confidence_text = POLICY_TEXT(POLICY_CONFIDENCE_PCT);
  o->max_age_days = POLICY_MAX_AGE_DAYS;
  o->window_seconds = POLICY_WINDOW_DAYS * 86400ull;
  o->window_text = POLICY_TEXT(POLICY_WINDOW_DAYS) "d";
  o->min_change_hundredths = DIFF_MIN_CHANGE_DEFAULT_PP * 100;
  *error = NULL;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (o->command == COMMAND_DIFF && !separated && strcmp(arg, "--") == 0) {
      separated = 1;
      o->old_count = o->profile_count;
    } else if (!operands_only && strcmp(arg, "--") == 0) {
      operands_only = 1;
    } else if (!operands_only && arg[0] == '-' && arg[1] != '\0') {
      if (parse_option(o, argc, argv, &i, error) != 0)
        return -1;
      if (o->show_help || o->show_version)
        return 0;
    } else if (!operands_only && !operand_seen++ && command_named(arg) != COMMAND_REPORT) {
      /* The first operand names the command, whatever options come before it. */
      o->command = command_named(arg);
    } else {
      if (strcmp(arg, "-") == 0 && stdin_seen++) {
        *error = xstrdup("standard input ('-') given more than once");
        return -1;
      }
      add_profile(o, arg);
    }
  }
  if (resolve_format(o, error) != 0 || check_ledger_options(o, error) != 0)
    return -1;
  if (o->min_change_text && o->command != COMMAND_DIFF) {
    *error = xstrdup("--min-change works only with diff");
    return -1;
  }
  if (o->command == COMMAND_LEDGER) {
    if (o->prometheus_url || o->prometheus_only)
      return check_prometheus_operands(o, error);
    return take_ledger_operand(o, error);
  }
  if (o->command == COMMAND_DOC && o->ledger_path && (o->prometheus_url || o->prometheus_only)) {
    *error = xstrdup("--prometheus does not work with doc --ledger (the ledger is the input)");
    return -1;
  }
  if ((o->command == COMMAND_CHECK && o->ledger_path && !o->prometheus_url &&
       !o->prometheus_only) ||
      (o->command == COMMAND_DOC && o->ledger_path)) {
    if (o->command == COMMAND_DOC && o->profile_count) {
      *error = xformat("doc --ledger takes no PROFILE ('%s' given)", o->profiles[0]);
      return -1;
    }
    return 0;
  }
  if (o->prometheus_url || o->prometheus_only)
    return check_prometheus_operands(o, error);
  if (o->command == COMMAND_DIFF)
    return check_diff_operands(o, separated, error);
  if (o->profile_count == 0) {
    *error = xstrdup("no PROFILE given");
    return -1;
  }
  if (o->command == COMMAND_CONVERT && o->profile_count != 1) {
    *error = xformat("convert takes one PROFILE, %zu given", o->profile_count);
    return -1;
  }
  return 0;
}

void options_free(struct report_options *o) {
  free(o->profiles);
  o->profiles = NULL;
  o->profile_count = 0;
}
