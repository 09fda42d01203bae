/* The runtime's configuration, read once at start-up: where profiles go (ZAPH_PROFILE_FILE, a
 * path template with %p, %h, %m, %c and %%), whether counting is continuous (ZAPH_CONTINUOUS),
 * the data source (ZAPH_SOURCE), the node_exporter textfile (ZAPH_PROM_FILE, %p and %%),
 * whether this run writes at all (ZAPH_WRITE) and times at all (ZAPH_TIMING); the templates'
 * expansion into paths, the merge lock beside the profile, and when counting started. A bad
 * value is reported and the default used. Below the counting core and the writers: it calls
 * only the leaves util.c, files.c and program.c. */
#include "runtime.h"

#include "zaph_profile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_PROFILE_FILE "zaph-%p.prof"

struct zaph_config zaph_config;
static time_t start_time;

void zaph_mark_start(void) { start_time = time(NULL); }

time_t zaph_start_time(void) { return start_time; }

static int known_source(const char *s) {
#define ZAPH_IS_SOURCE(name) if (strcmp(s, #name) == 0) return 1;
  ZAPH_SOURCES(ZAPH_IS_SOURCE)
#undef ZAPH_IS_SOURCE
  return 0;
}

/* Checks a path template; returns 0, or -1 after reporting the first bad conversion. */
static int check_template(const char *t) {
  for (const char *p = t; *p; p++) {
    if (*p != '%')
      continue;
    p++;
    if (*p != 'p' && *p != 'h' && *p != 'm' && *p != 'c' && *p != '%') {
      zaph_error("ZAPH_PROFILE_FILE=%s: unknown conversion '%%%.1s' (known: %%p pid, %%h host, "
                 "%%m program signature and merge mode, %%c continuous mode, %%%% percent); "
                 "using %s",
                 t, *p ? p : "", DEFAULT_PROFILE_FILE);
      return -1;
    }
    zaph_config.merge |= *p == 'm';
    zaph_config.continuous |= *p == 'c';
  }
  return 0;
}

/* ZAPH_PROM_FILE: DIR/NAME.prom, since node_exporter's textfile collector reads only *.prom;
 * NAME, the process label, not empty. A bad value is reported and no textfile is written.
 * Returns -1 only when memory runs out. */
static int prom_config_init(void) {
  const char *t = getenv("ZAPH_PROM_FILE");
  if (!t)
    return 0;
  if (!*t) {
    zaph_error("ZAPH_PROM_FILE is empty; no metrics file is written");
    return 0;
  }
  const char *problem = NULL, *base = strrchr(t, '/');
  size_t len = strlen(t), suffix = strlen(ZAPH_PROM_SUFFIX);
  base = base ? base + 1 : t;
  for (const char *p = t; *p; p++)
    if (*p == '%' && (++p, *p != 'p' && *p != '%')) {
      zaph_error("ZAPH_PROM_FILE=%s: unknown conversion '%%%.1s' (known: %%p pid, %%%% "
                 "percent); no metrics file is written", t, p);
      return 0;
    }
  if (len < suffix || strcmp(t + len - suffix, ZAPH_PROM_SUFFIX) != 0)
    problem = "the name must end in " ZAPH_PROM_SUFFIX
              " (node_exporter's textfile collector reads only those)";
  else if ((size_t)(t + len - base) == suffix)
    problem = "no NAME before " ZAPH_PROM_SUFFIX " (expected DIR/NAME" ZAPH_PROM_SUFFIX ")";
  else if (zaph_config.continuous)
    problem = "not supported in continuous mode (zaph-report --format=openmetrics reads the "
              "continuous profile)";
  if (problem) {
    zaph_error("ZAPH_PROM_FILE=%s: %s; no metrics file is written", t, problem);
    return 0;
  }
  zaph_config.prom_template = strdup(t);
  return zaph_config.prom_template ? 0 : -1;
}

int zaph_config_init(void) {
  const char *t = getenv("ZAPH_PROFILE_FILE");
  if (t && !*t) {
    zaph_error("ZAPH_PROFILE_FILE is empty; using %s", DEFAULT_PROFILE_FILE);
    t = NULL;
  }
  if (t && check_template(t) != 0) {
    t = NULL;
    zaph_config.merge = zaph_config.continuous = 0;
  }
  const char *c = getenv("ZAPH_CONTINUOUS");
  if (c && (strcmp(c, "0") == 0 || strcmp(c, "1") == 0))
    zaph_config.continuous |= *c == '1';
  else if (c)
    zaph_error("ZAPH_CONTINUOUS=%s: expected 0 or 1; continuous mode is off", c);
  const char *w = getenv("ZAPH_WRITE");
  if (w && strcmp(w, "0") == 0)
    zaph_config.no_write = 1;
  else if (w && strcmp(w, "1") != 0)
    zaph_error("ZAPH_WRITE=%s: expected 0 (write no profile) or 1; the profile is written", w);
  const char *timing = getenv("ZAPH_TIMING");
  if (timing && strcmp(timing, "0") == 0)
    zaph_config.no_timing = 1;
  else if (timing && strcmp(timing, "1") != 0)
    zaph_error("ZAPH_TIMING=%s: expected 0 (count timed ops without timing them) or 1; timed "
               "ops are timed", timing);
  /* A run that writes nothing opens no file: neither a continuous profile nor a merge lock. */
  if (zaph_config.no_write)
    zaph_config.merge = zaph_config.continuous = 0;
  zaph_config.path_template = strdup(t ? t : DEFAULT_PROFILE_FILE);
  const char *s = getenv("ZAPH_SOURCE");
  if (s && !known_source(s))
    zaph_warning("ZAPH_SOURCE=%s is not one of production, staging-replay, load-test, "
                 "synthetic; recorded as given", s);
  zaph_config.source = strdup(s ? s : "unspecified");
  int prom_ok = prom_config_init();
  return zaph_config.path_template && zaph_config.source && prom_ok == 0 ? 0 : -1;
}

/* A short signature of the executable, so that merge mode never adds up different programs:
 * FNV-1a of its path, in hex. */
static void program_signature(char out[17]) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (const char *c = zaph_program_path(); *c; c++)
    h = (h ^ (unsigned char)*c) * 0x100000001b3ull;
  snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* A template expanded: %p pid, %h host, %m the program's signature, %c nothing, %% percent. */
static char *expand(const char *template) {
  if (!template)
    return NULL;
  char host[ZAPH_HOST_NAME_SIZE], pid[24], signature[17];
  zaph_host_name(host);
  snprintf(pid, sizeof pid, "%ld", (long)getpid());
  program_signature(signature);
  size_t cap = strlen(template) * 2 + 512, n = 0;
  char *out = malloc(cap);
  if (!out)
    return NULL;
  for (const char *p = template; *p; p++) {
    const char *piece = p;
    size_t len = 1;
    if (*p == '%' && p[1]) {
      p++;
      piece = *p == 'p' ? pid : *p == 'h' ? host : *p == 'm' ? signature : *p == 'c' ? "" : "%";
      len = strlen(piece);
    }
    if (n + len + 1 > cap) {
      char *bigger = realloc(out, cap = (n + len + 1) * 2);
      if (!bigger) {
        free(out);
        return NULL;
      }
      out = bigger;
    }
    memcpy(out + n, piece, len);
    n += len;
  }
  out[n] = '\0';
  return out;
}

char *zaph_profile_path(void) { return expand(zaph_config.path_template); }

char *zaph_prom_path(void) { return expand(zaph_config.prom_template); }

/* The merge lock is on "<path>.lock", a file never renamed: a lock on the profile itself would
 * be lost with its inode at the rename. */
int zaph_lock_profile(const char *path, const char **problem) {
  size_t len = strlen(path);
  char *lock_path = malloc(len + sizeof ".lock");
  if (!lock_path) {
    *problem = strerror(ENOMEM);
    return -1;
  }
  memcpy(lock_path, path, len);
  memcpy(lock_path + len, ".lock", sizeof ".lock");
  int fd = zaph_open_regular(lock_path, O_RDWR | O_CREAT, problem);
  free(lock_path);
  if (fd >= 0 && zaph_lock_fd(fd, F_WRLCK, 0) != 0) {
    *problem = strerror(errno);
    close(fd);
    fd = -1;
  }
  return fd;
}
