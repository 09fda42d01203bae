#!/usr/bin/env bash
# Tiers fed to the compiler (docs/benchmarks.md, "Tiers fed to the compiler"): profile-driven
# tiers against no tiers. Each program is built with zaph counting twice by the same compiler
# at -O2: without a ledger (no-tiers), and with a ledger whose tiers come from a real profile
# of the no-tiers build under the benchmark's own load (tiers: Tier 1 ops hot, Tier 3 cold,
# docs/ledger.md, "What the compilers do with tiers"). The ledger is written by
# `zaph-report assign` from that profile, as a user's would be.
#   SQLite: Debian 12's speedtest1 (bench/sqlite/fetch.sh), its ops chosen by a list file made
#     from bench/sqlite/functions.txt (24 functions), with sqlite3_step as the request (one
#     statement step), so that each op's frequency is the share of steps that enter it.
#     Wall time of `speedtest1 --memdb --size N`; instructions of --size CG under callgrind.
#   Redis: Debian 12's Redis 7.0.15 (bench/servers/fetch.sh) annotated by
#     bench/servers/annotate.sh from bench/servers/redis.ops (processCommand the request, 20
#     command handlers), the fixed hash seed of bench/servers.sh. Wall time of one
#     redis-benchmark run (-c 50, -n N per test, 10 tests) against a server started for each
#     round; instructions of the server under callgrind for the same load with -n CG.
# Wall times: R rounds, each one `hyperfine -N --runs K` of both builds (the order alternating
# from round to round); the median of all R*K runs of each, the ratio of the medians, and the
# min-max of the R per-round ratios as its spread. Text: `size -A`'s .text of the program (the
# hot and cold sections are merged into it by the linker). Prints one Markdown table.
# usage: bench/tiers.sh
# environment (defaults in brackets):
#   ZAPH_BENCH_TIERS_COMPILERS    compilers ["14 gcc"]: an LLVM major's clang, or gcc
#   ZAPH_BENCH_TIERS_PROGRAMS     ["sqlite redis"]
#   ZAPH_BENCH_TIERS_ROUNDS (R) [5], ZAPH_BENCH_TIERS_RUNS (K) [3]
#   ZAPH_BENCH_TIERS_SQLITE_SIZE [25], ZAPH_BENCH_TIERS_SQLITE_CG_SIZE [5]
#   ZAPH_BENCH_TIERS_REDIS_REQUESTS [20000], ZAPH_BENCH_TIERS_REDIS_CG_REQUESTS [2000]
#   ZAPH_BUILD_<N>, ZAPH_BUILD, ZAPH_BENCH_DIR: as for every benchmark (bench/lib.sh)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_packages dpkg-dev tcl make valgrind hyperfine jq redis-tools
compilers=${ZAPH_BENCH_TIERS_COMPILERS:-14 gcc}
programs=${ZAPH_BENCH_TIERS_PROGRAMS:-sqlite redis}
rounds=${ZAPH_BENCH_TIERS_ROUNDS:-5}
runs=${ZAPH_BENCH_TIERS_RUNS:-3}
sqlite_size=${ZAPH_BENCH_TIERS_SQLITE_SIZE:-25}
sqlite_cg_size=${ZAPH_BENCH_TIERS_SQLITE_CG_SIZE:-5}
redis_n=${ZAPH_BENCH_TIERS_REDIS_REQUESTS:-20000}
redis_cg_n=${ZAPH_BENCH_TIERS_REDIS_CG_REQUESTS:-2000}
redis_tests=ping,set,get,incr,lpush,rpush,lpop,sadd,hset,zadd
work=$bench_dir/tiers
mkdir -p "$work/cache"
# The fetch scripts look for what they fetched before with find(1), which does not follow a
# symbolic link: the cache's physical path.
cache=$(cd -P "$work/cache" && pwd)
variants=(no-tiers tiers)
server_pid=

# A redis-server still running at exit is stopped.
cleanup() { [ -z "$server_pid" ] || kill -TERM "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT

# The plugin flags of compiler $1 from zaph build $2, with plugin argument $3 (KEY=VALUE, or
# nothing), one per line. GCC takes arguments only for the plugin named zaph (lib/gcc/zaph.so).
plugin_flags() {
  if [ "$1" = gcc ]; then
    echo "-fplugin=$2/lib/gcc/zaph.so"
  else
    printf '%s\n' "-fplugin=$2/lib/zaph-frontend.so" "-fpass-plugin=$2/lib/zaph-pass.so"
  fi
  [ -z "$3" ] || echo "-fplugin-arg-zaph-$3"
}

# The ledger of profile $1, written anew into $2 by zaph-report $3's assign.
make_ledger() {
  rm -f "$2"
  "$3" assign --ledger="$2" "$1" >"$2.assign"
}

# "T1 T2 T3 U": how many entries of ledger $1 are assigned each tier, and unassigned.
tier_counts() {
  awk '/^status = "unassigned"/ { u++ } /^tier = / { t[$3]++ }
    END { printf "%d %d %d %d\n", t[1], t[2], t[3], u }' "$1"
}

# "hot cold": functions of object or program $1 in a hot and in a cold section.
placed() {
  objdump -t "$1" | awk '{ for (i = 1; i < NF; i++) if ($i == "F") { s = $(i + 1); break } }
    s ~ /^\.text\.hot/ { h++ } s ~ /^\.text\.unlikely/ { c++ } { s = "" }
    END { printf "%d %d\n", h, c }'
}

text_size() { size -A "$1" | awk '$1 == ".text" { print $2 }'; }

# Wall times of R rounds of hyperfine over commands $2 and $3 (no-tiers, tiers) for label $1,
# appended as "label variant round microseconds" to $work/times. $round_setup, when set, is
# run before each variant's hyperfine with the variant as its argument (a server to start) and
# $round_teardown after.
time_rounds() {
  local label=$1 r first second json
  for ((r = 1; r <= rounds; r++)); do
    first=0 second=1
    [ $((r % 2)) -eq 0 ] && first=1 second=0
    for i in $first $second; do
      [ -z "${round_setup:-}" ] || "$round_setup" "${variants[$i]}"
      json=$work/hyperfine.json
      local cmd=$2
      [ "$i" = 1 ] && cmd=$3
      hyperfine -N --style none --warmup 1 --runs "$runs" --export-json "$json" "$cmd" \
        >/dev/null 2>"$work/hyperfine.err" || die "hyperfine failed: $(tail -3 "$work/hyperfine.err")"
      jq -r '.results[0].times[]' "$json" |
        awk -v l="$label" -v v="${variants[$i]}" -v r="$r" '{ printf "%s %s %d %.0f\n", l, v, r, $1 * 1e6 }' \
          >>"$work/times"
      [ -z "${round_teardown:-}" ] || "$round_teardown"
    done
  done
}

# One table row per variant of label $1 (program $2, compiler $3): wall medians, the ratio and its
# spread, instructions, text, tiers and placement from $work/facts ("label variant key value").
rows() {
  local label=$1 v
  for v in "${variants[@]}"; do
    awk -v l="$label" -v v="$v" -v program="$2" -v compiler="$3" -f /dev/stdin "$work/times" "$work/facts" <<'EOF'
FILENAME ~ /times$/ && $1 == l {
  all[$2] = all[$2] " " $4; round[$2, $3] = round[$2, $3] " " $4; if ($3 > n) n = $3; next }
$1 == l && $2 == v { fact[$3] = $4 }
$1 == l && $2 == "no-tiers" { base[$3] = $4 }
function median(s,   a, k, i, j, t) {
  k = split(s, a, " ")
  for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
  return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
END {
  m = median(all[v]); mb = median(all["no-tiers"])
  lo = 1e9; hi = -1e9
  for (r = 1; r <= n; r++) {
    q = median(round[v, r]) / median(round["no-tiers", r])
    if (q < lo) lo = q; if (q > hi) hi = q
  }
  printf "| %s | %s | %s | %.3f | %.4f | %.4f-%.4f | %.0f | %.4f | %d | %.4f | %s | %s |\n",
    program, compiler, v, m / 1e6, m / mb, lo, hi, fact["instructions"],
    fact["instructions"] / base["instructions"], fact["text"], fact["text"] / base["text"],
    fact["tiers"], fact["placed"]
}
EOF
  done
}

# --- SQLite --------------------------------------------------------------------------------

sqlite_bench() {
  local c=$1 zb=$2 out=$work/sqlite-$1 cc src v
  cc=$(compiler_cc "$c")
  src=$("$bench_src/sqlite/fetch.sh" "$cache")
  mkdir -p "$out"
  {
    echo "request:sqlite3_step"
    grep -v '^#' "$bench_src/sqlite/functions.txt" | grep -vx 'sqlite3_step' | sed 's/^/fun:/'
  } >"$out/sqlite.list"
  say "SQLite, $(compiler_label "$c"): building no-tiers"
  "$cc" -O2 -I"$src" -c "$src/test/speedtest1.c" -o "$out/speedtest1.o"
  build_sqlite() { # variant, plugin argument (tiers=FILE or nothing)
    local extra=()
    [ -z "$2" ] || extra=("-fplugin-arg-zaph-$2")
    mapfile -t flags < <(plugin_flags "$c" "$zb" "list=$out/sqlite.list")
    (cd "$src" && "$cc" -O2 -I"$src" -I"$(zaph_include "$zb")" "${flags[@]}" "${extra[@]}" \
      -c sqlite3.c -o "$out/sqlite3-$1.o")
    "$cc" "$out/speedtest1.o" "$out/sqlite3-$1.o" "$zb/lib/libzaph-rt.a" -lpthread -ldl -lm \
      -Wl,--strip-debug -o "$out/speedtest1-$1"
  }
  build_sqlite no-tiers ""
  say "SQLite, $(compiler_label "$c"): profiling no-tiers (--size $sqlite_size)"
  rm -f "$out/profile.prof"
  ZAPH_SOURCE=load-test ZAPH_PROFILE_FILE=$out/profile.prof "$out/speedtest1-no-tiers" \
    --memdb --size "$sqlite_size" >/dev/null
  make_ledger "$out/profile.prof" "$out/zaph-tiers.toml" "$zb/bin/zaph-report"
  say "SQLite, $(compiler_label "$c"): building tiers ($(tier_counts "$out/zaph-tiers.toml"): T1 T2 T3 unassigned)"
  build_sqlite tiers "tiers=$out/zaph-tiers.toml"
  local label=sqlite-$c
  for v in "${variants[@]}"; do
    echo "$label $v text $(text_size "$out/speedtest1-$v")" >>"$work/facts"
    echo "$label $v tiers $(tier_counts "$out/zaph-tiers.toml" | awk '{ printf "%d/%d/%d/%d", $1, $2, $3, $4 }')" >>"$work/facts"
    echo "$label $v placed $(placed "$out/sqlite3-$v.o" | tr ' ' /)" >>"$work/facts"
    valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" "$out/speedtest1-$v" \
      --memdb --size "$sqlite_cg_size" >/dev/null 2>"$out/cg.err" ||
      die "callgrind failed on speedtest1-$v: $(tail -3 "$out/cg.err")"
    echo "$label $v instructions $(awk '/^(summary|totals):/ { print $2; exit }' "$out/cg.out")" >>"$work/facts"
    rm -f "$out/cg.out" "$out"/callgrind*.prof
  done
  say "SQLite, $(compiler_label "$c"): $rounds rounds of $runs runs each"
  export ZAPH_PROFILE_FILE=/dev/null
  round_setup= round_teardown= time_rounds "$label" \
    "$out/speedtest1-no-tiers --memdb --size $sqlite_size" \
    "$out/speedtest1-tiers --memdb --size $sqlite_size"
  unset ZAPH_PROFILE_FILE
  rows "$label" "SQLite speedtest1" "$(compiler_label "$c")"
}

# The include directory of zaph build $1's source tree.
zaph_include() {
  local s
  s=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$1/CMakeCache.txt" 2>/dev/null || true)
  if [ -n "$s" ] && [ -f "$s/include/zaph.h" ]; then echo "$s/include"; else echo "$bench_root/include"; fi
}

# --- Redis ---------------------------------------------------------------------------------

redis_port=
# Starts redis-server $1 (a path) on a free port, with ZAPH_PROFILE_FILE=$2; sets server_pid
# and redis_port. The rest of the arguments go before the server (valgrind ...).
redis_start() {
  local bin=$1 profile=$2 i
  shift 2
  redis_port=$((20000 + RANDOM % 10000))
  ZAPH_SOURCE=load-test ZAPH_PROFILE_FILE=$profile "$@" "$bin" --port "$redis_port" \
    --bind 127.0.0.1 --save '' --appendonly no --daemonize no --logfile "$work/redis.log" \
    >"$work/redis.out" 2>&1 </dev/null &
  server_pid=$!
  for ((i = 0; i < 600; i++)); do
    redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  die "redis-server $bin did not start: $(tail -3 "$work/redis.log" 2>/dev/null)"
}
redis_stop() {
  redis-cli -h 127.0.0.1 -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  wait "$server_pid" || true
  server_pid=
}
redis_load() { # requests per test
  redis-benchmark -h 127.0.0.1 -p "$redis_port" -c 50 -n "$1" -t "$redis_tests" -q >/dev/null
}

redis_bench() {
  local c=$1 zb=$2 out=$work/redis-$1 cc src v
  cc=$(compiler_cc "$c")
  src=$("$bench_src/servers/fetch.sh" "$cache" redis)
  mkdir -p "$out"
  local tree=$out/redis
  if [ ! -f "$tree/.prepared" ]; then
    say "Redis, $(compiler_label "$c"): preparing the source and its dependencies"
    rm -rf "$tree" && cp -a "$src" "$tree"
    local seed='    getRandomBytes(hashseed,sizeof(hashseed));'
    grep -qxF "$seed" "$tree/src/server.c" || die "redis: no hash seed line in server.c"
    sed -i "s|^$seed\$|    memset(hashseed,0x5a,sizeof(hashseed)); /* bench/servers: fixed */|" \
      "$tree/src/server.c"
    "$bench_src/servers/annotate.sh" "$tree/src" "$bench_src/servers/redis.ops" server.c \
      networking.c db.c dict.c object.c t_string.c t_list.c t_set.c t_hash.c t_zset.c
    # shellcheck disable=SC2016 # $(ZAPH_LIBS) is make's
    sed -i 's|^FINAL_LIBS=-lm$|FINAL_LIBS=$(ZAPH_LIBS) -lm|' "$tree/src/Makefile"
    make -C "$tree/src" -j2 .make-prerequisites MALLOC=libc "CC=$cc" OPTIMIZATION=-O2 DEBUG= \
      >"$out/deps.log" 2>&1 || die "Redis's dependencies: $(tail -5 "$out/deps.log")"
    touch "$tree/.prepared"
  fi
  build_redis() { # variant, plugin argument
    mapfile -t flags < <(plugin_flags "$c" "$zb" "$2")
    rm -f "$tree/src"/*.o "$tree/src/redis-server"
    make -C "$tree/src" -j2 redis-server MALLOC=libc OPTIMIZATION=-O2 DEBUG= \
      LDFLAGS=-Wl,--strip-debug "CC=$cc ${flags[*]} -I$(zaph_include "$zb")" \
      "ZAPH_LIBS=$zb/lib/libzaph-rt.a -lpthread" >"$out/build-$1.log" 2>&1 ||
      die "building Redis ($1): $(grep -m3 error "$out/build-$1.log")"
    cp "$tree/src/redis-server" "$out/redis-server-$1"
    # The linker merges the hot and cold sections into .text: placement is read in the objects.
    local o a b h=0 k=0
    for o in "$tree"/src/*.o; do
      read -r a b <<<"$(placed "$o")"
      h=$((h + a)) k=$((k + b))
    done
    echo "$h/$k" >"$out/placed-$1"
  }
  say "Redis, $(compiler_label "$c"): building no-tiers"
  build_redis no-tiers ""
  say "Redis, $(compiler_label "$c"): profiling no-tiers (-n $redis_n per test)"
  rm -f "$out/profile.prof"
  redis_start "$out/redis-server-no-tiers" "$out/profile.prof"
  redis_load "$redis_n"
  redis_stop
  make_ledger "$out/profile.prof" "$out/zaph-tiers.toml" "$zb/bin/zaph-report"
  say "Redis, $(compiler_label "$c"): building tiers ($(tier_counts "$out/zaph-tiers.toml"): T1 T2 T3 unassigned)"
  build_redis tiers "tiers=$out/zaph-tiers.toml"
  local label=redis-$c
  for v in "${variants[@]}"; do
    echo "$label $v text $(text_size "$out/redis-server-$v")" >>"$work/facts"
    echo "$label $v tiers $(tier_counts "$out/zaph-tiers.toml" | awk '{ printf "%d/%d/%d/%d", $1, $2, $3, $4 }')" >>"$work/facts"
    echo "$label $v placed $(cat "$out/placed-$v")" >>"$work/facts"
    redis_start "$out/redis-server-$v" /dev/null valgrind --tool=callgrind \
      --callgrind-out-file="$out/cg.out"
    redis_load "$redis_cg_n"
    redis_stop
    echo "$label $v instructions $(awk '/^(summary|totals):/ { print $2; exit }' "$out/cg.out")" >>"$work/facts"
    rm -f "$out/cg.out"
  done
  say "Redis, $(compiler_label "$c"): $rounds rounds of $runs runs each"
  # A server of the variant for each hyperfine; its port changes, so the load reads it from a
  # file (bench/tiers/redis_load.sh).
  redis_round_start() {
    redis_start "$out/redis-server-$1" /dev/null
    echo "$redis_port" >"$work/redis.port"
  }
  local load="$bench_src/tiers/redis_load.sh $work/redis.port $redis_n $redis_tests"
  round_setup=redis_round_start round_teardown=redis_stop time_rounds "$label" "$load" "$load"
  rows "$label" Redis "$(compiler_label "$c")"
}

: >"$work/times"
: >"$work/facts"
{
echo "| program | compiler | build | wall s (median) | wall vs no-tiers | per-round ratios | instructions | instr vs no-tiers | .text bytes | text vs no-tiers | ledger T1/T2/T3/unassigned | functions placed hot/cold |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for c in $compilers; do
  zb=$(compiler_build "$c")
  for p in $programs; do
    case $p in
      sqlite) sqlite_bench "$c" "$zb" ;;
      redis) redis_bench "$c" "$zb" ;;
      *) die "unknown program '$p' (expected sqlite or redis)" ;;
    esac
  done
done
} | tee "$work/tiers.md"
