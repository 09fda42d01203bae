/* The exit codes of zaph-report, one place for main.c, --help and the tests to agree on.
 * docs/report.md documents each. */
#ifndef ZAPH_REPORT_EXIT_H
#define ZAPH_REPORT_EXIT_H

enum report_exit {
  REPORT_EXIT_SUCCESS = 0,
  REPORT_EXIT_INSUFFICIENT_DATA = 1,
  REPORT_EXIT_USAGE = 2,
  REPORT_EXIT_BAD_PROFILE = 3,
  REPORT_EXIT_WRITE_FAILED = 4,
  REPORT_EXIT_OUT_OF_MEMORY = 5,
  REPORT_EXIT_CHECK_FAILED = 6, /* check: at least one op fails the gate */
  REPORT_EXIT_REPROFILE = 7,    /* diff: a re-profiling trigger fired */
  REPORT_EXIT_PROMETHEUS = 8,   /* --prometheus: the server's counters could not be had or used */
  REPORT_EXIT_TIER_CHANGE = 9,  /* assign: a measured tier differs from the ledger's, no --approve */
  REPORT_EXIT_UNASSIGNED = 10,  /* check --deploy: an op of the build has no tier assignment */
};

#endif
