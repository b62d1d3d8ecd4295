#!/usr/bin/env bash
# Builds plantrace and runs every test (unit and corpus) with CTest.
#   scripts/test.sh              all tests, normal build (build/)
#   scripts/test.sh --sanitize   all tests under ASan/UBSan (build-asan/)
#   scripts/test.sh --unit       unit tests only (label "unit")
set -euo pipefail
cd "$(dirname "$0")/.."
build_args=()
ctest_args=(--output-on-failure -j "$(nproc)")
dir=build
for a in "$@"; do
  case "$a" in
    # The scores of the scanned plans (six minutes of OCR in Tesseract, which
    # is not instrumented) run in the plain build; the other OCR tests take
    # plantrace's own OCR code through ASan.
    --sanitize) build_args+=(--sanitize); dir=build-asan; ctest_args+=(-E 'CorpusOcrTest.ScannedTablePlans') ;;
    --unit) ctest_args+=(-L unit) ;;
    *) echo "usage: scripts/test.sh [--sanitize] [--unit]" >&2; exit 2 ;;
  esac
done
scripts/build.sh "${build_args[@]}" "$dir"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd "$dir" && ctest "${ctest_args[@]}"
