/* Unit tests of runtime/profile_write.c: the exact text of a profile, escaping of names, and
 * expansion of %p, %h and %% in ZAPH_PROFILE_FILE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "runtime_test_support.h"

#include <limits.h>

static struct zaph_op_desc ops[] = {
    {"zeta", "b.c", 5, ZAPH_KIND_OP, 0, 0, 0},
    {"handle", "a.c", 9, ZAPH_KIND_REQUEST, 0, 0, 0},
    {"odd\tname\nwith\\escapes\x01", "a.c", 2, ZAPH_KIND_OP, 3, 0, 0},
    {"never", "a.c", 30, ZAPH_KIND_OP, 0, 0, 0},
};
static struct zaph_module module = MODULE(ops, NULL);
static char dir[] = "/tmp/zaph-unit-XXXXXX";
static char expected_path[PATH_MAX];

static char *read_file(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f)
    return NULL;
  char *text = calloc(1, 65536);
  size_t n = fread(text, 1, 65535, f);
  text[n] = '\0';
  fclose(f);
  return text;
}

/* Drops the lines whose values vary from run to run (program, pid, host, start, end). */
static void drop_varying_lines(char *text) {
  char *w = text;
  for (char *line = text; *line;) {
    char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
    if (strncmp(line, "program\t", 8) && strncmp(line, "pid\t", 4) &&
        strncmp(line, "host\t", 5) && strncmp(line, "start\t", 6) && strncmp(line, "end\t2", 5)) {
      memmove(w, line, len);
      w += len;
    }
    line += len;
  }
  *w = '\0';
}

static void writes_the_exact_profile(void **state) {
  (void)state;
  zaph_request_begin();
  enter_op(&module, 1);
  enter_op(&module, 0);
  enter_op(&module, 0);
  zaph_request_end();
  enter_op(&module, 2);
  assert_int_equal(zaph_dump(), 0);
  char *text = read_file(expected_path);
  assert_non_null(text);
  drop_varying_lines(text);
  assert_string_equal(text, "zaph-profile 1\n"
                            "source\tload-test\n"
                            "requests\t1\n"
                            "ops\t4\n"
                            "op\top\t3\t1\t0\t1\t2\ta.c\todd\\tname\\nwith\\\\escapes\\x01\n"
                            "op\trequest\t0\t1\t1\t0\t9\ta.c\thandle\n"
                            "op\top\t0\t0\t0\t0\t30\ta.c\tnever\n"
                            "op\top\t0\t2\t1\t0\t5\tb.c\tzeta\n"
                            "end\t4\n");
  free(text);
}

static void header_values_are_real(void **state) {
  (void)state;
  char *text = read_file(expected_path), pid_line[64], host[256] = "", host_line[300];
  assert_non_null(text);
  snprintf(pid_line, sizeof pid_line, "\npid\t%ld\n", (long)getpid());
  gethostname(host, sizeof host - 1);
  snprintf(host_line, sizeof host_line, "\nhost\t%s\n", host);
  assert_non_null(strstr(text, pid_line));
  assert_non_null(strstr(text, host_line));
  assert_non_null(strstr(text, "\nprogram\t/"));
  free(text);
}

/* Runs after the runtime's exit-time write, which was registered later. */
static void remove_dir(void) {
  unlink(expected_path);
  rmdir(dir);
}

int main(void) {
  char host[256] = "";
  if (!mkdtemp(dir))
    return 1;
  atexit(remove_dir);
  gethostname(host, sizeof host - 1);
  snprintf(expected_path, sizeof expected_path, "%s/p%ld-%s-%%.prof", dir, (long)getpid(), host);
  char template[PATH_MAX];
  snprintf(template, sizeof template, "%s/p%%p-%%h-%%%%.prof", dir);
  setenv("ZAPH_PROFILE_FILE", template, 1);
  setenv("ZAPH_SOURCE", "load-test", 1);
  __zaph_register_module(&module, ops, NULL, NULL);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(writes_the_exact_profile),
      cmocka_unit_test(header_values_are_real),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
