/* The library of the closed_descriptors case: 1,000 ops, enough that their records outgrow
 * the continuous file's first size. */
#include "zaph.h"

#define TEN(X, n) X(n##0) X(n##1) X(n##2) X(n##3) X(n##4) X(n##5) X(n##6) X(n##7) X(n##8) X(n##9)
#define HUNDRED(X, n)                                                                          \
  TEN(X, n##0) TEN(X, n##1) TEN(X, n##2) TEN(X, n##3) TEN(X, n##4) TEN(X, n##5) TEN(X, n##6)  \
  TEN(X, n##7) TEN(X, n##8) TEN(X, n##9)
#define LIB_OPS(X)                                                                             \
  HUNDRED(X, 1) HUNDRED(X, 2) HUNDRED(X, 3) HUNDRED(X, 4) HUNDRED(X, 5) HUNDRED(X, 6)          \
  HUNDRED(X, 7) HUNDRED(X, 8) HUNDRED(X, 9) HUNDRED(X, 10)

#define DEFINE_OP(n)                                                                           \
  ZAPH_OP __attribute__((noinline)) int lib_op_##n(int x) { return x + n; }
LIB_OPS(DEFINE_OP)

/* Enters each op once. */
int lib_enter_all(void) {
  int sum = 0;
#define ENTER_OP(n) sum += lib_op_##n(0);
  LIB_OPS(ENTER_OP)
  return sum;
}
