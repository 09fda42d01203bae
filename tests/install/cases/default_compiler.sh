# install.default_compiler: this tree configured with CMake's default compilers, GCC (CC=gcc,
# CXX=g++), as `cmake -S . -B build` does on Debian: its runtime is still compiled by clang
# (runtime/compile_with_clang.sh; each object's .comment names its compiler; the assembler
# trampolines have none), and programs compiled by clang and by GCC with the plugins link
# with it and count exactly.
quietly configure env CC=gcc CXX=g++ cmake -S "$ZAPH_SOURCE_DIR" -B build -G Ninja \
  -DLLVM_DIR="$ZAPH_LLVM_DIR"
step "configure says" sh -c "grep -E '^-- (The C compiler identification|zaph: the runtime)' quiet.log |
  sed -E 's/(GNU [0-9]+)[.0-9]+/\\1/'"
quietly "build the runtime" cmake --build build --target zaph-rt-static zaph-rt-shared
mkdir objects && (cd objects && ar x ../build/lib/libzaph-rt.a)
step "compilers of the runtime's objects" sh -c 'for o in $(ls objects); do
    printf "%s: %s\n" "$o" "$(readelf -p .comment objects/$o 2>/dev/null | grep -oE "clang version [0-9]+|GCC: " | sed "s/version //" | sort -u | tr "\n" " ")"
  done'
cat >app.c <<'C'
#include "zaph.h"
ZAPH_OP int lookup(int x) { return x * 3; }
ZAPH_REQUEST int handle(int x) { return lookup(x) + lookup(x + 1); }
int main(void) {
  int sum = 0;
  for (int i = 0; i < 7; i++)
    sum += handle(i);
  return sum == 147 ? 0 : 1;
}
C
step "clang with the plugin, the runtime of the GCC build" "$ZAPH_CLANG" -O2 \
  -fplugin="$ZAPH_BUILD/lib/zaph-frontend.so" -fpass-plugin="$ZAPH_BUILD/lib/zaph-pass.so" \
  -I"$ZAPH_SOURCE_DIR/include" app.c build/lib/libzaph-rt.a -lpthread -o app-clang
step "run" env ZAPH_PROFILE_FILE=clang.prof ./app-clang
profile clang.prof
step "GCC with the plugin, the same runtime" "$ZAPH_GCC" -O2 -fplugin="$ZAPH_BUILD/lib/zaph-gcc.so" \
  -I"$ZAPH_SOURCE_DIR/include" app.c build/lib/libzaph-rt.a -lpthread -o app-gcc
step "run" env ZAPH_PROFILE_FILE=gcc.prof ./app-gcc
profile gcc.prof
step "shared runtime" "$ZAPH_GCC" -O2 -fplugin="$ZAPH_BUILD/lib/zaph-gcc.so" \
  -I"$ZAPH_SOURCE_DIR/include" app.c -Lbuild/lib -lzaph-rt -Wl,-rpath,"$PWD/build/lib" -o app-shared
step "run" env ZAPH_PROFILE_FILE=shared.prof ./app-shared
profile shared.prof
