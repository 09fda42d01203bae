/* The timed ops of timed_dlclose.c's library. */
#include "zaph.h"

static volatile int sink;

ZAPH_OP_WITH("timed=1") int lib_every(int x) { return sink += x; }
ZAPH_OP_WITH("timed=2") int lib_half(int x) { return sink += x; }
