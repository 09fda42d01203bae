// Two C++ names that agree in their first 4,096 bytes, at the same file and line
// (long_names.h): two op lines in the text profile, each name cut to its first bytes and a
// digest of the whole, and zaph-report reads the profile.
// zaph-e2e report: --format=csv
#include "long_names.h"

int main() {
  run();
  return 0;
}
