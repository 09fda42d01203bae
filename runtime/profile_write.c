/* Writing the profile: reads ZAPH_PROFILE_FILE and ZAPH_SOURCE once, snapshots the counts,
 * formats them as include/zaph_profile.h defines, and replaces the file atomically (temporary
 * file in the same directory, fsync, rename). Runs at exit (registered once) and on zaph_dump();
 * every failure is one "zaph: error:" line and a -1, never a change to the host program. */
#include "runtime.h"

#include "zaph_profile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_PROFILE_FILE "zaph-%p.prof"

static char *path_template;
static char *source;
static time_t start_time;
static int exiting;
/* Serializes whole writes (snapshot to rename), so an older snapshot never replaces a newer
 * one; taken before zaph_lock, never inside it. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static void report(const char *level, const char *fmt, va_list ap) {
  int saved = errno;
  char line[1024];
  vsnprintf(line, sizeof line, fmt, ap);
  dprintf(STDERR_FILENO, "zaph: %s: %s\n", level, line);
  errno = saved;
}

void zaph_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report("error", fmt, ap);
  va_end(ap);
}

void zaph_warning(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report("warning", fmt, ap);
  va_end(ap);
}

void zaph_mark_start(void) { start_time = time(NULL); }

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
    if (*p != 'p' && *p != 'h' && *p != '%') {
      zaph_error("ZAPH_PROFILE_FILE=%s: unknown conversion '%%%.1s' (known: %%p pid, %%h host, "
                 "%%%% percent); using %s", t, *p ? p : "", DEFAULT_PROFILE_FILE);
      return -1;
    }
  }
  return 0;
}

static int write_profile_locked(void);

/* The exit-time write: the last one, whatever the service thread is doing. */
static void exit_hook(void) {
  pthread_mutex_lock(&write_lock);
  if (!exiting) {
    exiting = 1;
    write_profile_locked();
  }
  pthread_mutex_unlock(&write_lock);
}

int zaph_config_init(void) {
  const char *t = getenv("ZAPH_PROFILE_FILE");
  if (t && !*t) {
    zaph_error("ZAPH_PROFILE_FILE is empty; using %s", DEFAULT_PROFILE_FILE);
    t = NULL;
  }
  if (t && check_template(t) != 0)
    t = NULL;
  path_template = strdup(t ? t : DEFAULT_PROFILE_FILE);
  const char *s = getenv("ZAPH_SOURCE");
  if (s && !known_source(s))
    zaph_warning("ZAPH_SOURCE=%s is not one of production, staging-replay, load-test, "
                 "synthetic; recorded as given", s);
  source = strdup(s ? s : "unspecified");
  atexit(exit_hook);
  return path_template && source ? 0 : -1;
}

/* Expands %p, %h and %% of the path template; returns a malloc()ed path or NULL. */
static char *expand_path(void) {
  char host[256] = "unknown", pid[24];
  gethostname(host, sizeof host - 1);
  snprintf(pid, sizeof pid, "%ld", (long)getpid());
  size_t cap = strlen(path_template) * 2 + 512, n = 0;
  char *out = malloc(cap);
  if (!out)
    return NULL;
  for (const char *p = path_template; *p; p++) {
    const char *piece = p;
    size_t len = 1;
    if (*p == '%' && p[1]) {
      p++;
      piece = *p == 'p' ? pid : *p == 'h' ? host : "%";
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

/* A growing output buffer; failed is set once an allocation fails. */
struct buffer {
  char *data;
  size_t len, cap;
  int failed;
};

static void put(struct buffer *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct buffer *b, const char *fmt, ...) {
  if (!b->data && !b->failed && !(b->data = malloc(b->cap = 4096)))
    b->failed = 1;
  for (;;) {
    if (b->failed)
      return;
    va_list ap;
    va_start(ap, fmt);
    size_t room = b->cap - b->len;
    int n = vsnprintf(b->data + b->len, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
      b->failed = 1;
      return;
    }
    if ((size_t)n < room) {
      b->len += (size_t)n;
      return;
    }
    size_t cap = (b->cap + (size_t)n + 1) * 2;
    char *data = realloc(b->data, cap);
    if (!data) {
      b->failed = 1;
      return;
    }
    b->data = data;
    b->cap = cap;
  }
}

static void put_text(struct buffer *b, const char *text) {
  size_t len = strnlen(text, ZAPH_PROFILE_MAX_TEXT);
  char escaped[4 * ZAPH_PROFILE_MAX_TEXT + 1];
  zaph_escape(escaped, sizeof escaped, text, len);
  put(b, "%s", escaped);
}

static void put_time(struct buffer *b, time_t t) {
  struct tm tm;
  char text[32];
  gmtime_r(&t, &tm);
  strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  put(b, "%s", text);
}

static int compare_ops(const void *a, const void *b) {
  const struct op_info *x = &zaph_ops[*(const uint32_t *)a], *y = &zaph_ops[*(const uint32_t *)b];
  struct zaph_identity ix = {x->name, x->file, x->line, (int)x->kind};
  struct zaph_identity iy = {y->name, y->file, y->line, (int)y->kind};
  return zaph_identity_compare(&ix, &iy);
}

/* Formats the whole profile under the lock, so it is one consistent snapshot. */
static int format_profile(struct buffer *b) {
  pthread_mutex_lock(&zaph_lock);
  uint32_t n = zaph_op_count;
  struct op_counts *counts = calloc(n ? n : 1, sizeof *counts);
  uint32_t *order = malloc((n ? n : 1) * sizeof *order);
  uint64_t requests = 0;
  if (!counts || !order) {
    pthread_mutex_unlock(&zaph_lock);
    free(counts);
    free(order);
    return -1;
  }
  zaph_snapshot_locked(counts, &requests);
  for (uint32_t i = 0; i < n; i++)
    order[i] = i;
  qsort(order, n, sizeof *order, compare_ops);

  char program[4096];
  ssize_t len = readlink("/proc/self/exe", program, sizeof program - 1);
  program[len > 0 ? len : 0] = '\0';
  char host[256] = "unknown";
  gethostname(host, sizeof host - 1);

  put(b, "%s %d\n", ZAPH_PROFILE_MAGIC, ZAPH_PROFILE_VERSION);
  put(b, "program\t");
  put_text(b, program);
  put(b, "\npid\t%ld\nhost\t", (long)getpid());
  put_text(b, host);
  put(b, "\nstart\t");
  put_time(b, start_time);
  put(b, "\nend\t");
  put_time(b, time(NULL));
  put(b, "\nsource\t");
  put_text(b, source ? source : "unspecified");
  put(b, "\nrequests\t%llu\nops\t%u\n", (unsigned long long)requests, n);
  for (uint32_t i = 0; i < n; i++) {
    const struct op_info *op = &zaph_ops[order[i]];
    const struct op_counts *c = &counts[order[i]];
    put(b, "op\t%s\t%u\t%llu\t%llu\t%llu\t%u\t", zaph_kind_name((int)op->kind), op->tier,
        (unsigned long long)c->entries, (unsigned long long)c->touched,
        (unsigned long long)c->outside, op->line);
    put_text(b, op->file);
    put(b, "\t");
    put_text(b, op->name);
    put(b, "\n");
  }
  put(b, "%s\t%u\n", ZAPH_PROFILE_END, n);
  pthread_mutex_unlock(&zaph_lock);
  free(counts);
  free(order);
  return b->failed ? -1 : 0;
}

static int write_all(int fd, const char *data, size_t len) {
  while (len) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return -1;
    data += n;
    len -= (size_t)n;
  }
  return 0;
}

/* A device or FIFO (/dev/stderr, a pipe) is written in place: it cannot be renamed over. */
static int write_to_special_file(const char *path, const char *data, size_t len) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write_all(fd, data, len) != 0) {
    zaph_error("cannot write profile: %s: %s", path, strerror(errno ? errno : EIO));
    if (fd >= 0)
      close(fd);
    return -1;
  }
  close(fd);
  return 0;
}

/* Writes data to path through a temporary file in the same directory and rename(), so a reader
 * sees the old file or the new one, never part of one. */
static int write_profile_atomically(const char *path, const char *data, size_t len) {
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    zaph_error("cannot write profile: %s: %s", path, strerror(EISDIR));
    return -1;
  }
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
    return write_to_special_file(path, data, len);
  size_t plen = strlen(path);
  char *tmp = malloc(plen + 8);
  if (!tmp) {
    zaph_error("cannot write profile: %s: %s", path, strerror(ENOMEM));
    return -1;
  }
  memcpy(tmp, path, plen);
  memcpy(tmp + plen, ".XXXXXX", 8);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    zaph_error("cannot write profile: %s: %s", path, strerror(errno));
    free(tmp);
    return -1;
  }
  if (write_all(fd, data, len) != 0 || fsync(fd) != 0 || fchmod(fd, 0644) != 0) {
    zaph_error("cannot write profile: %s: %s", path, strerror(errno ? errno : EIO));
    close(fd);
    unlink(tmp);
    free(tmp);
    return -1;
  }
  if (close(fd) != 0 || rename(tmp, path) != 0) {
    zaph_error("cannot write profile: %s: %s", path, strerror(errno));
    unlink(tmp);
    free(tmp);
    return -1;
  }
  free(tmp);
  return 0;
}

static int write_profile_locked(void) {
  int saved = errno;
  struct buffer b = {0};
  char *path = expand_path();
  int rc = -1;
  if (!path || format_profile(&b) != 0)
    zaph_error("cannot write profile: %s: %s", path ? path : path_template, strerror(ENOMEM));
  else
    rc = write_profile_atomically(path, b.data, b.len);
  free(path);
  free(b.data);
  errno = saved;
  return rc;
}

int zaph_write_profile(void) {
  pthread_mutex_lock(&write_lock);
  int rc = write_profile_locked();
  pthread_mutex_unlock(&write_lock);
  return rc;
}

int zaph_write_profile_unless_exiting(void) {
  pthread_mutex_lock(&write_lock);
  int rc = exiting ? 0 : write_profile_locked();
  pthread_mutex_unlock(&write_lock);
  return rc;
}

static void lock_for_fork(void) { pthread_mutex_lock(&write_lock); }
static void unlock_after_fork(void) { pthread_mutex_unlock(&write_lock); }

/* Registered after the thread code's handlers, so a fork takes write_lock before zaph_lock,
 * the order every writer takes them in. */
void zaph_profile_write_atfork(void) {
  pthread_atfork(lock_for_fork, unlock_after_fork, unlock_after_fork);
}

ZAPH_API int zaph_dump(void) {
  zaph_once_init();
  return zaph_write_profile();
}
