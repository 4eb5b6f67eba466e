#!/usr/bin/env bash
# framing against fastText: accuracy on the test split and throughput on
# 200,000 one-sentence records, in the same run (internal/tools/benchpeers).
set -euo pipefail
if ! command -v fasttext >/dev/null; then
  (apt-get update -qq || true) && apt-get install -y -qq fasttext
fi
go run ./internal/tools/benchpeers "$@"
