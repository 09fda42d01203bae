/* Unit tests of profile_continuous.c that need a real file: one that becomes shorter while it is
 * read, and one much larger than the records its header counts. */
#include "unit_support.h"

#include "profile_continuous.h"
#include "zaph_continuous.h"
#include "zaph_profile.h"

#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

/* Bytes of the one op record continuous_file() writes: "f" in "f.c". */
#define RECORD_BYTES ZAPH_CONTINUOUS_RECORD_SIZE(1, 3)

/* Writes a continuous profile with one op record ("f" in "f.c", 3 entries) to a new temporary
 * file; returns its descriptor. */
static int continuous_file(char *path, uint64_t used) {
  unsigned char header[ZAPH_CONTINUOUS_HEADER_SIZE] = {0};
  struct zaph_continuous_header *h = (struct zaph_continuous_header *)header;
  memcpy(h->magic, ZAPH_CONTINUOUS_MAGIC, ZAPH_CONTINUOUS_MAGIC_SIZE);
  h->version = ZAPH_CONTINUOUS_VERSION;
  h->header_size = ZAPH_CONTINUOUS_HEADER_SIZE;
  h->used = used;
  h->requests = 2;
  h->start = 1764000000;
  h->end = 1764000060;
  h->pid = 7;
  unsigned char record[RECORD_BYTES] = {0};
  struct zaph_continuous_record *r = (struct zaph_continuous_record *)record;
  r->requests_touching = 2;
  r->entries_inside = 3;
  r->size = RECORD_BYTES;
  r->line = 4;
  r->kind = ZAPH_KIND_OP;
  r->name_len = 1;
  r->file_len = 3;
  memcpy(r->text, "ff.c", 4);
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, header, sizeof header), sizeof header);
  assert_int_equal(write(fd, record, sizeof record), sizeof record);
  return fd;
}

/* The size the reader was told is the file's size before it was cut: every page past the cut
 * is gone from the mapping, as when a file shrinks between fstat() and the read. */
static void file_cut_while_read_is_an_error(void **state) {
  (void)state;
  char path[] = "/tmp/zaph-continuous-XXXXXX";
  int fd = continuous_file(path, 3 * 4096);
  /* the file holds the header and one record */
  size_t size_seen = ZAPH_CONTINUOUS_HEADER_SIZE + 3 * 4096;
  struct profile profile;
  char *error = NULL;
  assert_int_equal(profile_load_continuous(&profile, fd, size_seen, 0, "cut.prof", &error), -1);
  assert_string_equal(error, "cut.prof: changed while being read: the file became shorter");
  free(error);
  profile_free(&profile);
  close(fd);
  unlink(path);
}

/* A file of 1 TiB (sparse) whose header counts one record: only the header and that record
 * are read. */
static void reads_only_the_records_in_use(void **state) {
  (void)state;
  char path[] = "/tmp/zaph-continuous-XXXXXX";
  int fd = continuous_file(path, RECORD_BYTES);
  size_t size = (size_t)1 << 40;
  assert_int_equal(ftruncate(fd, (off_t)size), 0);
  struct profile profile;
  char *error = NULL;
  assert_int_equal(profile_load_continuous(&profile, fd, size, 0, "big.prof", &error), 0);
  assert_null(error);
  assert_int_equal(profile.op_count, 1);
  assert_string_equal(profile.ops[0].id.name, "f");
  assert_string_equal(profile.ops[0].id.file, "f.c");
  assert_int_equal(profile.ops[0].entries, 3);
  assert_int_equal(profile.requests, 2);
  profile_free(&profile);
  close(fd);
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(file_cut_while_read_is_an_error),
      cmocka_unit_test(reads_only_the_records_in_use),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
