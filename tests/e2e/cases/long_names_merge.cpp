// Two C++ names that agree in their first 4,096 bytes (long_names.h), in merge mode: the exit's
// write reads back the file zaph_dump() wrote and adds to each op its own counts, 3 and 5.
// zaph-e2e profile: merged-%m.prof
#include "long_names.h"

int main() {
  run();
  return 0;
}
