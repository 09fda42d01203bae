# install.wrapper.runs: what zaph-cc and zaph-c++ run (ZAPH_CC_VERBOSE=1) and what it builds:
# one-step and separate compile and link with clang and GCC, C++, a list file by relative
# path, the commands that get no runtime (-c, -E, -shared, no input), the compiler's own
# failure passed through, and --zaph-help.
cc=$ZAPH_PREFIX/bin/zaph-cc
cxx=$ZAPH_PREFIX/bin/zaph-c++
export ZAPH_CC_VERBOSE=1
cat >app.c <<'C'
#include <zaph.h>
ZAPH_OP int lookup(int x) { return x * 2; }
int unlisted(int x) { return x + 1; }
ZAPH_REQUEST int handle(int x) { return lookup(x) + unlisted(x); }
int main(void) {
  int sum = 0;
  for (int i = 0; i < 5; i++)
    sum += handle(i);
  return sum == 35 ? 0 : 1;
}
C
cat >app.cpp <<'C'
#include <zaph.h>
struct Cache {
  ZAPH_OP int get(int k) { return k + 1; }
};
ZAPH_REQUEST static int handle(Cache &c, int k) { return c.get(k) + c.get(k + 1); }
int main() {
  Cache c;
  int s = 0;
  for (int i = 0; i < 4; i++)
    s += handle(c, i);
  return s == 24 ? 0 : 1;
}
C
printf 'fun:unlisted\n' >ops.list
step "clang, one step" "$cc" -O2 app.c -o app-clang
step "run" env ZAPH_PROFILE_FILE=clang.prof ./app-clang
profile clang.prof
step "GCC, compile" env ZAPH_CC="$ZAPH_GCC" "$cc" -O2 -c app.c -o app.o
step "GCC, link" env ZAPH_CC="$ZAPH_GCC" "$cc" app.o -o app-gcc
step "run" env ZAPH_PROFILE_FILE=gcc.prof ./app-gcc
profile gcc.prof
mkdir -p sub
step "list file, relative" sh -c "cd sub && '$cc' -O2 --zaph-list=../ops.list ../app.c -o ../app-list"
step "run" env ZAPH_PROFILE_FILE=list.prof ./app-list
profile list.prof
step "list file, GCC" env ZAPH_CC="$ZAPH_GCC" "$cc" -O2 --zaph-list=ops.list app.c -o app-list-gcc
step "run" env ZAPH_PROFILE_FILE=list-gcc.prof ./app-list-gcc
profile list-gcc.prof
step "zaph-c++" "$cxx" -O2 app.cpp -o app-cxx
step "run" env ZAPH_PROFILE_FILE=cxx.prof ./app-cxx
profile cxx.prof
step "zaph-c++ with g++" env ZAPH_CXX="$ZAPH_GXX" "$cxx" -O2 -x c++ app.cpp -o app-gxx
step "run" env ZAPH_PROFILE_FILE=gxx.prof ./app-gxx
profile gxx.prof
step "-E: no runtime" sh -c "'$cc' -E app.c | grep -c 'annotate(\"zaph_op\")'"
step "-shared: no runtime" "$cc" -shared -fPIC app.c -o libapp.so
step "no input: no runtime" sh -c "'$cc' -dumpversion >/dev/null"
printf 'int main(void) { return }\n' >bad.c
step "the compiler's failure passed through" env ZAPH_CC_VERBOSE=0 sh -c "'$cc' -c bad.c 2>err.txt
  status=\$?; grep -c '^bad.c:1:25: error: expected expression' err.txt; exit \$status"
step "--zaph-help" "$cc" --zaph-help
step "--zaph-help as zaph-c++" sh -c "'$cxx' --zaph-help | head -1"
