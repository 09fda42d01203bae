/* A bounded load client for memcached's text protocol, for bench/servers.sh: C connections to
 * HOST:PORT, one thread each, every connection sends N requests from a fixed mix and checks
 * every reply; prints what it sent and the requests per second, and fails on any error reply,
 * short reply or time-out. With -P D a connection sends D requests at once before reading
 * their D replies. `mcload stats HOST PORT` prints the server's `stats` lines instead.
 *
 * The mix repeats every 20 requests: 11 get, 4 set (3 of a value of -s bytes under k:<i>, 1 of
 * a number under n:<i>), 1 incr, 1 decr, 1 touch, 1 delete; <i> from a fixed generator per
 * connection over -k keys, so every run sends the same requests.
 *
 * usage: mcload [-c CONNS] [-n REQUESTS_PER_CONN] [-P DEPTH] [-s VALUE_BYTES] [-k KEYS]
 *               [-t TIMEOUT_S] HOST PORT
 *        mcload stats HOST PORT */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum op { GET, SET, SETN, INCR, DECR, TOUCH, DEL, NOPS };
static const char *const op_name[NOPS] = {"get", "set", "set_num", "incr", "decr", "touch", "delete"};
static const enum op mix[20] = {SET, GET, GET,  GET, INCR, GET,  GET, SETN, GET, TOUCH,
                                GET, SET, GET,  GET, DECR, GET,  DEL, GET,  SET, GET};

static const char *host;
static int port, conns = 4, depth = 1, value_bytes = 100, keys = 1000, timeout_s = 60;
static long per_conn = 10000;
static pthread_barrier_t start_line;

struct conn {
  pthread_t thread;
  int id, fd;
  uint64_t state;
  unsigned long sent[NOPS];
  int failed;
  char err[256];
  char *in;
  size_t in_len, in_cap, in_pos;
};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int connect_to(const char *h, int p, int timeout) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)p)};
  struct timeval tv = {.tv_sec = timeout};
  int one = 1;
  if (inet_pton(AF_INET, h, &a.sin_addr) != 1 ||
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) ||
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) ||
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) ||
      connect(fd, (struct sockaddr *)&a, sizeof a)) {
    close(fd);
    return -1;
  }
  return fd;
}

static int fail(struct conn *c, const char *what) {
  if (!c->failed)
    snprintf(c->err, sizeof c->err, "connection %d: %s", c->id, what);
  c->failed = 1;
  return -1;
}

static int send_all(struct conn *c, const char *p, size_t n) {
  while (n) {
    ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return fail(c, w < 0 && errno == EAGAIN ? "send timed out" : "send failed");
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Makes at least `need` unread bytes available in c->in. */
static int fill(struct conn *c, size_t need) {
  if (c->in_pos && c->in_len - c->in_pos < need) {
    memmove(c->in, c->in + c->in_pos, c->in_len - c->in_pos);
    c->in_len -= c->in_pos;
    c->in_pos = 0;
  }
  while (c->in_len - c->in_pos < need) {
    if (c->in_cap - c->in_len < 4096) {
      c->in_cap = c->in_cap * 2 + 65536;
      if (!(c->in = realloc(c->in, c->in_cap)))
        return fail(c, "out of memory");
    }
    ssize_t r = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return fail(c, r < 0 && errno == EAGAIN ? "reply timed out" : "connection closed");
    c->in_len += (size_t)r;
  }
  return 0;
}

/* The next reply line, without its \r\n, NUL-terminated in place. */
static char *line(struct conn *c) {
  for (size_t have = 1;; have = c->in_len - c->in_pos + 1) {
    if (fill(c, have))
      return NULL;
    char *start = c->in + c->in_pos;
    char *nl = memchr(start, '\n', c->in_len - c->in_pos);
    if (nl) {
      if (nl == start || nl[-1] != '\r')
        return fail(c, "reply line without \\r\\n"), NULL;
      nl[-1] = '\0';
      c->in_pos = (size_t)(nl + 1 - c->in);
      return start;
    }
  }
}

static int expect_reply(struct conn *c, enum op op) {
  char *l = line(c);
  if (!l)
    return -1;
  char msg[200];
  switch (op) {
  case GET:
    if (!strncmp(l, "VALUE ", 6)) {
      unsigned flags;
      unsigned long bytes;
      char key[251];
      if (sscanf(l, "VALUE %250s %u %lu", key, &flags, &bytes) != 3)
        return fail(c, "bad VALUE line");
      if (fill(c, bytes + 2))
        return -1;
      c->in_pos += bytes + 2;
      if (!(l = line(c)))
        return -1;
    }
    if (!strcmp(l, "END"))
      return 0;
    break;
  case SET:
  case SETN:
    if (!strcmp(l, "STORED"))
      return 0;
    break;
  case INCR:
  case DECR:
    if (!strcmp(l, "NOT_FOUND") || (l[0] >= '0' && l[0] <= '9'))
      return 0;
    break;
  case TOUCH:
    if (!strcmp(l, "TOUCHED") || !strcmp(l, "NOT_FOUND"))
      return 0;
    break;
  case DEL:
    if (!strcmp(l, "DELETED") || !strcmp(l, "NOT_FOUND"))
      return 0;
    break;
  default:
    break;
  }
  snprintf(msg, sizeof msg, "unexpected reply to %s: %.120s", op_name[op], l);
  return fail(c, msg);
}

static uint32_t next_key(struct conn *c) {
  c->state = c->state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t)(c->state >> 33) % (uint32_t)keys;
}

static size_t format(struct conn *c, enum op op, char *out, const char *value) {
  uint32_t k = next_key(c);
  switch (op) {
  case GET: return (size_t)sprintf(out, "get k:%u\r\n", k);
  case SET: return (size_t)sprintf(out, "set k:%u 0 0 %d\r\n%s\r\n", k, value_bytes, value);
  case SETN: return (size_t)sprintf(out, "set n:%u 0 0 4\r\n1000\r\n", k);
  case INCR: return (size_t)sprintf(out, "incr n:%u 3\r\n", k);
  case DECR: return (size_t)sprintf(out, "decr n:%u 1\r\n", k);
  case TOUCH: return (size_t)sprintf(out, "touch k:%u 0\r\n", k);
  case DEL: return (size_t)sprintf(out, "delete k:%u\r\n", k);
  default: return 0;
  }
}

static void *run(void *arg) {
  struct conn *c = arg;
  size_t per_req = (size_t)value_bytes + 64;
  char *out = malloc(per_req * (size_t)depth), *value = malloc((size_t)value_bytes + 1);
  enum op *ops = malloc(sizeof *ops * (size_t)depth);
  if (!out || !value || !ops) {
    fail(c, "out of memory");
    pthread_barrier_wait(&start_line);
    return NULL;
  }
  for (int i = 0; i < value_bytes; i++)
    value[i] = (char)('a' + (i + c->id) % 26);
  value[value_bytes] = '\0';
  pthread_barrier_wait(&start_line);
  for (long r = 0; r < per_conn && !c->failed;) {
    int batch = 0;
    size_t len = 0;
    for (; batch < depth && r < per_conn; batch++, r++) {
      ops[batch] = mix[(r + c->id) % 20];
      len += format(c, ops[batch], out + len, value);
      c->sent[ops[batch]]++;
    }
    if (send_all(c, out, len))
      break;
    for (int i = 0; i < batch; i++)
      if (expect_reply(c, ops[i]))
        break;
  }
  free(out);
  free(value);
  free(ops);
  return NULL;
}

static int print_stats(const char *h, int p) {
  struct conn c = {.id = 0};
  if ((c.fd = connect_to(h, p, 10)) < 0) {
    fprintf(stderr, "mcload: cannot connect to %s:%d: %s\n", h, p, strerror(errno));
    return 1;
  }
  if (send_all(&c, "stats\r\n", 7))
    goto out;
  for (char *l; (l = line(&c)) && strcmp(l, "END");)
    printf("%s\n", l);
out:
  close(c.fd);
  if (c.failed)
    fprintf(stderr, "mcload: %s\n", c.err);
  return c.failed;
}

static long number(const char *s, long min) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*s == '\0' || *end != '\0' || v < min) {
    fprintf(stderr, "mcload: bad number: %s\n", s);
    exit(2);
  }
  return v;
}

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "stats"))
    return print_stats(argv[2], (int)number(argv[3], 1));
  int o;
  while ((o = getopt(argc, argv, "c:n:P:s:k:t:")) != -1) {
    switch (o) {
    case 'c': conns = (int)number(optarg, 1); break;
    case 'n': per_conn = number(optarg, 1); break;
    case 'P': depth = (int)number(optarg, 1); break;
    case 's': value_bytes = (int)number(optarg, 1); break;
    case 'k': keys = (int)number(optarg, 1); break;
    case 't': timeout_s = (int)number(optarg, 1); break;
    default: return 2;
    }
  }
  if (argc - optind != 2 || value_bytes > 1000000) {
    fprintf(stderr, "usage: mcload [-c CONNS] [-n REQUESTS_PER_CONN] [-P DEPTH] [-s VALUE_BYTES] "
                    "[-k KEYS] [-t TIMEOUT_S] HOST PORT\n       mcload stats HOST PORT\n");
    return 2;
  }
  host = argv[optind];
  port = (int)number(argv[optind + 1], 1);
  struct conn *cs = calloc((size_t)conns, sizeof *cs);
  if (!cs || pthread_barrier_init(&start_line, NULL, (unsigned)conns + 1))
    return 1;
  for (int i = 0; i < conns; i++) {
    cs[i].id = i;
    cs[i].state = 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1);
    if ((cs[i].fd = connect_to(host, port, timeout_s)) < 0) {
      fprintf(stderr, "mcload: cannot connect to %s:%d: %s\n", host, port, strerror(errno));
      return 1;
    }
  }
  for (int i = 0; i < conns; i++)
    if (pthread_create(&cs[i].thread, NULL, run, &cs[i]))
      return 1;
  pthread_barrier_wait(&start_line);
  double t0 = now();
  for (int i = 0; i < conns; i++)
    pthread_join(cs[i].thread, NULL);
  double t = now() - t0;
  unsigned long sent[NOPS] = {0}, total = 0;
  int failed = 0;
  for (int i = 0; i < conns; i++) {
    for (int k = 0; k < NOPS; k++)
      sent[k] += cs[i].sent[k];
    if (cs[i].failed) {
      fprintf(stderr, "mcload: %s\n", cs[i].err);
      failed = 1;
    }
    close(cs[i].fd);
    free(cs[i].in);
  }
  for (int k = 0; k < NOPS; k++)
    total += sent[k];
  printf("requests %lu seconds %.6f rps %.1f", total, t, total / t);
  for (int k = 0; k < NOPS; k++)
    printf(" %s %lu", op_name[k], sent[k]);
  printf("\n");
  free(cs);
  return failed;
}
