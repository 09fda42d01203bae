// Two C++ names that agree in their first 4,096 bytes (long_names.h), in continuous mode: two
// records, which the reader keeps apart instead of summing them as one op.
// zaph-e2e env: ZAPH_CONTINUOUS=1
#include "long_names.h"

int main() {
  run();
  return 0;
}
