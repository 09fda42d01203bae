# install.side_by_side: another LLVM major's build of this tree and this build installed into
# one prefix, in that order: both clang-N plugin directories, zaph.pc with both majors'
# flags, zaph-cc and the CMake package serving each clang with its own plugin. The other
# build is build/ (the default LLVM) for a build of another LLVM, else build-22/ or build-19/;
# without one built, the test is skipped.
other_build=
for dir in "$ZAPH_SOURCE_DIR/build" "$ZAPH_SOURCE_DIR/build-22" "$ZAPH_SOURCE_DIR/build-19"; do
  [ -f "$dir/CMakeCache.txt" ] && [ "$(cd "$dir" && pwd -P)" != "$(cd "$ZAPH_BUILD" && pwd -P)" ] || continue
  major=$(sed -n 's|^LLVM_DIR:[A-Z]*=/usr/lib/llvm-\([0-9]*\)/.*|\1|p' "$dir/CMakeCache.txt")
  if [ -n "$major" ] && [ "$major" != "$ZAPH_LLVM_MAJOR" ] && [ -f "$dir/lib/zaph-pass.so" ]; then
    other_build=$dir other=$major
    break
  fi
done
[ -n "$other_build" ] || skip "no build of another LLVM major of this tree (build/, build-22/, build-19/)"
[ -f "$other_build/package/cmake_install.cmake" ] || skip "$other_build has no install rules; rebuild it"
other_clang=/usr/lib/llvm-$other/bin/clang
mask_other() { mask | sed -e "s|$other_build|<other-build>|g; s|$other_clang|<other-clang>|g" \
  -e "s/clang\([-+]*\)-$other\b/clang\1-<other>/g; s/clang$other\b/clang<other>/g; s/Clang $other\b/Clang <other>/g"; }
quietly "install the other build" cmake --install "$other_build" --prefix "$PWD/prefix"
quietly "install this build" cmake --install "$ZAPH_BUILD" --prefix "$PWD/prefix"
ZAPH_PREFIX=$PWD/prefix
echo "== plugins"
find prefix/lib/zaph -mindepth 1 -printf '%P\n' | mask_other | sort
echo "== zaph.pc"
export PKG_CONFIG_PATH=$PWD/prefix/lib/pkgconfig
for v in $(pkg-config --variable=compilers zaph); do
  echo "$v: $(pkg-config --variable="${v}_cflags" zaph)"
done | mask_other | sort
printf '#include "zaph.h"\nZAPH_OP int f(int x) { return x; }\nint main(void) { return f(0); }\n' >app.c
for name in other this; do
  clang=$ZAPH_CLANG
  [ $name = other ] && clang=$other_clang
  step "zaph-cc with $name" env ZAPH_CC="$clang" ZAPH_CC_VERBOSE=1 prefix/bin/zaph-cc app.c -o app-$name
  step "run" env ZAPH_PROFILE_FILE=$name.prof ./app-$name
  grep '^op' $name.prof
  copy_kv src-$name
  quietly "CMake package with $name" cmake -S src-$name -B build-$name \
    -DCMAKE_C_COMPILER="$clang" -DCMAKE_PREFIX_PATH="$PWD/prefix"
  quietly "build" cmake --build build-$name
  step "run kv" env ZAPH_PROFILE_FILE=$PWD/kv-$name.prof build-$name/kv <src-$name/commands.txt
  grep '^op' kv-$name.prof | cut -f 1-7,9
done 2>&1 | mask_other
