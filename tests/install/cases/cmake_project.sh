# install.cmake_project.clang and install.cmake_project.gcc: the kv project
# (kv/CMakeLists.txt: find_package(zaph), zaph_instrument(kv)) configured with this build's
# clang or with GCC against the installed prefix, built, run on kv/commands.txt: its answers
# and its profile, exactly.
cc=$ZAPH_CLANG
[ "$variant" = gcc ] && cc=$ZAPH_GCC
copy_kv src
quietly configure cmake -S src -B build -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_PREFIX_PATH="$ZAPH_PREFIX"
quietly build cmake --build build
step "run kv" env ZAPH_PROFILE_FILE="$PWD/kv.prof" build/kv <src/commands.txt
profile kv.prof
