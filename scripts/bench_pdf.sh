#!/usr/bin/env bash
# PDF reader benchmark: builds a large PDF (a few hundred pages) by joining
# the corpus PDFs with pdfunite, then times `plantrace extract --json` and
# `plantrace ingest` (into a new store each round) on it against pdftotext,
# interleaved, and reports median CPU ratios and peak RSS.
#
#   scripts/bench_pdf.sh [BUILD_DIR] [ROUNDS]
#
# BENCH_CMD overrides the extract command timed (default: "plantrace
# extract --json", or "plantrace dump --stage=layout" when extract fails).
# BENCH_PAGES sets the minimum page count (default 400).
# Targets: extract time <= 1.2x pdftotext, peak RSS <= 80 MB (64 MB until
# plantrace took its memory in 2 MB huge pages; MALLOC_CONF=thp:default turns
# that off for a comparison). The reader line (dump --stage=layout) shows
# how much of extract is the PDF reading.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
rounds="${2:-5}"
min_pages="${BENCH_PAGES:-400}"
bin="$build/plantrace"

for tool in pdfunite pdftotext pdfinfo /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench_pdf: $tool not found (apt-get install poppler-utils time)" >&2; exit 2; }
done
[ -x "$bin" ] || { echo "bench_pdf: no $bin (build first)" >&2; exit 2; }

corpus="$root/../shared/corpus"
ls "$corpus"/*.pdf >/dev/null 2>&1 || corpus="$root/corpus/rendered"
mapfile -t pdfs < <(ls "$corpus"/*.pdf 2>/dev/null)
[ "${#pdfs[@]}" -gt 0 ] || { echo "bench_pdf: no PDFs in $corpus" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
big="$work/big.pdf"

# Repeat the corpus until the joined file has at least min_pages pages.
per_set=0
for f in "${pdfs[@]}"; do per_set=$((per_set + $(pdfinfo "$f" | awk '/^Pages:/ {print $2}'))); done
sets=$(( (min_pages + per_set - 1) / per_set ))
inputs=()
for ((i = 0; i < sets; i++)); do inputs+=("${pdfs[@]}"); done
pdfunite "${inputs[@]}" "$big"
pages=$(pdfinfo "$big" | awk '/^Pages:/ {print $2}')
echo "bench_pdf: $big: $pages pages, $(du -k "$big" | cut -f1) KB, from ${#pdfs[@]} corpus PDFs x $sets"

if [ -n "${BENCH_CMD:-}" ]; then
  read -r -a cmd <<<"$BENCH_CMD"
elif "$bin" extract --json "$big" >/dev/null 2>&1; then
  cmd=("$bin" extract --json)
else
  cmd=("$bin" dump --stage=layout)
fi
echo "bench_pdf: timing '${cmd[*]} FILE' vs 'pdftotext FILE -', $rounds rounds interleaved"

# run NAME CMD...: appends "cpu_seconds maxrss_kb wall_seconds" of one run to
# $work/NAME. CPU time (user + sys) is compared: the machine is shared, and
# wall time there measures the neighbours as much as the program.
run() {
  local name="$1"
  shift
  /usr/bin/time -f "%U %S %M %e" -o "$work/t" "$@" >/dev/null 2>"$work/err" || {
    echo "bench_pdf: '$*' failed:" >&2
    cat "$work/err" >&2
    exit 1
  }
  awk '{printf "%.2f %d %.2f\n", $1 + $2, $3, $4}' "$work/t" >>"$work/$name"
}

run ours "${cmd[@]}" "$big"  # warm-up (page cache), not counted
: >"$work/ours"
for ((r = 0; r < rounds; r++)); do
  run ours "${cmd[@]}" "$big"
  run ref pdftotext "$big" -
  # The PDF reader alone (Poppler's text pass and the layout built from
  # it): how much of extract is the reading pdftotext also does.
  run reader "$bin" dump --stage=layout "$big"
  rm -f "$work"/store.db*
  run ingest "$bin" ingest --db "$work/store.db" "$big"
done

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
ref_t=$(cut -d' ' -f1 "$work/ref" | median)
# report NAME LABEL: median CPU, wall, peak RSS and the CPU ratio to pdftotext.
report() {
  local t wall rss
  t=$(cut -d' ' -f1 "$work/$1" | median)
  wall=$(cut -d' ' -f3 "$work/$1" | median)
  rss=$(cut -d' ' -f2 "$work/$1" | sort -n | tail -1)
  printf '%-22s median CPU %ss (wall %ss)  peak RSS %d MB  ratio %sx\n' "$2:" "$t" "$wall" $((rss / 1024)) \
    "$(awk -v a="$t" -v b="$ref_t" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')"
}
report ref "pdftotext"
report reader "plantrace reader"
report ours "plantrace ${cmd[1]}"
report ingest "plantrace ingest"
echo "targets: extract ratio <= 1.2x, peak RSS <= 80 MB (ingest also writes the store: reported, no target)"
