/* reset_in_request.c in continuous mode: the same counts, from the file. */
// zaph-e2e env: ZAPH_CONTINUOUS=1
#include "reset_in_request.c"
