/* For the report's unit tests: merged ops built by hand, and the inputs that the merged sets
 * of the output tests stand for. */
#ifndef ZAPH_REPORT_TEST_SUPPORT_H
#define ZAPH_REPORT_TEST_SUPPORT_H

#include "merge.h"

#include <string.h>

static inline struct merged_op merged_op_of(const char *name, const char *file, uint64_t line,
                                            int kind, unsigned tier, uint64_t entries,
                                            uint64_t touching, uint64_t outside) {
  struct merged_op o;
  memset(&o, 0, sizeof o);
  o.id.name = name;
  o.id.file = file;
  o.id.line = line;
  o.id.kind = kind;
  o.declared_tier = tier;
  o.entries = entries;
  o.requests_touching = touching;
  o.entries_outside = outside;
  return o;
}

__attribute__((unused)) static struct merged_input test_inputs[] = {
    {"a.prof", "/path/app", "load-test", "2026-11-24T09:12:03Z", "2026-11-24T09:12:09Z", 1000},
    {"b.prof", "/path/app", "production", "2026-08-01T00:00:00Z", "2026-08-31T23:59:59Z", 500},
    {"c.prof", "/path/app", "synthetic", "2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z", 47},
};

#endif
