/* The duplicate check. Writers sort op lines by identity, so one pass over neighbours normally
 * decides it in linear time; a file that is not sorted falls back to sorting pointers. */
#include "profile_duplicates.h"

#include "xalloc.h"

#include <stdlib.h>

/* Orders ops by identity, then by the line they were read from. */
static int compare_op_pointers(const void *a, const void *b) {
  const struct profile_op *x = *(const struct profile_op *const *)a;
  const struct profile_op *y = *(const struct profile_op *const *)b;
  int c = zaph_identity_compare(&x->id, &y->id);
  if (c)
    return c;
  return (x->text_line > y->text_line) - (x->text_line < y->text_line);
}

const struct profile_op *profile_find_duplicate(const struct profile *profile) {
  size_t n = profile->op_count;
  const struct profile_op *repeat = NULL;
  int sorted = 1;
  for (size_t i = 1; i < n && sorted && !repeat; i++) {
    int c = zaph_identity_compare(&profile->ops[i - 1].id, &profile->ops[i].id);
    if (c == 0)
      repeat = &profile->ops[i];
    sorted = c <= 0;
  }
  if (sorted)
    return repeat;
  const struct profile_op **order = xreallocarray(NULL, n, sizeof *order);
  for (size_t i = 0; i < n; i++)
    order[i] = &profile->ops[i];
  qsort(order, n, sizeof *order, compare_op_pointers);
  for (size_t i = 1; i < n; i++)
    if (zaph_identity_equal(&order[i - 1]->id, &order[i]->id) &&
        (!repeat || order[i]->text_line < repeat->text_line))
      repeat = order[i];
  free(order);
  return repeat;
}
