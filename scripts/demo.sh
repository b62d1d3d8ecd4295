#!/usr/bin/env bash
# The main job on the bundled corpus: builds plantrace, ingests the five plans
# of corpus/seeds into an embedded SQLite store, and prints a short summary of
# documents and tasks. (corpus/rendered holds the same plans as PDF, HTML and
# DOCX; the tests score those. Ingesting them too would store each plan four
# times under the same number.)
#   scripts/demo.sh [DB]     (default: plantrace.db in the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-plantrace.db}
scripts/build.sh >/dev/null
rm -f "$db" "$db-wal" "$db-shm"
status=0
build/plantrace ingest --db "$db" corpus/seeds || status=$?
echo
build/plantrace docs --db "$db"
echo
echo "First tasks (plantrace tasks --db $db for all; --format json|csv):"
# Collected first: head closing the pipe early would fail the script.
tasks=$(build/plantrace tasks --db "$db" --doc 102/KH-UBND)
printf '%s\n' "$tasks" | sed -n '1,12p'
exit $status
