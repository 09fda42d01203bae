/* The optional service thread, for long-running programs: writes the profile on a signal
 * (ZAPH_DUMP_SIGNAL), every few seconds (ZAPH_FLUSH_INTERVAL), and before a termination signal
 * ends the process (ZAPH_DUMP_ON_SIGNALS). Signal handlers only post a semaphore, which is
 * async-signal-safe; the thread does the writing. Nothing starts unless a variable asks for it. */
#include "runtime.h"

#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static sem_t wakeup;
static int dump_signal;
static long flush_seconds;
static sigset_t fatal_signals;
static int have_fatal;
/* Counts finished writes; read in a signal handler on another thread, so atomic (lock-free
 * atomics are async-signal-safe). */
static unsigned dumps_done;

static const struct {
  const char *name;
  int number;
} signal_names[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"USR1", SIGUSR1},
    {"USR2", SIGUSR2}, {"TERM", SIGTERM}, {"ALRM", SIGALRM},
};

/* Reads a signal given as USR1, SIGUSR1 or a number; 0 if it is none of these. */
static int parse_signal(const char *text) {
  if (strncmp(text, "SIG", 3) == 0)
    text += 3;
  for (size_t i = 0; i < sizeof signal_names / sizeof signal_names[0]; i++)
    if (strcmp(text, signal_names[i].name) == 0)
      return signal_names[i].number;
  char *end;
  long n = strtol(text, &end, 10);
  return *text && !*end && n > 0 && n < NSIG ? (int)n : 0;
}

static void on_dump_signal(int sig) {
  (void)sig;
  int saved = errno;
  sem_post(&wakeup);
  errno = saved;
}

/* On a thread in a write (a zaph_dump(), the exit-time write), which holds the lock every
 * write takes: that write goes on and is the last one, and the process dies of the signal
 * when it is done. Elsewhere: asks the service thread for a dump and waits for it, at most
 * FATAL_DUMP_SECONDS; a write still unfinished then is abandoned, its temporary file removed,
 * and the process dies of the signal. */
#define FATAL_DUMP_SECONDS 10
static void on_fatal_signal(int sig) {
  if (zaph_defer_to_write_end(sig))
    return;
  unsigned before = __atomic_load_n(&dumps_done, __ATOMIC_ACQUIRE);
  sem_post(&wakeup);
  struct timespec tick = {0, 1000000};
  int done = 0;
  for (int i = 0; i < FATAL_DUMP_SECONDS * 1000 && !done; i++) {
    done = __atomic_load_n(&dumps_done, __ATOMIC_ACQUIRE) != before;
    if (!done)
      nanosleep(&tick, NULL);
  }
  if (!done)
    zaph_abandon_write();
  zaph_die_of_signal(sig);
}

static int install(int sig, void (*handler)(int), const char *variable) {
  struct sigaction old, sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  if (sigaction(sig, NULL, &old) != 0 || sigaction(sig, &old, NULL) != 0) {
    zaph_error("%s: signal %d cannot be caught: %s", variable, sig, strerror(errno));
    return -1;
  }
  /* An ignored signal (nohup, a background job's SIGINT) is the program's choice, and an
   * exec'ed child inherits it: it stays ignored. */
  if (old.sa_handler == SIG_IGN) {
    zaph_error("%s: signal %d is ignored by the program; leaving it ignored", variable, sig);
    return -1;
  }
  if (old.sa_handler != SIG_DFL) {
    zaph_error("%s: signal %d already has a handler; leaving it to the program", variable, sig);
    return -1;
  }
  if (sigaction(sig, &sa, NULL) != 0) {
    zaph_error("%s: signal %d cannot be caught: %s", variable, sig, strerror(errno));
    return -1;
  }
  return 0;
}

static void *service_main(void *arg) {
  (void)arg;
  zaph_runtime_enter(); /* the runtime's own thread: never counted */
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals go to the program's threads */
  struct timespec next;
  clock_gettime(CLOCK_REALTIME, &next);
  for (;;) {
    int woken;
    if (flush_seconds) {
      next.tv_sec += flush_seconds;
      while ((woken = sem_timedwait(&wakeup, &next)) != 0 && errno == EINTR)
        ;
    } else {
      while ((woken = sem_wait(&wakeup)) != 0 && errno == EINTR)
        ;
    }
    if (woken == 0 || flush_seconds)
      zaph_write_profile_unless_exiting();
    __atomic_add_fetch(&dumps_done, 1, __ATOMIC_RELEASE);
  }
  return NULL;
}

static void start_thread(void) {
  pthread_t thread;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  int err = pthread_create(&thread, &attr, service_main, NULL);
  pthread_attr_destroy(&attr);
  if (err)
    zaph_error("cannot start the profile service thread: %s", strerror(err));
}

/* fork() keeps only the calling thread: the child gets a service thread of its own. */
static void restart_in_child(void) {
  sem_init(&wakeup, 0, 0);
  start_thread();
}

static void read_fatal_signals(const char *list) {
  char *copy = strdup(list), *save = NULL;
  sigemptyset(&fatal_signals);
  for (char *item = copy ? strtok_r(copy, ",", &save) : NULL; item;
       item = strtok_r(NULL, ",", &save)) {
    int sig = parse_signal(item);
    if (!sig) {
      zaph_error("ZAPH_DUMP_ON_SIGNALS=%s: unknown signal '%s' (use names such as TERM,INT)",
                 list, item);
      continue;
    }
    if (install(sig, on_fatal_signal, "ZAPH_DUMP_ON_SIGNALS") == 0) {
      sigaddset(&fatal_signals, sig);
      have_fatal = 1;
    }
  }
  free(copy);
}

void zaph_service_init(void) {
  const char *sig = getenv("ZAPH_DUMP_SIGNAL");
  const char *interval = getenv("ZAPH_FLUSH_INTERVAL");
  const char *fatal = getenv("ZAPH_DUMP_ON_SIGNALS");
  if (sem_init(&wakeup, 0, 0) != 0)
    return;
  if (sig && *sig) {
    dump_signal = parse_signal(sig);
    if (!dump_signal)
      zaph_error("ZAPH_DUMP_SIGNAL=%s: unknown signal (use a name such as USR1, or a number)",
                 sig);
    else if (install(dump_signal, on_dump_signal, "ZAPH_DUMP_SIGNAL") != 0)
      dump_signal = 0;
  }
  if (interval && *interval) {
    char *end;
    long n = strtol(interval, &end, 10);
    if (*end || n <= 0 || n > 86400)
      zaph_error("ZAPH_FLUSH_INTERVAL=%s: not a whole number of seconds from 1 to 86400",
                 interval);
    else
      flush_seconds = n;
  }
  if (fatal && *fatal)
    read_fatal_signals(fatal);
  if (dump_signal || flush_seconds || have_fatal) {
    start_thread();
    pthread_atfork(NULL, NULL, restart_in_child);
  }
}
