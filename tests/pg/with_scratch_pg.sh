#!/usr/bin/env bash
# Runs a test command against a throwaway PostgreSQL server: starts it with
# scripts/pg_scratch.sh, exports the PLANTRACE_PG_URL, PLANTRACE_PG_RO_URL
# and PGPASSFILE it prints, runs the command, and stops the server and
# removes its directory whatever the command did. The ctest entries of
# label "pg" (CMakeLists.txt) run through it.
#   tests/pg/with_scratch_pg.sh COMMAND [ARGS...]
# Exits 77 (ctest: skipped) when PostgreSQL 15 is not installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: tests/pg/with_scratch_pg.sh COMMAND [ARGS...]" >&2; exit 2; }
if [ ! -x "${PLANTRACE_PG_BINDIR:-/usr/lib/postgresql/15/bin}/initdb" ]; then
  echo "with_scratch_pg: PostgreSQL 15 is not installed (scripts/setup.sh installs it); skipping" >&2
  exit 77
fi
# Under /tmp, not the build tree: as root the server runs as postgres, which
# must be able to reach the directory.
dir=$(mktemp -d "${TMPDIR:-/tmp}/plantrace-pg.XXXXXX")
trap '"$root/scripts/pg_scratch.sh" stop "$dir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
started=$(date +%s%N)
lines=$("$root/scripts/pg_scratch.sh" start "$dir")
echo "with_scratch_pg: server up in $((($(date +%s%N) - started) / 1000000)) ms" >&2
while IFS= read -r line; do
  export "${line?}"
done <<<"$lines"
# Ends before ctest's TIMEOUT would kill this script, which would leave the
# server running (it is not a child of this script). Run in the background
# so that a signal is handled now, not when the command ends; the command
# gets TERM (a background command ignores INT).
timeout "${PLANTRACE_PG_TEST_TIMEOUT:-240}" "$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null; exit 130' INT
trap 'kill -TERM "$child" 2>/dev/null; exit 143' TERM
wait "$child"
