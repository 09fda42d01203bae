#!/usr/bin/env bash
# The load of one timed run of bench/tiers.sh against Redis: redis-benchmark -c 50 -n N of the
# tests given, against the server whose port is in file PORT_FILE (it changes with each server).
# usage: redis_load.sh PORT_FILE N TESTS
set -euo pipefail
exec redis-benchmark -h 127.0.0.1 -p "$(cat "$1")" -c 50 -n "$2" -t "$3" -q >/dev/null
