/* Ranking data sources. The names come from ZAPH_SOURCES in zaph_profile.h, so the order the
 * runtime accepts and the order the report ranks are one list. */
#include "data_source.h"

#include "policy.h"
#include "zaph_profile.h"

#include <stdio.h>
#include <string.h>

#define SOURCE_NAME(name) #name,
static const char *const known_sources[] = {ZAPH_SOURCES(SOURCE_NAME)};
#undef SOURCE_NAME
#define KNOWN_SOURCE_COUNT (int)(sizeof known_sources / sizeof known_sources[0])

static const char *const descriptions[] = {POLICY_SOURCE_DESCRIPTIONS};
_Static_assert(sizeof descriptions / sizeof descriptions[0] == KNOWN_SOURCE_COUNT + 1,
               "a description for each source of ZAPH_SOURCES and for an unknown one");
_Static_assert(POLICY_ACCEPTABLE_SOURCES <= KNOWN_SOURCE_COUNT, "acceptable sources are known");

int source_rank(const char *source) {
  for (int i = 0; i < KNOWN_SOURCE_COUNT; i++)
    if (strcmp(source, known_sources[i]) == 0)
      return i + 1;
  return KNOWN_SOURCE_COUNT + 1;
}

int source_is_acceptable(const char *source) {
  return source_rank(source) <= POLICY_ACCEPTABLE_SOURCES;
}

const char *sources_accepted(void) {
  static char list[256];
  if (!list[0])
    for (int i = 0, used = 0; i < POLICY_ACCEPTABLE_SOURCES; i++)
      used += snprintf(list + used, sizeof list - (size_t)used, "%s%s",
                       i == 0 ? "" : i + 1 < POLICY_ACCEPTABLE_SOURCES ? ", " : " and ",
                       known_sources[i]);
  return list;
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
