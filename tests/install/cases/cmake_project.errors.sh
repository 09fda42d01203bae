# install.cmake_project.errors: zaph_instrument's configure-time errors: a compiler whose major
# has no plugin in the prefix (a copy of it without lib/zaph/clang-N), arguments it does not
# take, a list file that does not exist, a target that does not exist, a target instrumented
# twice.
cp -a "$ZAPH_PREFIX" no-clang && rm -r no-clang/lib/zaph/clang-*
copy_kv src
configure() {
  rm -rf build
  cmake -S src -B build -DCMAKE_C_COMPILER="$1" -DCMAKE_PREFIX_PATH="$2" >/dev/null
}
step "no plugin for clang" configure "$ZAPH_CLANG" "$PWD/no-clang"
# The same prefix still serves GCC.
step "GCC with the same prefix" configure "$ZAPH_GCC" "$PWD/no-clang"
for call in "zaph_instrument(kv LST ops.list)" "zaph_instrument(kv LIST missing.list)" \
  "zaph_instrument(kvv)" "zaph_instrument(kv)\nzaph_instrument(kv LIST x.list)"; do
  sed -i "s/^zaph_instrument(.*/$call/" src/CMakeLists.txt
  step "$call" configure "$ZAPH_GCC" "$ZAPH_PREFIX"
done
