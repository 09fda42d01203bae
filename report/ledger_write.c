/* Writing the ledger. Strings are TOML basic strings (", \ and control characters escaped);
 * numbers are written so that the reader gets the same double back, with at least one decimal
 * so TOML reads a float. */
#include "ledger_write.h"

#include "json_string.h"
#include "xalloc.h"
#include "zaph_paths.h"
#include "zaph_profile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int entry_order(const void *a, const void *b) {
  const struct zaph_ledger_entry *x = *(const struct zaph_ledger_entry *const *)a;
  const struct zaph_ledger_entry *y = *(const struct zaph_ledger_entry *const *)b;
  int c = strcmp(x->file, y->file);
  if (!c)
    c = strcmp(x->name, y->name);
  if (!c)
    c = (x->line > y->line) - (x->line < y->line);
  if (!c)
    c = (x->kind > y->kind) - (x->kind < y->kind);
  return c;
}

static void write_string(FILE *out, const char *text) {
  putc('"', out);
  for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
    switch (*c) {
    case '"': fputs("\\\"", out); break;
    case '\\': fputs("\\\\", out); break;
    case '\n': fputs("\\n", out); break;
    case '\t': fputs("\\t", out); break;
    case '\r': fputs("\\r", out); break;
    default:
      if (*c < 0x20 || *c == 0x7f)
        fprintf(out, "\\u%04X", *c);
      else
        putc(*c, out);
    }
  }
  putc('"', out);
}

/* The shortest fixed-point text with at least one decimal that reads back as value. */
static void write_number(FILE *out, double value) {
  char text[400];
  for (int digits = 1; digits <= 17; digits++) {
    snprintf(text, sizeof text, "%.*f", digits, value);
    if (strtod(text, NULL) == value)
      break;
  }
  fputs(text, out);
}

static void write_assignment(FILE *out, const struct zaph_ledger_assignment *a, int history,
                             const char *review) {
  fprintf(out, "status = \"%s\"\n", a->status == ZAPH_LEDGER_ASSIGNED ? "assigned" : "unassigned");
  if (a->status == ZAPH_LEDGER_ASSIGNED)
    fprintf(out, "tier = %u\n", a->tier);
  if (a->assigned[0])
    fprintf(out, "assigned = %s\n", a->assigned);
  if (history && a->until[0])
    fprintf(out, "until = %s\n", a->until);
  if (a->period_start[0])
    fprintf(out, "period_start = %s\n", a->period_start);
  if (a->period_end[0])
    fprintf(out, "period_end = %s\n", a->period_end);
  fprintf(out, "requests = %llu\nrequests_touching = %llu\nfrequency_pct = ",
          (unsigned long long)a->requests, (unsigned long long)a->requests_touching);
  write_number(out, a->frequency_pct);
  fputs("\ninterval_pct = [", out);
  write_number(out, a->interval_low_pct);
  fputs(", ", out);
  write_number(out, a->interval_high_pct);
  fputs("]\nconfidence_pct = ", out);
  write_number(out, a->confidence_pct);
  fputs("\nsource = ", out);
  write_string(out, a->source ? a->source : "");
  putc('\n', out);
  if (review && review[0])
    fprintf(out, "review = %s\n", review);
  fputs("approved_by = ", out);
  write_string(out, a->approved_by ? a->approved_by : "");
  putc('\n', out);
  if (a->status != ZAPH_LEDGER_ASSIGNED) {
    fputs("reasons = [", out);
    for (size_t i = 0; i < a->reason_count; i++) {
      fputs(i ? ", " : "", out);
      write_string(out, a->reasons[i]);
    }
    fputs("]\n", out);
  }
}

static void write_entry(FILE *out, const struct zaph_ledger_entry *e) {
  fputs("\n[[op]]\nname = ", out);
  write_string(out, e->name);
  fputs("\nfile = ", out);
  write_string(out, e->file);
  fprintf(out, "\nline = %u\nkind = \"%s\"\nprevious_names = [", e->line,
          zaph_kind_name(e->kind));
  for (size_t i = 0; i < e->previous_name_count; i++) {
    fputs(i ? ", " : "", out);
    write_string(out, e->previous_names[i]);
  }
  fputs("]\n", out);
  write_assignment(out, &e->current, 0, e->review);
  for (size_t i = 0; i < e->history_count; i++) {
    fputs("\n[[op.history]]\n", out);
    write_assignment(out, &e->history[i], 1, NULL);
  }
}

/* NULL when text is valid UTF-8, else a message naming what it is. */
static char *check_utf8(const char *what, const struct zaph_ledger_entry *e, const char *text) {
  if (!text)
    return NULL;
  char *repaired = utf8_repaired(text);
  int valid = strcmp(repaired, text) == 0;
  free(repaired);
  if (valid)
    return NULL;
  char *name = utf8_repaired(e->name);
  char *message = xformat("cannot record op '%s': its %s is not valid UTF-8, which TOML requires",
                          name, what);
  free(name);
  return message;
}

static char *check_assignment_utf8(const struct zaph_ledger_entry *e,
                                   const struct zaph_ledger_assignment *a) {
  char *message = check_utf8("data source", e, a->source);
  if (!message)
    message = check_utf8("approval", e, a->approved_by);
  return message;
}

static char *check_entry_utf8(const struct zaph_ledger_entry *e) {
  char *message = check_utf8("name", e, e->name);
  if (!message)
    message = check_utf8("file", e, e->file);
  for (size_t i = 0; !message && i < e->previous_name_count; i++)
    message = check_utf8("previous name", e, e->previous_names[i]);
  if (!message)
    message = check_assignment_utf8(e, &e->current);
  for (size_t i = 0; !message && i < e->history_count; i++)
    message = check_assignment_utf8(e, &e->history[i]);
  return message;
}

char *ledger_format(const struct zaph_ledger *ledger, size_t *length, char **error) {
  *error = NULL;
  const struct zaph_ledger_entry **sorted = xcalloc(ledger->entry_count + 1, sizeof *sorted);
  for (size_t i = 0; i < ledger->entry_count; i++) {
    sorted[i] = &ledger->entries[i];
    if ((*error = check_entry_utf8(sorted[i])) != NULL) {
      free(sorted);
      return NULL;
    }
  }
  qsort(sorted, ledger->entry_count, sizeof *sorted, entry_order);
  char *text = NULL;
  FILE *out = open_memstream(&text, length);
  if (!out)
    out_of_memory();
  fprintf(out, "# zaph tier ledger (docs/ledger.md): written by `zaph-report assign`.\n"
               "zaph_ledger = %d\n", ZAPH_LEDGER_VERSION);
  for (size_t i = 0; i < ledger->entry_count; i++)
    write_entry(out, sorted[i]);
  if (fclose(out) != 0)
    out_of_memory();
  free(sorted);
  return text;
}

/* The directory part of path, for the temporary file and the directory sync. */
static char *directory_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash)
    return xstrdup(".");
  if (slash == path)
    return xstrdup("/");
  return xformat("%.*s", (int)(slash - path), path);
}

static int write_all(int fd, const char *text, size_t length) {
  while (length > 0) {
    ssize_t n = write(fd, text, length);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -1;
    text += n;
    length -= (size_t)n;
  }
  return 0;
}

/* The file a write replaces: path, or the file the symbolic link at path names, followed as an
 * editor follows it, so that a linked ledger stays linked and its file is replaced in its own
 * directory. NULL, with errno set, for a link that leads to no file. */
static char *replaced_file(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
    return xstrdup(path);
  return realpath(path, NULL);
}

int ledger_write_file(const char *path, const char *text, size_t length, char **error) {
  char *target = replaced_file(path);
  if (!target) {
    *error = xformat("%s: cannot write: a symbolic link to no file (%s)", path, strerror(errno));
    return -1;
  }
  char *directory = directory_of(target);
  char *temporary = xformat("%s/.%s.XXXXXX", directory, zaph_path_base(target));
  struct stat old;
  mode_t mode;
  if (stat(target, &old) == 0) {
    mode = old.st_mode & 07777;
  } else {
    mode_t mask = umask(0);
    umask(mask);
    mode = 0666 & ~mask;
  }
  int fd = mkstemp(temporary), err = 0;
  if (fd < 0) {
    err = errno;
  } else {
    if (fchmod(fd, mode) != 0 || write_all(fd, text, length) != 0 || fsync(fd) != 0)
      err = errno;
    if (close(fd) != 0 && !err)
      err = errno;
    if (!err && rename(temporary, target) != 0)
      err = errno;
    if (err)
      unlink(temporary);
  }
  if (!err) {
    /* The rename is durable once the directory is; a directory that cannot be opened or synced
     * (some file systems) leaves the file written all the same. */
    int dir = open(directory, O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {
      fsync(dir);
      close(dir);
    }
  }
  free(temporary);
  free(directory);
  free(target);
  if (!err)
    return 0;
  *error = xformat("%s: cannot write: %s", path, strerror(err));
  return -1;
}
