/* Files planted at the runtime's predictable names, as another user could in a shared
 * directory like /tmp. Each run is the program itself with one profile path:
 * - a merge lock that is a symbolic link: not followed (its target is not created), the
 *   counts go beside the path;
 * - a merge lock, a text profile to merge and a %m%c continuous profile to join, each another
 * user's: refused, the counts go beside it (the planted profiles keep the probe's zeros);
 * - a profile path that is a symbolic link to a device: refused.
 * Another user's file is one that nobody owns when the suite runs as root, and otherwise one
 * that anybody may write to; the runtime refuses both, with the same words. */
#include "merge_name.h"
#include "run_self.h"
#include "zaph.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

ZAPH_OP static int work(int x) { return x + 1; }

/* Makes path another user's file (created empty when missing). */
static void plant(const char *path) {
  int fd = open(path, O_RDWR | O_CREAT, 0644);
  if (geteuid() == 0)
    fchown(fd, 65534, 65534);
  else
    fchmod(fd, 0666);
  close(fd);
}

static void run(const char *name, const char *profile) {
  char profile_var[128];
  snprintf(profile_var, sizeof profile_var, "ZAPH_PROFILE_FILE=%s", profile);
  const char *env[] = {profile_var, "ZAPH_CONTINUOUS=0", NULL};
  int status;
  waitpid(start_self(name, env), &status, 0);
  printf("%s: exit %d\n", name, WEXITSTATUS(status));
}

int main(int argc, char **argv) {
  if (argc > 1) {
    if (strcmp(argv[1], "probe") != 0)
      work(1);
    return 0;
  }
  mkdir("planted", 0755);
  struct merge_names link = merge_name("symlink-lock-", "0");
  unlink(link.profile);
  unlink(link.lock);
  symlink("planted/created-through-the-link", link.lock);
  run("symlink-lock", "symlink-lock-%m.prof");
  printf("symlink-lock: the link's target was created: %d\n",
         access("planted/created-through-the-link", F_OK) == 0);

  struct merge_names lock = merge_name("their-lock-", "0");
  unlink(lock.profile);
  plant(lock.lock);
  run("their-lock", "their-lock-%m.prof");

  plant(merge_name("their-profile-", "0").profile); /* the probe's counts are 0 */
  run("their-profile", "their-profile-%m.prof");

  plant(merge_name("their-continuous-", "1").profile);
  run("their-continuous", "their-continuous-%m%c.prof");

  symlink("/dev/null", "device-link.prof");
  run("device-link", "device-link.prof");
  return 0;
}
