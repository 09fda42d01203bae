/* The kv server's table (table.c). */
#ifndef KV_H
#define KV_H
#include <stdio.h>
const char *kv_get(const char *key);
int kv_set(const char *key, const char *value);
int kv_delete(const char *key);
#endif
