/* One instant query to a Prometheus server's HTTP API over libcurl: GET
 * <url>/api/v1/query?query=...&time=... and the body of the answer. */
#ifndef ZAPH_REPORT_PROMETHEUS_HTTP_H
#define ZAPH_REPORT_PROMETHEUS_HTTP_H

#include <stddef.h>
#include <stdint.h>

/* Seconds to connect, and for the whole of one query. */
#define PROMETHEUS_CONNECT_TIMEOUT 10
#define PROMETHEUS_QUERY_TIMEOUT 120
/* The largest answer read, in bytes. */
#define PROMETHEUS_MAX_ANSWER (512u << 20)

struct prometheus_reply {
  long status; /* the HTTP status */
  char *body;  /* NUL-terminated, len bytes before the NUL */
  size_t len;
};

/* Queries query at Unix time at. Returns 0 with *reply filled (whatever the HTTP status; the
 * caller frees reply->body), or -1 with *error set to a malloc()ed message when no answer came
 * (libcurl's reason: "Couldn't connect to server", a timeout, an answer too large). */
int prometheus_http_query(const char *url, const char *query, int64_t at,
                          struct prometheus_reply *reply, char **error);

#endif
