#!/usr/bin/env bash
# Builds (if needed) and runs one libFuzzer harness of tests/fuzz/ for a time.
#   scripts/fuzz.sh HARNESS SECONDS [libFuzzer flags...]
#   scripts/fuzz.sh all SECONDS      # each harness in turn, SECONDS each
#   scripts/fuzz.sh --list
# HARNESS: text markdown html docx pdf extract rules pdf_segment. Builds with clang-14,
# ASan and UBSan into build-fuzz/ (make -j2 at most: the machine is shared).
# The corpus grows in build-fuzz/corpus/HARNESS (seeds from
# scripts/fuzz_seeds.py in build-fuzz/seeds/HARNESS); crashes, slow inputs
# (over 10 s) and memory blow-ups (over 2 GB) land in
# build-fuzz/findings/HARNESS/; a line of stats (seconds, execs, cov, ft,
# findings, CPU seconds) is added to build-fuzz/fuzz-stats.tsv. CPU seconds
# are what count when the fuzzer shares the machine (FUZZ_NICE=1 runs it at
# nice 15, so builds come first). libFuzzer's -timeout counts wall time, so
# a fuzzer starved of CPU (or stopped) reports false timeouts: pass a longer
# -timeout=S when sharing, and replay a timeout before believing it. A finding becomes a
# regression file in tests/data/fuzz/HARNESS/, replayed by
# tests/fuzz_replay_test.cc in the normal build.
set -euo pipefail
cd "$(dirname "$0")/.."
harnesses="text markdown html docx pdf extract rules pdf_segment"
if [ "${1:-}" = "--list" ]; then echo "$harnesses"; exit 0; fi
if [ $# -lt 2 ]; then
  echo "usage: scripts/fuzz.sh HARNESS SECONDS [libFuzzer flags...]  (harnesses: $harnesses)" >&2
  exit 2
fi
harness=$1 seconds=$2
shift 2
if [ "$harness" = all ]; then
  # One at a time (the machine is shared); a finding does not stop the rest.
  status=0
  for h in $harnesses; do "$0" "$h" "$seconds" "$@" || status=1; done
  exit "$status"
fi
case " $harnesses " in *" $harness "*) ;; *) echo "unknown harness '$harness' (one of: $harnesses)" >&2; exit 2 ;; esac

dir=build-fuzz
if [ ! -f "$dir/CMakeCache.txt" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$dir" -DPLANTRACE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$dir" --target "fuzz_$harness" -j "${FUZZ_JOBS:-2}"

if [ ! -d "$dir/seeds/$harness" ]; then python3 scripts/fuzz_seeds.py "$dir/seeds" >/dev/null; fi
# The text harnesses take the plan dictionary; the others theirs and it.
dict="$dir/dicts/$harness.dict"
mkdir -p "$dir/dicts" "$dir/corpus/$harness" "$dir/findings/$harness" "$dir/logs"
case "$harness" in
  html | docx | pdf | rules) cat tests/fuzz/plan.dict "tests/fuzz/$harness.dict" >"$dict" ;;
  pdf_segment) cat tests/fuzz/plan.dict tests/fuzz/pdf.dict >"$dict" ;;
  *) cp tests/fuzz/plan.dict "$dict" ;;
esac

# Inputs past 64 KB only slow the readers down (a whole PDF runs at a few
# executions a second); the text harnesses keep their seeds' length, as
# super-linear work shows on long documents.
case "$harness" in
  pdf | pdf_segment | html | docx) max_len=(-max_len=65536) ;;
  *) max_len=() ;;
esac

log="$dir/logs/$harness-$(date +%Y%m%d-%H%M%S).log"
before=$(ls "$dir/findings/$harness" | wc -l)
# A failing run (a finding) still gets its stats line; -fork is not used, so
# the run stops at the first crash: rerun to go on.
start=$SECONDS
set +e
idle=()
if [ "${FUZZ_NICE:-0}" = 1 ]; then idle=(nice -n 15); fi
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  /usr/bin/time -f '%U %S' -o "$log.cpu" "${idle[@]}" "$dir/fuzz_$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -dict="$dict" \
  -artifact_prefix="$dir/findings/$harness/" -print_final_stats=1 "${max_len[@]}" "$@" \
  "$dir/corpus/$harness" "$dir/seeds/$harness" >"$log" 2>&1
rc=$?
set -e
took=$((SECONDS - start))
cpu=$(awk '/^[0-9.]+ [0-9.]+$/ {printf "%.0f", $1 + $2}' "$log.cpu" 2>/dev/null)
after=$(ls "$dir/findings/$harness" | wc -l)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
last=$(grep -E '^#[0-9]+' "$log" | tail -1)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -Iseconds)" "$harness" "$took" "${execs:-?}" \
  "${cov:-?}" "${ft:-?}" "$((after - before))" "$log" "${cpu:-?}" >>"$dir/fuzz-stats.tsv"
echo "$harness: $took s (${cpu:-?} s CPU), ${execs:-?} execs, cov ${cov:-?}, ft ${ft:-?}, new findings $((after - before)) (log $log)"
if [ "$rc" -ne 0 ]; then
  grep -E '^(==[0-9]+==ERROR|SUMMARY|ALARM|fuzz_|.*runtime error)' "$log" | head -5 || true
  ls -t "$dir/findings/$harness" | head -3 | sed "s|^|  $dir/findings/$harness/|"
fi
exit "$rc"
