/* Two C++ ops whose names agree in their first 4,096 bytes, defined on one line of one file:
 * take(<4,096 letters>_1) and take(<4,096 letters>_2). Each stays its own op in every profile,
 * however the profile shortens a name that long. run() enters the first 3 times and the second
 * 5 times, with a zaph_dump() between, so merge mode reads its own file back once. */
#include "zaph.h"

#define ZAPH_CAT4(a) a##a##a##a
#define ZAPH_TIMES4(a) ZAPH_CAT4(a)
#define ZAPH_JOIN(a, b) ZAPH_JOIN_(a, b)
#define ZAPH_JOIN_(a, b) a##b
/* 4 x 4^5 = 4,096 letters. */
#define LONG_NAME ZAPH_TIMES4(ZAPH_TIMES4(ZAPH_TIMES4(ZAPH_TIMES4(ZAPH_TIMES4(abcd)))))

struct ZAPH_JOIN(LONG_NAME, _1) {};
struct ZAPH_JOIN(LONG_NAME, _2) {};

static volatile int sink;

ZAPH_OP static int take(ZAPH_JOIN(LONG_NAME, _1)) { return 1; } ZAPH_OP static int take(ZAPH_JOIN(LONG_NAME, _2)) { return 2; }

static void run() {
  for (int i = 0; i < 3; i++)
    sink += take(ZAPH_JOIN(LONG_NAME, _1)());
  zaph_dump();
  for (int i = 0; i < 5; i++)
    sink += take(ZAPH_JOIN(LONG_NAME, _2)());
}
