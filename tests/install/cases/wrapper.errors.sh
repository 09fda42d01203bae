# install.wrapper.errors: each way zaph-cc refuses to run the compiler, with its message and
# its exit status (wrapper/wrapper_exit.h).
cc=$ZAPH_PREFIX/bin/zaph-cc
printf 'int main(void) { return 0; }\n' >a.c
step "unknown option" "$cc" --zaph-lst=ops.list -c a.c
step "--zaph-list without =" "$cc" --zaph-list ops.list -c a.c
step "--zaph-list= empty" "$cc" --zaph-list= -c a.c
step "ZAPH_CC_VERBOSE=yes" env ZAPH_CC_VERBOSE=yes "$cc" -c a.c
step "missing list file" "$cc" --zaph-list=missing.list -c a.c
step "unreadable list (a directory)" "$cc" --zaph-list=. -c a.c
step "missing ZAPH_LIST" env ZAPH_LIST=missing.list "$cc" -c a.c
step "compiler not found" env ZAPH_CC=no-such-cc "$cc" -c a.c
step "compiler not found (path)" env ZAPH_CC=/nonexistent/cc "$cc" -c a.c
step "not clang or GCC" env ZAPH_CC=/bin/true "$cc" -c a.c
ln -s "$cc" cc
step "ZAPH_CC is the wrapper" env ZAPH_CC="$PWD/cc" "$cc" -c a.c
step "ZAPH_CXX is the wrapper" env PATH="$ZAPH_PREFIX/bin:$PATH" ZAPH_CXX=zaph-c++ "$ZAPH_PREFIX/bin/zaph-c++" -c a.c
# A compiler that says it is clang 99 (its predefined macros) has no plugin here.
mkdir -p fake
printf '#!/bin/sh\nprintf "#define __clang__ 1\\n#define __clang_major__ 99\\n"\n' >fake/clang
chmod +x fake/clang
step "no plugin for clang 99" env ZAPH_CC="$PWD/fake/clang" "$cc" -c a.c
step "no plugin for clang 99 (zaph-c++)" env ZAPH_CXX="$PWD/fake/clang" "$ZAPH_PREFIX/bin/zaph-c++" -c a.c
# Debian's names are taken by the path, not asked: x86_64-linux-gnu-gcc-99 is GCC 99.
cp /bin/true fake/x86_64-linux-gnu-gcc-99
step "no plugin for gcc-99 (by its name)" env ZAPH_CC="$PWD/fake/x86_64-linux-gnu-gcc-99" "$cc" -c a.c
# A copy of the prefix without GCC's plugin, and one without the runtime.
cp -a "$ZAPH_PREFIX" no-gcc && rm -r no-gcc/lib/zaph/gcc-*
step "no plugin for GCC" env ZAPH_CC="$ZAPH_GCC" no-gcc/bin/zaph-cc -c a.c
cp -a "$ZAPH_PREFIX" no-runtime && rm no-runtime/lib/libzaph-rt.a
step "no runtime, compiling" env ZAPH_CC="$ZAPH_GCC" no-runtime/bin/zaph-cc -c a.c -o a.o
step "no runtime, linking" env ZAPH_CC="$ZAPH_GCC" no-runtime/bin/zaph-cc a.o -o a
mkdir -p lonely/bin && cp "$cc" lonely/bin/
step "no plugins at all" env ZAPH_CC="$ZAPH_GCC" lonely/bin/zaph-cc -c a.c
