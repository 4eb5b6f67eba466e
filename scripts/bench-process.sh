#!/usr/bin/env bash
# Whole-process timings of `framing classify`: cold start plus one short
# article, repeated, reported as p50 and p95 wall time, and peak RSS.
set -euo pipefail
bin=${1:-bin/framing}
file=${2:-testdata/articles/showcase.txt}
runs=${RUNS:-20}
short=$(mktemp)
trap 'rm -f "$short"' EXIT
printf 'Border guards detained eleven people near the river overnight.\n' >"$short"
for input in "$short" "$file"; do
  times=()
  for _ in $(seq "$runs"); do
    s=$(date +%s%N)
    "$bin" classify --format json "$input" >/dev/null
    e=$(date +%s%N)
    times+=($(( (e - s) / 1000000 )))
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  p50=${sorted[$(( runs / 2 ))]}
  p95=${sorted[$(( runs * 95 / 100 ))]}
  rss=$( { /usr/bin/time -f '%M' "$bin" classify --format json "$input" >/dev/null; } 2>&1 | tail -1 )
  printf 'whole process: framing classify %-40s p50 %4d ms  p95 %4d ms  peak RSS %d MB  (%d runs)\n' "$input" "$p50" "$p95" $(( rss / 1024 )) "$runs"
done
