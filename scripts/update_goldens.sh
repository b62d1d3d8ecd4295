#!/usr/bin/env bash
# Regenerates the canonical segment dumps of the corpus seeds (text and
# typeset as PDF) that tests/corpus_golden_test.cc compares against, and
# shows what changed.
# Never run blindly: read the diff, then commit it with the change that
# caused it.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${PLANTRACE_BIN:-build/plantrace}
[ -x "$bin" ] || scripts/build.sh >/dev/null
mkdir -p tests/golden
for f in corpus/seeds/*.txt; do
  stem=$(basename "$f" .txt)
  "$bin" dump --stage=segment "$f" > "tests/golden/$stem.segment.txt"
done
for f in corpus/rendered/*.pdf; do
  stem=$(basename "$f" .pdf)
  "$bin" dump --stage=segment "$f" > "tests/golden/$stem.pdf.segment.txt" 2>/dev/null
done
git --no-pager diff --stat -- tests/golden || true
git --no-pager diff -- tests/golden | head -200 || true
