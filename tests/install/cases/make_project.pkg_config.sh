# install.make_project.pkg_config: the kv project built by make with the flags zaph.pc gives
# (kv/pkg-config.mk: --cflags, --variable=<compiler>_cflags, --libs after the objects), with
# clang and with GCC, and run.
export PKG_CONFIG_PATH=$ZAPH_PREFIX/lib/pkgconfig
step "pkg-config" sh -c 'for v in compilers clang'"$ZAPH_LLVM_MAJOR"'_cflags gcc'"$ZAPH_GCC_MAJOR"'_cflags; do
    pkg-config --variable=$v zaph; done; pkg-config --cflags --libs zaph'
for compiler in clang gcc; do
  copy_kv $compiler
  if [ $compiler = clang ]; then cc=$ZAPH_CLANG var=clang$ZAPH_LLVM_MAJOR; else cc=$ZAPH_GCC var=gcc$ZAPH_GCC_MAJOR; fi
  quietly "make $compiler" make -C $compiler -f pkg-config.mk CC="$cc" COMPILER=$var
  step "run kv ($compiler)" env ZAPH_PROFILE_FILE="$PWD/$compiler.prof" $compiler/kv <$compiler/commands.txt
  profile $compiler.prof
done
