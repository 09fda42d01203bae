/* The runtime's own writes raise no signal in the program: SIGPIPE (a pipe whose reader has
 * gone, as stderr may be) and SIGXFSZ (a file grown past RLIMIT_FSIZE) are blocked on the
 * writing thread around each write, truncation or allocation, and one that the call itself
 * raised is taken back before they are unblocked, so the call fails with EPIPE or EFBIG and
 * the runtime reports that instead. A leaf: it calls nothing else of the runtime. */
#include "runtime.h"

#include <errno.h>
#include <signal.h>
#include <time.h>

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
