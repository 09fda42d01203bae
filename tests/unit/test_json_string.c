/* Unit tests of json_string.c: UTF-8 validation (overlong forms, surrogates, the U+10FFFF
 * limit, cut sequences) and the exact escaping of every kind of byte. */
#include "unit_support.h"

#include "json_string.h"
#include "zaph_profile.h"

static size_t seq(const char *bytes) {
  return zaph_utf8_sequence_length((const unsigned char *)bytes, strlen(bytes));
}

static void validates_utf8_sequences(void **state) {
  (void)state;
  assert_int_equal(seq("a"), 1);
  assert_int_equal(seq("\xc3\xa9"), 2);            /* é */
  assert_int_equal(seq("\xe2\x82\xac"), 3);        /* € */
  assert_int_equal(seq("\xf0\x9f\x98\x80"), 4);    /* U+1F600 */
  assert_int_equal(seq("\xf4\x8f\xbf\xbf"), 4);    /* U+10FFFF */
  assert_int_equal(seq("\xed\x9f\xbf"), 3);        /* U+D7FF */
  assert_int_equal(seq("\xc0\x80"), 0);            /* overlong NUL */
  assert_int_equal(seq("\xc1\xbf"), 0);            /* overlong */
  assert_int_equal(seq("\xe0\x9f\xbf"), 0);        /* overlong */
  assert_int_equal(seq("\xf0\x8f\xbf\xbf"), 0);    /* overlong */
  assert_int_equal(seq("\xed\xa0\x80"), 0);        /* surrogate U+D800 */
  assert_int_equal(seq("\xf4\x90\x80\x80"), 0);    /* above U+10FFFF */
  assert_int_equal(seq("\xf5\x80\x80\x80"), 0);
  assert_int_equal(seq("\xff"), 0);
  assert_int_equal(seq("\x80"), 0);                /* lone continuation */
  assert_int_equal(seq("\xe2\x82"), 0);            /* cut short */
  assert_int_equal(seq("\xe2\x82" "A"), 0);
  assert_int_equal(zaph_utf8_sequence_length((const unsigned char *)"", 0), 0);
}

static char *json_of(const char *text) {
  struct capture c;
  capture_begin(&c);
  json_write_string(c.stream, text);
  return capture_end(&c);
}

static void check_json(const char *text, const char *expected) {
  char *out = json_of(text);
  assert_string_equal(out, expected);
  free(out);
}

static void escapes_exactly(void **state) {
  (void)state;
  check_json("cache_get", "\"cache_get\"");
  check_json("", "\"\"");
  check_json("say \"hi\"", "\"say \\\"hi\\\"\"");
  check_json("a\\b", "\"a\\\\b\"");
  check_json("/usr/bin", "\"/usr/bin\"");
  check_json("t\tn\nr\r\x01\x1f\x7f", "\"t\\u0009n\\u000ar\\u000d\\u0001\\u001f\\u007f\"");
  check_json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

static void replaces_each_invalid_byte(void **state) {
  (void)state;
  check_json("a\xff" "b", "\"a\\ufffdb\"");
  check_json("\xe2\x82" "A", "\"\\ufffd\\ufffdA\"");
  check_json("\xc0\x80", "\"\\ufffd\\ufffd\"");
  check_json("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
  check_json("x\xf4\x90\x80\x80", "\"x\\ufffd\\ufffd\\ufffd\\ufffd\"");
  check_json("\xc3", "\"\\ufffd\"");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(validates_utf8_sequences),
      cmocka_unit_test(escapes_exactly),
      cmocka_unit_test(replaces_each_invalid_byte),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
