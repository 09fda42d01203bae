/* A malformed list file is an error that names the list file and the line. The list reaches
 * the plugin through ZAPH_LIST in the compiler's environment, as from a build system that
 * passes no flags through. */
// zaph-e2e list-env: list_bad.list
// zaph-e2e compile-only
int main(void) { return 0; }
