/* The HTTP half of --prometheus over libcurl: http and https only, no redirect followed,
 * bounded time and size; curl's proxy variables (http_proxy, no_proxy) apply as in curl. */
#include "prometheus_http.h"

#include "xalloc.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

struct body {
  char *data;
  size_t len;
  int too_large;
};

static size_t take(char *bytes, size_t size, size_t count, void *context) {
  struct body *b = context;
  size_t n = size * count;
  if (b->len + n > PROMETHEUS_MAX_ANSWER) {
    b->too_large = 1;
    return 0; /* ends the transfer */
  }
  b->data = xreallocarray(b->data, b->len + n + 1, 1);
  memcpy(b->data + b->len, bytes, n);
  b->len += n;
  b->data[b->len] = '\0';
  return n;
}

int prometheus_http_query(const char *url, const char *query, int64_t at,
                          struct prometheus_reply *reply, char **error) {
  static int initialized;
  if (!initialized++ && curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
    out_of_memory();
  CURL *curl = curl_easy_init();
  if (!curl)
    out_of_memory();
  char *escaped = curl_easy_escape(curl, query, 0);
  if (!escaped)
    out_of_memory();
  char *full = xformat("%s/api/v1/query?query=%s&time=%lld", url, escaped, (long long)at);
  curl_free(escaped);
  struct body b = {xstrdup(""), 0, 0};
  curl_easy_setopt(curl, CURLOPT_URL, full);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, take);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)PROMETHEUS_CONNECT_TIMEOUT);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)PROMETHEUS_QUERY_TIMEOUT);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "zaph-report");
  CURLcode rc = curl_easy_perform(curl);
  int result = 0;
  if (b.too_large) {
    *error = xformat("the answer is larger than %u MiB", PROMETHEUS_MAX_ANSWER >> 20);
    result = -1;
  } else if (rc != CURLE_OK) {
    *error = xstrdup(curl_easy_strerror(rc)); /* reason adds timings: kept out of messages */
    result = -1;
  } else {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply->status);
    reply->body = b.data;
    reply->len = b.len;
    b.data = NULL;
  }
  free(b.data);
  free(full);
  curl_easy_cleanup(curl);
  return result;
}
