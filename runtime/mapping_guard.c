/* Continuous mode's guard against its file being cut short under the mapping (`: > file`,
 * truncate, logrotate's copytruncate): a store to a page past the file's end raises SIGBUS,
 * which would kill the program in the middle of an op entry. The guard's handler takes a
 * SIGBUS at an address inside the guarded range: it puts anonymous memory there, so the
 * interrupted store and every later one land in memory (those counts are lost, the program
 * goes on), and notes it for the runtime to report. Any other SIGBUS goes to the handler the
 * program had, or kills the process as it would have. A leaf: it calls nothing else of the
 * runtime. */
#include "runtime.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

static char *guarded; /* start of the range, NULL for none; read in the handler */
static size_t guarded_bytes;
static int tripped;
static struct sigaction previous;
static int installed;

static void on_sigbus(int sig, siginfo_t *info, void *context) {
  char *base = __atomic_load_n(&guarded, __ATOMIC_ACQUIRE), *at = info->si_addr;
  if (base && info->si_code > 0 && at >= base && at < base + guarded_bytes) {
    int saved = errno;
    void *p = mmap(base, guarded_bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    errno = saved;
    if (p != MAP_FAILED) {
      __atomic_store_n(&tripped, 1, __ATOMIC_RELEASE);
      return; /* the store runs again, into memory */
    }
  }
  if (previous.sa_flags & SA_SIGINFO) {
    previous.sa_sigaction(sig, info, context);
  } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
    previous.sa_handler(sig);
  } else {
    /* As without the guard: a fault repeats when the handler returns and kills the process;
     * a SIGBUS that was sent is sent again. */
    signal(sig, SIG_DFL);
    if (info->si_code <= 0)
      raise(sig);
  }
}

int zaph_guard_mapping(char *base, size_t bytes) {
  if (!installed) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGBUS, &sa, &previous) != 0)
      return -1;
    installed = 1;
  }
  guarded_bytes = bytes;
  __atomic_store_n(&tripped, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&guarded, base, __ATOMIC_RELEASE);
  return 0;
}

int zaph_mapping_cut_short(void) { return __atomic_load_n(&tripped, __ATOMIC_ACQUIRE); }
