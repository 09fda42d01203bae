/* A second library for dlopen.c, with a static helper of the same name as dlopen_lib.c's:
 * another file, so another op. */
#include "zaph.h"

ZAPH_OP static int helper(int x) { return x * 3; }

ZAPH_OP int lib_work(int x) { return helper(x) - 1; }
