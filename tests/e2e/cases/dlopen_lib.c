/* The library of dlopen.c, built twice (liba.so, libb.so): each copy's static helper is its
 * own op by identity only when the files differ, so the two copies' counts are summed here. */
#include "zaph.h"

ZAPH_OP static int helper(int x) { return x * 2; }

ZAPH_OP int lib_work(int x) { return helper(x) + 1; }
