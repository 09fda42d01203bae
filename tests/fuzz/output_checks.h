/* What the fuzz target checks in every rendered output, beyond the sanitizers: the promises of
 * docs/report.md that a crash would not reveal. Each check returns NULL when the output keeps
 * them, else a short description of the first problem. */
#ifndef ZAPH_FUZZ_OUTPUT_CHECKS_H
#define ZAPH_FUZZ_OUTPUT_CHECKS_H

#include <stddef.h>

/* One JSON value (RFC 8259) and nothing else but white space, valid UTF-8, no object holding
 * the same key twice. */
const char *json_check(const char *text, size_t len);

/* RFC 4180 records, each ended by CRLF, all with as many fields as the first (the header). */
const char *csv_check(const char *text, size_t len);

/* OpenMetrics text: valid UTF-8, lines ended by '\n', each "# HELP name text", "# TYPE name
 * counter" or a sample name{label="value",...} N whose values hold no raw '"' or newline and no
 * escape but \\, \" and \n; "# EOF" last, once. */
const char *openmetrics_check(const char *text, size_t len);

/* Text for a terminal: lines ended by '\n', no other control byte and no DEL. */
const char *text_check(const char *text, size_t len);

/* C comments that cannot end early: every "*" "/" in the output is followed by a newline. */
const char *comment_check(const char *text, size_t len);

/* The doc header: every #define names a distinct C identifier. */
const char *header_check(const char *text, size_t len);

#endif
