#!/usr/bin/env bash
# Builds the fuzz target of zaph-report and of the text grammar it shares with the runtime
# (format/) with libFuzzer, ASan and UBSan (clang 14) and fuzzes it for SECONDS seconds on a
# scratch copy of the seed corpus, with JOBS parallel processes (default 1).
# Fails on any finding (crash, leak, timeout, out of memory) and prints the executions it ran.
# usage: tests/fuzz/run.sh SECONDS [JOBS]    (output in ${ZAPH_FUZZ_DIR:-build/fuzz})
set -euo pipefail
cd "$(dirname "$0")/../.."

usage() {
  sed -n '6s/^# //p' "$0" >&2
  exit 2
}
[ $# -ge 1 ] && [ $# -le 2 ] || usage
seconds=$1 jobs=${2:-1}
[[ $seconds =~ ^[1-9][0-9]*$ && $jobs =~ ^[1-9][0-9]*$ ]] || usage

scripts/setup.sh >&2
root=$PWD
dir=${ZAPH_FUZZ_DIR:-build/fuzz}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
fuzzer=$dir/fuzz_report

# Every report source but main.c, so a file added to report/ is fuzzed without editing this.
sources=()
for f in report/*.c; do
  [ "$f" = report/main.c ] || sources+=("$f")
done
echo "run.sh: building $fuzzer" >&2
/usr/lib/llvm-14/bin/clang -std=gnu11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -Iinclude -Ireport -Itests/fuzz \
  "${sources[@]}" format/*.c tests/fuzz/fuzz_report.c tests/fuzz/output_checks.c \
  -lm -o "$fuzzer"

# A fresh working corpus each run: the seeds stay small and only change on purpose.
work=$dir/work
rm -rf "$work"
mkdir -p "$work/corpus" "$work/findings"
cp tests/fuzz/corpus/* "$work/corpus/"
seeds=$(ls "$work/corpus" | wc -l)

args=(-max_total_time="$seconds" -max_len=8192 -timeout=25 -rss_limit_mb=2048
      -dict="$root/tests/fuzz/profile.dict" -artifact_prefix="$work/findings/"
      -print_final_stats=1)
echo "run.sh: fuzzing for $seconds s with $jobs job(s) from $seeds seeds" >&2
status=0
start=$(date +%s)
# libFuzzer's -jobs writes each job's output to fuzz-N.log in the current directory.
if [ "$jobs" -gt 1 ]; then
  (cd "$work" && "$fuzzer" "${args[@]}" -jobs="$jobs" -workers="$jobs" corpus \
    >/dev/null 2>&1) || status=$?
else
  (cd "$work" && "$fuzzer" "${args[@]}" corpus >fuzz-0.log 2>&1) || status=$?
fi
elapsed=$(( $(date +%s) - start ))

executions=0
for log in "$work"/fuzz-*.log; do
  [ -e "$log" ] || continue
  n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  executions=$((executions + ${n:-0}))
done
findings=$(find "$work/findings" -type f | wc -l)
files=$(ls "$work/corpus" | wc -l)
echo "run.sh: $executions executions in $elapsed s ($jobs job(s))," \
  "working corpus $seeds -> $files files"

if [ "$status" -ne 0 ] || [ "$findings" -ne 0 ]; then
  echo "run.sh: error: the fuzzer failed (status $status," \
    "$findings finding(s) in $work/findings)" >&2
  for log in "$work"/fuzz-*.log; do
    [ -e "$log" ] || continue
    grep -q -E 'ERROR: |fuzz_report: ' "$log" || continue
    echo "--- $log (excerpt)" >&2
    grep -E '^fuzz_report: |ERROR: |^    #[0-9]+ |^SUMMARY: |Test unit written' "$log" |
      head -n 30 >&2 || true
  done
  exit 1
fi
echo "run.sh: no findings"
