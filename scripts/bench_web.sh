#!/bin/sh
# Web view benchmark: the bench store of scripts/bench_query.sh (N
# documents, default 1000 files) with the corpus PDFs added (so some tasks
# have page images), served by `plantrace serve`; then a load run of
# REQUESTS (200) requests at CONCURRENT (8) over dashboard, search,
# document, task (with its cached page image and without), page image,
# agency and task-list pages. Prints p50/p95 per page kind.
#   scripts/bench_web.sh [N] [BIN]
set -eu
N=${1:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${2:-$ROOT/build/plantrace}
DIR=${BENCH_DIR:-/tmp/plantrace_bench}
"$ROOT/scripts/bench_query.sh" "$N" "$BIN" >/dev/null
WEB=$DIR/web.db
rm -f "$WEB" "$WEB-wal" "$WEB-shm"
cp "$DIR/bench.db" "$WEB"
"$BIN" ingest --quiet --db "$WEB" "$ROOT"/corpus/rendered/*.pdf
CACHE=$(mktemp -d)
LOG=$CACHE/serve.log
"$BIN" serve --db "$WEB" --port 0 --cache-dir "$CACHE/pages" --rate-limit 0 >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$CACHE"' EXIT
i=0
while ! grep -q 'http://' "$LOG" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$LOG")
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(\"store: %d documents, %d tasks\" % (c.execute(\"SELECT count(*) FROM documents\").fetchone()[0], c.execute(\"SELECT count(*) FROM tasks\").fetchone()[0]))" "$WEB"
python3 "$ROOT/scripts/bench_web.py" "$URL" "$WEB" "${REQUESTS:-200}" "${CONCURRENT:-8}"
