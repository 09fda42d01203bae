/* What the text report may use of the terminal it writes to: colour (--color, NO_COLOR, a
 * terminal or not) and characters beyond ASCII (the locale's environment). */
#ifndef ZAPH_REPORT_TERMINAL_H
#define ZAPH_REPORT_TERMINAL_H

#include "options.h"

#include <stdio.h>

/* 1 when output gets ANSI colours: always; never; auto when out is a terminal and NO_COLOR is
 * unset or empty (no-color.org; an explicit --color=always wins over it). */
int terminal_color(enum color_when when, FILE *out);

/* 1 when the locale's character set is UTF-8: the first of LC_ALL, LC_CTYPE and LANG that is set
 * and not empty names it ("C.UTF-8", "en_US.utf8"), as setlocale(LC_CTYPE, "") would choose. */
int terminal_utf8(void);

#endif
