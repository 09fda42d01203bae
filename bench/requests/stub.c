/* The uninstrumented build's zaph_request_begin() and zaph_request_end(): they do nothing and
 * return 0, so the base program makes the same calls as the instrumented one, and the extra
 * instructions of a zaph build are what zaph's functions do beyond an empty function. Compiled
 * without the pass, in its own translation unit, never inlined into the driver. */
#include "zaph.h"

__attribute__((noinline)) int zaph_request_begin(void) { return 0; }
__attribute__((noinline)) int zaph_request_end(void) { return 0; }
