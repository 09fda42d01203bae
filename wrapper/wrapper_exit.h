/* The exit statuses of zaph-cc and zaph-c++ (wrapper/zaph_cc.c) when they do not run the
 * compiler, one definition used by the wrapper's code, its --zaph-help (and the man page made
 * from it) and docs/install.md. Once the compiler runs, its status is the wrapper's. */
#ifndef ZAPH_WRAPPER_EXIT_H
#define ZAPH_WRAPPER_EXIT_H

/* X(name, status, meaning) */
#define ZAPH_WRAPPER_EXITS(X)                                                                 \
  X(ZAPH_WRAPPER_USAGE, 64, "usage: an unknown --zaph- option, a bad value or ZAPH_CC_VERBOSE")\
  X(ZAPH_WRAPPER_NO_LIST, 66, "the list file (--zaph-list=, ZAPH_LIST) cannot be read")       \
  X(ZAPH_WRAPPER_NO_PLUGIN, 69, "no zaph plugin installed for the compiler's major version")  \
  X(ZAPH_WRAPPER_UNKNOWN_COMPILER, 70, "the compiler is neither clang nor GCC")               \
  X(ZAPH_WRAPPER_BROKEN_INSTALL, 72, "the wrapper's own installation or its runtime is missing") \
  X(ZAPH_WRAPPER_NO_COMPILER, 127, "the compiler is not found or cannot be run")

enum zaph_wrapper_exit {
#define ZAPH_WRAPPER_EXIT_ENUM(name, status, meaning) name = status,
  ZAPH_WRAPPER_EXITS(ZAPH_WRAPPER_EXIT_ENUM)
#undef ZAPH_WRAPPER_EXIT_ENUM
};

#endif
