/* For cases that put files at a merge-mode path (%m): the name the runtime gives
 * "<prefix>%m.prof" in this program, and its lock's, learnt from a run of the program itself
 * with "probe" as its only argument (the case's main must then return at once). What the
 * probe wrote stays for the caller: the profile, and its lock. */
#ifndef ZAPH_E2E_MERGE_NAME_H
#define ZAPH_E2E_MERGE_NAME_H

#include "run_self.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct merge_names {
  char profile[64], lock[80];
};

static struct merge_names merge_name(const char *prefix, const char *continuous) {
  struct merge_names n = {"", ""};
  char profile_var[256], continuous_var[32];
  snprintf(profile_var, sizeof profile_var, "ZAPH_PROFILE_FILE=%s%%m.prof", prefix);
  snprintf(continuous_var, sizeof continuous_var, "ZAPH_CONTINUOUS=%s", continuous);
  const char *env[] = {profile_var, continuous_var, NULL};
  waitpid(start_self("probe", env), NULL, 0);
  size_t len = strlen(prefix) + 16 + strlen(".prof");
  DIR *dir = opendir(".");
  for (struct dirent *e; dir && (e = readdir(dir));)
    if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 && strlen(e->d_name) == len)
      snprintf(n.profile, sizeof n.profile, "%s", e->d_name);
  if (dir)
    closedir(dir);
  snprintf(n.lock, sizeof n.lock, "%s.lock", n.profile);
  return n;
}

#endif
