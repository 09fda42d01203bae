/* Unit tests of xalloc.c: formatting messages, and the out-of-memory exit (status 5 and one
 * error line), reached through a size overflow in a child process. */
#include "unit_support.h"

#include "report_exit.h"
#include "xalloc.h"

#include <sys/wait.h>
#include <unistd.h>

static void xformat_formats_like_printf(void **state) {
  (void)state;
  char *text = xformat("%s:%lu: %s", "a.prof", 12ul, "line too long");
  assert_string_equal(text, "a.prof:12: line too long");
  free(text);
  text = xformat("%s", "");
  assert_string_equal(text, "");
  free(text);
}

static void xstrdup_copies(void **state) {
  (void)state;
  const char *original = "cache_get";
  char *copy = xstrdup(original);
  assert_ptr_not_equal(copy, original);
  assert_string_equal(copy, "cache_get");
  free(copy);
}

static void xreallocarray_keeps_contents(void **state) {
  (void)state;
  int *numbers = xreallocarray(NULL, 2, sizeof *numbers);
  numbers[0] = 7;
  numbers[1] = 9;
  numbers = xreallocarray(numbers, 100000, sizeof *numbers);
  assert_int_equal(numbers[0], 7);
  assert_int_equal(numbers[1], 9);
  free(numbers);
}

static void size_overflow_exits_with_out_of_memory(void **state) {
  (void)state;
  int pipe_fds[2];
  assert_int_equal(pipe(pipe_fds), 0);
  pid_t child = fork();
  assert_true(child >= 0);
  if (child == 0) {
    dup2(pipe_fds[1], STDERR_FILENO);
    xreallocarray(NULL, SIZE_MAX / 2, 4);
    _exit(0);
  }
  close(pipe_fds[1]);
  char message[128] = {0};
  size_t got = 0;
  ssize_t n;
  while ((n = read(pipe_fds[0], message + got, sizeof message - 1 - got)) > 0)
    got += (size_t)n;
  close(pipe_fds[0]);
  int status;
  assert_int_equal(waitpid(child, &status, 0), child);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), REPORT_EXIT_OUT_OF_MEMORY);
  assert_string_equal(message, "zaph-report: error: out of memory\n");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(xformat_formats_like_printf),
      cmocka_unit_test(xstrdup_copies),
      cmocka_unit_test(xreallocarray_keeps_contents),
      cmocka_unit_test(size_overflow_exits_with_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
