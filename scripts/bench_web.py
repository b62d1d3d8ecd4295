#!/usr/bin/env python3
"""Load run against `plantrace serve`: REQUESTS requests from CONCURRENT
threads over a mix of pages, after one warm-up pass over the same URLs (so
page images are cached, as the issue's target says). Prints p50/p95 per
page kind and overall. Used by scripts/bench_web.sh.

  bench_web.py BASE_URL DB [REQUESTS] [CONCURRENT]
"""
import random
import sqlite3
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

base, db = sys.argv[1], sys.argv[2]
total = int(sys.argv[3]) if len(sys.argv) > 3 else 200
concurrent = int(sys.argv[4]) if len(sys.argv) > 4 else 8
random.seed(1)
with sqlite3.connect("file:%s?mode=ro" % db, uri=True) as con:
    doc_ids = [r[0] for r in con.execute("SELECT id FROM documents")]
    pdf_tasks = [r for r in con.execute(
        "SELECT t.id, t.doc_id, t.page FROM tasks t JOIN documents d ON d.id = t.doc_id "
        "JOIN renditions r ON r.doc_id = d.id AND r.sha256 = d.sha256 WHERE r.format = 'pdf'")]
    text_tasks = [r[0] for r in con.execute(
        "SELECT t.id FROM tasks t JOIN documents d ON d.id = t.doc_id "
        "JOIN renditions r ON r.doc_id = d.id AND r.sha256 = d.sha256 WHERE r.format <> 'pdf'")]
pick_pdf = random.sample(pdf_tasks, min(20, len(pdf_tasks)))
kinds = {
    "dashboard": lambda i: "/?as_of=2026-06-30",
    "search": lambda i: "/?q=" + urllib.parse.quote(["kho du lieu dung chung", "so tai chinh", "chuyen doi so",
                                                       "102/KH-UBND"][i % 4]),
    "document": lambda i: "/doc/%d" % random.choice(doc_ids),
    "task+image": lambda i: "/task/%d" % pick_pdf[i % len(pick_pdf)][0],
    "page image": lambda i: "/page/%d/%d.png" % pick_pdf[i % len(pick_pdf)][1:],
    "task (text)": lambda i: "/task/%d" % random.choice(text_tasks),
    "agency": lambda i: "/agency?name=" + urllib.parse.quote(["Sở Tài chính", "Sở KH&CN", "Sở Nội vụ"][i % 3]),
    "tasks list": lambda i: "/tasks?agency=" + urllib.parse.quote("Sở Tài chính") + "&overdue=1&as_of=2026-06-30",
}
names = list(kinds)
plan = [(names[i % len(names)], kinds[names[i % len(names)]](i // len(names))) for i in range(total)]


def fetch(url):
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(base + url, timeout=60) as r:
            r.read()
            code = r.status
    except urllib.error.HTTPError as e:
        code = e.code
    return code, (time.perf_counter() - t) * 1000


for _, url in plan:  # warm-up: images drawn and cached, lists read
    fetch(url)
lat = {k: [] for k in names}
codes = {}
lock = threading.Lock()
it = iter(plan)


def worker():
    while True:
        with lock:
            try:
                kind, url = next(it)
            except StopIteration:
                return
        code, ms = fetch(url)
        with lock:
            lat[kind].append(ms)
            codes[code] = codes.get(code, 0) + 1


threads = [threading.Thread(target=worker) for _ in range(concurrent)]
t0 = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
wall = time.perf_counter() - t0


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p * len(v)))] if v else float("nan")


print("%d requests, %d concurrent, %.1f s, status %s" % (total, concurrent, wall, codes))
print("%-12s %6s %9s %9s" % ("page", "n", "p50 ms", "p95 ms"))
for k in names:
    print("%-12s %6d %9.1f %9.1f" % (k, len(lat[k]), pct(lat[k], .5), pct(lat[k], .95)))
every = sum(lat.values(), [])
print("%-12s %6d %9.1f %9.1f" % ("all", len(every), pct(every, .5), pct(every, .95)))
sys.exit(0 if set(codes) == {200} else 1)
