#!/bin/sh
# prometheus.fleet: two "hosts", each a prometheus-node-exporter whose textfile collector reads
# its own directory, scraped every second by a prometheus server; all three on 127.0.0.1 at free
# ports, their data in a temporary directory, stopped at the end whatever happens. Instrumented
# processes write ZAPH_PROM_FILE into the two directories; the counts are checked through
# Prometheus's HTTP API (curl, jq) and through zaph-report --prometheus, exactly, against
# fleet.expected (times, ports and the window's length masked).
#
#   host a: fleet_app serves 1200 requests, dumps, waits; the window starts; it serves 600 more
#   host b: fleet_app serves 900 requests, all inside the window
#   then host a's app runs again under the same textfile name: a counter reset in the window
#   and zaph-report --format=openmetrics of tests/report/fixtures/metric-names.prof (quotes,
#   backslashes, a newline, tabs, bytes that are not UTF-8), served with OpenMetrics' content
#   type and scraped: Prometheus's own parser must read back every name as zaph-report wrote it,
#   and zaph-report --prometheus must give back the same page, byte for byte
#
# Usage: fleet.sh ZAPH_CLANG ZAPH_FRONTEND ZAPH_PLUGIN ZAPH_RUNTIME ZAPH_INCLUDE ZAPH_REPORT TEST_DIR
# ZAPH_UPDATE_EXPECTED=1 writes fleet.expected from this run instead (then read it).
set -u

clang=$1 frontend=$2 plugin=$3 runtime=$4 include=$5 zaph_report=$6 test_dir=$7
for tool in prometheus prometheus-node-exporter curl jq python3; do
  command -v "$tool" >/dev/null ||
    { echo "fleet.sh: $tool not found (scripts/setup.sh installs it)" >&2; exit 1; }
done
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
began=$(date +%s) # before any server: a window from here holds every sample from its start
scratch=$(mktemp -d) || exit 2
pids=
stop() {
  for pid in $pids; do kill "$pid" 2>/dev/null; done
  for pid in $pids; do wait "$pid" 2>/dev/null; done
  rm -rf "$scratch"
}
trap stop EXIT
trap 'exit 2' INT TERM
die() { echo "fleet.sh: $*" >&2; [ -f "$scratch/prometheus.log" ] && tail -5 "$scratch/prometheus.log" >&2; exit 1; }

# From the test's directory, so that the ops' file label is fleet_app.c wherever the tree is.
(cd "$test_dir" && "$clang" -O2 -fplugin="$frontend" -fpass-plugin="$plugin" -I"$include" \
  fleet_app.c "$runtime" -lpthread -o "$scratch/fleet_app") || die "cannot compile"

# Four free ports (bound at once, so they differ), released for the servers to take.
set -- $(python3 -c '
import socket
socks = [socket.socket() for _ in range(4)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))')
port_a=$1 port_b=$2 port_prom=$3 port_om=$4
mkdir "$scratch/a" "$scratch/b" "$scratch/data"
for host in a b; do
  eval port=\$port_$host
  prometheus-node-exporter --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
    --collector.textfile --collector.textfile.directory="$scratch/$host" \
    >"$scratch/node-$host.log" 2>&1 &
  pids="$pids $!"
done
# The OpenMetrics page, served as a scrape target would serve it.
"$zaph_report" --now=2026-12-01 --format=openmetrics -o "$scratch/openmetrics.txt" \
  "$test_dir/../report/fixtures/metric-names.prof" || die "zaph-report --format=openmetrics failed"
python3 -c '
import http.server, sys
page = open(sys.argv[2], "rb").read()
class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Page).serve_forever()
' "$port_om" "$scratch/openmetrics.txt" >"$scratch/openmetrics.log" 2>&1 &
pids="$pids $!"
cat >"$scratch/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$port_a']
        labels: {host: a}
      - targets: ['127.0.0.1:$port_b']
        labels: {host: b}
  - job_name: openmetrics
    static_configs:
      - targets: ['127.0.0.1:$port_om']
YAML
prometheus --config.file="$scratch/prometheus.yml" --storage.tsdb.path="$scratch/data" \
  --web.listen-address="127.0.0.1:$port_prom" >"$scratch/prometheus.log" 2>&1 &
pids="$pids $!"
url=http://127.0.0.1:$port_prom

# query PROMQL: the instant vector as "labels value" lines, labels as jq prints them, sorted.
query() {
  curl -sf --get "$url/api/v1/query" --data-urlencode "query=$1" |
    jq -r '.data.result[] | "\(.metric | to_entries | map("\(.key)=\(.value)") | join(",")) \(.value[1])"' |
    sort
}
# wait_for PROMQL EXPECTED: until query prints EXPECTED (30 s at most, for a loaded machine).
wait_for() {
  for _ in $(seq 300); do
    [ "$(query "$1" 2>/dev/null)" = "$2" ] && return 0
    sleep 0.1
  done
  die "timed out waiting for $1 to be '$2' (it is '$(query "$1" 2>/dev/null)')"
}
for _ in $(seq 300); do
  curl -sf "$url/-/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "$url/-/ready" >/dev/null || die "prometheus did not start"

run_app() { # run_app HOST ARG...: the app with its textfile in the host's directory
  host=$1; shift
  ZAPH_PROM_FILE="$scratch/$host/app.prom" ZAPH_PROFILE_FILE="$scratch/$host.prof" \
    ZAPH_SOURCE=production "$scratch/fleet_app" "$@"
}

# Host a's first part, scraped; then the window starts.
run_app a 1200 "$scratch/go" 600 &
app_a=$!
pids="$pids $app_a"
wait_for 'sum(zaph_requests_total{host="a"})' ' 1200'
start=$(($(date +%s) + 1))
while [ "$(date +%s)" -le "$start" ]; do sleep 0.1; done
: >"$scratch/go"
wait "$app_a" || die "host a's app failed"
run_app b 900 || die "host b's app failed"
wait_for 'sum(zaph_requests_total{job="node"})' ' 2700'
wait_for 'count(zaph_op_entries_total{job="openmetrics"})' ' 7'
end=$(($(date +%s) + 1))
while [ "$(date +%s)" -le "$end" ]; do sleep 0.1; done
window=$((end - start))
window_end=$(date -u -d "@$end" +%Y-%m-%dT%H:%M:%SZ)

mask() {
  sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/<time>/g' \
    -e 's/, age [0-9]+ days?:/, age <days>:/g' -e "s/127\\.0\\.0\\.1:$port_prom/127.0.0.1:<prometheus>/g" \
    -e "s/127\\.0\\.0\\.1:$port_a/127.0.0.1:<a>/g; s/127\\.0\\.0\\.1:$port_b/127.0.0.1:<b>/g" \
    -e "s/the ${window}s window/the <window> window/g"
}
report() { # report ARG...: zaph-report --prometheus over the window, its exit status and output
  env -u LC_ALL -u LC_CTYPE -u LANG -u NO_COLOR "$zaph_report" --prometheus="$url" \
    --window="${window}s" --window-end="$window_end" "$@" >"$scratch/out" 2>"$scratch/err"
  status=$?
  echo "== zaph-report --prometheus=URL --window=<window> --window-end=<end>${*:+ $*} (exit $status)"
  mask <"$scratch/out"
  mask <"$scratch/err"
}
{
  echo "== the API: sum by (host, op, kind) (zaph_op_requests_touching_total)"
  query 'sum by (host, op, kind) (zaph_op_requests_touching_total)'
  echo "== the API: sum by (host, op, kind) (zaph_op_entries_total)"
  query 'sum by (host, op, kind) (zaph_op_entries_total)'
  echo "== the API: zaph_requests_total"
  query 'zaph_requests_total{job="node"}' | mask
  report --match='job="node"'
  report --match='host="a"'
  report --match='job="node"' --format=openmetrics
  echo "== the API: the openmetrics page's op and file labels, as JSON strings, and values"
  curl -sf --get "$url/api/v1/query" \
    --data-urlencode 'query=zaph_op_entries_total{job="openmetrics"}' |
    jq -r '.data.result[] | "\(.metric.op | @json) \(.metric.file | @json) \(.metric.line) \(.metric.kind) \(.metric.source | @json) \(.value[1])"' |
    sort
  # Read back by zaph-report --prometheus over a window from before Prometheus started, so
  # every series starts in it and counts whole: the same page, byte for byte.
  "$zaph_report" --prometheus="$url" --window="$((end - began + 1))s" --window-end="$window_end" \
    --match='job="openmetrics"' --format=openmetrics >"$scratch/read-back.txt" 2>&1
  echo "== zaph-report --prometheus --match='job=\"openmetrics\"' --format=openmetrics (exit $?)"
  if cmp -s "$scratch/openmetrics.txt" "$scratch/read-back.txt"; then
    echo "the page zaph-report wrote, byte for byte"
  else
    diff "$scratch/openmetrics.txt" "$scratch/read-back.txt"
  fi
  # Host a's app again, under the same textfile name: its counters start over.
  run_app a 100 || die "host a's second app failed"
  wait_for 'sum(zaph_requests_total{host="a"})' ' 100'
  end=$(($(date +%s) + 1))
  while [ "$(date +%s)" -le "$end" ]; do sleep 0.1; done
  window=$((end - start)) window_end=$(date -u -d "@$end" +%Y-%m-%dT%H:%M:%SZ)
  report --match='job="node"'
} >"$scratch/actual"

expected=$test_dir/fleet.expected
if [ "${ZAPH_UPDATE_EXPECTED:-}" = 1 ]; then
  cp "$scratch/actual" "$expected"
  exit 0
fi
if ! cmp -s "$expected" "$scratch/actual"; then
  diff -u "$expected" "$scratch/actual"
  echo "fleet.sh: transcript differs from $expected" >&2
  exit 1
fi
