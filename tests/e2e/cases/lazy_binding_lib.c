/* The library of lazy_binding.c. */
#include "zaph.h"

ZAPH_OP static int lazy_helper(int x) { return x * 2; }

ZAPH_OP int lazy_work(int x) { return lazy_helper(x) + 1; }
