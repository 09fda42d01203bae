/* The tier ledger, zaph-tiers.toml: ZAPH-DEC-04's tier assignments with their data, review dates
 * and history, kept in the user's repository (docs/ledger.md has the file's schema and rules).
 * One reader (ledger/ledger_read.cpp, on Debian's toml++), compiled into zaph-report and both
 * compiler plugins; one writer (report/ledger_write.c). The reader's checks are the schema: what
 * it accepts, the writer may write. Usable from C and C++. */
#ifndef ZAPH_LEDGER_H
#define ZAPH_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The schema version in the file's `zaph_ledger = N` key. */
#define ZAPH_LEDGER_VERSION 1
/* The file name assign and the docs use; any name may be given. */
#define ZAPH_LEDGER_DEFAULT_NAME "zaph-tiers.toml"
/* Where the compiler plugins find a ledger: the plugins' argument "tiers", given as the list
 * file is (-fplugin-arg-zaph-tiers=FILE to clang's zaph-frontend.so and to GCC's plugin named
 * zaph), else this environment variable. */
#define ZAPH_TIERS_ENV "ZAPH_TIERS"

/* "YYYY-MM-DD" and "YYYY-MM-DDTHH:MM:SSZ", NUL-terminated; "" when absent. */
#define ZAPH_LEDGER_DATE_SIZE 11
#define ZAPH_LEDGER_TIME_SIZE 21

enum zaph_ledger_status {
  ZAPH_LEDGER_UNASSIGNED = 0, /* "Unassigned — Profiling": the data failed a gate */
  ZAPH_LEDGER_ASSIGNED = 1,
};

/* One assignment: the current one of an entry, or an earlier one in its history. */
struct zaph_ledger_assignment {
  enum zaph_ledger_status status;
  unsigned tier;                            /* 1 to 3 when assigned, else 0 */
  char assigned[ZAPH_LEDGER_DATE_SIZE];     /* the day it was recorded */
  char until[ZAPH_LEDGER_DATE_SIZE];        /* history only: the day it was replaced */
  char period_start[ZAPH_LEDGER_TIME_SIZE]; /* the profiling period of its data */
  char period_end[ZAPH_LEDGER_TIME_SIZE];
  uint64_t requests;          /* sample size: the requests of the merged profiles */
  uint64_t requests_touching; /* of them, the requests that entered the op */
  double frequency_pct;       /* requests_touching / requests, as the report rounds it */
  double interval_low_pct;    /* the confidence interval of the frequency, at confidence_pct */
  double interval_high_pct;
  double confidence_pct; /* the level at which the tier's band holds */
  char *source;          /* the data source of the profiles ("production", "load-test", ...) */
  char *approved_by;     /* free text; "" when none */
  char **reasons;        /* unassigned: the failing gates' names (assess.h's op_flag_name) */
  size_t reason_count;
};

struct zaph_ledger_entry {
  char *name; /* the op's function name, as profiles show it */
  char *file; /* its source file, relative to the ledger's directory where it could be made so */
  unsigned line;   /* shown; breaks ties only between ops that share name and file */
  int kind;        /* ZAPH_KIND_OP or ZAPH_KIND_REQUEST (zaph_profile.h) */
  char **previous_names; /* earlier names of the same op (renames), followed by lookups */
  size_t previous_name_count;
  struct zaph_ledger_assignment current;
  char review[ZAPH_LEDGER_DATE_SIZE]; /* the next review date ("" when unassigned) */
  struct zaph_ledger_assignment *history; /* earlier assignments, oldest first */
  size_t history_count;
};

struct zaph_ledger {
  char *path; /* as given to zaph_ledger_read(), for messages */
  struct zaph_ledger_entry *entries; /* in file order: by file, then name, then line */
  size_t entry_count;
};

/* Reads and checks the ledger at path. On failure returns NULL and writes one line,
 * "PATH:LINE:COLUMN: what is wrong" or "PATH: cannot read: REASON", into error (error_size
 * bytes). A missing file is reported as such; assign treats it as an empty ledger itself. */
struct zaph_ledger *zaph_ledger_read(const char *path, char *error, size_t error_size);
/* The same for text already in memory; name is used in messages. */
struct zaph_ledger *zaph_ledger_parse(const char *name, const char *text, size_t length,
                                      char *error, size_t error_size);
void zaph_ledger_free(struct zaph_ledger *ledger);

/* The entry for the op called name (its current name or one of its previous names), defined in
 * file, of the kind given: among entries with that name, the one whose file shares the most
 * trailing components with file (zaph_paths.h), then the nearest line. NULL when none has the
 * name with the same file name (last component), or when two share the best match equally. */
const struct zaph_ledger_entry *zaph_ledger_find(const struct zaph_ledger *ledger,
                                                 const char *name, const char *file,
                                                 unsigned line, int kind);

#ifdef __cplusplus
}
#endif

#endif
