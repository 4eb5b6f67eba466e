#!/usr/bin/env bash
# Throughput and peak memory of `framing batch` on a 100,000-article
# JSONL.gz archive made from the corpus's own sentences.
set -euo pipefail
bin=${1:-bin/framing}
mkdir -p .cache/bench
archive=.cache/bench/archive.jsonl.gz
[ -f "$archive" ] || go run ./internal/tools/mkarchive -n "${ARTICLES:-100000}" -out "$archive"
rm -f .cache/bench/out.jsonl .cache/bench/out.jsonl.errors.jsonl
/usr/bin/time -f 'peak RSS %M KB, wall %e s' "$bin" batch --input "$archive" --output .cache/bench/out.jsonl 2>&1 | tail -2
