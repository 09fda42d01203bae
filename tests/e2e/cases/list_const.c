/* A listed const function counts every call, as an annotated one does (const_pure.c): GCC
 * folds calls by const while it parses, so its plugin clears the attribute on a C function the
 * list names then; both compilers warn as for an annotated const op. */
// zaph-e2e list: list_const.list
// zaph-e2e profile: run.prof
// zaph-e2e args: x
__attribute__((const, noinline)) int square(int x) { return x * x; }

int main(int argc, char **argv) {
  (void)argv;
  int s = 0;
  for (int i = 0; i < 4; i++)
    s += square(argc) + square(argc);
  return s == 42;
}
