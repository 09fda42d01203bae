#!/usr/bin/env bash
# Real servers: what zaph costs Redis 7.0.15 and memcached 1.6.18 from Debian 12's sources
# (`apt-get source`, cached in the scratch directory), each built twice per compiler (the clang
# of each LLVM, and GCC: bench/lib.sh's bench_compilers) with the same -O2: the source as
# Debian ships it (base; Redis with the fixed hash seed below), and a copy with the functions
# of bench/servers/redis.ops and memcached.ops annotated by bench/servers/annotate.sh, built
# with the zaph plugin and runtime (zaph); with clang, a third build of the same annotated copy
# with ZAPH_TIMED=N in the compiler's environment (timed: every op timed 1 in N, N =
# $ZAPH_BENCH_SERVERS_TIMED, 64 by default, the default sampling; GCC's plugin does not time
# yet). Nothing of the servers' code is in the repository:
# only the function lists and the patching logic. The request is one command (Redis
# processCommand, memcached process_command_ascii); it ends with zaph_request_end() once the
# command has been dispatched (where exactly, and why there, is in the ops files). Every
# server runs on 127.0.0.1, on a free port, started and stopped by this script, each run
# bounded in requests and in time. Prints three Markdown tables:
#   1. instructions per request: the server under callgrind, one run with N requests and one
#      with 2N, (I(2N) - I(N)) / N, so start-up and shutdown cancel; base, zaph, the extra, and
#      how much of it is spent in zaph's runtime functions (the rest is the counting inlined
#      into the ops); timed against zaph and base. Redis: every instruction of the process (the only thread that works is
#      the main one; its timer work, serverCron at hz 10, is a small part). memcached: the
#      instructions of its worker threads (callgrind --toggle-collect=worker_libevent), since its
#      LRU maintainer and logger threads wake on timers and their share changes with run time;
#  2. throughput: interleaved runs (base, zaph, timed, timed, zaph, base, ...) outside valgrind;
#      medians of each build's requests/s, their ratio, the min-max of the paired ratios, and
#      the base runs' own spread; "within noise" when the ratio is within that spread of 1;
#      timed's median against zaph's and base's;
#  3. counts: after every zaph and timed run of table 2, each command handler's entries in the profile
#      against the server's own statistics of the same run (Redis INFO commandstats calls=,
#      memcached stats), summed over the runs; equal only if equal in every run. The script
#      exits 1 when any count differs. And the timed runs' profiles: the timed ops' entries
#      against their samples, which should be about N to 1.
# Loads: Redis, redis-benchmark (Debian's redis-tools) with -c CLIENTS, a fixed -n per test, the
# tests of -t below and five extra commands (so that all 20 handlers are driven), without
# pipelining and with -P DEPTH; memcached (4 worker threads, -t 4), bench/servers/mcload.c
# (Debian 12 has no memaslap and no memtier-benchmark; libmemcached-tools' memcslap cannot send
# a fixed mix), CONNS connections sending a fixed mix of get/set/incr/decr/touch/delete, one at a
# time and DEPTH at a time. Both Redis builds get the same one-line change: a fixed hash seed
# instead of a random one, so that callgrind's counts repeat from run to run.
#
# usage: bench/servers.sh
# environment (defaults in brackets; the defaults take about 8 minutes on 2 cores, plus zaph's
# two builds when no ZAPH_BUILD_<N> is given):
#   ZAPH_BENCH_LLVM                  LLVM majors to measure ["14 22"]
#   ZAPH_BENCH_COMPILERS             compilers to measure [the LLVM majors and gcc]
#   ZAPH_BUILD_<N>, ZAPH_BUILD       zaph build directories to use (bench/lib.sh), else built
#   ZAPH_BENCH_DIR                   scratch directory [build/bench]; this script uses servers/
#   ZAPH_BENCH_SERVERS               servers to measure ["redis memcached"]
#   ZAPH_BENCH_SERVERS_REPS          interleaved throughput runs of each build, per load [5]
#   ZAPH_BENCH_SERVERS_DEPTH         pipelining depth of the pipelined loads [16]
#   ZAPH_BENCH_SERVERS_TIMED         N of the timed builds, ZAPH_TIMED=N [64]
#   ZAPH_BENCH_REDIS_REQUESTS        redis-benchmark -n per test in a throughput run; the
#                                    pipelined run sends 4 times as many [10000]
#   ZAPH_BENCH_REDIS_CG_REQUESTS     N of the callgrind runs (N and 2N per test) [1000]
#   ZAPH_BENCH_REDIS_CLIENTS         redis-benchmark -c [50]
#   ZAPH_BENCH_REDIS_KEYSPACE        redis-benchmark -r; 0: its fixed key names [0]
#   ZAPH_BENCH_MEMCACHED_REQUESTS    requests per connection in a throughput run; the pipelined
#                                    run sends 4 times as many [50000]
#   ZAPH_BENCH_MEMCACHED_CG_REQUESTS N per connection of the callgrind runs (N and 2N) [5000]
#   ZAPH_BENCH_MEMCACHED_CONNS       connections [4]
#   ZAPH_BENCH_MEMCACHED_KEYS        distinct keys [10000]
#   ZAPH_BENCH_SERVERS_TIMEOUT       seconds a server may live outside valgrind [300]; under
#                                    valgrind 4 times as long
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_packages dpkg-dev make valgrind redis-tools libevent-dev
servers=${ZAPH_BENCH_SERVERS:-redis memcached}
reps=${ZAPH_BENCH_SERVERS_REPS:-5}
depth=${ZAPH_BENCH_SERVERS_DEPTH:-16}
timed_every=${ZAPH_BENCH_SERVERS_TIMED:-64}
redis_n=${ZAPH_BENCH_REDIS_REQUESTS:-10000}
redis_cg_n=${ZAPH_BENCH_REDIS_CG_REQUESTS:-1000}
redis_clients=${ZAPH_BENCH_REDIS_CLIENTS:-50}
redis_keyspace=${ZAPH_BENCH_REDIS_KEYSPACE:-0}
mc_n=${ZAPH_BENCH_MEMCACHED_REQUESTS:-50000}
mc_cg_n=${ZAPH_BENCH_MEMCACHED_CG_REQUESTS:-5000}
mc_conns=${ZAPH_BENCH_MEMCACHED_CONNS:-4}
mc_keys=${ZAPH_BENCH_MEMCACHED_KEYS:-10000}
mc_threads=4
mc_value=100
limit=${ZAPH_BENCH_SERVERS_TIMEOUT:-300}
cg_limit=$((limit * 4))
here=$bench_src/servers
work=$bench_dir/servers
run=$work/run
mkdir -p "$work" "$run/pids"
rm -f "$run"/pids/*

redis_tests=ping,set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,zpopmin,lrange_100,mset
redis_extra=("hget myhash element:__rand_int__" "decr counter:__rand_int__"
  "incrby counter:__rand_int__ 7" "exists key:__rand_int__"
  "mget key:__rand_int__ key:__rand_int__ key:__rand_int__ key:__rand_int__")
# The files of each source tree that annotate.sh patches (where the listed functions are).
redis_files=(server.c networking.c db.c dict.c object.c t_string.c t_list.c t_set.c t_hash.c
  t_zset.c)
mc_files=(memcached.c proto_text.c thread.c items.c assoc.c murmur3_hash.c)

# Every server is started in its own process group, under timeout(1), and leaves its group's
# id in $run/pids; whatever is still there at exit is stopped.
stop_all() {
  local f g j
  for j in $(jobs -p); do kill -TERM "$j" 2>/dev/null || true; done # builds
  for f in "$run"/pids/*; do
    [ -e "$f" ] || return 0
    g=${f##*/}
    kill -TERM -- "-$g" 2>/dev/null || true
  done
  sleep 1
  for f in "$run"/pids/*; do
    [ -e "$f" ] || continue
    g=${f##*/}
    kill -KILL -- "-$g" 2>/dev/null || true
    rm -f "$f"
  done
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A TCP port on 127.0.0.1 that nothing listens on, below the kernel's range of ephemeral ports
# (the load's own connections take those).
free_port() {
  local p i low=32768
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range || true
  [ "$low" -gt 11000 ] || die "ephemeral ports start at $low; no room below for a server port"
  for ((i = 0; i < 200; i++)); do
    p=$((10000 + RANDOM % (low - 10000)))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  die "no free port found"
}

# Starts the command after $1 (seconds it may live) and $2 (its log) in the background; sets
# server_pid.
start_server() {
  local secs=$1 log=$2
  shift 2
  timeout -k 10 "$secs" "$@" >"$log" 2>&1 </dev/null &
  server_pid=$!
  : >"$run/pids/$server_pid"
}

# The source tree zaph build $1 was made from (its include/ holds zaph.h), else this checkout.
zaph_source() {
  local s
  s=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$1/CMakeCache.txt" 2>/dev/null || true)
  if [ -n "$s" ] && [ -f "$s/include/zaph.h" ]; then echo "$s"; else echo "$bench_root"; fi
}

# Runs a command (a load) for at most $1 seconds, in its own process group, registered in
# $run/pids like a server so that an interrupted run stops it too.
bounded() {
  local secs=$1 pid rc=0
  shift
  timeout -k 10 "$secs" "$@" &
  pid=$!
  : >"$run/pids/$pid"
  wait "$pid" || rc=$?
  rm -f "$run/pids/$pid"
  return "$rc"
}

alive() { [ -e "/proc/$1" ] && [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# Waits until command $2... succeeds while server $1 lives, for at most 120 s.
wait_ready() {
  local pid=$1 i
  shift
  for ((i = 0; i < 1200; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    alive "$pid" || return 1
    sleep 0.1
  done
  return 1
}

# Waits for server $1 to exit (it has been told to); fails unless it exited with status 0.
wait_server() {
  local pid=$1 rc=0
  wait "$pid" || rc=$?
  rm -f "$run/pids/$pid"
  return "$rc"
}

# Fails with the last lines of log $2 when command... does not succeed.
# usage: or_log WHAT LOG
or_log() { die "$1 failed; last lines of $2:$(echo; tail -15 "$2")"; }

# Self cost (instructions) of each function named in file $2 that ran, in callgrind output $1:
# "name instructions" lines.
callgrind_self_of() {
  awk -v names="$2" '
    BEGIN { while ((getline n < names) > 0) want[n] = 1 }
    /^c?fn=\(/ {
      id = $1; sub(/^c?fn=/, "", id)
      if (NF > 1) { nm = $0; sub(/^[^ ]* /, "", nm); name[id] = nm }
      if ($0 ~ /^fn=/) cur = name[id]
      next
    }
    /^calls=/ { skip = 1; next }
    /^[0-9+*-]/ { if (skip) skip = 0; else if (cur in want) s[cur] += $NF; next }
    END { for (n in s) printf "%s %.0f\n", n, s[n] }' "$1"
}

# Reads callgrind output $1 of server $2, compiler $3, build $4, depth $5, $6 requests: appends the
# runtime functions' costs to $work/runtime-fns and prints "requests total runtime-total".
callgrind_result() {
  local out=$1 fns
  fns=$(callgrind_self_of "$out" "$work/cc-$3/runtime-names.$2")
  [ -z "$fns" ] || awk -v k="$2 $3 $4 $5 $6" '{ print k, $0 }' <<<"$fns" >>"$work/runtime-fns"
  echo "$6 $(callgrind_total "$out") $(awk '{ s += $2 } END { printf "%.0f", s }' <<<"$fns")"
}

# Total instructions in callgrind output $1.
callgrind_total() { awk '/^(summary|totals):/ { print $2; exit }' "$1"; }

# What the timing lines of text profile $1 hold: "timed-ops every entries-of-timed-ops
# samples" (every: the ops' common rate, or "mixed").
timed_result() {
  awk -F'\t' '
    $1 == "op" { e[n++] = $4 }
    $1 == "timing" { k++; every = (every == "" || every == $3) ? $3 : "mixed"; te += e[$2]
      sa += $6 }
    END { printf "%d %s %.0f %.0f\n", k, every == "" ? "-" : every, te, sa }' "$1"
}

# The builds of compiler $1: base and zaph, and timed with clang.
builds_of() { if [ "$1" = gcc ]; then echo base zaph; else echo base zaph timed; fi; }

# --- Fetching and building ---------------------------------------------------------------

# Builds Redis with compiler $1 with zaph build $2:
# $work/cc-$1/redis-{base,zaph,timed}/src/redis-server (timed with clang only).
build_redis() {
  local v=$1 zb=$2 out=$work/cc-$1 cc=$(compiler_cc "$1")
  local base=$out/redis-base zaph=$out/redis-zaph timed=$out/redis-timed log=$out/redis-build
  # shellcheck disable=SC2054 # the commas are in a linker flag
  local mk=(MALLOC=libc "CC=$cc" OPTIMIZATION=-O2 DEBUG= LDFLAGS=-Wl,--strip-debug)
  rm -rf "$base" "$zaph" "$timed"
  cp -a "$redis_src" "$base"
  # The fixed hash seed, in both builds (see the header).
  local seed='    getRandomBytes(hashseed,sizeof(hashseed));'
  grep -qxF "$seed" "$base/src/server.c" || die "redis: no hash seed line in server.c"
  sed -i "s|^$seed\$|    memset(hashseed,0x5a,sizeof(hashseed)); /* bench/servers: fixed */|" \
    "$base/src/server.c"
  # Dependencies (Lua, hiredis, ...) once; the zaph copy reuses them uninstrumented.
  make -C "$base/src" -j2 .make-prerequisites "${mk[@]}" >"$log-deps.log" 2>&1 ||
    or_log "building Redis's dependencies with $(compiler_label "$v")" "$log-deps.log"
  cp -a "$base" "$zaph"
  "$here/annotate.sh" "$zaph/src" "$here/redis.ops" "${redis_files[@]}"
  # shellcheck disable=SC2016 # $(ZAPH_LIBS) is make's
  sed -i 's|^FINAL_LIBS=-lm$|FINAL_LIBS=$(ZAPH_LIBS) -lm|' "$zaph/src/Makefile"
  grep -q 'ZAPH_LIBS' "$zaph/src/Makefile" || die "redis: no FINAL_LIBS line in src/Makefile"
  [ "$v" = gcc ] || cp -a "$zaph" "$timed"
  make_both redis-server "$v" "$zb" "$cc" "$base/src" "$zaph/src" "$log" \
    "ZAPH_LIBS=$zb/lib/libzaph-rt.a -lpthread" "${mk[@]}"
  [ "$v" = gcc ] || make_timed redis-server "$v" "$zb" "$cc" "$timed/src" "$log" \
    "ZAPH_LIBS=$zb/lib/libzaph-rt.a -lpthread" "${mk[@]}"
}

# make_both TARGET COMPILER ZAPH-BUILD CC BASE-DIR ZAPH-DIR LOG LINK-ASSIGNMENT [MAKE-ARGS...]:
# makes TARGET in both trees at once, the zaph tree with the plugin in CC and LINK-ASSIGNMENT
# (the make variable that puts the runtime after the objects); logs to LOG-{base,zaph}.log.
make_both() {
  local target=$1 v=$2 zb=$3 cc=$4 base=$5 zaph=$6 log=$7 link=$8
  shift 8
  make -C "$base" "$target" "$@" >"$log-base.log" 2>&1 &
  local b=$!
  make -C "$zaph" "$target" "$@" \
    "CC=$cc $(compiler_plugin "$v" "$zb" | paste -sd ' ') -I$(zaph_source "$zb")/include" "$link" \
    >"$log-zaph.log" 2>&1 &
  local z=$!
  wait "$b" || or_log "building $target (base) with $(compiler_label "$v")" "$log-base.log"
  wait "$z" || or_log "building $target (zaph) with $(compiler_label "$v")" "$log-zaph.log"
}

# make_timed TARGET COMPILER ZAPH-BUILD CC DIR LOG LINK-ASSIGNMENT [MAKE-ARGS...]: makes TARGET
# as make_both makes the zaph tree, in DIR, with ZAPH_TIMED in the compiler's environment;
# logs to LOG-timed.log.
make_timed() {
  local target=$1 v=$2 zb=$3 cc=$4 dir=$5 log=$6 link=$7
  shift 7
  ZAPH_TIMED=$timed_every make -C "$dir" -j2 "$target" "$@" \
    "CC=$cc $(compiler_plugin "$v" "$zb" | paste -sd ' ') -I$(zaph_source "$zb")/include" "$link" \
    >"$log-timed.log" 2>&1 || or_log "building $target (timed) with $(compiler_label "$v")" "$log-timed.log"
}

# Builds memcached with compiler $1 with zaph build $2:
# $work/cc-$1/memcached-{base,zaph,timed}/memcached (timed with clang only).
build_memcached() {
  local v=$1 zb=$2 out=$work/cc-$1 cc=$(compiler_cc "$1")
  local base=$out/memcached-base zaph=$out/memcached-zaph timed=$out/memcached-timed
  local log=$out/memcached-build
  rm -rf "$base" "$zaph" "$timed"
  cp -a "$memcached_src" "$base"
  (cd "$base" && ./configure -q CC="$cc" CFLAGS=-O2 LDFLAGS=-Wl,--strip-debug) \
    >"$log-configure.log" 2>&1 || or_log "configuring memcached with $(compiler_label "$v")" "$log-configure.log"
  # configure adds -Werror; a newer clang's new warning must not stop the benchmark.
  sed -i 's/ -Werror / /' "$base/Makefile"
  cp -a "$base" "$zaph"
  "$here/annotate.sh" "$zaph" "$here/memcached.ops" "${mc_files[@]}"
  local libs
  libs=$(sed -n 's/^LIBS = //p' "$zaph/Makefile")
  [ "$v" = gcc ] || cp -a "$zaph" "$timed"
  make_both memcached "$v" "$zb" "$cc" "$base" "$zaph" "$log" \
    "LIBS=$zb/lib/libzaph-rt.a $libs -lpthread"
  [ "$v" = gcc ] || make_timed memcached "$v" "$zb" "$cc" "$timed" "$log" \
    "LIBS=$zb/lib/libzaph-rt.a $libs -lpthread"
}

# The names of zaph's runtime functions that the base binary $2 does not define, into $3.
runtime_names() {
  nm --defined-only "$2" 2>/dev/null | awk '$2 ~ /^[tTwW]$/ { print $3 }' | LC_ALL=C sort -u \
    >"$3.base"
  nm --defined-only "$1/lib/libzaph-rt.a" 2>/dev/null | awk '$2 ~ /^[tTwW]$/ { print $3 }' |
    LC_ALL=C sort -u | LC_ALL=C comm -23 - "$3.base" >"$3"
  rm -f "$3.base"
}

# --- Redis -------------------------------------------------------------------------------

redis_bin() { echo "$work/cc-$1/redis-$2/src/redis-server"; }

# Starts Redis build $2 of compiler $1 on a free port; $3: "cg" under callgrind (output $4).
# Sets server_pid and port.
redis_start() {
  local v=$1 b=$2 mode=$3 cgout=${4:-} tag=$run/redis-$1-$2
  for _ in 1 2 3; do
    port=$(free_port)
    local args=(--port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no
      --dir "$run" --logfile "$tag.log")
    rm -f "$tag".prof "$tag".stats "$tag.log"
    if [ "$mode" = cg ]; then
      ZAPH_PROFILE_FILE=$tag-cg.prof start_server "$cg_limit" "$tag.err" valgrind \
        --tool=callgrind --callgrind-out-file="$cgout" "$(redis_bin "$v" "$b")" "${args[@]}"
    else
      ZAPH_PROFILE_FILE=$tag.prof start_server "$limit" "$tag.err" "$(redis_bin "$v" "$b")" \
        "${args[@]}"
    fi
    wait_ready "$server_pid" redis-cli -h 127.0.0.1 -p "$port" ping && return 0
    wait_server "$server_pid" || true
    grep -qs 'Address already in use' "$tag.log" || break
  done
  cat "$tag.log" >>"$tag.err" 2>/dev/null || true
  or_log "starting redis-server ($b, $(compiler_label "$v"))" "$tag.err"
}

redis_stop() {
  local pid=$1 p=$2 log=$3
  bounded 60 redis-cli -h 127.0.0.1 -p "$p" shutdown nosave >/dev/null 2>&1 || true
  wait_server "$pid" || or_log "redis-server (port $p)" "$log"
}

# The load: every test of $redis_tests and every extra command, $2 requests each, pipelined $3
# deep, against port $1; appends redis-benchmark's CSV lines (test, requests/s, ...) to $4.
redis_load() {
  local p=$1 n=$2 d=$3 csv=$4 c words
  local common=(-h 127.0.0.1 -p "$p" -c "$redis_clients" -n "$n" -P "$d" --csv)
  [ "$redis_keyspace" = 0 ] || common+=(-r "$redis_keyspace")
  bounded "$limit" redis-benchmark "${common[@]}" -t "$redis_tests" >>"$csv" ||
    die "redis-benchmark failed or timed out (port $p)"
  for c in "${redis_extra[@]}"; do
    read -ra words <<<"$c"
    bounded "$limit" redis-benchmark "${common[@]}" "${words[@]}" >>"$csv" ||
      die "redis-benchmark $c failed or timed out (port $p)"
  done
}

# Requests per second of a whole load from its CSV: all requests over the sum of the tests'
# times (n / rps each).
csv_rps() {
  awk -F'","' -v n="$2" '$1 != "\"test" && NF > 2 { t += n / $2; k++ } END {
    if (k == 0 || t == 0) print "nan"; else printf "%.1f\n", k * n / t }' "$1"
}

# Callgrind run of Redis build $2 (compiler $1), load depth $3, $4 requests per test; sets
# cg_result to "requests instructions instructions-in-zaph's-runtime".
redis_cg_run() {
  local v=$1 b=$2 d=$3 n=$4 out tests
  out=$run/redis-$v-$b-cg.out
  redis_start "$v" "$b" cg "$out"
  : >"$out.csv"
  redis_load "$port" "$n" "$d" "$out.csv"
  redis_stop "$server_pid" "$port" "$run/redis-$v-$b.err"
  tests=$(grep -vc '^"test"' "$out.csv" || true)
  cg_result=$(callgrind_result "$out" redis "$v" "$b" "$d" $((tests * n)))
  rm -f "$out" "$out.csv"
}

# A throughput run of Redis build $2 (compiler $1), depth $3, $4 requests per test; appends
# "server compiler build depth requests/s server-CPU-us/request" to $work/rps; for zaph and
# timed, the counts of the run to $work/counts (and for timed, timed_result's line to
# $work/timing).
redis_rps_run() {
  local v=$1 b=$2 d=$3 n=$4 tag=$run/redis-$1-$2 tests cpu
  redis_start "$v" "$b" run
  : >"$tag.csv"
  redis_load "$port" "$n" "$d" "$tag.csv"
  bounded 60 redis-cli -h 127.0.0.1 -p "$port" info all | tr -d '\r' >"$tag.stats"
  redis_stop "$server_pid" "$port" "$tag.err"
  tests=$(grep -vc '^"test"' "$tag.csv" || true)
  cpu=$(awk -F: -v r=$((tests * n)) '$1 == "used_cpu_user" || $1 == "used_cpu_sys" { s += $2 }
    END { printf "%.3f", s * 1e6 / r }' "$tag.stats")
  echo "redis $v $b $d $(csv_rps "$tag.csv" "$n") $cpu" >>"$work/rps"
  [ "$b" != base ] || return 0
  [ -f "$tag.prof" ] || die "redis-server ($b, $(compiler_label "$v")) wrote no profile"
  [ "$b" != timed ] || echo "redis $v $d $(timed_result "$tag.prof")" >>"$work/timing"
  # handler entries stat-count, per handler of the ops file
  sed 's/#.*//' "$here/redis.ops" | awk -v prof="$tag.prof" -v stats="$tag.stats" -v v="$v" '
    BEGIN {
      while ((getline l < prof) > 0) { split(l, f, "\t"); if (f[1] == "op") e[f[9]] = f[4] }
      while ((getline l < stats) > 0)
        if (match(l, /^cmdstat_[^:]*:calls=[0-9]+/)) {
          c = substr(l, 9, RLENGTH - 8); split(c, g, ":calls="); calls[g[1]] = g[2] }
    }
    $2 == "handler" { s = 0; for (i = 3; i <= NF; i++) s += calls[$i]
      print "redis", v, $1, e[$1] + 0, s }' >>"$work/counts"
}

# --- memcached ---------------------------------------------------------------------------

mc_bin() { echo "$work/cc-$1/memcached-$2/memcached"; }

# Starts memcached build $2 of compiler $1 on a free port; $3: "cg" under callgrind (output $4),
# counting only its worker threads. Sets server_pid and port.
mc_start() {
  local v=$1 b=$2 mode=$3 cgout=${4:-} tag=$run/memcached-$1-$2
  for _ in 1 2 3; do
    port=$(free_port)
    local args=(-l 127.0.0.1 -p "$port" -U 0 -t "$mc_threads" -m 256 -u "$(id -un)")
    rm -f "$tag".prof "$tag".stats
    if [ "$mode" = cg ]; then
      # memcached sets RLIMIT_NOFILE to its -c; valgrind accepts only the limit it reports.
      ZAPH_PROFILE_FILE=$tag-cg.prof start_server "$cg_limit" "$tag.err" valgrind \
        --tool=callgrind --toggle-collect=worker_libevent --callgrind-out-file="$cgout" \
        "$(mc_bin "$v" "$b")" "${args[@]}" -c "$vg_nofile"
    else
      ZAPH_PROFILE_FILE=$tag.prof start_server "$limit" "$tag.err" "$(mc_bin "$v" "$b")" \
        "${args[@]}"
    fi
    wait_ready "$server_pid" "$mcload" stats 127.0.0.1 "$port" && return 0
    wait_server "$server_pid" || true
    grep -qs 'Address already in use' "$tag.err" || break
  done
  or_log "starting memcached ($b, $(compiler_label "$v"))" "$tag.err"
}

mc_stop() {
  kill -TERM "$1"
  wait_server "$1" || or_log "memcached" "$2"
}

# The load: $mc_conns connections, $2 requests each, $3 deep, against port $1; prints mcload's
# line (requests N seconds S rps R ...).
mc_load() {
  bounded "$limit" "$mcload" -c "$mc_conns" -n "$2" -P "$3" -k "$mc_keys" -s "$mc_value" -t 60 \
    127.0.0.1 "$1" ||
    die "mcload failed or timed out (port $1)"
}

# As redis_cg_run, for memcached, $4 requests per connection.
mc_cg_run() {
  local v=$1 b=$2 d=$3 n=$4 out line
  out=$run/memcached-$v-$b-cg.out
  mc_start "$v" "$b" cg "$out"
  line=$(mc_load "$port" "$n" "$d")
  mc_stop "$server_pid" "$run/memcached-$v-$b.err"
  cg_result=$(callgrind_result "$out" memcached "$v" "$b" "$d" "$(awk '{ print $2 }' <<<"$line")")
  rm -f "$out"
}

mc_rps_run() {
  local v=$1 b=$2 d=$3 n=$4 tag=$run/memcached-$1-$2 line cpu
  mc_start "$v" "$b" run
  line=$(mc_load "$port" "$n" "$d")
  bounded 60 "$mcload" stats 127.0.0.1 "$port" | tr -d '\r' >"$tag.stats"
  mc_stop "$server_pid" "$tag.err"
  cpu=$(awk -v r="$(awk '{ print $2 }' <<<"$line")" '
    $2 == "rusage_user" || $2 == "rusage_system" { s += $3 } END { printf "%.3f", s * 1e6 / r }' \
    "$tag.stats")
  echo "memcached $v $b $d $(awk '{ print $6 }' <<<"$line") $cpu" >>"$work/rps"
  [ "$b" != base ] || return 0
  [ -f "$tag.prof" ] || die "memcached ($b, $(compiler_label "$v")) wrote no profile"
  [ "$b" != timed ] || echo "memcached $v $d $(timed_result "$tag.prof")" >>"$work/timing"
  sed 's/#.*//' "$here/memcached.ops" | awk -v prof="$tag.prof" -v stats="$tag.stats" -v v="$v" '
    BEGIN {
      while ((getline l < prof) > 0) { split(l, f, "\t"); if (f[1] == "op") e[f[9]] = f[4] }
      while ((getline l < stats) > 0) { split(l, f, " "); if (f[1] == "STAT") st[f[2]] = f[3] }
    }
    $2 == "handler" { s = 0; for (i = 3; i <= NF; i++) s += st[$i]
      print "memcached", v, $1, e[$1] + 0, s }' >>"$work/counts"
}

# --- Main --------------------------------------------------------------------------------

t_start=$(date +%s)
for s in $servers; do
  case $s in
    redis) redis_src=$("$here/fetch.sh" "$work/cache" redis) ;;
    memcached) memcached_src=$("$here/fetch.sh" "$work/cache" memcached) ;;
    *) die "unknown server $s (ZAPH_BENCH_SERVERS: redis, memcached)" ;;
  esac
done
mcload=$work/mcload
read -r first_llvm _ <<<"$(bench_llvms)"
"$(compiler_cc "$first_llvm")" -O2 -Wall -o "$mcload" "$here/mcload.c" -lpthread
vg_nofile=$(valgrind --tool=none bash -c 'ulimit -Hn' 2>/dev/null)

declare -A zb
for v in $(bench_compilers); do
  zb[$v]=$(compiler_build "$v")
  mkdir -p "$work/cc-$v"
  for s in $servers; do
    say "[${SECONDS}s] building $s ($(builds_of "$v" | sed "s/ /, /g")) with $(compiler_label "$v")"
    case $s in
      redis) build_redis "$v" "${zb[$v]}"
        runtime_names "${zb[$v]}" "$(redis_bin "$v" base)" "$work/cc-$v/runtime-names.redis" ;;
      memcached) build_memcached "$v" "${zb[$v]}"
        runtime_names "${zb[$v]}" "$(mc_bin "$v" base)" "$work/cc-$v/runtime-names.memcached" ;;
    esac
  done
done

: >"$work/instructions"
: >"$work/runtime-fns"
for v in $(bench_compilers); do
  for s in $servers; do
    for d in 1 "$depth"; do
      if [ "$s" = redis ]; then n=$redis_cg_n; fn=redis_cg_run; else n=$mc_cg_n; fn=mc_cg_run; fi
      say "[${SECONDS}s] callgrind: $s ($(compiler_label "$v")), depth $d, $n and $((2 * n)) requests" \
        "per test (Redis) or connection (memcached)"
      for b in $(builds_of "$v"); do
        "$fn" "$v" "$b" "$d" "$n"
        one=$cg_result
        "$fn" "$v" "$b" "$d" $((2 * n))
        echo "$s $v $b $d $n $one $cg_result" >>"$work/instructions"
      done
    done
  done
done

: >"$work/rps"
: >"$work/counts"
: >"$work/timing"
say "[${SECONDS}s] throughput: $reps interleaved runs of each build and load"
for ((r = 0; r < reps; r++)); do
  for v in $(bench_compilers); do
    for s in $servers; do
      for d in 1 "$depth"; do
        order=$(builds_of "$v")
        # ABBA: a drift of the machine hits every build alike
        [ $((r % 2)) = 0 ] || order=$(tr ' ' '\n' <<<"$order" | tac | paste -sd ' ')
        for b in $order; do
          if [ "$s" = redis ]; then
            n=$redis_n
            [ "$d" = 1 ] || n=$((redis_n * 4))
            redis_rps_run "$v" "$b" "$d" "$n"
          else
            n=$mc_n
            [ "$d" = 1 ] || n=$((mc_n * 4))
            mc_rps_run "$v" "$b" "$d" "$n"
          fi
        done
      done
    done
  done
done

# A load, for the tables.
load_of() {
  local s=$1 d=$2
  if [ "$s" = redis ]; then
    echo "redis-benchmark -c $redis_clients -P $d"
  else
    echo "mcload -c $mc_conns -P $d, memcached -t $mc_threads"
  fi
}

builds=
for v in $(bench_compilers); do
  src=$(zaph_source "${zb[$v]}")
  rev=$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?')
  git -C "$src" diff --quiet HEAD -- pass runtime include 2>/dev/null || rev+=" + changes"
  builds+="${builds:+, }$(compiler_label "$v"): ${zb[$v]} ($rev)"
done
echo "Measured $(date -u +%Y-%m-%d) on $(machine_line); zaph builds: $builds."
echo
extra=$(printf '"%s", ' "${redis_extra[@]}")
echo "Loads: Redis: redis-benchmark -t $redis_tests and ${extra%, }, each -n requests;" \
  "memcached: bench/servers/mcload.c, 11 get, 4 set ($mc_value bytes), 1 each of incr, decr, touch," \
  "delete in every 20 requests, over $mc_keys keys."
echo
echo "Instructions per request (callgrind; (I(2N) - I(N)) / N; Redis: the whole process, memcached: its worker threads)"
echo
echo "| server | compiler | load | requests N / 2N | base instr/request | zaph instr/request | extra | extra % | of the extra, in zaph's runtime |" \
  "timed 1 in $timed_every instr/request | timed / zaph | timed / base | of timed's extra over zaph, in zaph's runtime |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for v in $(bench_compilers); do
  for s in $servers; do
    for d in 1 "$depth"; do
      # fields: server compiler build depth n requests(N) instr(N) runtime(N) requests(2N) ...
      awk -v s="$s" -v v="$v" -v cn="$(compiler_label "$v")" -v d="$d" -v load="$(load_of "$s" "$d")" '
        $1 == s && $2 == v && $4 == d {
          per[$3] = ($10 - $7) / ($9 - $6); rt[$3] = ($11 - $8) / ($9 - $6); n = $6 " / " $9 }
        END {
          x = per["zaph"] - per["base"]
          printf "| %s | %s | %s | %s | %.1f | %.1f | %+.1f | %+.2f%% | %.1f |", s, cn, load, n,
            per["base"], per["zaph"], x, x / per["base"] * 100, rt["zaph"] - rt["base"]
          if ("timed" in per)
            printf " %.1f | %.4f | %.4f | %.1f |\n", per["timed"], per["timed"] / per["zaph"],
              per["timed"] / per["base"], rt["timed"] - rt["zaph"]
          else print " - | - | - | - |" }' \
        "$work/instructions"
    done
  done
done
echo
echo "Throughput (requests/s, $reps interleaved runs of each build, outside valgrind; and the" \
  "server's own CPU time per request, user + system, from INFO cpu / stats rusage_*)"
echo
echo "| server | compiler | load | base req/s (median) | zaph req/s (median) | zaph / base |" \
  "paired ratios min-max | base runs min-max | within noise | CPU us/request base, zaph (medians) | CPU zaph / base |" \
  "timed req/s (median) | timed / zaph | timed / base | paired timed / zaph min-max | CPU us/request timed (median) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for v in $(bench_compilers); do
  for s in $servers; do
    for d in 1 "$depth"; do
      awk -v s="$s" -v v="$v" -v cn="$(compiler_label "$v")" -v d="$d" -v load="$(load_of "$s" "$d")" '
        function med(a, n,   i, j, t) {
          for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
            t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
          return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        $1 == s && $2 == v && $4 == d {
          if ($3 == "base") { b[++nb] = $5; bc[nb] = $6 }
          else if ($3 == "zaph") { z[++nz] = $5; zc[nz] = $6 }
          else { t[++nt] = $5; tc[nt] = $6 } }
        END {
          rmin = 1e9; rmax = 0; bmin = 1e18; bmax = 0; tmin = 1e9; tmax = 0
          for (i = 1; i <= nb && i <= nz; i++) { r = z[i] / b[i]
            if (r < rmin) rmin = r; if (r > rmax) rmax = r }
          for (i = 1; i <= nt && i <= nz; i++) { r = t[i] / z[i]
            if (r < tmin) tmin = r; if (r > tmax) tmax = r }
          for (i = 1; i <= nb; i++) { if (b[i] < bmin) bmin = b[i]; if (b[i] > bmax) bmax = b[i] }
          mb = med(b, nb); mz = med(z, nz); ratio = mz / mb
          noise = (bmax - bmin) / mb
          within = (ratio - 1 <= noise && 1 - ratio <= noise) ? "yes" : "no"
          cb = med(bc, nb); cz = med(zc, nz)
          printf "| %s | %s | %s | %.0f | %.0f | %.3f | %.3f-%.3f | %.0f-%.0f (%.1f%%) | %s |" \
            " %.2f, %.2f | %.3f |", s, cn, load, mb, mz, ratio, rmin, rmax, bmin, bmax,
            noise * 100, within, cb, cz, cz / cb
          if (nt) { mt = med(t, nt)
            printf " %.0f | %.3f | %.3f | %.3f-%.3f | %.2f |\n", mt, mt / mz, mt / mb, tmin, tmax,
              med(tc, nt) }
          else print " - | - | - | - | - |" }' "$work/rps"
    done
  done
done
echo
echo "Where the runtime's share goes: instructions per request in each of zaph's runtime" \
  "functions (callgrind, as above; at least 1 per request)"
echo
echo "| server | compiler | load | build | function | instr/request |"
echo "|---|---|---|---|---|---|"
for v in $(bench_compilers); do
  for s in $servers; do
    for d in 1 "$depth"; do
      for b in $(builds_of "$v"); do
        [ "$b" != base ] || continue
        # fields: server compiler build depth requests function instructions
        awk -v s="$s" -v v="$v" -v b="$b" -v d="$d" '
          $1 == s && $2 == v && $3 == b && $4 == d {
            if (!lo || $5 < lo) lo = $5; if ($5 > hi) hi = $5; c[$6, $5] = $7; fn[$6] = 1 }
          END {
            for (f in fn) { x = (c[f, hi] - c[f, lo]) / (hi - lo); if (x >= 1) printf "%.1f %s\n", x, f }
          }' "$work/runtime-fns" | sort -rn | while read -r x f; do
          echo "| $s | $(compiler_label "$v") | $(load_of "$s" "$d") | $b | $f | $x |"
        done
      done
    done
  done
done
echo
echo "Counts: each command handler's zaph entries against the server's own statistics, summed over the zaph and timed runs above ($((2 * reps)) of each)"
echo
echo "| server | compiler | handler | zaph entries | server's count | statistic | equal |"
echo "|---|---|---|---|---|---|---|"
differ=0
for v in $(bench_compilers); do
  for s in $servers; do
    ops=$here/$s.ops
    while read -r name _ stats; do
      awk -v s="$s" -v v="$v" -v cn="$(compiler_label "$v")" -v h="$name" -v st="$stats" '
        $1 == s && $2 == v && $3 == h { e += $4; c += $5; if ($4 != $5) bad++; k++ }
        END {
          gsub(/ /, " + ", st)
          printf "| %s | %s | %s | %d | %d | %s | %s |\n", s, cn, h, e, c, st,
            (k > 0 && !bad) ? "yes" : (k ? "no (" bad " of " k " runs)" : "no runs") }' \
        "$work/counts"
    done < <(sed 's/#.*//' "$ops" | awk '$2 == "handler"')
  done
done | tee "$work/counts.md"
grep -q '| no' "$work/counts.md" && differ=1
if [ -s "$work/timing" ]; then
  echo
  echo "The timed runs' profiles: the timed ops' entries against their samples (timed entries that" \
    "returned), summed over the $reps runs of each load; about $timed_every to 1 expected"
  echo
  echo "| server | compiler | load | ops timed | every | entries of timed ops | samples | entries / samples |"
  echo "|---|---|---|---|---|---|---|---|"
  # fields: server compiler depth timed-ops every entries samples; one row per load, in the
  # order of the runs
  awk '{ k = $1 " " $2 " " $3; if (!(k in e)) order[++n] = k
      ops[k] = $4; every[k] = $5; e[k] += $6; sa[k] += $7 }
    END { for (i = 1; i <= n; i++) { k = order[i]
      printf "%s %d %s %.0f %.0f %.2f\n", k, ops[k], every[k], e[k], sa[k], sa[k] ? e[k] / sa[k] : 0 } }' \
    "$work/timing" | while read -r s v d k every e n ratio; do
    echo "| $s | $(compiler_label "$v") | $(load_of "$s" "$d") | $k | $every | $e | $n | $ratio |"
  done
fi
say "[${SECONDS}s] done in $(($(date +%s) - t_start)) s"
[ "$differ" = 0 ] || { say "error: at least one handler's count differs from the server's"; exit 1; }
