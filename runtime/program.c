/* The program and the host it runs on, as every profile names them. The executable's path,
 * which also makes merge mode's %m signature, is found once at start-up: from /proc/self/exe,
 * or, where there is no /proc (a chroot, some containers), from the name the program was
 * executed by (the kernel's AT_EXECFN), made absolute against the working directory it
 * started in. The host name is read each time. A leaf: it calls nothing else of the runtime. */
#include "runtime.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static char program[PATH_MAX];

void zaph_program_init(void) {
  ssize_t n = readlink("/proc/self/exe", program, sizeof program - 1);
  if (n > 0) {
    program[n] = '\0';
    return;
  }
  const char *executed = (const char *)getauxval(AT_EXECFN);
  if (!executed || !realpath(executed, program))
    snprintf(program, sizeof program, "%s", executed ? executed : "");
}

const char *zaph_program_path(void) { return program; }

void zaph_host_name(char out[ZAPH_HOST_NAME_SIZE]) {
  if (gethostname(out, ZAPH_HOST_NAME_SIZE - 1) != 0)
    strcpy(out, "unknown");
  out[ZAPH_HOST_NAME_SIZE - 1] = '\0';
}
