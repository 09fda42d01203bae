#!/usr/bin/env bash
# The main job: sets up and builds zaph, instruments examples/server.c with the pass, replays
# examples/replay.log through it as staging replay, and prints the tier report.
# usage: scripts/demo.sh [--llvm N]   (default LLVM 14)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

llvm=14
while [ $# -gt 0 ]; do
  case $1 in
    --llvm | --llvm=*) option_value "$@"; llvm=$value; shift "$taken" ;;
    *) other_argument "$1" ;;
  esac
done
dir=$(scripts/build.sh --llvm "$llvm")
out=$dir/example
mkdir -p "$out"
rm -f "$out"/server-*.prof

echo "\$ clang-$llvm -O2 -fplugin=$dir/lib/zaph-frontend.so -fpass-plugin=$dir/lib/zaph-pass.so -Iinclude examples/server.c $dir/lib/libzaph-rt.a -lpthread -o $out/server"
"/usr/lib/llvm-$llvm/bin/clang" -O2 -fplugin="$dir/lib/zaph-frontend.so" -fpass-plugin="$dir/lib/zaph-pass.so" -Iinclude \
  examples/server.c "$dir/lib/libzaph-rt.a" -lpthread -o "$out/server"
echo "\$ ZAPH_PROFILE_FILE=$out/server-%p.prof ZAPH_SOURCE=staging-replay $out/server < examples/replay.log"
ZAPH_PROFILE_FILE="$out/server-%p.prof" ZAPH_SOURCE=staging-replay "$out/server" <examples/replay.log
echo "\$ $dir/bin/zaph-report $out/server-*.prof"
"$dir/bin/zaph-report" "$out"/server-*.prof
