# install.spaces: a prefix with a space in its name: zaph.pc escapes it (pkg-config splits
# values at spaces), and make through pkg-config, make through zaph-cc and the CMake package
# each build the kv project from there; the runs' op lines.
quietly install cmake --install "$ZAPH_BUILD" --prefix "$work/pre fix"
step "zaph.pc" sh -c "PKG_CONFIG_PATH='$work/pre fix/lib/pkgconfig' pkg-config --cflags --libs zaph"
copy_kv pc
quietly "make with pkg-config" env PKG_CONFIG_PATH="$work/pre fix/lib/pkgconfig" \
  make -C pc -f pkg-config.mk CC="$ZAPH_GCC" COMPILER=gcc$ZAPH_GCC_MAJOR
copy_kv wrapper
quietly "make with zaph-cc" make -C wrapper CC="'$work/pre fix/bin/zaph-cc'"
copy_kv cmake
quietly "cmake" cmake -S cmake -B cmake-build -DCMAKE_C_COMPILER="$ZAPH_CLANG" \
  -DCMAKE_PREFIX_PATH="$work/pre fix"
quietly "build" cmake --build cmake-build
for kv in pc/kv wrapper/kv cmake-build/kv; do
  env ZAPH_PROFILE_FILE="$work/run.prof" $kv <pc/commands.txt >/dev/null
  echo "== $kv"
  grep '^op' run.prof | cut -f 1-7,9
done
