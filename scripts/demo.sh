#!/usr/bin/env bash
# The main job on the bundled corpus: builds plantrace, ingests every plan in
# corpus/ (text, PDF, HTML, DOCX) into an embedded SQLite store, and prints a
# short summary of documents and tasks.
#   scripts/demo.sh [DB]     (default: plantrace.db in the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-plantrace.db}
scripts/build.sh >/dev/null
rm -f "$db" "$db-wal" "$db-shm"
status=0
build/plantrace ingest --db "$db" corpus/seeds corpus/rendered || status=$?
echo
build/plantrace docs --db "$db"
echo
echo "First tasks (plantrace tasks --db $db for all; --format json|csv):"
build/plantrace tasks --db "$db" --doc 102/KH-UBND | head -12
exit $status
