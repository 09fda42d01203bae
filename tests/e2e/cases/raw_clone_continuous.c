/* raw_clone.c in continuous mode: the children count into the file they share with their
 * parent, so it holds everyone's counts exactly (10 + 4 + 4 + 2), and nothing is reported. */
// zaph-e2e env: ZAPH_CONTINUOUS=1
#include "raw_clone.c"
