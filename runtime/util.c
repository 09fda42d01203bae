/* The runtime's diagnostics and small utilities: the "zaph: error:" and "zaph: warning:" lines,
 * writes that raise no signal in the program, growing arrays, dying of a signal. A leaf, like
 * every file of its kind (docs/design.md): it calls nothing else of the runtime, so any file may
 * call it. */
#include "runtime.h"

#include "zaph_profile.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* The runtime's own writes raise no signal in the program: SIGPIPE (a pipe whose reader has
 * gone, as stderr may be) and SIGXFSZ (a file grown past RLIMIT_FSIZE) are blocked on the
 * writing thread around each write, truncation or allocation, and one that the call itself
 * raised is taken back before they are unblocked, so the call fails with EPIPE or EFBIG and
 * the runtime reports that instead. */
static const int quiet_signals[] = {SIGPIPE, SIGXFSZ};
#define N_QUIET (sizeof quiet_signals / sizeof quiet_signals[0])

void zaph_signals_hold(struct zaph_signal_hold *hold) {
  int saved = errno;
  sigset_t quiet;
  sigemptyset(&quiet);
  for (unsigned i = 0; i < N_QUIET; i++)
    sigaddset(&quiet, quiet_signals[i]);
  pthread_sigmask(SIG_BLOCK, &quiet, &hold->mask);
  sigpending(&hold->pending);
  errno = saved;
}

/* A signal pending now that was not before was raised by the runtime's own call (or, in the
 * same instant, sent by someone else, which is then lost with it). */
void zaph_signals_release(struct zaph_signal_hold *hold) {
  int saved = errno;
  sigset_t now;
  sigpending(&now);
  for (unsigned i = 0; i < N_QUIET; i++) {
    int sig = quiet_signals[i];
    if (sigismember(&now, sig) && !sigismember(&hold->pending, sig)) {
      sigset_t one;
      sigemptyset(&one);
      sigaddset(&one, sig);
      struct timespec no_wait = {0, 0};
      while (sigtimedwait(&one, NULL, &no_wait) < 0 && errno == EINTR)
        ;
    }
  }
  pthread_sigmask(SIG_SETMASK, &hold->mask, NULL);
  errno = saved;
}

int zaph_write_all(int fd, const char *data, size_t len) {
  struct zaph_signal_hold hold;
  zaph_signals_hold(&hold); /* past RLIMIT_FSIZE: EFBIG, not SIGXFSZ */
  int rc = 0;
  while (len && rc == 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      rc = -1;
      break;
    }
    data += n;
    len -= (size_t)n;
  }
  zaph_signals_release(&hold);
  return rc;
}

/* Room for n bytes: buf (of size bytes) when they fit, else a fresh mapping (never malloc(): a
 * thread's first entry may report from a signal handler that interrupted it), else NULL. */
static char *room(char *buf, size_t size, size_t n) {
  if (n <= size)
    return buf;
  void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

/* Writes "zaph: <level>: <message>" as one line, in one write(), however long it is (the
 * reason comes last: cutting the line would lose it), with every byte that would break the
 * line or make it ambiguous (newline, other control characters, backslash) escaped as in a
 * profile, so a value with a newline still prints one line. */
static void report(const char *level, const char *fmt, va_list ap) {
  int saved = errno;
  char text_buf[1024], line_buf[2048];
  va_list again;
  va_copy(again, ap);
  int formatted = vsnprintf(text_buf, sizeof text_buf, fmt, ap);
  size_t n = formatted > 0 ? (size_t)formatted : 0;
  char *text = room(text_buf, sizeof text_buf, n + 1);
  if (!text) {
    text = text_buf;
    n = sizeof text_buf - 1;
  } else if (text != text_buf) {
    vsnprintf(text, n + 1, fmt, again);
  }
  va_end(again);
  size_t head = strlen("zaph: ") + strlen(level) + strlen(": ");
  size_t escaped = zaph_escape(NULL, 0, text, n), len = head + escaped + 1;
  char *line = room(line_buf, sizeof line_buf, len + 1);
  if (line) {
    snprintf(line, head + 1, "zaph: %s: ", level);
    zaph_escape(line + head, escaped + 1, text, n);
    line[len - 1] = '\n';
    zaph_write_all(STDERR_FILENO, line, len); /* stderr may be a pipe nobody reads: no SIGPIPE */
    if (line != line_buf)
      munmap(line, len + 1);
  }
  if (text != text_buf)
    munmap(text, n + 1);
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

int zaph_grow(void *items, uint32_t *cap, uint32_t count, size_t size, uint32_t first) {
  if (count < *cap)
    return 0;
  uint32_t want = *cap ? *cap * 2 : first;
  void *grown = realloc(*(void **)items, (size_t)want * size);
  if (!grown)
    return -1;
  *(void **)items = grown;
  *cap = want;
  return 0;
}

int zaph_grow_zeroed(void *items, uint32_t *cap, uint32_t need, size_t size, uint32_t first) {
  if (need <= *cap)
    return 0;
  uint32_t want = *cap ? *cap : first;
  while (want < need)
    want *= 2;
  char *grown = realloc(*(void **)items, (size_t)want * size);
  if (!grown)
    return -1;
  memset(grown + (size_t)*cap * size, 0, (size_t)(want - *cap) * size);
  *(void **)items = grown;
  *cap = want;
  return 0;
}

void zaph_die_of_signal(int sig) {
  signal(sig, SIG_DFL);
  raise(sig);
}
