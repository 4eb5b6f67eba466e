#!/usr/bin/env bash
# framing against fastText, the peer users would pick for fast text
# classification: same data, same run (`make bench-peers`).
#
#  1. installs Debian's fasttext (0.9.2) when it is missing;
#  2. internal/tools/benchpeers trains it on the train split (multi-label:
#     -loss ova, word bigrams; epochs and learning rate picked by dev macro-F1;
#     per-label thresholds tuned on dev, written to MODEL.thresholds.json) and
#     times fastText predict-prob against `framing batch` on 200,000
#     one-sentence records;
#  3. `framing eval` scores the default model and fastText on the test split
#     in one run: one table, accuracy and speed side by side, a paired
#     bootstrap with a verdict; every report format lands in WORK/eval/.
#
# Arguments go to benchpeers (-lines N, -work DIR, -corpus DIR, -framing BIN).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=bin/framing work=.cache/peers corpus=testdata/corpus
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    -work | --work) work=${args[i + 1]} ;;
    -framing | --framing) bin=${args[i + 1]} ;;
    -corpus | --corpus) corpus=${args[i + 1]} ;;
  esac
done

if ! command -v fasttext >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -qq fasttext || { $sudo apt-get update -qq && $sudo apt-get install -y -qq fasttext; }
fi
[ -x "$bin" ] || { echo "bench-peers: $bin is missing (make build)" >&2; exit 1; }

go run ./internal/tools/benchpeers "$@"
echo
"$bin" eval --model default --model "fasttext:$work/fasttext.bin" --data "$corpus/test.jsonl" --out "$work/eval"
