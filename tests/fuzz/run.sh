#!/usr/bin/env bash
# Configures a build with -DZAPH_FUZZ=ON (clang of LLVM N, default 14), builds its libFuzzer
# target fuzz_report (tests/fuzz/CMakeLists.txt: zaph-report and the text grammar it shares
# with the runtime, format/, with ASan and UBSan) and fuzzes it for SECONDS seconds on a
# scratch copy of the seed corpus, with JOBS parallel processes (default 1).
# Fails on any finding (crash, leak, timeout, out of memory) and prints the executions it ran.
# usage: tests/fuzz/run.sh [--llvm N] SECONDS [JOBS]
#        (output in ${ZAPH_FUZZ_DIR:-build/fuzz}, build-N/fuzz for another LLVM)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh

llvm=14 numbers=()
while [ $# -gt 0 ]; do
  case $1 in
    --llvm | --llvm=*) option_value "$@"; llvm=$value; shift "$taken" ;;
    [0-9]*) numbers+=("$1"); shift ;;
    *) other_argument "$1" ;;
  esac
done
[ ${#numbers[@]} -ge 1 ] && [ ${#numbers[@]} -le 2 ] ||
  usage_error "needs SECONDS and at most one JOBS, not ${#numbers[@]} number(s)"
seconds=${numbers[0]} jobs=${numbers[1]:-1}
[[ $seconds =~ ^[1-9][0-9]*$ && $jobs =~ ^[1-9][0-9]*$ ]] ||
  usage_error "SECONDS and JOBS are whole numbers from 1, not '${numbers[*]}'"

scripts/setup.sh --llvm "$llvm" >&2
root=$PWD
dir=build/fuzz
[ "$llvm" = 14 ] || dir=build-$llvm/fuzz
dir=${ZAPH_FUZZ_DIR:-$dir}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
fuzzer=$dir/fuzz_report

echo "run.sh: building $fuzzer" >&2
cmake -S . -B "$dir" -G Ninja -DZAPH_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug \
  -DLLVM_DIR="/usr/lib/llvm-$llvm/lib/cmake/llvm" \
  -DCMAKE_C_COMPILER="/usr/lib/llvm-$llvm/bin/clang" \
  -DCMAKE_CXX_COMPILER="/usr/lib/llvm-$llvm/bin/clang++" >/dev/null
cmake --build "$dir" --target fuzz_report >&2

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
