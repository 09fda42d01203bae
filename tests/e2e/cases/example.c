/* The README's example: examples/server.c replaying examples/replay.log as staging replay;
 * the report shows a Hot, a Warm and Cold ops. */
// zaph-e2e stdin: ../../../examples/replay.log
// zaph-e2e env: ZAPH_SOURCE=staging-replay
// zaph-e2e report:
// zaph-e2e report: --format=json
#include "../../../examples/server.c"
