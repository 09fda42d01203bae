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

/* Text of at most ZAPH_PROFILE_MAX_TEXT bytes is its own identity text; a longer one is cut to
 * its first bytes plus "...#" and the FNV-1a hash of the whole (python3:
 * h = 0xcbf29ce484222325; h = ((h ^ b) * 0x100000001b3) % 2**64 for each byte b). */
static void identity_text_keeps_long_texts_apart(void **state) {
  (void)state;
  static char text[5001], out[ZAPH_PROFILE_MAX_TEXT + 1];
  memset(text, 'a', ZAPH_PROFILE_MAX_TEXT);
  assert_int_equal(zaph_identity_text(out, text), ZAPH_PROFILE_MAX_TEXT);
  assert_memory_equal(out, text, ZAPH_PROFILE_MAX_TEXT);
  memset(text, 'a', 5000);
  assert_int_equal(zaph_identity_text(NULL, text), ZAPH_PROFILE_MAX_TEXT);
  memset(out, 0, sizeof out);
  assert_int_equal(zaph_identity_text(out, text), ZAPH_PROFILE_MAX_TEXT);
  assert_memory_equal(out, text, 4076);
  assert_string_equal(out + 4076, "...#9168c27c5851404d");
  /* Its own identity text: a profile read back names the op alike. */
  static char again[ZAPH_PROFILE_MAX_TEXT + 1];
  assert_int_equal(zaph_identity_text(again, out), ZAPH_PROFILE_MAX_TEXT);
  assert_memory_equal(again, out, ZAPH_PROFILE_MAX_TEXT);
  /* The last byte differs: so does the digest. */
  text[4999] = 'b';
  assert_int_equal(zaph_identity_text(again, text), ZAPH_PROFILE_MAX_TEXT);
  assert_memory_not_equal(again, out, ZAPH_PROFILE_MAX_TEXT);
  /* The cut never splits a UTF-8 character: "é" at bytes 4075-4076 goes whole. */
  memset(text, 'a', 4075);
  memcpy(text + 4075, "\xc3\xa9", 2);
  memset(text + 4077, 'b', 100);
  text[4177] = '\0';
  memset(out, 0, sizeof out);
  assert_int_equal(zaph_identity_text(out, text), 4095);
  assert_memory_equal(out, text, 4075);
  assert_string_equal(out + 4075, "...#65f14fc66feb0a5e");
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
      cmocka_unit_test(identity_text_keeps_long_texts_apart),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
