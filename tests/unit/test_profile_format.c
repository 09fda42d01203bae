/* Unit tests of runtime/profile_format.c as zaph-report uses it: escaping text fields, undoing
 * it, and the names of op kinds. */
#include "unit_support.h"

#include "zaph_profile.h"

static void escape_replaces_every_special_byte(void **state) {
  (void)state;
  const char in[] = "a\tb\\c\nd\re\x01" "f\x7f" "g\x1f";
  char out[64];
  size_t need = zaph_escape(out, sizeof out, in, sizeof in - 1);
  assert_string_equal(out, "a\\tb\\\\c\\nd\\re\\x01f\\x7fg\\x1f");
  assert_int_equal(need, strlen("a\\tb\\\\c\\nd\\re\\x01f\\x7fg\\x1f"));
}

static void escape_passes_utf8_and_high_bytes(void **state) {
  (void)state;
  const char in[] = "caf\xc3\xa9 \xff";
  char out[16];
  assert_int_equal(zaph_escape(out, sizeof out, in, sizeof in - 1), 7);
  assert_string_equal(out, in);
}

static void escape_reports_the_length_it_needed_when_cut(void **state) {
  (void)state;
  char out[4];
  assert_int_equal(zaph_escape(out, sizeof out, "abcdef", 6), 6);
  assert_string_equal(out, "abc");
  assert_int_equal(zaph_escape(NULL, 0, "a\tb", 3), 4);
}

static void escape_cuts_between_escapes_never_inside(void **state) {
  (void)state;
  char out[4] = "xxx";
  assert_int_equal(zaph_escape(out, sizeof out, "ab\tc", 4), 5);
  assert_string_equal(out, "ab");
}

static void escape_stops_at_len_not_at_nul(void **state) {
  (void)state;
  char out[16];
  assert_int_equal(zaph_escape(out, sizeof out, "a\0b", 3), 6);
  assert_string_equal(out, "a\\x00b");
}

static void unescape_reverses_escape(void **state) {
  (void)state;
  char text[] = "a\\tb\\\\c\\nd\\re\\x01f\\x7F";
  assert_int_equal(zaph_unescape(text), 12);
  assert_memory_equal(text, "a\tb\\c\nd\re\x01" "f\x7f", 13);
}

static void unescape_refuses_malformed_escapes(void **state) {
  (void)state;
  char unknown[] = "a\\q", trailing[] = "abc\\", short_hex[] = "\\x4", bad_hex[] = "\\x4g",
       upper[] = "\\X41";
  assert_int_equal(zaph_unescape(unknown), -1);
  assert_int_equal(zaph_unescape(trailing), -1);
  assert_int_equal(zaph_unescape(short_hex), -1);
  assert_int_equal(zaph_unescape(bad_hex), -1);
  assert_int_equal(zaph_unescape(upper), -1);
}

static void unescape_of_plain_text_is_unchanged(void **state) {
  (void)state;
  char text[] = "ns::Cache::get(int)";
  assert_int_equal(zaph_unescape(text), 19);
  assert_string_equal(text, "ns::Cache::get(int)");
  char empty[] = "";
  assert_int_equal(zaph_unescape(empty), 0);
}

static void kind_names_round_trip(void **state) {
  (void)state;
  assert_string_equal(zaph_kind_name(ZAPH_KIND_OP), "op");
  assert_string_equal(zaph_kind_name(ZAPH_KIND_REQUEST), "request");
  assert_null(zaph_kind_name(0));
  assert_null(zaph_kind_name(3));
  assert_int_equal(zaph_kind_from_name("op"), ZAPH_KIND_OP);
  assert_int_equal(zaph_kind_from_name("request"), ZAPH_KIND_REQUEST);
  assert_int_equal(zaph_kind_from_name("OP"), 0);
  assert_int_equal(zaph_kind_from_name(""), 0);
  assert_int_equal(zaph_kind_from_name("requests"), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(escape_replaces_every_special_byte),
      cmocka_unit_test(escape_passes_utf8_and_high_bytes),
      cmocka_unit_test(escape_reports_the_length_it_needed_when_cut),
      cmocka_unit_test(escape_cuts_between_escapes_never_inside),
      cmocka_unit_test(escape_stops_at_len_not_at_nul),
      cmocka_unit_test(unescape_reverses_escape),
      cmocka_unit_test(unescape_refuses_malformed_escapes),
      cmocka_unit_test(unescape_of_plain_text_is_unchanged),
      cmocka_unit_test(kind_names_round_trip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
