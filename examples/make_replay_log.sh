#!/usr/bin/env bash
# Writes examples/replay.log: a request log with the shape of a day of production traffic
# (mostly reads, about half of them with query parameters, some writes, rare diagnostics).
# Deterministic: the same log every time.
set -euo pipefail
awk 'BEGIN {
  seed = 20261124
  for (i = 0; i < 2000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648; r = seed % 1000
    seed = (seed * 1103515245 + 12345) % 2147483648; key = "user" (seed % 300)
    if (r < 20) print "GET /debug"
    else if (r < 120) print "PUT /item/" key " " (seed % 10000)
    else if (r < 560) print "GET /item/" key "?fields=name,email"
    else print "GET /item/" key
  }
}' > "$(dirname "$0")/replay.log"
