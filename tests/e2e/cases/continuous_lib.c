/* The library of the continuous_shared case: loaded by the child only. */
#include "zaph.h"

ZAPH_OP int lib_op(int x) { return x + 7; }
