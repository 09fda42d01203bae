/* Included by identity.c and identity_b.c: one op, however many translation units use it. */
#include "zaph.h"

ZAPH_OP static inline int shared_inline(int x) { return x + 2; }

int run_b(void);
