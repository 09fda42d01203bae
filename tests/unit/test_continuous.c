/* Unit test of runtime/continuous.c and the slow path's continuous case: counts land in the
 * file's records (read back here straight from the file), no hot slot is ever made ready, a
 * request is counted in the header and touches an op once, a thread whose counter mapping
 * cannot be made (an address-space limit) still has its entries counted, as outside requests,
 * and a file system too full to grow the file stops new records with one line. */
#define _GNU_SOURCE /* fallocate() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "runtime_test_support.h"
#include "zaph_continuous.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

static struct zaph_op_desc ops[] = {{"block_op", "c.c", 1, ZAPH_KIND_OP, 0, 0, 0}};
static struct zaph_module module = MODULE(ops, NULL);
static struct zaph_op_desc tls_ops[] = {{"tls_op", "c.c", 2, ZAPH_KIND_OP, 2, 0, 0}};
static struct zaph_module tls_module = TLS_MODULE(tls_ops, NULL);
TLS_SLOTS(tls_counters, 1);
static char path[64];

struct record_counts {
  uint64_t touched, inside, outside;
  uint32_t tier;
};

/* Reads the file and returns the counts of the record named name, and the header's requests. */
static struct record_counts record_of(const char *name, uint64_t *requests) {
  struct record_counts c = {0, 0, 0, 99};
  static char data[1 << 16];
  int fd = open(path, O_RDONLY);
  ssize_t got = fd >= 0 ? pread(fd, data, sizeof data, 0) : -1;
  if (fd >= 0)
    close(fd);
  assert_true(got >= ZAPH_CONTINUOUS_HEADER_SIZE);
  const struct zaph_continuous_header *h = (const void *)data;
  assert_memory_equal(h->magic, ZAPH_CONTINUOUS_MAGIC, ZAPH_CONTINUOUS_MAGIC_SIZE);
  *requests = h->requests;
  for (uint64_t at = 0; at < h->used;) {
    const struct zaph_continuous_record *r =
        (const void *)(data + ZAPH_CONTINUOUS_HEADER_SIZE + at);
    if (r->name_len == strlen(name) && memcmp(r->text, name, r->name_len) == 0)
      c = (struct record_counts){r->requests_touching, r->entries_inside, r->entries_outside, r->tier};
    at += r->size;
  }
  return c;
}

static void counts_go_to_the_file(void **state) {
  (void)state;
  uint64_t requests;
  enter_op(&module, 0);
  enter_op(&module, 0);
  enter_hot(&tls_module, 0, tls_counters);
  struct record_counts b = record_of("block_op", &requests), t = record_of("tls_op", &requests);
  assert_int_equal(b.outside, 2);
  assert_int_equal(b.inside, 0);
  assert_int_equal(t.outside, 1);
  assert_int_equal(t.tier, 2);
  assert_int_equal(requests, 0);
  assert_int_equal(tls_counters[0][1], 0); /* never ready: the next entry comes back */
  assert_int_equal(tls_counters[0][0], 0); /* and memory holds no count */
}

static void a_request_counts_in_the_header_and_touches_once(void **state) {
  (void)state;
  uint64_t requests;
  assert_int_equal(zaph_request_begin(), 0);
  for (int i = 0; i < 3; i++)
    enter_op(&module, 0);
  struct record_counts b = record_of("block_op", &requests);
  assert_int_equal(requests, 1);
  assert_int_equal(b.inside, 3);
  assert_int_equal(b.touched, 1);
  assert_int_equal(b.outside, 2);
  assert_int_equal(zaph_request_end(), 0);
  enter_op(&module, 0);
  assert_int_equal(record_of("block_op", &requests).outside, 3);
}

static int thread_on_bootstrap;

static void *starved_thread(void *arg) {
  (void)arg;
  for (int i = 0; i < 3; i++) {
    enter_op(&module, 0);
    enter_hot(&tls_module, 0, tls_counters);
  }
  zaph_request_begin(); /* fails: no thread state */
  enter_op(&module, 0);
  thread_on_bootstrap = __zaph_tls.self == zaph_bootstrap_block;
  return NULL;
}

static void a_thread_without_counters_is_still_counted(void **state) {
  (void)state;
  uint64_t requests;
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  skip(); /* the sanitizers' shadow memory does not live with an address-space limit */
#endif
#endif
  /* Room for a small stack, not for the thread's 18 MiB mapping (no discard block here). */
  struct limited_thread run = {starved_thread, 4u << 20, -1};
  char *err = capture_stderr(run_limited_thread, &run);
  assert_int_equal(run.created, 0);
  assert_string_equal(err, "zaph: error: cannot allocate counters for a thread: Cannot allocate "
                           "memory; its entries are counted as outside requests\n");
  free(err);
  assert_true(thread_on_bootstrap);
  struct record_counts b = record_of("block_op", &requests), t = record_of("tls_op", &requests);
  assert_int_equal(b.outside, 3 + 4);
  assert_int_equal(b.inside, 3);
  assert_int_equal(t.outside, 1 + 3);
  assert_int_equal(requests, 1);
}

/* A file system with no free blocks, as far as the runtime's posix_fallocate() can tell (this
 * definition takes the place of the C library's); the real allocation otherwise. A full file
 * system cannot be arranged for one test, so this is the one mock here. */
static int file_system_full;
int posix_fallocate(int fd, off_t offset, off_t len) {
  if (file_system_full)
    return ENOSPC;
  return fallocate(fd, 0, offset, len) == 0 ? 0 : errno;
}

/* Enough ops (64 bytes of record each) that their records outgrow the file's first 64 KiB. */
#define MANY 1000
static struct zaph_op_desc many_ops[MANY];
static struct zaph_module many_module = MODULE(many_ops, NULL);
static char many_names[MANY][8];

static void register_many(void *arg) {
  (void)arg;
  __zaph_register_module(&many_module, many_ops, NULL, NULL);
}

static void a_full_file_system_stops_new_records(void **state) {
  (void)state;
  uint64_t requests;
  for (int i = 0; i < MANY; i++) {
    snprintf(many_names[i], sizeof many_names[i], "op_%04d", i);
    many_ops[i] = (struct zaph_op_desc){many_names[i], "c.c", 3, ZAPH_KIND_OP, 0, 0, 0};
  }
  file_system_full = 1;
  char *err = capture_stderr(register_many, NULL);
  file_system_full = 0;
  char expected[256];
  snprintf(expected, sizeof expected,
           "zaph: error: cannot grow continuous profile: %s: No space left on device; op "
           "op_0958 is not counted, nor any later one\n", path);
  assert_string_equal(err, expected);
  free(err);
  enter_op(&many_module, 0);
  enter_op(&many_module, 957);
  enter_op(&many_module, 958); /* no record: not counted, and no store past the file's end */
  enter_op(&many_module, MANY - 1);
  assert_int_equal(record_of("op_0000", &requests).outside, 1);
  assert_int_equal(record_of("op_0957", &requests).outside, 1);
  assert_int_equal(record_of("op_0958", &requests).tier, 99); /* absent */
  assert_int_equal(record_of("op_0999", &requests).tier, 99);
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_size, 64 << 10); /* the failed growth left the size as it was */
}

int main(void) {
  snprintf(path, sizeof path, "/tmp/zaph-unit-continuous-%ld.prof", (long)getpid());
  setenv("ZAPH_PROFILE_FILE", path, 1);
  setenv("ZAPH_CONTINUOUS", "1", 1);
  __zaph_register_module(&module, ops, NULL, NULL);
  __zaph_register_module(&tls_module, tls_ops, tls_counters, &test_exe_epoch);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(counts_go_to_the_file),
      cmocka_unit_test(a_request_counts_in_the_header_and_touches_once),
      cmocka_unit_test(a_thread_without_counters_is_still_counted),
      cmocka_unit_test(a_full_file_system_stops_new_records),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  unlink(path);
  return failed;
}
