#!/bin/sh
# Runs zaph-report for one CLI test case in a scratch copy of fixtures/ and compares what it did
# with expected/CASE.expected, byte for byte. That file is a transcript in the manner of the
# end-to-end suite's: "== run (exit N)", then "-- stdout", "-- stderr" and, with --file,
# "-- file NAME", each followed by the bytes written there (a section that does not end in a
# newline is followed by one and the line "\ no newline at end").
# zaph-report runs without LC_ALL, LC_CTYPE, LANG and NO_COLOR (so the text report's bars are '#'
# and colours follow --color alone) but for what --env sets.
# Usage: run_case.sh ZAPH_REPORT CONTINUOUS_OFFSETS TEST_DIR CASE [--stdin FILE] [--stdout-to-full]
#                    [--file NAME] [--env NAME=VALUE]... [--prometheus SCENARIO] -- ARG...
#   CONTINUOUS_OFFSETS the program built from continuous_offsets.c
#   --stdin FILE      standard input from fixture FILE (default /dev/null)
#   --stdout-to-full  standard output to /dev/full (the transcript then has no stdout section)
#   --file NAME       also show the file NAME the run wrote
#   --env NAME=VALUE  run zaph-report with that variable set
#   --prometheus SCENARIO  serve prometheus/SCENARIO.json with prometheus/fake_server.py on
#                     127.0.0.1 (SCENARIO none: a port nothing listens on); @URL@ in an ARG is
#                     its http://127.0.0.1:PORT, and the transcript shows the port as <port>
# ZAPH_UPDATE_EXPECTED=1 writes expected/CASE.expected from this run instead (then read it).
set -u

zaph_report=$1 continuous_offsets=$2 test_dir=$3 case_name=$4
shift 4
stdin=/dev/null stdout_to_full=no written_file= environment= scenario=
while [ $# -gt 0 ]; do
  case $1 in
    --prometheus) scenario=$2; shift 2 ;;
    --env) environment="$environment $2"; shift 2 ;;
    --stdin) stdin=$2; shift 2 ;;
    --stdout-to-full) stdout_to_full=yes; shift ;;
    --file) written_file=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run_case.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done

scratch=$(mktemp -d) || exit 2
server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null; rm -rf "$scratch"' EXIT
mkdir "$scratch/run"
cp -R "$test_dir/fixtures/." "$scratch/run/"
cd "$scratch/run" || exit 2

# Fixtures that are awkward to keep in git: a NUL byte, a line over the cap, no final newline.
ops_header='zaph-profile 1\nprogram\t/srv/app\npid\t7\nhost\th\nstart\t2026-11-24T09:12:03Z\nend\t2026-11-24T09:12:09Z\nsource\tproduction\nrequests\t1000\nops\t1\n'
printf "${ops_header}op\\top\\t0\\t1\\t1\\t0\\t3\\tc.c\\tf\\000g\\nend\\t1\\n" >nul-byte.prof
{
  printf "${ops_header}op\\top\\t0\\t1\\t1\\t0\\t3\\tc.c\\t"
  head -c 40000 /dev/zero | tr '\000' 'n'
  printf '\nend\t1\n'
} >long-line.prof
printf "${ops_header}op\\top\\t0\\t1\\t1\\t0\\t3\\tc.c\\tf\\nend\\t1" >no-final-newline.prof
printf '\177ELF\002\001\001\000\000\000' >binary.prof

# Continuous profiles (binary, include/zaph_continuous.h). cont.prof and cont-joined.prof were
# written by a real program in continuous mode, the second by two processes joining one file
# (%m%c), then cut to their records and given fixed times, pid, program and host. The end of a
# profile is the later of its header's end and the file's modification time, so the copies get
# an old one. The broken variants are made here, one field each, at the offsets the header
# defines (header_<field>, record_<field>, header_size: continuous_offsets.c).
eval "$("$continuous_offsets")" || exit 2
touch -d 2026-01-01T00:00:00Z cont.prof cont-joined.prof
patch_bytes() { # patch_bytes FILE OFFSET PRINTF-BYTES
  printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none &&
    touch -d 2026-01-01T00:00:00Z "$1"
}
variant() { # variant FROM TO OFFSET PRINTF-BYTES: a copy of FROM with those bytes at OFFSET
  cp "$1" "$2" && patch_bytes "$2" "$3" "$4"
}
field() { # field FILE OFFSET BYTES: the unsigned little-endian number there
  od -An -tu"$3" -j "$2" -N "$3" "$1" | tr -d ' '
}
records_of() { # records_of FILE NAME: the offset of each record of the op NAME
  at=$header_size end=$((header_size + $(field "$1" "$header_used" 8)))
  while [ "$at" -lt "$end" ]; do
    name=$(dd if="$1" bs=1 skip=$((at + record_text)) \
      count="$(field "$1" $((at + record_name_len)) 4)" status=none)
    [ "$name" != "$2" ] || echo "$at"
    at=$((at + $(field "$1" $((at + record_size)) 4)))
  done
}
first_record=$header_size
variant cont.prof cont-newer.prof "$header_version" '\002'
variant cont.prof cont-used.prof "$header_used" '\000\020'
variant cont.prof cont-requests.prof "$header_requests" '\001\000'
variant cont.prof cont-touched.prof $((first_record + record_requests_touching)) '\377\377'
variant cont.prof cont-record-size.prof $((first_record + record_size)) '\077'
variant cont.prof cont-kind.prof $((first_record + record_kind)) '\011'
variant cont.prof cont-nul-name.prof $((first_record + record_text + 1)) '\000'
# Each record of serve then holds 2^64-1 entries (1000 inside): fine alone, too many summed.
cp cont-joined.prof cont-overflow.prof
for at in $(records_of cont-joined.prof serve); do
  patch_bytes cont-overflow.prof $((at + record_entries_outside)) '\027\374\377\377\377\377\377\377'
done
variant cont.prof cont-entries-overflow.prof $((first_record + record_entries_outside)) \
  '\377\377\377\377\377\377\377\377'
# A sparse file of 1 TiB that holds cont.prof's header and records: they are all a reader takes.
cp cont.prof cont-sparse.prof && truncate -s 1T cont-sparse.prof &&
  touch -d 2026-01-01T00:00:00Z cont-sparse.prof
# A header cut short, and the header with 104 of the 192 bytes of records its used counts.
head -c 3000 cont.prof >cont-short.prof
head -c $((header_size + 104)) cont.prof >cont-cut.prof

port=
if [ "$scenario" = none ]; then
  # A port that was free a moment ago: nothing listens there.
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
elif [ -n "$scenario" ]; then
  python3 "$test_dir/prometheus/fake_server.py" "$test_dir/prometheus/$scenario.json" \
    "$scratch/port" &
  server=$!
  for _ in $(seq 100); do
    [ -s "$scratch/port" ] && break
    sleep 0.05
  done
  port=$(cat "$scratch/port") || exit 2
fi
if [ -n "$port" ]; then
  for arg; do
    shift
    set -- "$@" "$(printf '%s' "$arg" | sed "s|@URL@|http://127.0.0.1:$port|g")"
  done
  environment="-u http_proxy -u https_proxy -u HTTP_PROXY -u HTTPS_PROXY -u all_proxy $environment"
fi

if [ "$stdout_to_full" = yes ]; then
  stdout_path=/dev/full
else
  stdout_path=$scratch/stdout
fi
# shellcheck disable=SC2086 # each NAME=VALUE or -u NAME is one word (none holds a space)
env -u LC_ALL -u LC_CTYPE -u LANG -u NO_COLOR $environment \
  "$zaph_report" "$@" <"$stdin" >"$stdout_path" 2>"$scratch/stderr"
status=$?

section() { # section TITLE FILE
  echo "-- $1"
  if [ -n "$port" ]; then sed "s|127\.0\.0\.1:$port|127.0.0.1:<port>|g" "$2"; else cat "$2"; fi
  if [ -s "$2" ] && [ -n "$(tail -c 1 "$2")" ]; then
    echo
    printf '%s\n' '\ no newline at end'
  fi
}
{
  echo "== run (exit $status)"
  [ "$stdout_to_full" = yes ] || section stdout "$scratch/stdout"
  section stderr "$scratch/stderr"
  [ -z "$written_file" ] || section "file $written_file" "$scratch/run/$written_file"
} >"$scratch/actual"

expected=$test_dir/expected/$case_name.expected
if [ "${ZAPH_UPDATE_EXPECTED:-}" = 1 ]; then
  cp "$scratch/actual" "$expected"
  exit 0
fi
if ! cmp -s "$expected" "$scratch/actual"; then
  diff -u "$expected" "$scratch/actual"
  echo "run_case.sh: $case_name: transcript differs from $expected" >&2
  exit 1
fi
