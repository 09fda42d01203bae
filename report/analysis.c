/* Running the pipeline for a set of profiles: each profile is freed as soon as it is merged, so
 * memory grows with the number of distinct ops, not with the number of profiles. */
#include "analysis.h"

#include "calendar.h"
#include "profile_read.h"
#include "xalloc.h"
#include "zaph_profile.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The latest end a profile may have: now (with --now, the last second of that day), plus the
 * clock skew the format allows. */
static int64_t latest_end(const struct report_options *options) {
  int64_t now = options->has_now ? ((int64_t)options->now_day + 1) * 86400 - 1 : (int64_t)time(NULL);
  return now + ZAPH_PROFILE_CLOCK_SKEW_SECONDS;
}

/* A profile that ends in the future has no age: it is invalid input, like a bad field. */
static int check_not_future(const struct profile *profile, const struct report_options *options,
                            char **error) {
  int64_t latest = latest_end(options);
  int64_t end = 0;
  zaph_time_parse(profile->end, &end);
  if (end <= latest)
    return 0;
  char shown[ZAPH_PROFILE_TIME_LENGTH + 1];
  zaph_time_format(latest, shown);
  *error = xformat("%s: end %s is in the future: later than %s (%s, plus %d seconds allowed for "
                   "clock skew)", profile->display_name, profile->end, shown,
                   options->has_now ? "the end of the --now day" : "now",
                   ZAPH_PROFILE_CLOCK_SKEW_SECONDS);
  return -1;
}

static int merge_all(struct merged_profiles *merged, const char *const *paths, size_t count,
                     const struct report_options *options, char **error) {
  for (size_t i = 0; i < count; i++) {
    struct profile profile;
    int rc = profile_load(&profile, paths[i], error);
    if (rc == 0)
      rc = check_not_future(&profile, options, error);
    if (rc == 0)
      rc = merge_add(merged, &profile, error);
    profile_free(&profile);
    if (rc != 0)
      return -1;
  }
  merge_finish(merged);
  return 0;
}

int analysis_run(struct analysis *a, const char *const *paths, size_t count,
                 const struct report_options *options, char **error) {
  memset(a, 0, sizeof *a);
  merge_init(&a->merged);
  *error = NULL;
  if (merge_all(&a->merged, paths, count, options, error) != 0)
    return -1;
  return analysis_complete(a, options, error);
}

int analysis_complete(struct analysis *a, const struct report_options *options, char **error) {
  if (classify(&a->classification, &a->merged, options->min_requests, error) != 0)
    return -1;
  struct assessment_policy policy = {options->confidence_pct,
                                     options->has_now ? options->now_day : calendar_today(),
                                     options->max_age_days};
  assess(&a->assessment, &a->merged, &a->classification, &policy);
  a->confidence_text = xformat("%.10g", options->confidence_pct);
  a->view.merged = &a->merged;
  a->view.classification = &a->classification;
  a->view.assessment = &a->assessment;
  a->view.confidence_text = a->confidence_text;
  return 0;
}

void analysis_free(struct analysis *a) {
  assessment_free(&a->assessment);
  classification_free(&a->classification);
  merge_free(&a->merged);
  free(a->confidence_text);
  memset(a, 0, sizeof *a);
}
