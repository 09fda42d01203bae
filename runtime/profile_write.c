/* Writing the profile: on each write takes a snapshot (profile_text.c), writes it as metrics to
 * the node_exporter textfile if there is one (ZAPH_PROM_FILE), merges it with the file under a
 * lock in merge mode (%m, profile_merge.c), and replaces each file atomically (a temporary file
 * in the same directory, fsync, rename: files.c). Runs at exit (api.c registers
 * the hook once), on zaph_dump(), before an exec and from the service thread; every failure is
 * one "zaph: error:" line and a -1, never a change to the host program. */
#include "runtime.h"

#include "zaph_profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Merge mode, or an exec's successor: the snapshot this process last added to the file. */
static struct profile merged_base;
static int exiting;
/* Serializes whole writes (snapshot to rename), so an older snapshot never replaces a newer
 * one; taken before zaph_lock, never inside it. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
/* Whether this thread is in a write (from before it waits for write_lock until it has let it
 * go), and a fatal signal that arrived on such a thread meanwhile; both read and set in
 * service.c's signal handler. */
static __thread int in_write __attribute__((tls_model("initial-exec")));
static int deferred_signal;
/* The temporary file of the write in progress, for a signal handler to remove. */
static char temp_in_progress[4096];
static int temp_recorded;

static void begin_write(void) {
  __atomic_store_n(&in_write, 1, __ATOMIC_RELAXED);
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  pthread_mutex_lock(&write_lock);
}

/* Ends a write; a fatal signal that arrived during it takes effect now that it is done. */
static void end_write(void) {
  pthread_mutex_unlock(&write_lock);
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  __atomic_store_n(&in_write, 0, __ATOMIC_RELAXED);
  int sig = __atomic_exchange_n(&deferred_signal, 0, __ATOMIC_ACQ_REL);
  if (sig)
    zaph_die_of_signal(sig);
}

int zaph_defer_to_write_end(int sig) {
  if (!__atomic_load_n(&in_write, __ATOMIC_RELAXED))
    return 0;
  __atomic_store_n(&deferred_signal, sig, __ATOMIC_RELEASE);
  return 1;
}

void zaph_abandon_write(void) {
  if (__atomic_load_n(&temp_recorded, __ATOMIC_ACQUIRE))
    unlink(temp_in_progress);
}

static void record_temp(const char *tmp) {
  size_t len = strlen(tmp);
  if (len < sizeof temp_in_progress) {
    memcpy(temp_in_progress, tmp, len + 1);
    __atomic_store_n(&temp_recorded, 1, __ATOMIC_RELEASE);
  }
}

static void forget_temp(void) { __atomic_store_n(&temp_recorded, 0, __ATOMIC_RELEASE); }

static int write_profile_locked(int unless_empty);

/* A process made without fork()'s handlers (a raw clone(), syscall(SYS_fork)) holds its
 * parent's counts and its own in one memory and cannot tell them apart: it writes nothing, so
 * its parent's file stays exact. In continuous mode the counts are in the shared file, exact,
 * and the process writes as any other. Checked before any lock, which the parent may have
 * held at the clone. Returns 1 when the process writes, 0 when ZAPH_WRITE=0 turned writing off
 * (not a failure), -1 (reported once) for such a process. */
static int writes_this_process(void) {
  static int reported;
  if (zaph_config.no_write)
    return 0;
  if (zaph_continuous || zaph_process_owns_counts())
    return 1;
  if (!reported++)
    zaph_error("this process was made without fork() (a raw clone() or SYS_fork), so its "
               "counts cannot be told from its parent's; it writes no profile");
  return -1;
}

/* The exit-time write: the last one, whatever the service thread is doing. */
void zaph_write_at_exit(void) {
  if (writes_this_process() <= 0)
    return;
  int running = zaph_runtime_enter();
  begin_write();
  if (!exiting) {
    __atomic_store_n(&exiting, 1, __ATOMIC_RELEASE);
    write_profile_locked(0);
  }
  end_write();
  zaph_runtime_leave(running);
}

/* Writes data to path through a temporary file in the same directory and rename(), so a reader
 * sees the old file or the new one, never part of one. A path that is not a regular file (a
 * directory, a device, a FIFO, a link to one) is refused: a device or pipe could block the
 * program or signal it, and renaming over it would replace it. what names the file in errors:
 * "profile" or "metrics". */
static int write_atomically(const char *what, const char *path, const char *data, size_t len) {
  const char *refused = zaph_not_regular(path);
  if (refused) {
    zaph_error("cannot write %s: %s: %s", what, path, refused);
    return -1;
  }
  struct zaph_temp_file tmp;
  if (zaph_temp_create(&tmp, path) != 0) {
    zaph_error("cannot write %s: %s: %s", what, path, zaph_create_problem(path, errno));
    return -1;
  }
  record_temp(tmp.name);
  int rc = -1;
  if (zaph_write_all(tmp.fd, data, len) != 0 || fsync(tmp.fd) != 0)
    zaph_error("cannot write %s: %s: %s", what, path, strerror(errno ? errno : EIO));
  else if (zaph_temp_close(&tmp) != 0 || zaph_temp_commit(&tmp, path) != 0)
    zaph_error("cannot write %s: %s: %s", what, path, strerror(errno));
  else
    rc = 0;
  zaph_temp_discard(&tmp); /* nothing is left to discard after the rename */
  forget_temp();
  return rc;
}

/* In merge mode, adds the file's counts; a file that cannot be read is left as it is and the
 * profile goes beside it, so nothing is lost. */
static char *merge_existing(struct profile *p, char *path) {
  unsigned line = 0;
  const char *problem = NULL;
  if (zaph_profile_merge_file(p, path, &line, &problem) >= 0)
    return path;
  char *beside = zaph_beside_path(path);
  if (line)
    zaph_error("cannot merge into profile: %s:%u: %s; writing %s instead", path, line, problem,
               beside ? beside : "nothing");
  else
    zaph_error("cannot merge into profile: %s: %s; writing %s instead", path, problem,
               beside ? beside : "nothing");
  free(path);
  return beside;
}

/* In merge mode, when the lock cannot be taken (another user's lock file, a symbolic link in
 * its place), the profile goes beside the path, merged with nothing. */
static char *lock_or_beside(char *path, int *lock) {
  const char *problem;
  if ((*lock = zaph_lock_profile(path, &problem)) >= 0)
    return path;
  char *beside = zaph_beside_path(path);
  zaph_error("cannot lock profile: %s.lock: %s; writing %s instead", path, problem,
             beside ? beside : "nothing");
  free(path);
  return beside;
}

/* The node_exporter textfile (ZAPH_PROM_FILE): this process's own counts, p as the snapshot
 * took them (in merge mode the profile holds every process's; the textfile's process label
 * keeps the processes apart), labelled with NAME of DIR/NAME.prom. */
static void write_metrics(const struct profile *p) {
  char *path = zaph_prom_path(), *text = NULL;
  size_t len = 0;
  if (!path) {
    zaph_error("cannot write metrics: %s: %s", zaph_config.prom_template, strerror(ENOMEM));
    return;
  }
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t name_len = strlen(base) - strlen(ZAPH_PROM_SUFFIX);
  char *process = strndup(base, name_len);
  if (!process || !(text = zaph_profile_format_metrics(p, process, &len)))
    zaph_error("cannot write metrics: %s: %s", path, strerror(ENOMEM));
  else
    write_atomically("metrics", path, text, len);
  free(text);
  free(process);
  free(path);
}

static int profile_is_empty(const struct profile *p) {
  for (uint32_t i = 0; i < p->n_ops; i++)
    if (p->ops[i].entries)
      return 0;
  return p->requests == 0;
}

/* Writes the profile; with unless_empty, writes nothing when nothing was counted and returns
 * 1. */
static int write_profile_locked(int unless_empty) {
  if (zaph_continuous)
    return zaph_continuous_dump();
  int saved = errno, rc = -1, lock = -1, beside = 0;
  int merge_mode = zaph_config.merge, adds = merge_mode || zaph_config.continues_exec;
  struct profile p, cumulative = {0};
  char *path = zaph_profile_path(), *text = NULL;
  size_t len = 0;
  const char *source = zaph_config.source ? zaph_config.source : "unspecified";
  if (zaph_profile_snapshot(&p, zaph_start_time(), source) != 0 || !path) {
    zaph_error("cannot write profile: %s: %s", path ? path : zaph_config.path_template,
               strerror(ENOMEM));
    goto out;
  }
  if (unless_empty && profile_is_empty(&p)) {
    rc = 1;
    goto out;
  }
  if (zaph_config.prom_template)
    write_metrics(&p);
  if (adds) {
    if ((merge_mode && !(path = lock_or_beside(path, &lock))) ||
        zaph_profile_copy(&cumulative, &p) != 0)
      goto out;
    zaph_profile_subtract(&p, &merged_base);
    beside = merge_mode && lock < 0; /* beside the path, nothing is merged */
    if (!beside && !(path = merge_existing(&p, path)))
      goto out;
  }
  if (!(text = zaph_profile_format(&p, &len)))
    zaph_error("cannot write profile: %s: %s", path, strerror(ENOMEM));
  else
    rc = write_atomically("profile", path, text, len);
  if (rc == 0 && adds && !beside) {
    zaph_profile_free(&merged_base);
    merged_base = cumulative;
    memset(&cumulative, 0, sizeof cumulative);
  }
out:
  zaph_profile_free(&cumulative);
  if (lock >= 0)
    close(lock); /* releases the fcntl lock */
  zaph_profile_free(&p);
  free(text);
  free(path);
  errno = saved;
  return rc;
}

int zaph_write_profile(void) {
  int writes = writes_this_process();
  if (writes <= 0)
    return writes;
  begin_write();
  int rc = write_profile_locked(0);
  end_write();
  return rc;
}

int zaph_write_before_exec(char *path, size_t size) {
  if (!zaph_config.path_template || zaph_config.no_write || !zaph_process_owns_counts())
    return 0;
  begin_write();
  int written = !exiting && write_profile_locked(1) == 0;
  char *expanded = written ? zaph_profile_path() : NULL;
  written = expanded && strlen(expanded) < size;
  if (written)
    memcpy(path, expanded, strlen(expanded) + 1);
  free(expanded);
  end_write();
  return written;
}

int zaph_exiting(void) { return __atomic_load_n(&exiting, __ATOMIC_ACQUIRE); }

int zaph_write_profile_unless_exiting(void) {
  int writes = writes_this_process();
  if (writes <= 0)
    return writes;
  begin_write();
  int rc = exiting ? 0 : write_profile_locked(0);
  end_write();
  return rc;
}

static void lock_for_fork(void) { pthread_mutex_lock(&write_lock); }
static void unlock_after_fork(void) { pthread_mutex_unlock(&write_lock); }

/* A child starts counting from zero, so it has merged nothing yet; a daemon() child goes on
 * with its parent's counts, what it merged and when it started. */
static void child_after_fork(void) {
  if (!zaph_fork_continues())
    zaph_profile_free(&merged_base);
  pthread_mutex_unlock(&write_lock);
  if (zaph_continuous) {
    char *path = zaph_profile_path();
    zaph_continuous_after_fork_child(
        path, zaph_config.merge ? ZAPH_CONTINUOUS_MERGE : ZAPH_CONTINUOUS_CREATE,
        zaph_config.source);
    free(path);
  }
}

/* Registered after the thread code's handlers, so a fork takes write_lock before zaph_lock,
 * the order every writer takes them in. */
void zaph_profile_write_atfork(void) {
  pthread_atfork(lock_for_fork, unlock_after_fork, child_after_fork);
}

/* The counts start over from zero, so merge mode has added none of them to the file yet. Under
 * write_lock, so a write that took its snapshot before the reset cannot record that snapshot
 * as merged after it. */
void zaph_write_reset(void) {
  pthread_mutex_lock(&write_lock);
  zaph_reset_counts();
  zaph_profile_free(&merged_base);
  zaph_mark_start();
  pthread_mutex_unlock(&write_lock);
}
