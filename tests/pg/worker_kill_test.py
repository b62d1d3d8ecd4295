#!/usr/bin/env python3
"""Workers that die: `plantrace worker` processes share a PostgreSQL store's
work queue while one of them is SIGKILLed every few seconds (issue 18).

Runs under tests/pg/with_scratch_pg.sh (ctest PgWorkersOnScratchServer,
labels pg;slow), which sets PLANTRACE_PG_URL and PGPASSFILE.

1. Race: the corpus seeds (a plan, the plan it replaces, the plan that
   implements it...) queued and loaded by four workers started together,
   five times over in fresh schemas: each time the export equals a SQLite
   ingest of the same files, links included. Then `reprocess --all` through
   the queue, shared by two workers and the command: every document
   reprocessed once, the export unchanged.
2. Kill: N plans (500 by default; the seeds with new numbers) queued, four
   workers with a 3 s lease, one killed with SIGKILL every 5 s and replaced.
   When the queue is empty: every file done once, none failed, the store
   holds each plan exactly once (N documents, N renditions), and its export
   equals a SQLite ingest of the same files.

  worker_kill_test.py --plantrace BIN --seeds DIR [--docs N] [--kill-every S]
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def psql(url, sql):
    run(["psql", "-v", "ON_ERROR_STOP=1", "-q", url, "-c", sql])


def with_schema(url, schema):
    return url + ("&" if "?" in url else "?") + "options=-csearch_path%3D" + schema + "%2Cpublic"


def fresh_schema(url, name):
    psql(url, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s" % (name, name))
    return with_schema(url, name)


def queue_counts(bin_, url):
    out = run([bin_, "queue", "--db", url]).stdout
    m = re.match(r"pending (\d+)\s+running (\d+)\s+done (\d+)\s+failed (\d+)", out)
    if not m:
        raise AssertionError("queue output: " + out)
    return tuple(int(x) for x in m.groups()), out


def sqlite_export(bin_, files_dir, work):
    db = os.path.join(work, "reference.db")
    if os.path.exists(db):
        os.remove(db)
    subprocess.run([bin_, "ingest", "--quiet", "--db", db, files_dir], check=False, capture_output=True)
    return run([bin_, "export", "--db", db]).stdout


def start_worker(bin_, url, lease, log_dir, n, max_attempts=3):
    log = open(os.path.join(log_dir, "worker-%03d.log" % n), "w")
    return subprocess.Popen([bin_, "worker", "--db", url, "--lease", str(lease), "--until-empty",
                             "--max-attempts", str(max_attempts)],
                            stdout=log, stderr=subprocess.STDOUT)


def race(bin_, url, seeds, work, rounds):
    expected = sqlite_export(bin_, seeds, work)
    for r in range(rounds):
        db = fresh_schema(url, "race_%d" % r)
        run([bin_, "ingest", "--queue", "--db", db, seeds])
        procs = [start_worker(bin_, db, 30, work, 900 + 10 * r + k) for k in range(4)]
        for p in procs:
            if p.wait(timeout=300) != 0:
                raise AssertionError("race round %d: a worker exited %d" % (r, p.returncode))
        got = run([bin_, "export", "--db", db]).stdout
        if got != expected:
            open(os.path.join(work, "race-%d.json" % r), "w").write(got)
            raise AssertionError("race round %d: export differs from SQLite's (saved race-%d.json)" % (r, r))
        # reprocess --all through the queue, shared by two workers and the
        # reprocess command itself: each document reprocessed once, and the
        # store unchanged (same rules).
        run([bin_, "reprocess", "--all", "--queue", "--db", db])
        procs = [start_worker(bin_, db, 30, work, 950 + 10 * r + k) for k in range(2)]
        rep = subprocess.run([bin_, "reprocess", "--all", "--quiet", "--db", db], capture_output=True, text=True)
        for p in procs:
            if p.wait(timeout=300) != 0:
                raise AssertionError("race round %d: a reprocess worker exited %d" % (r, p.returncode))
        if rep.returncode != 0:
            raise AssertionError("race round %d: reprocess exited %d: %s" % (r, rep.returncode, rep.stderr))
        (pending, running, done, failed), text = queue_counts(bin_, db)
        files = int(run(["psql", "-At", db, "-c",
                         "SELECT coalesce(sum(files), 0) FROM ingest_runs WHERE kind = 'reprocess'"]).stdout)
        docs = int(run(["psql", "-At", db, "-c", "SELECT count(*) FROM documents"]).stdout)
        if (pending, running, failed) != (0, 0, 0) or files != docs:
            raise AssertionError("race round %d: after reprocess %s, %d documents reprocessed for %d stored"
                                 % (r, text, files, docs))
        got = run([bin_, "export", "--db", db]).stdout
        if got != expected:
            open(os.path.join(work, "reprocess-%d.json" % r), "w").write(got)
            raise AssertionError("race round %d: export after reprocess differs (saved reprocess-%d.json)" % (r, r))
        print("race round %d: 4 workers, export equals SQLite's; reprocess by 2 workers and the command, "
              "each document once" % r, flush=True)


def make_plans(seeds, out, n):
    srcs = sorted(os.path.join(seeds, f) for f in os.listdir(seeds) if f.endswith(".txt"))
    serial = re.compile(r"(Số\s*:\s*)(\d+)")
    for i in range(n):
        text = open(srcs[i % len(srcs)], encoding="utf-8").read()
        text, k = serial.subn(lambda m: m.group(1) + str(5000 + i), text, count=1)
        if k == 0:
            text = "Số: %d/KH-UBND\n" % (5000 + i) + text
        open(os.path.join(out, "%05d.txt" % i), "w", encoding="utf-8").write(text)


def kill(bin_, url, seeds, work, docs, kill_every, lease):
    plans = os.path.join(work, "plans")
    os.makedirs(plans)
    make_plans(seeds, plans, docs)
    db = fresh_schema(url, "kill")
    run([bin_, "ingest", "--queue", "--db", db, plans])
    (pending, _, _, _), _ = queue_counts(bin_, db)
    assert pending == docs, "queued %d of %d" % (pending, docs)
    rng = random.Random(18)
    # The victims are random, so a plan may lose its worker more than the
    # default three times (a poison file's limit, tested in WorkQueueTest) on
    # a loaded machine where a plan takes seconds: this test is about kills,
    # not poison files.
    attempts = 20
    started = 0
    live = []
    for _ in range(4):
        live.append(start_worker(bin_, db, lease, work, started, attempts))
        started += 1
    killed = 0
    t0 = time.time()
    next_kill = t0 + kill_every
    while True:
        live = [p for p in live if p.poll() is None]
        (pending, running, done, failed), _ = queue_counts(bin_, db)
        if pending == 0 and running == 0:
            break
        if time.time() > t0 + 900:
            raise AssertionError("queue not empty after 900 s: %d pending, %d running" % (pending, running))
        if time.time() >= next_kill and live:
            victim = rng.choice(live)
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            killed += 1
            live.remove(victim)
            next_kill += kill_every
        while len(live) < 4:
            live.append(start_worker(bin_, db, lease, work, started, attempts))
            started += 1
        time.sleep(0.2)
    for p in live:
        p.wait(timeout=120)
    elapsed = time.time() - t0
    (pending, running, done, failed), text = queue_counts(bin_, db)
    assert (pending, running, failed) == (0, 0, 0) and done == docs, text
    stored = json.loads(run([bin_, "docs", "--db", db, "--format", "json"]).stdout)
    numbers = [d.get("number") for d in stored]
    assert len(stored) == docs, "%d documents stored for %d files" % (len(stored), docs)
    assert len(set(numbers)) == docs, "%d distinct numbers among %d documents" % (len(set(numbers)), docs)
    renditions = sum(d.get("renditions", 1) for d in stored)
    assert renditions == docs, "%d renditions for %d files" % (renditions, docs)
    expected = sqlite_export(bin_, plans, work)
    got = run([bin_, "export", "--db", db]).stdout
    if got != expected:
        open(os.path.join(work, "kill.json"), "w").write(got)
        raise AssertionError("export after the kills differs from SQLite's")
    print("kill: %d plans, 4 workers, %d killed with SIGKILL (one every %g s), %d started; "
          "all done once, none failed, export equals SQLite's; %.1f s, %.1f plans/s"
          % (docs, killed, kill_every, started, elapsed, docs / elapsed), flush=True)
    if killed == 0:
        raise AssertionError("no worker was killed: the run ended within %g s" % kill_every)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plantrace", required=True)
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--kill-every", type=float, default=5.0)
    ap.add_argument("--lease", type=float, default=3.0)
    ap.add_argument("--race-rounds", type=int, default=5)
    a = ap.parse_args()
    url = os.environ.get("PLANTRACE_PG_URL")
    if not url:
        print("worker_kill_test: PLANTRACE_PG_URL is not set (run through tests/pg/with_scratch_pg.sh)")
        return 77
    work = tempfile.mkdtemp(prefix="plantrace-workers.")
    try:
        race(a.plantrace, url, a.seeds, work, a.race_rounds)
        kill(a.plantrace, url, a.seeds, work, a.docs, a.kill_every, a.lease)
    except (AssertionError, subprocess.CalledProcessError) as e:
        detail = getattr(e, "stderr", "") or ""
        print("FAIL: %s %s\nlogs kept in %s" % (e, detail, work), file=sys.stderr)
        return 1
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
