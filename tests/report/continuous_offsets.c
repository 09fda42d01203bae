/* Prints where the fields of a continuous profile are (include/zaph_continuous.h) as shell
 * assignments, for run_case.sh to patch its fixtures at the offsets the format defines:
 * header_<field> from the start of the file, record_<field> from the start of a record. */
#include "zaph_continuous.h"

#include <stddef.h>
#include <stdio.h>

#define HEADER_FIELD(field)                                                                    \
  printf("header_" #field "=%zu\n", offsetof(struct zaph_continuous_header, field))
#define RECORD_FIELD(field)                                                                    \
  printf("record_" #field "=%zu\n", offsetof(struct zaph_continuous_record, field))

int main(void) {
  printf("header_size=%d\n", ZAPH_CONTINUOUS_HEADER_SIZE);
  HEADER_FIELD(version);
  HEADER_FIELD(used);
  HEADER_FIELD(requests);
  RECORD_FIELD(requests_touching);
  RECORD_FIELD(entries_outside);
  RECORD_FIELD(size);
  RECORD_FIELD(kind);
  RECORD_FIELD(name_len);
  RECORD_FIELD(text);
  return 0;
}
