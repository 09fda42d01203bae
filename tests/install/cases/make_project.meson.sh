# install.make_project.meson: the kv project built by meson and ninja (kv/meson.build: zaph.pc
# for the include directory, the runtime and the plugin flags of the compiler's major), with
# clang and with GCC, and run; and a compiler whose major has no plugin in the prefix.
export PKG_CONFIG_PATH=$ZAPH_PREFIX/lib/pkgconfig
for compiler in clang gcc; do
  copy_kv $compiler
  cc=$ZAPH_CLANG; [ $compiler = gcc ] && cc=$ZAPH_GCC
  quietly "meson setup ($compiler)" env CC="$cc" meson setup build-$compiler $compiler
  quietly "ninja" ninja -C build-$compiler
  step "run kv ($compiler)" env ZAPH_PROFILE_FILE="$PWD/$compiler.prof" build-$compiler/kv <$compiler/commands.txt
  profile $compiler.prof
done
cp -a "$ZAPH_PREFIX" no-gcc && rm -r no-gcc/lib/zaph/gcc-*
sed -i "s|^prefix=.*|prefix=$PWD/no-gcc|; /^gcc/d; s/^compilers=.*/compilers=clang$ZAPH_LLVM_MAJOR/" \
  no-gcc/lib/pkgconfig/zaph.pc
step "no plugin for GCC" sh -c "PKG_CONFIG_PATH='$PWD/no-gcc/lib/pkgconfig' CC='$ZAPH_GCC' \
  meson setup build-none gcc | grep ERROR"
