/* Unit tests of line_reader.c with a small cap: complete lines, a last line without newline, a
 * line at and over the cap, a NUL byte, an empty stream, and input larger than the buffer. */
#include "unit_support.h"

#include "line_reader.h"

struct reader_fixture {
  FILE *stream;
  struct line_reader reader;
};

static struct reader_fixture *open_reader(const char *data, size_t len, size_t max_line) {
  struct reader_fixture *f = malloc(sizeof *f);
  f->stream = stream_with(data, len);
  line_reader_init(&f->reader, f->stream, max_line);
  return f;
}

static void close_reader(struct reader_fixture *f) {
  line_reader_free(&f->reader);
  fclose(f->stream);
  free(f);
}

static void reads_complete_lines(void **state) {
  (void)state;
  struct reader_fixture *f = open_reader("ab\n\ncd\n", 7, 8);
  char *line;
  size_t len;
  assert_int_equal(line_reader_next(&f->reader, &line, &len), LINE_OK);
  assert_string_equal(line, "ab");
  assert_int_equal(len, 2);
  assert_int_equal(f->reader.line_number, 1);
  assert_int_equal(line_reader_next(&f->reader, &line, &len), LINE_OK);
  assert_string_equal(line, "");
  assert_int_equal(len, 0);
  assert_int_equal(line_reader_next(&f->reader, &line, &len), LINE_OK);
  assert_string_equal(line, "cd");
  assert_int_equal(f->reader.line_number, 3);
  assert_int_equal(line_reader_next(&f->reader, &line, &len), LINE_END_OF_FILE);
  assert_int_equal(line_reader_next(&f->reader, &line, &len), LINE_END_OF_FILE);
  assert_int_equal(f->reader.line_number, 3);
  close_reader(f);
}

static void reports_a_last_line_without_newline(void **state) {
  (void)state;
  struct reader_fixture *f = open_reader("ab\ncd", 5, 8);
  char *line;
  size_t len;
  assert_int_equal(line_reader_next(&f->reader, &line, &len), LINE_OK);
  assert_int_equal(line_reader_next(&f->reader, &line, &len), LINE_UNTERMINATED);
  assert_string_equal(line, "cd");
  assert_int_equal(len, 2);
  assert_int_equal(f->reader.line_number, 2);
  assert_int_equal(line_reader_next(&f->reader, &line, &len), LINE_END_OF_FILE);
  close_reader(f);
}

static void accepts_a_line_of_exactly_the_cap(void **state) {
  (void)state;
  struct reader_fixture *f = open_reader("1234567\n", 8, 8);
  char *line;
  size_t len;
  assert_int_equal(line_reader_next(&f->reader, &line, &len), LINE_OK);
  assert_string_equal(line, "1234567");
  assert_int_equal(len, 7);
  close_reader(f);
}

static void refuses_a_line_one_byte_over_the_cap(void **state) {
  (void)state;
  struct reader_fixture *f = open_reader("ok\n12345678\n", 12, 8);
  char *line;
  size_t len;
  assert_int_equal(line_reader_next(&f->reader, &line, &len), LINE_OK);
  assert_int_equal(line_reader_next(&f->reader, &line, &len), LINE_TOO_LONG);
  assert_int_equal(f->reader.line_number, 2);
  close_reader(f);
}

static void refuses_an_unterminated_line_over_the_cap(void **state) {
  (void)state;
  struct reader_fixture *f = open_reader("123456789", 9, 8);
  char *line;
  size_t len;
  assert_int_equal(line_reader_next(&f->reader, &line, &len), LINE_TOO_LONG);
  close_reader(f);
}

static void reports_a_nul_byte(void **state) {
  (void)state;
  struct reader_fixture *f = open_reader("a\0b\n", 4, 8);
  char *line;
  size_t len;
  assert_int_equal(line_reader_next(&f->reader, &line, &len), LINE_HAS_NUL);
  assert_int_equal(len, 3);
  assert_int_equal(f->reader.line_number, 1);
  close_reader(f);
}

static void an_empty_stream_is_end_of_file(void **state) {
  (void)state;
  struct reader_fixture *f = open_reader("", 0, 8);
  char *line;
  size_t len;
  assert_int_equal(line_reader_next(&f->reader, &line, &len), LINE_END_OF_FILE);
  assert_int_equal(f->reader.line_number, 0);
  close_reader(f);
}

static void reads_input_larger_than_its_buffer(void **state) {
  (void)state;
  enum { LINES = 30000 };
  size_t cap = (size_t)LINES * 12, used = 0;
  char *data = malloc(cap);
  for (int i = 0; i < LINES; i++)
    used += (size_t)snprintf(data + used, cap - used, "line %d\n", i);
  struct reader_fixture *f = open_reader(data, used, 16);
  char *line, expected[16];
  size_t len;
  for (int i = 0; i < LINES; i++) {
    assert_int_equal(line_reader_next(&f->reader, &line, &len), LINE_OK);
    snprintf(expected, sizeof expected, "line %d", i);
    assert_string_equal(line, expected);
  }
  assert_int_equal(line_reader_next(&f->reader, &line, &len), LINE_END_OF_FILE);
  assert_int_equal(f->reader.line_number, LINES);
  close_reader(f);
  free(data);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reads_complete_lines),
      cmocka_unit_test(reports_a_last_line_without_newline),
      cmocka_unit_test(accepts_a_line_of_exactly_the_cap),
      cmocka_unit_test(refuses_a_line_one_byte_over_the_cap),
      cmocka_unit_test(refuses_an_unterminated_line_over_the_cap),
      cmocka_unit_test(reports_a_nul_byte),
      cmocka_unit_test(an_empty_stream_is_end_of_file),
      cmocka_unit_test(reads_input_larger_than_its_buffer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
