/* exec_chain.c in continuous mode: each image joins the file the image before it counted
 * into, so it holds every image's counts. */
// zaph-e2e env: ZAPH_CONTINUOUS=1
#include "exec_chain.c"
