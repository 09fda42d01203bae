/* Continuous mode (ZAPH_CONTINUOUS=1, or %c in ZAPH_PROFILE_FILE): every op entry is added,
 * atomically, to the op's record in a file mapped MAP_SHARED (include/zaph_continuous.h), so
 * the kernel holds each count the moment it is made and SIGKILL, abort() or _exit() lose none.
 * No hot slot is ever made ready, so every entry takes the slow path and ends here; requests,
 * touches and inside entries follow the same rules as in memory (docs/requests.md).
 *
 * The file is created at start-up under a temporary name and renamed into place; in merge mode
 * (%m) an existing continuous profile at the path is joined instead. A forked child whose path
 * expands to the same name keeps counting into its parent's file (the file holds their sum);
 * one whose path differs (%p) starts its own file from zero. docs/reliability.md has the
 * guarantees, docs/design.md the reasons. */
#include "runtime.h"

#include "zaph_continuous.h"
#include "zaph_profile.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Address space reserved for the mapping, and the file's first size; the file grows (by
 * doubling) as ops register, the mapping never moves. */
#define RESERVED_BYTES ((size_t)256 << 20)
#define FIRST_FILE_BYTES ((size_t)64 << 10)

int zaph_continuous;
struct zaph_slot_target *zaph_slot_targets;
static struct zaph_continuous_record **op_records; /* by op index; under zaph_lock */
static uint32_t op_records_cap;
static uint32_t op_records_done; /* ops below it have had their append (maybe a failed one) */
static char *map;
static int fd = -1;
static struct zaph_file_id file_id; /* the file fd was opened on, and map maps */
static size_t file_bytes;
static char *file_path; /* the expanded ZAPH_PROFILE_FILE: a forked child compares its own */
static char *file_name; /* the file fd and map are on: file_path, or a file beside it */
static int no_more_records; /* the file is full, or cannot grow: reported, no more appends */
static int reopen_reported;
static int cut_reported;

static struct zaph_continuous_header *header(void) { return (struct zaph_continuous_header *)map; }

/* A record's ZAPH_CONTINUOUS_COUNTERS words, as zaph_continuous_count() adds to them. */
static uint64_t *counters_of(struct zaph_continuous_record *r) {
  return &r->requests_touching;
}

/* Takes or drops an fcntl lock on the file's first byte: excludes other processes (a forked
 * child, a joining %m process) that append to the same file; threads are excluded by zaph_lock. */
static int lock_file(int type) { return zaph_lock_fd(fd, type, 1); }

static void set_text(char **at, const char *text, size_t max, uint32_t *len) {
  size_t n = strnlen(text, max);
  memcpy(*at, text, n);
  *at += n;
  *len = (uint32_t)n;
}

static void fill_header(struct zaph_continuous_header *h, const char *source) {
  char host[ZAPH_HOST_NAME_SIZE];
  const char *program = zaph_program_path();
  zaph_host_name(host);
  memcpy(h->magic, ZAPH_CONTINUOUS_MAGIC, ZAPH_CONTINUOUS_MAGIC_SIZE);
  h->version = ZAPH_CONTINUOUS_VERSION;
  h->header_size = ZAPH_CONTINUOUS_HEADER_SIZE;
  h->start = (int64_t)time(NULL);
  h->pid = (uint32_t)getpid();
  char *at = h->text;
  set_text(&at, program, ZAPH_CONTINUOUS_MAX_PROGRAM, &h->program_len);
  set_text(&at, host, ZAPH_CONTINUOUS_MAX_HOST, &h->host_len);
  set_text(&at, source, ZAPH_CONTINUOUS_MAX_SOURCE, &h->source_len);
}

/* Grows the file from `from` to `bytes` with its blocks reserved, so that a full file system is
 * an error here (ENOSPC) and never a SIGBUS at a later store into the mapping. Returns 0, or -1
 * with errno set (EFBIG past RLIMIT_FSIZE, which raises no SIGXFSZ here) and the file's size
 * as it was. */
static int grow_file(int file, size_t from, size_t bytes) {
  struct zaph_signal_hold hold;
  zaph_signals_hold(&hold);
  int err = posix_fallocate(file, 0, (off_t)bytes);
  struct stat st;
  if (err && fstat(file, &st) == 0 && (size_t)st.st_size > from)
    (void)!ftruncate(file, (off_t)from); /* a partial allocation may have moved the end */
  zaph_signals_release(&hold);
  return err ? (errno = err, -1) : 0;
}

/* Maps fd's file over the whole reservation; pages past its end are never touched. */
static char *map_file(int file) {
  void *p = mmap(NULL, RESERVED_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, file, 0);
  return p == MAP_FAILED ? NULL : p;
}

/* Makes file, mapped at m with its size, the one counted into; returns 0, or -1 (ENOMEM). */
static int adopt(int file, char *m, size_t bytes, const char *name) {
  char *copy = strdup(name);
  if (!copy || zaph_file_id_of(file, &file_id) != 0 || zaph_guard_mapping(m, RESERVED_BYTES)) {
    free(copy);
    return errno = ENOMEM, -1;
  }
  free(file_name);
  file_name = copy;
  fd = file;
  map = m;
  file_bytes = bytes;
  return 0;
}

/* Creates a fresh continuous profile at path: a temporary file in the same directory, header
 * written, renamed into place. Returns 0 or -1 with errno set. */
static int create_file(const char *path, const char *source) {
  struct zaph_temp_file tmp;
  char *m = NULL;
  if (zaph_temp_create(&tmp, path) != 0 || grow_file(tmp.fd, 0, FIRST_FILE_BYTES) != 0 ||
      !(m = map_file(tmp.fd)))
    goto fail;
  fill_header((struct zaph_continuous_header *)m, source);
  if (zaph_temp_commit(&tmp, path) != 0)
    goto fail;
  if (adopt(tmp.fd, m, FIRST_FILE_BYTES, path) != 0) {
    unlink(path);
    goto fail;
  }
  return 0;
fail: {
  int err = errno;
  if (m)
    munmap(m, RESERVED_BYTES);
  zaph_temp_discard(&tmp);
  errno = err;
  return -1;
}
}

/* Joins the continuous profile at path (merge mode). Returns 0, 1 when there is no file, or
 * -1 with *problem set. */
static int join_file(const char *path, const char *source, const char **problem) {
  int file = zaph_open_regular(path, O_RDWR, problem);
  if (file < 0)
    return errno == ENOENT ? 1 : -1;
  struct zaph_continuous_header h;
  struct stat st;
  char text[ZAPH_CONTINUOUS_MAX_SOURCE];
  *problem = "not a continuous profile";
  if (fstat(file, &st) != 0 || pread(file, &h, sizeof h, 0) != (ssize_t)sizeof h ||
      memcmp(h.magic, ZAPH_CONTINUOUS_MAGIC, ZAPH_CONTINUOUS_MAGIC_SIZE) != 0)
    goto fail;
  *problem = "continuous format version or layout differs from this runtime's";
  if (h.version != ZAPH_CONTINUOUS_VERSION || h.header_size != ZAPH_CONTINUOUS_HEADER_SIZE ||
      h.used % ZAPH_CONTINUOUS_RECORD_ALIGN != 0 ||
      (uint64_t)st.st_size < ZAPH_CONTINUOUS_HEADER_SIZE + h.used ||
      (uint64_t)st.st_size > RESERVED_BYTES || h.source_len > ZAPH_CONTINUOUS_MAX_SOURCE)
    goto fail;
  *problem = "its data source differs from this process's";
  if (h.source_len != strnlen(source, ZAPH_CONTINUOUS_MAX_SOURCE) ||
      pread(file, text, h.source_len,
            ZAPH_CONTINUOUS_TEXT_OFFSET + h.program_len + h.host_len) != (ssize_t)h.source_len ||
      memcmp(text, source, h.source_len) != 0)
    goto fail;
  *problem = strerror(ENOMEM);
  char *m = map_file(file);
  if (!m)
    goto fail;
  if (adopt(file, m, (size_t)st.st_size, path) != 0) {
    munmap(m, RESERVED_BYTES);
    goto fail;
  }
  return 0;
fail:
  close(file);
  return -1;
}

static int open_file(const char *path, enum zaph_continuous_join join, const char *source) {
  const char *refused = zaph_not_regular(path);
  if (refused) {
    zaph_error("cannot use continuous mode: %s: %s; counting in memory until exit", path,
               refused);
    return -1;
  }
  if (join == ZAPH_CONTINUOUS_CREATE) {
    if (create_file(path, source) == 0)
      return 0;
    zaph_error("cannot use continuous mode: %s: %s; counting in memory until exit", path,
               zaph_create_problem(path, errno));
    return -1;
  }
  /* %m: joined under the merge lock. After an exec: the path is this process's own. */
  int merge = join == ZAPH_CONTINUOUS_MERGE;
  const char *problem = NULL;
  const char *failed = path;
  char *beside = NULL;
  int lock = merge ? zaph_lock_profile(path, &problem) : -1, rc = -1;
  int locked = !merge || lock >= 0;
  if (locked)
    rc = join_file(path, source, &problem);
  if (locked && rc == 1) {
    rc = create_file(path, source);
  } else if (rc < 0) {
    if (!(beside = zaph_beside_path(path))) {
      errno = ENOMEM;
    } else {
      if (!locked)
        zaph_error("cannot lock profile: %s.lock: %s; counting into %s instead", path, problem,
                   beside);
      else
        zaph_error("cannot join continuous profile: %s: %s; counting into %s instead", path,
                   problem, beside);
      rc = create_file(failed = beside, source);
    }
  }
  if (rc != 0)
    zaph_error("cannot use continuous mode: %s: %s; counting in memory until exit", failed,
               zaph_create_problem(failed, errno));
  free(beside);
  if (lock >= 0)
    close(lock);
  return rc;
}

int zaph_continuous_open(const char *path, enum zaph_continuous_join join, const char *source) {
  if (!zaph_slot_targets) {
    void *p = mmap(NULL, (size_t)ZAPH_MAX_OPS * sizeof *zaph_slot_targets,
                   PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
      zaph_error("cannot use continuous mode: %s: %s; counting in memory until exit", path,
                 strerror(errno));
      return -1;
    }
    zaph_slot_targets = p;
  }
  if (open_file(path, join, source) != 0)
    return -1;
  free(file_path);
  file_path = strdup(path);
  zaph_continuous = 1;
  return 0;
}

/* Nonzero once the file was cut short under the mapping (mapping_guard.c), which now holds
 * memory: from then on the file is not touched again. Reported once. */
static int cut_short(void) {
  if (!zaph_mapping_cut_short())
    return 0;
  if (!cut_reported++)
    zaph_error("continuous profile was cut short by another process: %s; the counts made "
               "since then are lost", file_name);
  return 1;
}

/* Makes sure fd is still on the mapped file. The program may have closed it and got its
 * number for a file of its own, which the runtime must never lock, grow or close: then the
 * file is opened again by its path, if the path still names it. Returns 0, or -1 with errno
 * set (ESTALE when the path names another file now). */
static int own_fd(void) {
  if (zaph_fd_is(fd, &file_id))
    return 0;
  fd = -1; /* the number is the program's now, or nothing */
  const char *problem;
  int file = zaph_open_regular(file_name, O_RDWR, &problem);
  if (file < 0)
    return -1;
  if (!zaph_fd_is(file, &file_id)) {
    close(file);
    return errno = ESTALE, -1;
  }
  fd = file;
  return 0;
}

/* Appends a zeroed record for op; returns it, or NULL (reported once). Holds the file lock, so
 * `used` cannot move under it. */
static struct zaph_continuous_record *append_record(const struct op_info *op) {
  struct zaph_continuous_header *h = header();
  size_t name_len = zaph_identity_text(NULL, op->name);
  size_t file_len = zaph_identity_text(NULL, op->file);
  uint64_t size = ZAPH_CONTINUOUS_RECORD_SIZE(name_len, file_len);
  struct zaph_continuous_record *r = NULL;
  if (cut_short())
    return NULL;
  if (own_fd() != 0) {
    if (!reopen_reported++)
      zaph_error("cannot reopen continuous profile, whose descriptor the program closed: %s: "
                 "%s; later ops are not counted", file_name,
                 errno == ESTALE ? "the path names another file now" : strerror(errno));
    return NULL;
  }
  if (lock_file(F_WRLCK) != 0) {
    zaph_error("cannot lock continuous profile: %s: %s; op %s is not counted", file_name,
               strerror(errno), op->name);
    return NULL;
  }
  if (no_more_records) /* no room, or no more blocks: no later op gets a record either */
    goto out;
  uint64_t used = __atomic_load_n(&h->used, __ATOMIC_ACQUIRE);
  uint64_t need = ZAPH_CONTINUOUS_HEADER_SIZE + used + size;
  struct stat st;
  if (fstat(fd, &st) == 0 && (uint64_t)st.st_size > file_bytes)
    __atomic_store_n(&file_bytes, (size_t)st.st_size, __ATOMIC_RELAXED); /* grown elsewhere */
  if (need > RESERVED_BYTES) {
    no_more_records = 1;
    zaph_error("continuous profile is full: %s: %zu MiB of op records; later ops are not "
               "counted", file_name, RESERVED_BYTES >> 20);
    goto out;
  }
  if (need > file_bytes) {
    size_t grown = file_bytes * 2 < need ? (size_t)need : file_bytes * 2;
    if (grown > RESERVED_BYTES)
      grown = RESERVED_BYTES;
    if (grow_file(fd, file_bytes, grown) != 0) {
      no_more_records = 1;
      zaph_error("cannot grow continuous profile: %s: %s; op %s is not counted, nor any later "
                 "one", file_name, strerror(errno), op->name);
      goto out;
    }
    __atomic_store_n(&file_bytes, grown, __ATOMIC_RELAXED); /* a dump reads it unlocked */
  }
  r = (struct zaph_continuous_record *)(map + ZAPH_CONTINUOUS_HEADER_SIZE + used);
  memset(r, 0, size); /* a process that died mid-append may have left bytes here */
  r->size = (uint32_t)size;
  r->line = op->line;
  r->kind = op->kind;
  r->tier = op->tier;
  r->name_len = (uint32_t)name_len;
  r->file_len = (uint32_t)file_len;
  zaph_identity_text(r->text, op->name);
  zaph_identity_text(r->text + name_len, op->file);
  __atomic_store_n(&h->used, used + size, __ATOMIC_RELEASE);
out:
  lock_file(F_UNLCK);
  return r;
}

/* Gives every op registered since the last call a record (an op whose append failed stays
 * uncounted, reported once); returns 0, or -1 when memory runs out. */
static int add_records_locked(void) {
  if (zaph_grow_zeroed(&op_records, &op_records_cap, zaph_op_count, sizeof *op_records, 256))
    return -1;
  for (; op_records_done < zaph_op_count; op_records_done++)
    op_records[op_records_done] = append_record(&zaph_ops[op_records_done]);
  return 0;
}

int zaph_continuous_map_slots_locked(uint32_t first, uint32_t end) {
  if (!zaph_continuous)
    return 0;
  if (add_records_locked() != 0)
    return -1;
  for (uint32_t s = first; s < end; s++) {
    struct zaph_continuous_record *r = op_records[zaph_slot_op[s]];
    zaph_slot_targets[s].op = zaph_slot_op[s];
    __atomic_store_n(&zaph_slot_targets[s].counters, r ? counters_of(r) : NULL,
                     __ATOMIC_RELEASE);
  }
  return 0;
}

void zaph_continuous_request(void) {
  __atomic_fetch_add(&header()->requests, 1, __ATOMIC_RELEASE);
}

/* Records the time of this write as the profile's end (the latest of every process's), and
 * asks the kernel to put the counts on disk, which a clean exit and zaph_dump() promise. */
int zaph_continuous_dump(void) {
  struct zaph_continuous_header *h = header();
  if (cut_short())
    return -1;
  int64_t now = (int64_t)time(NULL), end = __atomic_load_n(&h->end, __ATOMIC_RELAXED);
  while (end < now &&
         !__atomic_compare_exchange_n(&h->end, &end, now, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
    ;
  if (msync(map, __atomic_load_n(&file_bytes, __ATOMIC_RELAXED), MS_SYNC) != 0) {
    zaph_error("cannot write profile: %s: %s", file_name, strerror(errno));
    return -1;
  }
  return 0;
}

/* Zeroes this process's records and starts the profile over; a request open on a thread counts
 * as one request afterwards, as in memory. */
void zaph_continuous_reset_locked(uint32_t open_requests) {
  for (uint32_t op = 0; op < zaph_op_count && op < op_records_cap; op++) {
    struct zaph_continuous_record *r = op_records[op];
    for (int k = 0; r && k < ZAPH_CONTINUOUS_COUNTERS; k++)
      __atomic_store_n(&counters_of(r)[k], 0, __ATOMIC_RELAXED);
  }
  __atomic_store_n(&header()->requests, open_requests, __ATOMIC_RELEASE);
  __atomic_store_n(&header()->start, (int64_t)time(NULL), __ATOMIC_RELAXED);
}

/* In a forked child: the same path keeps the parent's file (both add to it); a different one
 * gets a file of its own, from zero. If that fails the child counts in memory. */
void zaph_continuous_after_fork_child(const char *path, enum zaph_continuous_join join,
                                      const char *source) {
  if (!zaph_continuous || !path || !file_path || strcmp(path, file_path) == 0)
    return;
  char *old_map = map;
  int old_fd = fd;
  struct zaph_file_id old_id = file_id;
  map = NULL;
  fd = -1;
  pthread_mutex_lock(&zaph_lock);
  if (open_file(path, join, source) != 0) {
    zaph_continuous = 0;
    for (uint32_t s = ZAPH_SINK_OPS; s < zaph_slot_count; s++)
      __atomic_store_n(&zaph_slot_targets[s].counters, NULL, __ATOMIC_RELAXED);
  } else {
    free(file_path);
    file_path = strdup(path);
    if (op_records)
      memset(op_records, 0, op_records_cap * sizeof *op_records);
    op_records_done = 0;
    no_more_records = reopen_reported = cut_reported = 0;
    zaph_continuous_map_slots_locked(ZAPH_SINK_OPS, zaph_slot_count);
  }
  pthread_mutex_unlock(&zaph_lock);
  munmap(old_map, RESERVED_BYTES);
  if (zaph_fd_is(old_fd, &old_id))
    close(old_fd);
}
