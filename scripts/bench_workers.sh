#!/usr/bin/env bash
# Worker throughput on a PostgreSQL store (issue 18): N plans (the corpus
# seeds with new numbers) queued with `ingest --queue`, then loaded by 1, 2
# and 4 `plantrace worker` processes (-j 1 each, --until-empty), each count
# in a fresh schema of a throwaway server (scripts/pg_scratch.sh); against
# `ingest -j 1` and `-j 2` of the same files into SQLite in the same run.
#
#   scripts/bench_workers.sh [BUILD_DIR] [PLANS]
#
# Defaults: build/, 200 plans. Run it on an otherwise idle machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
plans="${2:-200}"
bin="$build/plantrace"
[ -x "$bin" ] || { echo "bench_workers: no $bin (build first)" >&2; exit 2; }

work="$(mktemp -d)"
pgdir="$(mktemp -d /tmp/plantrace-pg.XXXXXX)"
trap '"$root/scripts/pg_scratch.sh" stop "$pgdir" >/dev/null 2>&1; rm -rf "$work"' EXIT
while IFS= read -r line; do export "${line?}"; done < <("$root/scripts/pg_scratch.sh" start "$pgdir")

mkdir "$work/plans"
python3 - "$root/corpus/seeds" "$work/plans" "$plans" <<'EOF'
import os, re, sys
seeds, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
srcs = sorted(os.path.join(seeds, f) for f in os.listdir(seeds) if f.endswith(".txt"))
serial = re.compile(r"(Số\s*:\s*)(\d+)")
for i in range(n):
    text = open(srcs[i % len(srcs)], encoding="utf-8").read()
    text, k = serial.subn(lambda m: m.group(1) + str(5000 + i), text, count=1)
    if k == 0:
        text = "Số: %d/KH-UBND\n" % (5000 + i) + text
    open(os.path.join(out, "%05d.txt" % i), "w", encoding="utf-8").write(text)
EOF
echo "bench_workers: $plans plans (corpus seeds with new numbers)"

now() { date +%s.%N; }
for j in 1 2; do
  rm -f "$work/s.db"*
  t0=$(now)
  "$bin" ingest --quiet -j "$j" --db "$work/s.db" "$work/plans" >/dev/null
  t1=$(now)
  awk -v a="$t0" -v b="$t1" -v n="$plans" -v j="$j" 'BEGIN { printf "SQLite ingest -j%d:      %6.1f s  %5.1f plans/s\n", j, b - a, n / (b - a) }'
done
for w in 1 2 4; do
  schema="bench_w$w"
  psql -q -v ON_ERROR_STOP=1 "$PLANTRACE_PG_URL" -c "CREATE SCHEMA $schema" >/dev/null
  url="$PLANTRACE_PG_URL?options=-csearch_path%3D$schema%2Cpublic"
  "$bin" ingest --queue --db "$url" "$work/plans" >/dev/null
  t0=$(now)
  pids=()
  for ((k = 0; k < w; k++)); do
    "$bin" worker --db "$url" --until-empty >"$work/w$w-$k.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  t1=$(now)
  done_count=$("$bin" queue --db "$url" | awk '{print $6}')
  awk -v a="$t0" -v b="$t1" -v n="$plans" -v w="$w" -v d="$done_count" \
    'BEGIN { printf "PostgreSQL %d worker%s:   %6.1f s  %5.1f plans/s  (%s done)\n", w, w == 1 ? " " : "s", b - a, n / (b - a), d }'
done
