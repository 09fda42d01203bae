/* Ranking data sources. The names come from ZAPH_SOURCES in zaph_profile.h, so the order the
 * runtime accepts and the order the report ranks are one list. */
#include "data_source.h"

#include "zaph_profile.h"

#include <string.h>

#define SOURCE_NAME(name) #name,
static const char *const known_sources[] = {ZAPH_SOURCES(SOURCE_NAME)};
#undef SOURCE_NAME
#define KNOWN_SOURCE_COUNT (int)(sizeof known_sources / sizeof known_sources[0])

/* The last acceptable rank: load-test. */
#define LAST_ACCEPTABLE_RANK 3

static const char *const descriptions[] = {
    "Production metrics", "Staging with production replay",
    "Load testing with representative scenarios", "Synthetic benchmarks", "Unspecified"};

int source_rank(const char *source) {
  for (int i = 0; i < KNOWN_SOURCE_COUNT; i++)
    if (strcmp(source, known_sources[i]) == 0)
      return i + 1;
  return KNOWN_SOURCE_COUNT + 1;
}

int source_is_acceptable(const char *source) {
  return source_rank(source) <= LAST_ACCEPTABLE_RANK;
}

const char *source_description(const char *source) {
  return descriptions[source_rank(source) - 1];
}

const char *source_worst(const char *const *sources, size_t count) {
  const char *worst = sources[0];
  for (size_t i = 1; i < count; i++)
    if (source_rank(sources[i]) > source_rank(worst))
      worst = sources[i];
  return worst;
}
