/* Reading a continuous profile (include/zaph_continuous.h): the file a program in continuous
 * mode counts into, possibly still running, possibly killed. Every field is checked; records of
 * the same op (a forked child or a joining process appends its own) are summed; the result is
 * the same struct profile a text profile gives, so everything after parsing is shared. */
#include "profile_continuous.h"

#include "xalloc.h"
#include "zaph_continuous.h"
#include "zaph_profile.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* 9999-12-31T23:59:59Z, the last time a profile can state. */
#define LATEST_TIME 253402300799LL

int profile_is_continuous(const void *data, size_t size) {
  return size >= ZAPH_CONTINUOUS_MAGIC_SIZE &&
         memcmp(data, ZAPH_CONTINUOUS_MAGIC, ZAPH_CONTINUOUS_MAGIC_SIZE) == 0;
}

struct reader {
  struct profile *profile;
  const unsigned char *data;
  size_t size;      /* bytes at data: the header, and the records once the header is read */
  size_t file_size; /* bytes the file holds, which may be more than were read */
  char *error;
};

static void fail(struct reader *r, uint64_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(struct reader *r, uint64_t at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *what = xmalloc(len > 0 ? (size_t)len + 1 : 1);
  va_start(ap, fmt);
  vsnprintf(what, (size_t)len + 1, fmt, ap);
  va_end(ap);
  r->error = at ? xformat("%s: op record at byte %llu: %s", r->profile->display_name,
                          (unsigned long long)at, what)
                : xformat("%s: %s", r->profile->display_name, what);
  free(what);
}

/* Unaligned-safe little-endian reads (the format is little-endian; so is every host zaph runs
 * on, and the compiler turns these into plain loads there). */
static uint32_t u32_at(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t u64_at(const unsigned char *p) { return u32_at(p) | (uint64_t)u32_at(p + 4) << 32; }

#define FIELD32(base, type, field) u32_at((base) + offsetof(type, field))
#define FIELD64(base, type, field) u64_at((base) + offsetof(type, field))

static int format_time(struct reader *r, int64_t seconds, const char *field, char *out) {
  if (seconds < 0 || seconds > LATEST_TIME) {
    fail(r, 0, "invalid time in field '%s'", field);
    return -1;
  }
  zaph_time_format(seconds, out);
  return 0;
}

/* Copies len bytes of text at p into the profile; NULL after failing on a NUL byte. */
static const char *take_text(struct reader *r, uint64_t at, const unsigned char *p, size_t len,
                             const char *field) {
  if (memchr(p, '\0', len)) {
    if (at)
      fail(r, at, "NUL byte in field '%s'", field);
    else
      fail(r, 0, "NUL byte in header field '%s'", field);
    return NULL;
  }
  return string_pool_add(&r->profile->text, (const char *)p, len);
}

static int read_header(struct reader *r, int64_t modified) {
  struct profile *profile = r->profile;
  const unsigned char *h = r->data;
  typedef struct zaph_continuous_header H;
  if (r->size < ZAPH_CONTINUOUS_HEADER_SIZE) {
    fail(r, 0, "truncated: continuous profile header is %zu bytes, expected %d", r->file_size,
         ZAPH_CONTINUOUS_HEADER_SIZE);
    return -1;
  }
  uint32_t version = FIELD32(h, H, version);
  if (version == 0) {
    fail(r, 0, "not a zaph profile");
    return -1;
  }
  if (version > ZAPH_CONTINUOUS_VERSION) {
    fail(r, 0, "continuous format version %u is newer than this zaph-report understands (%d)",
         version, ZAPH_CONTINUOUS_VERSION);
    return -1;
  }
  profile->version = version;
  if (FIELD32(h, H, header_size) != ZAPH_CONTINUOUS_HEADER_SIZE) {
    fail(r, 0, "invalid header size %u (expected %d)", FIELD32(h, H, header_size),
         ZAPH_CONTINUOUS_HEADER_SIZE);
    return -1;
  }
  uint32_t program_len = FIELD32(h, H, program_len), host_len = FIELD32(h, H, host_len);
  uint32_t source_len = FIELD32(h, H, source_len);
  if (program_len > ZAPH_CONTINUOUS_MAX_PROGRAM || host_len > ZAPH_CONTINUOUS_MAX_HOST ||
      source_len > ZAPH_CONTINUOUS_MAX_SOURCE) {
    fail(r, 0, "invalid header text lengths %u, %u, %u (at most %d, %d, %d)", program_len,
         host_len, source_len, ZAPH_CONTINUOUS_MAX_PROGRAM, ZAPH_CONTINUOUS_MAX_HOST,
         ZAPH_CONTINUOUS_MAX_SOURCE);
    return -1;
  }
  const unsigned char *text = h + ZAPH_CONTINUOUS_TEXT_OFFSET;
  if (!(profile->program = take_text(r, 0, text, program_len, "program")) ||
      !(profile->host = take_text(r, 0, text + program_len, host_len, "host")) ||
      !(profile->source = take_text(r, 0, text + program_len + host_len, source_len, "source")))
    return -1;
  if (profile->source[0] == '\0')
    profile->source = "unspecified";
  profile->pid = FIELD32(h, H, pid);
  profile->requests = FIELD64(h, H, requests);
  int64_t start = (int64_t)FIELD64(h, H, start), end = (int64_t)FIELD64(h, H, end);
  /* A program still running, or killed, has not written its end: the file's last change is
   * when counting stopped, or the latest it is known to have gone on. */
  if (end < modified)
    end = modified;
  if (end < start)
    end = start;
  if (format_time(r, start, "start", profile->start) != 0 ||
      format_time(r, end, "end", profile->end) != 0)
    return -1;
  uint64_t used = FIELD64(h, H, used);
  if (used > r->file_size - ZAPH_CONTINUOUS_HEADER_SIZE) {
    fail(r, 0, "truncated: the header counts %llu bytes of op records, the file holds %zu",
         (unsigned long long)used, r->file_size - ZAPH_CONTINUOUS_HEADER_SIZE);
    return -1;
  }
  r->size = ZAPH_CONTINUOUS_HEADER_SIZE + (size_t)used;
  return 0;
}

/* Orders records by identity, then by where they are in the file. */
static int compare_records(const void *a, const void *b) {
  const struct profile_op *x = a, *y = b;
  int c = zaph_identity_compare(&x->id, &y->id);
  return c ? c : (x->text_line > y->text_line) - (x->text_line < y->text_line);
}

static void fail_requests(struct reader *r, const struct profile_op *op, uint64_t at) {
  fail(r, at, "requests_touching (%llu) exceeds requests (%llu)",
       (unsigned long long)op->requests_touching, (unsigned long long)r->profile->requests);
}

/* Sums the records of each op (a forked child or a joining process appends its own), in
 * identity order; a failure names the record whose addition failed. */
static int sum_records_of_one_op(struct reader *r) {
  struct profile *profile = r->profile;
  if (profile->op_count < 2)
    return 0;
  qsort(profile->ops, profile->op_count, sizeof *profile->ops, compare_records);
  size_t kept = 1;
  for (size_t i = 1; i < profile->op_count; i++) {
    const struct profile_op *in = &profile->ops[i];
    struct profile_op *op = &profile->ops[kept - 1];
    if (!zaph_identity_equal(&op->id, &in->id)) {
      profile->ops[kept++] = *in;
      continue;
    }
    if (op->entries + in->entries < in->entries ||
        op->requests_touching + in->requests_touching < in->requests_touching ||
        op->entries_outside + in->entries_outside < in->entries_outside) {
      fail(r, in->text_line, "counts overflow 64 bits when added to an earlier record of the "
                             "same op");
      return -1;
    }
    op->entries += in->entries;
    op->requests_touching += in->requests_touching;
    op->entries_outside += in->entries_outside;
    if (!op->declared_tier)
      op->declared_tier = in->declared_tier;
    if (op->requests_touching > profile->requests) {
      fail_requests(r, op, in->text_line);
      return -1;
    }
  }
  profile->op_count = kept;
  return 0;
}

static int read_record(struct reader *r, uint64_t offset, uint64_t *size) {
  typedef struct zaph_continuous_record R;
  const unsigned char *p = r->data + offset;
  uint64_t left = r->size - offset;
  if (left < ZAPH_CONTINUOUS_RECORD_TEXT_OFFSET) {
    fail(r, offset, "truncated: %llu bytes left, a record takes at least %d",
         (unsigned long long)left, ZAPH_CONTINUOUS_RECORD_TEXT_OFFSET);
    return -1;
  }
  uint32_t name_len = FIELD32(p, R, name_len), file_len = FIELD32(p, R, file_len);
  uint32_t kind = FIELD32(p, R, kind), tier = FIELD32(p, R, tier);
  *size = FIELD32(p, R, size);
  if (name_len > ZAPH_PROFILE_MAX_TEXT || file_len > ZAPH_PROFILE_MAX_TEXT) {
    fail(r, offset, "invalid text lengths %u, %u (at most %d)", name_len, file_len,
         ZAPH_PROFILE_MAX_TEXT);
    return -1;
  }
  if (*size != ZAPH_CONTINUOUS_RECORD_SIZE(name_len, file_len) || *size > left) {
    fail(r, offset, "invalid size %llu (%llu for its text, %llu bytes left)",
         (unsigned long long)*size,
         (unsigned long long)ZAPH_CONTINUOUS_RECORD_SIZE(name_len, file_len),
         (unsigned long long)left);
    return -1;
  }
  if (!zaph_kind_name((int)kind)) {
    fail(r, offset, "invalid kind %u (expected 1 for op or 2 for request)", kind);
    return -1;
  }
  if (tier > 3) {
    fail(r, offset, "invalid tier %u (expected 0, 1, 2 or 3)", tier);
    return -1;
  }
  uint64_t requests_touching = FIELD64(p, R, requests_touching);
  uint64_t entries_inside = FIELD64(p, R, entries_inside);
  uint64_t entries_outside = FIELD64(p, R, entries_outside);
  uint64_t entries = entries_inside + entries_outside;
  if (entries < entries_inside) {
    fail(r, offset, "entries inside (%llu) and outside (%llu) requests overflow 64 bits",
         (unsigned long long)entries_inside, (unsigned long long)entries_outside);
    return -1;
  }
  if (requests_touching > entries) {
    fail(r, offset, "requests_touching (%llu) exceeds entries (%llu)",
         (unsigned long long)requests_touching, (unsigned long long)entries);
    return -1;
  }
  struct profile *profile = r->profile;
  if (profile->op_count == profile->op_capacity) {
    profile->op_capacity = profile->op_capacity ? profile->op_capacity * 2 : 64;
    profile->ops = xreallocarray(profile->ops, profile->op_capacity, sizeof *profile->ops);
  }
  struct profile_op *op = &profile->ops[profile->op_count];
  const unsigned char *text = p + ZAPH_CONTINUOUS_RECORD_TEXT_OFFSET;
  *op = (struct profile_op){.id = {.line = FIELD32(p, R, line), .kind = (int)kind},
                            .declared_tier = tier,
                            .entries = entries,
                            .requests_touching = requests_touching,
                            .entries_outside = entries_outside,
                            .text_line = (unsigned long)offset};
  if (!(op->id.name = take_text(r, offset, text, name_len, "name")) ||
      !(op->id.file = take_text(r, offset, text + name_len, file_len, "file")))
    return -1;
  if (requests_touching > profile->requests) {
    fail_requests(r, op, offset);
    return -1;
  }
  profile->op_count++;
  return 0;
}

/* Parses a continuous profile of file_size bytes from the first size of them at data: at least
 * the header and the records it counts, or all the file holds when that is less. */
static int parse_read_part(struct profile *profile, const void *data, size_t size,
                           size_t file_size, int64_t modified, const char *display_name,
                           char **error) {
  memset(profile, 0, sizeof *profile);
  string_pool_init(&profile->text);
  profile->display_name = string_pool_add(&profile->text, display_name, strlen(display_name));
  struct reader r = {.profile = profile, .data = data, .size = size, .file_size = file_size};
  int rc = read_header(&r, modified);
  for (uint64_t offset = ZAPH_CONTINUOUS_HEADER_SIZE, step = 0; rc == 0 && offset < r.size;
       offset += step)
    rc = read_record(&r, offset, &step);
  if (rc == 0)
    rc = sum_records_of_one_op(&r);
  profile->declared_ops = profile->op_count;
  *error = r.error;
  return rc;
}

int profile_parse_continuous(struct profile *profile, const void *data, size_t size,
                             int64_t modified, const char *display_name, char **error) {
  return parse_read_part(profile, data, size, size, modified, display_name, error);
}

/* The bytes of a continuous profile that hold the profile: the header and the records it
 * counts (used), or only the header when used is not within the file's size. */
static size_t bytes_in_use(uint64_t used, size_t file_size) {
  return used <= file_size - ZAPH_CONTINUOUS_HEADER_SIZE
             ? ZAPH_CONTINUOUS_HEADER_SIZE + (size_t)used
             : ZAPH_CONTINUOUS_HEADER_SIZE;
}

/* A copy of a mapped continuous profile: the bytes to copy, and used as loaded once. */
struct ordered_copy {
  unsigned char *to;
  const unsigned char *from;
  size_t size;
  uint64_t used;
};

static void load_used(struct ordered_copy *c) {
  const uint64_t *word =
      (const uint64_t *)(c->from + offsetof(struct zaph_continuous_header, used));
  c->used = __atomic_load_n(word, __ATOMIC_ACQUIRE);
}

/* Copies c->size bytes so that counters are read before the header's requests: records from
 * the lowest address up (requests_touching, entries_inside, entries_outside in each), then the
 * header, each 8-byte word with an acquire load. A program counting while this runs adds to
 * requests_touching with release ordering after the entries_inside add and the request's
 * requests add (runtime/runtime.h), so the copy never shows more requests touching than
 * entries or requests. */
static void copy_ordered(struct ordered_copy *c) {
  const uint64_t *in = (const uint64_t *)c->from;
  uint64_t *out = (uint64_t *)c->to;
  const size_t used_word = offsetof(struct zaph_continuous_header, used) / 8;
  const size_t first = ZAPH_CONTINUOUS_HEADER_SIZE / 8, words = c->size / 8;
  for (size_t i = first; i < words; i++)
    out[i] = __atomic_load_n(&in[i], __ATOMIC_ACQUIRE);
  memcpy(c->to + words * 8, c->from + words * 8, c->size - words * 8);
  for (size_t i = 0; i < first; i++)
    out[i] = __atomic_load_n(&in[i], __ATOMIC_ACQUIRE);
  /* The header, read last, may count records appended after the copy above. */
  out[used_word] = c->used;
}

/* Where run_guarded() resumes when a page of the mapping is gone. */
static sigjmp_buf page_gone;

static void on_bus_error(int signal) {
  (void)signal;
  siglongjmp(page_gone, 1);
}

/* Runs step with SIGBUS caught: a file cut shorter than its mapping while it is read faults on
 * the pages past its new end. Returns 0, or -1 when a page was gone. */
static int run_guarded(void (*step)(struct ordered_copy *), struct ordered_copy *c) {
  struct sigaction catch_bus, before;
  memset(&catch_bus, 0, sizeof catch_bus);
  catch_bus.sa_handler = on_bus_error;
  sigemptyset(&catch_bus.sa_mask);
  sigaction(SIGBUS, &catch_bus, &before);
  volatile int rc = -1;
  if (sigsetjmp(page_gone, 1) == 0) {
    step(c);
    rc = 0;
  }
  sigaction(SIGBUS, &before, NULL);
  return rc;
}

int profile_load_continuous(struct profile *profile, int fd, size_t size, int64_t modified,
                            const char *display_name, char **error) {
  if (size < ZAPH_CONTINUOUS_HEADER_SIZE) {
    unsigned char small[ZAPH_CONTINUOUS_HEADER_SIZE];
    ssize_t got = pread(fd, small, size, 0);
    return profile_parse_continuous(profile, small, got > 0 ? (size_t)got : 0, modified,
                                    display_name, error);
  }
  /* Only the header and the records it counts are mapped and copied: the file may be much
   * larger (it grows in steps, and may be sparse), larger even than the address space a
   * sanitizer leaves free. */
  struct ordered_copy c = {0};
  size_t mapped_size = ZAPH_CONTINUOUS_HEADER_SIZE;
  void *mapped = mmap(NULL, mapped_size, PROT_READ, MAP_SHARED, fd, 0);
  int rc = mapped == MAP_FAILED ? -2 : 0;
  if (rc == 0) {
    c.from = mapped;
    rc = run_guarded(load_used, &c);
    munmap(mapped, mapped_size);
  }
  if (rc == 0) {
    mapped_size = c.size = bytes_in_use(c.used, size);
    mapped = mmap(NULL, mapped_size, PROT_READ, MAP_SHARED, fd, 0);
    rc = mapped == MAP_FAILED ? -2 : 0;
  }
  if (rc == 0) {
    c.from = mapped;
    c.to = xmalloc(c.size);
    rc = run_guarded(copy_ordered, &c);
    munmap(mapped, mapped_size);
  }
  if (rc == -2) {
    memset(profile, 0, sizeof *profile);
    free(c.to);
    *error = xformat("%s: cannot read: %s", display_name, strerror(errno));
    return -1;
  }
  if (rc != 0) {
    memset(profile, 0, sizeof *profile);
    *error = xformat("%s: changed while being read: the file became shorter", display_name);
  } else {
    rc = parse_read_part(profile, c.to, c.size, size, modified, display_name, error);
  }
  free(c.to);
  return rc;
}
