/* A tiny key-value server for the install tests: one command a line on stdin (SET k v, GET k,
 * DEL k), one request each, answered on stdout. */
#include <stdio.h>
#include <string.h>

#include "kv.h"
#include "zaph.h"

ZAPH_REQUEST static void handle(char *line) {
  char *command = strtok(line, " \n"), *key = strtok(NULL, " \n"), *value = strtok(NULL, " \n");
  if (!command || !key) {
    puts("ERR");
  } else if (strcmp(command, "GET") == 0) {
    const char *v = kv_get(key);
    puts(v ? v : "(nil)");
  } else if (strcmp(command, "SET") == 0 && value) {
    puts(kv_set(key, value) == 0 ? "OK" : "FULL");
  } else if (strcmp(command, "DEL") == 0) {
    printf("%d\n", kv_delete(key));
  } else {
    puts("ERR");
  }
}

int main(void) {
  char line[256];
  while (fgets(line, sizeof line, stdin))
    handle(line);
  return 0;
}
