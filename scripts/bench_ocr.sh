#!/usr/bin/env bash
# OCR benchmark: scanned plans (the corpus PDFs made image-only at 200 dpi
# by scripts/make_scanned.py) ingested at -j1 and -j2 into new stores.
# Reports seconds per scanned page (wall and CPU), pages/s, peak RSS and
# the -j2/-j1 speed-up; as a baseline in the same run, the `tesseract`
# command line on the same page images (one process per page, the way a
# shell script would OCR a scan).
#
#   scripts/bench_ocr.sh [BUILD_DIR] [STEMS...]
#
# Defaults: build/, the table plans 000 and 003 (49 pages). Run it on an
# otherwise idle machine.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
shift || true
stems=("$@")
[ ${#stems[@]} -gt 0 ] || stems=(000_5765c50382b6d008 003_47b38050f79059a8)
bin="$build/plantrace"
[ -x "$bin" ] || { echo "bench_ocr: no $bin (build first)" >&2; exit 2; }
for tool in python3 pdftoppm img2pdf tesseract /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench_ocr: $tool not found (scripts/setup.sh)" >&2; exit 2; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/scans" "$work/pages"
pages=0
for s in "${stems[@]}"; do
  python3 "$root/scripts/make_scanned.py" --dpi 200 "$root/corpus/rendered/$s.pdf" "$work/scans/$s.pdf"
  n=$(pdfinfo "$work/scans/$s.pdf" | awk '/^Pages:/ {print $2}')
  pages=$((pages + n))
done
echo "bench_ocr: ${#stems[@]} scanned plans, $pages pages at 200 dpi"

# run LABEL CMD...: wall, user+sys CPU and peak RSS of one command.
run() {
  local label=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || {
    echo "bench_ocr: $label failed:" >&2
    tail -5 "$work/err" >&2
    exit 1
  }
  read -r wall user sys rss <"$work/time"
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v p="$pages" 'BEGIN {
    printf "%-28s wall %7.1f s  CPU %7.1f s  %5.2f s/page wall  %5.2f s/page CPU  %5.2f pages/s  peak RSS %4.0f MB\n",
      l, w, u + s, w / p, (u + s) / p, p / w, r / 1024 }'
  echo "$wall" >"$work/wall-$label"
}

run "plantrace ingest -j1" "$bin" ingest --quiet --db "$work/j1.db" -j 1 "$work/scans"
run "plantrace ingest -j2" "$bin" ingest --quiet --db "$work/j2.db" -j 2 "$work/scans"

# Baseline: tesseract(1) on each page image at the scan's resolution.
for s in "${stems[@]}"; do
  pdftoppm -r 200 -gray "$work/scans/$s.pdf" "$work/pages/$s"
done
ls "$work/pages"/*.pgm >"$work/list"
run "tesseract CLI, 1 process" sh -c "while read -r f; do OMP_THREAD_LIMIT=1 tesseract \"\$f\" - -l vie >/dev/null 2>&1; done <'$work/list'"

awk -v a="$(cat "$work/wall-plantrace ingest -j1")" -v b="$(cat "$work/wall-plantrace ingest -j2")" \
  'BEGIN { printf "speed-up -j2/-j1: %.2fx\n", a / b }'
