/* zaph-cc and zaph-c++: compiler wrappers for build systems that take only CC and CXX. They run
 * the real compiler with the zaph plugin of its major version from their own installation
 * (found from /proc/self/exe) and, when linking a program, the runtime after the objects.
 * One program: installed as zaph-c++ (a link) it compiles C++. docs/install.md has the design. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wrapper_exit.h"

extern char **environ;

/* What the wrapper is called as and which compilers it stands for. */
struct language {
  const char *name;          /* zaph-cc or zaph-c++ */
  const char *compiler_env;  /* ZAPH_CC or ZAPH_CXX */
  const char *clang;         /* clang or clang++ (clang-N, /usr/lib/llvm-N/bin/clang) */
  const char *gcc;           /* gcc or g++ */
  const char *query_language; /* -x of the identity query */
};

static const struct language c_language = {"zaph-cc", "ZAPH_CC", "clang", "gcc", "c"};
static const struct language cxx_language = {"zaph-c++", "ZAPH_CXX", "clang++", "g++", "c++"};
static const struct language *language = &c_language;

/* A compiler family and major version, as the compiler's own predefined macros say. */
enum family { FAMILY_CLANG, FAMILY_GCC };
struct identity {
  enum family family;
  int major;
};

static void help(void) {
  printf("usage: %s [--zaph-list=FILE] COMPILER-ARGUMENT...\n"
         "       %s --zaph-help\n"
         "\n"
         "Runs the real compiler with the zaph plugin for its major version, from the\n"
         "installation the wrapper belongs to, and links the zaph runtime after the\n"
         "objects when it links a program (not with -c, -S, -E, -M, -MM, -fsyntax-only,\n"
         "-shared or -r, nor without an input file). The compiler's exit status is the\n"
         "wrapper's.\n"
         "\n"
         "  --zaph-list=FILE  choose ops by the list file FILE (passed as an absolute\n"
         "                    path: -fplugin-arg-zaph-list=FILE)\n"
         "  --zaph-help       print this help and exit 0\n"
         "\n"
         "environment:\n"
         "  %-15s the compiler to run (a name on PATH or a path); default the\n"
         "                  %s-N of the newest installed clang plugin found, else %s\n"
         "  ZAPH_LIST       a list file, read by the plugin itself (checked here)\n"
         "  ZAPH_CC_VERBOSE 1: print the command on stderr before running it\n"
         "\n"
         "exit status when the compiler does not run:\n",
         language->name, language->name, language->compiler_env, language->clang,
         language->gcc);
#define ZAPH_WRAPPER_EXIT_HELP(name, status, meaning) printf("  %3d  %s\n", status, meaning);
  ZAPH_WRAPPER_EXITS(ZAPH_WRAPPER_EXIT_HELP)
#undef ZAPH_WRAPPER_EXIT_HELP
}

static void fail(int status, const char *format, ...)
    __attribute__((format(printf, 2, 3), noreturn));
static void fail(int status, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  fprintf(stderr, "%s: error: ", language->name);
  vfprintf(stderr, format, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(status);
}

static char *join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 1;
  char *s = malloc(n);
  if (!s)
    fail(ZAPH_WRAPPER_BROKEN_INSTALL, "out of memory");
  snprintf(s, n, "%s%s", a, b);
  return s;
}

static int is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_executable(const char *path) {
  return is_file(path) && access(path, X_OK) == 0;
}

/* The installation prefix: the directory above the one the wrapper's executable is in. */
static char *find_prefix(const char *argv0) {
  char *self = realpath("/proc/self/exe", NULL);
  if (!self && strchr(argv0, '/'))
    self = realpath(argv0, NULL);
  if (!self)
    fail(ZAPH_WRAPPER_BROKEN_INSTALL, "cannot find its own executable (/proc/self/exe: %s)",
         strerror(errno));
  for (int up = 0; up < 2; up++) {
    char *slash = strrchr(self, '/');
    if (!slash || slash == self)
      fail(ZAPH_WRAPPER_BROKEN_INSTALL, "its executable is not in a bin/ directory of an "
                                        "installation");
    *slash = '\0';
  }
  return self;
}

/* The compiler NAME as a path: itself when it has a '/', else the first executable of that
 * name on PATH; NULL when there is none. */
static char *find_program(const char *name) {
  if (strchr(name, '/'))
    return is_executable(name) ? strdup(name) : NULL;
  const char *path = getenv("PATH");
  if (!path || !*path)
    path = "/usr/local/bin:/usr/bin:/bin";
  while (*path) {
    size_t n = strcspn(path, ":");
    char dir[PATH_MAX];
    if (n == 0)
      snprintf(dir, sizeof dir, ".");
    else
      snprintf(dir, sizeof dir, "%.*s", (int)n, path);
    char *candidate = join(dir, "/");
    char *full = join(candidate, name);
    free(candidate);
    if (is_executable(full))
      return full;
    free(full);
    path += n;
    if (*path == ':')
      path++;
  }
  return NULL;
}

/* The clang-N directories under LIB/zaph, newest first, as their majors; returns how many. */
static int installed_clang_majors(const char *zaph_lib, int *majors, int max) {
  DIR *d = opendir(zaph_lib);
  int n = 0;
  if (!d)
    return 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    char *end;
    if (strncmp(e->d_name, "clang-", 6) != 0)
      continue;
    long major = strtol(e->d_name + 6, &end, 10);
    if (*end || major <= 0 || n == max)
      continue;
    int i = n++;
    while (i > 0 && majors[i - 1] < major) {
      majors[i] = majors[i - 1];
      i--;
    }
    majors[i] = (int)major;
  }
  closedir(d);
  return n;
}

/* The installed plugin directories, as "clang-14, gcc-12", for messages. */
static char *installed_list(const char *zaph_lib) {
  char *list = strdup("");
  DIR *d = opendir(zaph_lib);
  if (!d || !list)
    return "none";
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (e->d_name[0] == '.')
      continue;
    char *next = join(list, *list ? ", " : "");
    free(list);
    list = join(next, e->d_name);
    free(next);
  }
  closedir(d);
  return *list ? list : "none";
}

/* The compiler to run: ZAPH_CC / ZAPH_CXX, else clang-N of the newest installed clang plugin
 * that has its clang here, else gcc / g++. */
static char *choose_compiler(const char *zaph_lib, const char **named) {
  const char *chosen = getenv(language->compiler_env);
  if (chosen && *chosen) {
    *named = chosen;
    char *path = find_program(chosen);
    if (!path)
      fail(ZAPH_WRAPPER_NO_COMPILER, "compiler '%s' (%s) not found", chosen,
           language->compiler_env);
    return path;
  }
  int majors[64];
  int n = installed_clang_majors(zaph_lib, majors, 64);
  for (int i = 0; i < n; i++) {
    char name[64], llvm[96];
    snprintf(name, sizeof name, "%s-%d", language->clang, majors[i]);
    snprintf(llvm, sizeof llvm, "/usr/lib/llvm-%d/bin/%s", majors[i], language->clang);
    char *path = find_program(name);
    if (!path && is_executable(llvm))
      path = strdup(llvm);
    if (path) {
      *named = path;
      return path;
    }
  }
  *named = language->gcc;
  char *path = find_program(language->gcc);
  if (!path)
    fail(ZAPH_WRAPPER_NO_COMPILER, "no compiler found: none of the installed clang plugins' "
                                   "clang, nor %s (set %s)",
         language->gcc, language->compiler_env);
  return path;
}

/* The value of `#define NAME VALUE` in the macro dump, or -1. */
static int macro_value(const char *dump, const char *name) {
  size_t n = strlen(name);
  for (const char *line = dump; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
    if (strncmp(line, "#define ", 8) == 0 && strncmp(line + 8, name, n) == 0 && line[8 + n] == ' ')
      return atoi(line + 9 + n);
  }
  return -1;
}

/* The compiler a Debian installation names by its real path: LLVM's /usr/lib/llvm-N/bin/clang
 * (where clang, clang-N and clang++-N lead) or GCC's [<triple>-]gcc-N and g++-N (where gcc,
 * g++, cc and c++ lead). Returns 0 when the path does not say. */
static int identify_by_path(const char *real, struct identity *id) {
  const char *base = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
  const char *llvm = strstr(real, "/llvm-");
  int major = 0, end = 0;
  if (llvm && (strcmp(base, "clang") == 0 || strcmp(base, "clang++") == 0) &&
      sscanf(llvm, "/llvm-%d/bin/%n", &major, &end) == 1 && llvm + end == base && major > 0) {
    id->family = FAMILY_CLANG;
    id->major = major;
    return 1;
  }
  const char *dash = strrchr(base, '-');
  if (!dash || dash - base < 3 || dash[1] < '0' || dash[1] > '9')
    return 0;
  const char *tool = dash - 3;
  if ((tool == base || tool[-1] == '-') &&
      (strncmp(tool, "gcc-", 4) == 0 || strncmp(tool, "g++-", 4) == 0) &&
      sscanf(dash + 1, "%d%n", &major, &end) == 1 && dash[1 + end] == '\0' && major > 0) {
    id->family = FAMILY_GCC;
    id->major = major;
    return 1;
  }
  return 0;
}

/* Which compiler COMPILER is: by its real path where that is Debian's own naming, else from
 * the macros it predefines (`COMPILER -E -dM -x c /dev/null`, one more process): a name such
 * as cc, or a ccache link, says nothing, and its own macros do not lie. */
static struct identity identify(const char *compiler, const char *named) {
  struct identity by_path;
  char *real = realpath(compiler, NULL);
  int known = real && identify_by_path(real, &by_path);
  free(real);
  if (known)
    return by_path;
  int out[2];
  if (pipe(out) != 0)
    fail(ZAPH_WRAPPER_NO_COMPILER, "cannot run '%s': %s", named, strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  posix_spawn_file_actions_addclose(&actions, out[1]);
  char *args[] = {(char *)compiler, "-E", "-dM", "-x", (char *)language->query_language,
                  "/dev/null", NULL};
  pid_t pid;
  int err = posix_spawn(&pid, compiler, &actions, NULL, args, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (err != 0)
    fail(ZAPH_WRAPPER_NO_COMPILER, "cannot run '%s': %s", named, strerror(err));
  size_t size = 0, cap = 65536;
  char *dump = malloc(cap + 1);
  for (ssize_t got; dump && (got = read(out[0], dump + size, cap - size)) != 0;) {
    if (got < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    size += (size_t)got;
    if (size == cap) {
      char *bigger = realloc(dump, 2 * cap + 1);
      if (!bigger)
        break;
      dump = bigger, cap *= 2;
    }
  }
  close(out[0]);
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!dump)
    fail(ZAPH_WRAPPER_BROKEN_INSTALL, "out of memory");
  dump[size] = '\0';
  struct identity id = {FAMILY_GCC, -1};
  if (macro_value(dump, "__clang__") >= 0) {
    id.family = FAMILY_CLANG;
    id.major = macro_value(dump, "__clang_major__");
  } else {
    id.major = macro_value(dump, "__GNUC__");
  }
  free(dump);
  if (id.major <= 0)
    fail(ZAPH_WRAPPER_UNKNOWN_COMPILER, "'%s' is not clang or GCC (it predefines neither "
                                        "__clang_major__ nor __GNUC__)", named);
  return id;
}

/* Fails unless the list file PATH (given by ORIGIN) can be opened for reading and is not a
 * directory, so that the compiler's first unit does not find out. */
static void check_list(const char *path, const char *origin) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    fd = -1;
    errno = EISDIR;
  }
  if (fd < 0)
    fail(ZAPH_WRAPPER_NO_LIST, "cannot read the list file '%s' (%s): %s", path, origin,
         strerror(errno));
  close(fd);
}

/* Whether this command links a program, which gets the runtime: not when it stops before the
 * link or links a shared library or relocatable object, and not without an input file. */
static int links_program(int argc, char **argv) {
  static const char *const no_link[] = {"-c", "-S", "-E", "-M", "-MM", "-fsyntax-only",
                                        "-shared", "-r", NULL};
  /* Options whose value is the next argument, so that it is not taken for an input file. */
  static const char *const with_value[] = {"-o", "-I", "-D", "-U", "-L", "-l", "-x", "-include",
    "-imacros", "-isystem", "-idirafter", "-iquote", "-iprefix", "-isysroot", "-MF", "-MT",
    "-MQ", "-Xlinker", "-Xclang", "-Xassembler", "-Xpreprocessor", "-u", "-T", "-z",
    "--param", "-target", "-arch", "-aux-info", NULL};
  int inputs = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    for (int k = 0; no_link[k]; k++)
      if (strcmp(a, no_link[k]) == 0)
        return 0;
    if (a[0] != '-' || strcmp(a, "-") == 0) {
      inputs++;
      continue;
    }
    for (int k = 0; with_value[k]; k++)
      if (strcmp(a, with_value[k]) == 0) {
        i++;
        break;
      }
  }
  return inputs > 0;
}

static void print_command(char **args) {
  fprintf(stderr, "%s:", language->name);
  for (char **a = args; *a; a++) {
    if (**a && strcspn(*a, " \t\n'\"\\$`*?[]#~;&|<>(){}") == strlen(*a))
      fprintf(stderr, " %s", *a);
    else {
      fputs(" '", stderr);
      for (const char *c = *a; *c; c++)
        *c == '\'' ? fputs("'\\''", stderr) : fputc(*c, stderr);
      fputc('\'', stderr);
    }
  }
  fputc('\n', stderr);
}

int main(int argc, char **argv) {
  const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
  size_t base_len = strlen(base);
  if (base_len >= 2 && strcmp(base + base_len - 2, "++") == 0)
    language = &cxx_language;

  const char *list = NULL;
  int verbose = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--zaph-help") == 0) {
      help();
      return fflush(stdout) == 0 && !ferror(stdout) ? 0 : ZAPH_WRAPPER_USAGE;
    }
    if (strncmp(argv[i], "--zaph-list=", 12) == 0) {
      list = argv[i] + 12;
      if (!*list)
        fail(ZAPH_WRAPPER_USAGE, "option '--zaph-list=' needs a file name");
    } else if (strncmp(argv[i], "--zaph", 6) == 0) {
      if (strcmp(argv[i], "--zaph-list") == 0)
        fail(ZAPH_WRAPPER_USAGE, "option '--zaph-list' takes its file as --zaph-list=FILE");
      fail(ZAPH_WRAPPER_USAGE, "unknown option '%s' (--zaph-help lists the wrapper's options)",
           argv[i]);
    }
  }
  const char *v = getenv("ZAPH_CC_VERBOSE");
  if (v && *v && strcmp(v, "0") != 0) {
    if (strcmp(v, "1") != 0)
      fail(ZAPH_WRAPPER_USAGE, "ZAPH_CC_VERBOSE is '%s'; it takes 1 (print the command) or 0",
           v);
    verbose = 1;
  }
  char *list_path = NULL;
  if (list) {
    check_list(list, "--zaph-list");
    list_path = realpath(list, NULL);
    if (!list_path)
      fail(ZAPH_WRAPPER_NO_LIST, "cannot resolve the list file '%s' (--zaph-list): %s", list,
           strerror(errno));
  }
  const char *env_list = getenv("ZAPH_LIST");
  if (!list && env_list && *env_list)
    check_list(env_list, "ZAPH_LIST");

  char *prefix = find_prefix(argv[0]);
  char *lib = join(prefix, "/lib");
  char *zaph_lib = join(lib, "/zaph");
  char *runtime = join(lib, "/libzaph-rt.a");
  const char *named;
  char *compiler = choose_compiler(zaph_lib, &named);
  /* ZAPH_CC=zaph-cc (or a link to it) would run the wrapper again, endlessly. */
  char *self = realpath("/proc/self/exe", NULL), *real = realpath(compiler, NULL);
  if (self && real && strcmp(self, real) == 0)
    fail(ZAPH_WRAPPER_UNKNOWN_COMPILER, "%s names this wrapper itself ('%s'), not a compiler",
         language->compiler_env, named);
  free(self);
  free(real);
  struct identity id = identify(compiler, named);

  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%s/%s-%d", zaph_lib, id.family == FAMILY_CLANG ? "clang" : "gcc",
           id.major);
  char *frontend = join(dir, "/zaph-frontend.so");
  char *pass = join(dir, "/zaph-pass.so");
  char *gcc_plugin = join(dir, "/zaph.so");
  int have_plugin = id.family == FAMILY_CLANG ? is_file(frontend) && is_file(pass)
                                              : is_file(gcc_plugin);
  if (!have_plugin)
    fail(ZAPH_WRAPPER_NO_PLUGIN, "no zaph plugin for %s %d ('%s') in %s (installed: %s); a "
                                 "plugin built for another major crashes the compiler",
         id.family == FAMILY_CLANG ? "clang" : "GCC", id.major, named, zaph_lib,
         installed_list(zaph_lib));
  int link = links_program(argc, argv);
  if (link && !is_file(runtime))
    fail(ZAPH_WRAPPER_BROKEN_INSTALL, "the runtime %s is missing", runtime);

  /* compiler, 2 plugin flags, list, include, the arguments, -x none, runtime, -lpthread. */
  char **args = calloc((size_t)argc + 10, sizeof *args);
  if (!args)
    fail(ZAPH_WRAPPER_BROKEN_INSTALL, "out of memory");
  int n = 0;
  args[n++] = (char *)named;
  if (id.family == FAMILY_CLANG) {
    args[n++] = join("-fplugin=", frontend);
    args[n++] = join("-fpass-plugin=", pass);
  } else {
    args[n++] = join("-fplugin=", gcc_plugin);
  }
  if (list_path)
    args[n++] = join("-fplugin-arg-zaph-list=", list_path);
  char *include = join(prefix, "/include");
  char *header = join(include, "/zaph.h");
  if (is_file(header)) {
    args[n++] = "-idirafter";
    args[n++] = include;
  }
  int language_given = 0;
  for (int i = 1; i < argc; i++) {
    if (strncmp(argv[i], "--zaph-", 7) == 0)
      continue;
    if (strncmp(argv[i], "-x", 2) == 0)
      language_given = 1;
    args[n++] = argv[i];
  }
  if (link) {
    if (language_given) {
      args[n++] = "-x";
      args[n++] = "none";
    }
    args[n++] = runtime;
    args[n++] = "-lpthread";
  }
  args[n] = NULL;
  if (verbose)
    print_command(args);
  fflush(stderr);
  execv(compiler, args);
  fail(ZAPH_WRAPPER_NO_COMPILER, "cannot run '%s': %s", named, strerror(errno));
}
