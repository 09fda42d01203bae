/* Every function of this file is an op through list_file.list's src: line. */
__attribute__((noinline)) int store_put(int x) { return x * 2; }
__attribute__((noinline)) int store_get(int x) { return x + 4; }
