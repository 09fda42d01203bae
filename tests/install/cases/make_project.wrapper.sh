# install.make_project.wrapper: the kv project's plain Makefile built with CC=<prefix>/bin/zaph-cc
# (the wrapper's default compiler: the newest installed clang plugin's clang) and with
# ZAPH_CC=gcc, each unit compiled (-c) and linked by a separate command, and run.
for compiler in default gcc; do
  copy_kv $compiler
  cc_env=(); [ $compiler = gcc ] && cc_env=(ZAPH_CC="$ZAPH_GCC")
  step "make $compiler" env "${cc_env[@]}" ZAPH_CC_VERBOSE=1 make -s -C $compiler CC="$ZAPH_PREFIX/bin/zaph-cc"
  step "run kv ($compiler)" env ZAPH_PROFILE_FILE="$PWD/$compiler.prof" $compiler/kv <$compiler/commands.txt
  profile $compiler.prof
done
