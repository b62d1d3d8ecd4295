#!/bin/sh
# Query benchmark: a store of N documents (default 1000) made by re-ingesting
# the seed plans with distinct numbers, then a per-agency overdue query and
# accent-insensitive searches timed over several runs.
# Usage: scripts/bench_query.sh [--pg URL] [N] [BIN]
#   --pg URL          also build the same store in PostgreSQL and time the
#                     same queries there, side by side with SQLite (default
#                     $PLANTRACE_PG_URL; a password comes from PGPASSFILE)
#   BENCH_DIR         where the copies and the SQLite store go (default
#                     /tmp/plantrace_bench)
#   AGENCY            agency to query (default "Sở Tài chính")
#   RUNS              runs per query, the best one counts (default 7)
# On a throwaway server: tests/pg/with_scratch_pg.sh sh scripts/bench_query.sh
# (PLANTRACE_PG_TEST_TIMEOUT=1800: the first PostgreSQL ingest takes minutes).
# The stores are kept and reused while they hold N documents (PostgreSQL:
# schema plantrace_bench_N); an interrupted ingest resumes.
set -eu
PG=${PLANTRACE_PG_URL:-}
if [ "${1:-}" = --pg ]; then
  PG=$2
  shift 2
fi
N=${1:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${2:-$ROOT/build/plantrace}
DIR=${BENCH_DIR:-/tmp/plantrace_bench}
DB=$DIR/bench.db
AGENCY=${AGENCY:-Sở Tài chính}
RUNS=${RUNS:-7}
SEEDS=$ROOT/corpus/seeds
AS_OF=2026-01-01

# Copies are made once; an interrupted ingest resumes (stored ones skip).
make_copies() {
  [ "$(ls "$DIR/docs" 2>/dev/null | wc -l)" -ne "$N" ] || return 0
  rm -rf "$DIR"
  mkdir -p "$DIR/docs"
  i=0
  while [ "$i" -lt "$N" ]; do
    for f in "$SEEDS"/*.txt; do
      [ "$i" -lt "$N" ] || break
      base=$(basename "$f" .txt)
      out=$DIR/docs/$(printf '%05d' "$i")_$base.txt
      if [ "$i" -lt 5 ]; then
        cp "$f" "$out"  # the seeds themselves, so their links resolve
      elif grep -q '^ *Số *:' "$f"; then
        # A new serial on the "Số:" line: another document of the same kind.
        sed "s#^\( *Số *: *\)[0-9][0-9]* *\([-/]\)#\1$((1000 + i))\2#" "$f" >"$out"
      else
        # No printed number: a distinct copy (different bytes, same text).
        { cat "$f"; printf '\n\nBản số %d.\n' "$i"; } >"$out"
      fi
      i=$((i + 1))
    done
  done
}

stored_files() {  # files in store $1: copies without a number are renditions of one document
  "$BIN" docs --db "$1" --format json 2>/dev/null | sed -n 's/^ *"renditions": \([0-9]*\).*/\1/p' |
    awk '{ n += $1 } END { print n + 0 }'
}

ingest() {  # into store $1, logging to $2
  echo "ingesting $N documents into $3 ..."
  start=$(date +%s)
  "$BIN" ingest --db "$1" -j 2 "$DIR/docs" >"$2" || { tail -5 "$2"; exit 1; }
  echo "ingest: $(($(date +%s) - start)) s; $(tail -1 "$2")"
}

make_copies
if [ ! -f "$DB" ] || [ "$(stored_files "$DB")" -ne "$N" ]; then
  ingest "$DB" "$DIR/ingest.log" "$DB"
fi

PGDB=""
if [ -n "$PG" ]; then
  command -v psql >/dev/null || { echo "bench_query: --pg needs psql" >&2; exit 1; }
  schema=plantrace_bench_$N
  psql_pg() { psql -X -q -w -At -v ON_ERROR_STOP=1 "$PG" "$@"; }
  # The store in a schema of its own (as tests/pg/worker_kill_test.py).
  case "$PG" in
    *\?*) PGDB="$PG&options=-csearch_path%3D$schema%2Cpublic" ;;
    *) PGDB="$PG?options=-csearch_path%3D$schema%2Cpublic" ;;
  esac
  psql_pg -c "SET client_min_messages = warning" -c "CREATE SCHEMA IF NOT EXISTS $schema"
  have=$(stored_files "$PGDB")
  if [ "$have" -gt "$N" ]; then
    psql_pg -c "DROP SCHEMA $schema CASCADE; CREATE SCHEMA $schema"
    have=0
  fi
  [ "$have" -eq "$N" ] || ingest "$PGDB" "$DIR/ingest-pg.log" "PostgreSQL schema $schema"
fi

tasks=$("$BIN" tasks --db "$DB" --status all --format csv | wc -l)
echo "store: $N files, $("$BIN" docs --db "$DB" --format json | grep -c '"sha256"') documents, $((tasks - 1)) tasks"
if [ -n "$PGDB" ]; then
  pg_tasks=$("$BIN" tasks --db "$PGDB" --status all --format csv | wc -l)
  [ "$pg_tasks" -eq "$tasks" ] || echo "PostgreSQL store: $((pg_tasks - 1)) tasks, not $((tasks - 1))"
fi

# The best of RUNS runs of `plantrace tasks --db STORE ARGS...`, in ms: the
# whole command (open the store, query, print JSON).
best_ms() {
  store=$1
  shift
  best=""
  run=0
  while [ "$run" -lt "$RUNS" ]; do
    t0=$(date +%s%N)
    "$BIN" tasks --db "$store" "$@" --format json >/dev/null 2>&1
    t1=$(date +%s%N)
    ms=$(((t1 - t0) / 1000000))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    run=$((run + 1))
  done
  echo "$best"
}

# One line per query: rows, SQLite ms, PostgreSQL ms; and whether both
# stores print the same JSON.
if [ -n "$PGDB" ]; then
  printf '%-58s %6s %9s %9s\n' "best of $RUNS, ms (whole command)" rows SQLite PG
else
  printf '%-58s %6s %9s\n' "best of $RUNS, ms (whole command)" rows SQLite
fi
bench() {
  label=$1
  shift
  rows=$("$BIN" tasks --db "$DB" "$@" --format csv 2>/dev/null | wc -l)
  lite=$(best_ms "$DB" "$@")
  if [ -z "$PGDB" ]; then
    printf '%-58s %6d %9s\n' "$label" $((rows - 1)) "$lite"
    return
  fi
  pg=$(best_ms "$PGDB" "$@")
  same=""
  "$BIN" tasks --db "$PGDB" "$@" --format json >"$DIR/pg.json" 2>/dev/null || true
  "$BIN" tasks --db "$DB" "$@" --format json 2>/dev/null | cmp -s - "$DIR/pg.json" || same="  (outputs differ)"
  printf '%-58s %6d %9s %9s%s\n' "$label" $((rows - 1)) "$lite" "$pg" "$same"
}
# What every command pays: start, open the store, an empty listing.
bench "--doc 0 (no rows: start and open only)" --doc 0
# Default: the agency's named assignments; --collectives adds, flagged, the
# tasks of collectives that bind it ("Các sở, ban, ngành"). Target < 50 ms.
bench "--agency \"$AGENCY\" --overdue (named)" --agency "$AGENCY" --overdue --as-of $AS_OF --status=active
bench "--agency \"$AGENCY\" --overdue --collectives" --agency "$AGENCY" --overdue --as-of $AS_OF --collectives
# Accent-insensitive phrase search: a common phrase (an eighth of the
# tasks) and a rare one (one task of the seeds, so one in 340).
RARE=${RARE:-thi dau the thao}
bench "--search 'du lieu'" --search 'du lieu'
bench "--search '$RARE'" --search "$RARE"

if [ -n "$PGDB" ]; then
  # The plan PostgreSQL picks for the search's candidate statement (the SQL
  # of store_tasks.cc CandidateTasks, with the pattern it binds) in a
  # session set up as pg_engine.cc's (random_page_cost): its scan of
  # tasks_fts.
  for phrase in "du lieu" "$RARE"; do
    plan=$(psql -X -q -w -At -v ON_ERROR_STOP=1 "$PGDB" \
      -c "SELECT set_config('random_page_cost', '1.1', false) WHERE current_setting('random_page_cost')::float8 > 1.1" \
      -c "EXPLAIN (ANALYZE, COSTS OFF)
      SELECT t.id, t.doc_id, t.position, t.due FROM tasks t
      WHERE t.id IN (SELECT task_id FROM tasks_fts WHERE doc LIKE '% $phrase %') AND t.status = 'active'")
    echo "PostgreSQL plan, search '$phrase': $(echo "$plan" | grep -o 'Index Scan on tasks_fts_doc\|Seq Scan on tasks_fts' | head -1) ($(echo "$plan" | grep -o 'Execution Time: .*'))"
  done
fi
