#!/usr/bin/python3
"""End-to-end test of `plantrace serve` in a real browser.

Drives Debian's headless chromium through the DevTools protocol (a small
client over python3-websocket: no npm, no network) against a store of the
corpus PDFs, as an auditor would:

  1. search "kho du lieu dung chung" from the home page;
  2. open the task: the page image shows, and the highlighted boxes lie on
     it and spell the task's name;
  3. follow the lineage of a task to the older plan's task;
  4. the agency page of "So KH&CN" lists the tasks `plantrace tasks
     --agency "Sở KH&CN"` lists;
  5. the dashboard's overdue bar of that agency shows `plantrace report`'s
     count for the same date;
  6. a plan whose task text holds <script> and an onerror image renders
     inert: nothing runs, no element is made.

A screenshot of each step goes to --artifacts. Exit 0: passed; 1: failed;
77: chromium or python3-websocket missing (ctest reports it skipped).
"""

import argparse
import base64
import glob
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.parse
import urllib.request

try:
    import websocket  # Debian python3-websocket
except ImportError:
    print("SKIP: python3-websocket is not installed (scripts/setup.sh installs it)")
    sys.exit(77)

AS_OF = "2026-06-30"
STEP_TIMEOUT = 30  # seconds for a page to load or the browser to answer


def fold(text):
    """Accents and case removed, runs of non-alphanumerics one space
    (what the web view's SearchKey does)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    return " ".join(re.findall(r"[0-9a-z]+", text))


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Browser:
    """One headless chromium tab, driven over the DevTools protocol."""

    def __init__(self, workdir):
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if not chromium:
            print("SKIP: chromium is not installed (scripts/setup.sh installs it)")
            sys.exit(77)
        self.proc = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-extensions", "--disable-background-networking", "--hide-scrollbars",
             "--remote-debugging-port=0", "--user-data-dir=" + os.path.join(workdir, "profile"),
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + STEP_TIMEOUT
        port = None
        while port is None and time.time() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                time.sleep(0.05)
                continue
            m = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if m:
                port = int(m.group(1))
        check(port, "chromium did not start its DevTools endpoint")
        targets = json.load(urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port, timeout=10))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=STEP_TIMEOUT,
                                              suppress_origin=True)
        self.next_id = 0
        self.events = []
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=1200, height=900, deviceScaleFactor=1, mobile=False)

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise Failure("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, method):
        deadline = time.time() + STEP_TIMEOUT
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    return self.events.pop(i)
            self.events.append(json.loads(self.ws.recv()))
        raise Failure("timed out waiting for " + method)

    def go(self, url):
        self.events = [e for e in self.events if e.get("method") != "Page.loadEventFired"]
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def eval(self, expression):
        """The value of a JavaScript expression in the page (DevTools runs it
        outside the page's Content-Security-Policy)."""
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise Failure("script error: %s" % r["exceptionDetails"])
        return r["result"].get("value")

    def follow(self, expression):
        """Clicks the link the expression finds and waits for the page."""
        self.events = [e for e in self.events if e.get("method") != "Page.loadEventFired"]
        href = self.eval("(() => { const a = %s; if (!a) return null; a.click(); return a.href; })()" % expression)
        check(href, "no link for " + expression)
        self.wait_event("Page.loadEventFired")
        return href

    def screenshot(self, path):
        height = self.eval("Math.min(document.documentElement.scrollHeight, 6000)")
        r = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                      clip={"x": 0, "y": 0, "width": 1200, "height": height, "scale": 1})
        with open(path, "wb") as f:
            f.write(base64.b64decode(r["data"]))

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Server:
    def __init__(self, plantrace, db, workdir, name):
        self.log = open(os.path.join(workdir, name + ".log"), "w+")
        self.proc = subprocess.Popen(
            [plantrace, "serve", "--db", db, "--port", "0", "--today", AS_OF,
             "--cache-dir", os.path.join(workdir, name + "-pages")],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + STEP_TIMEOUT
        self.base = None
        while self.base is None and time.time() < deadline:
            self.log.seek(0)
            m = re.search(r"(http://127\.0\.0\.1:\d+)/", self.log.read())
            if m:
                self.base = m.group(1)
            elif self.proc.poll() is not None:
                break
            else:
                time.sleep(0.05)
        check(self.base, "plantrace serve did not start")

    def close(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def ingest(plantrace, db, files):
    run([plantrace, "ingest", "--quiet", "--db", db] + files)


def steps(args, workdir):
    plantrace = args.plantrace
    db = os.path.join(workdir, "corpus.db")
    ingest(plantrace, db, sorted(glob.glob(os.path.join(args.corpus, "rendered", "*.pdf"))))
    shots = args.artifacts
    os.makedirs(shots, exist_ok=True)
    server = Server(plantrace, db, workdir, "corpus")
    browser = Browser(workdir)
    try:
        # 1. Search from the home page's box.
        browser.go(server.base + "/")
        browser.eval("document.querySelector('input[name=q]').value = 'kho du lieu dung chung'")
        browser.events.clear()
        browser.eval("document.querySelector('form.search').submit()")
        browser.wait_event("Page.loadEventFired")
        rows = browser.eval("[...document.querySelectorAll('#tasks tr[data-task]')].map(r => r.dataset.task)")
        check(len(rows) == 1, "search found %s tasks, want 1" % rows)
        check("Nhiệm vụ (1)" in browser.eval("document.querySelector('#tasks h2').textContent"), "task count")
        browser.screenshot(os.path.join(shots, "1-search.png"))
        print("1. search: task", rows[0])

        # 2. The task: page image with the clause highlighted.
        browser.follow("document.querySelector('#tasks tr[data-task] a[href^=\"/task/\"]')")
        name = browser.eval("document.querySelector('#task-name').textContent")
        browser.eval("new Promise(r => { const i = document.querySelector('#page-image');"
                     " if (i.complete) r(); else { i.onload = r; i.onerror = r; } })")
        image = browser.eval("(() => { const i = document.querySelector('#page-image'); const b = i.getBoundingClientRect();"
                             " return {w: i.naturalWidth, h: i.naturalHeight, left: b.left, top: b.top,"
                             " right: b.right, bottom: b.bottom}; })()")
        check(image["w"] > 500 and image["h"] > 500, "page image not shown: %s" % image)
        marks = browser.eval("[...document.querySelectorAll('#page-figure .hl')].map(h => { const b = h.getBoundingClientRect();"
                             " return {word: h.dataset.word, left: b.left, top: b.top, right: b.right, bottom: b.bottom}; })")
        check(marks, "no highlighted words")
        for m in marks:
            check(m["left"] >= image["left"] - 1 and m["right"] <= image["right"] + 1 and
                  m["top"] >= image["top"] - 1 and m["bottom"] <= image["bottom"] + 1 and
                  m["right"] - m["left"] > 2 and m["bottom"] - m["top"] > 2,
                  "highlight %s is not on the page image" % m)
        highlighted = fold(" ".join(m["word"] for m in marks))
        check(highlighted == fold(name), "highlight reads %r, the task is %r" % (highlighted, fold(name)))
        browser.eval("document.querySelector('#page-figure').scrollIntoView()")
        browser.screenshot(os.path.join(shots, "2-task-page-image.png"))
        print("2. task %r: %d words highlighted on a %dx%d page image" % (name, len(marks), image["w"], image["h"]))

        # 3. Lineage: a task that continues an older plan's task, and the way back.
        tasks = json.loads(run([plantrace, "tasks", "--db", db, "--status", "all", "--format", "json"]))
        by_id = {t["id"]: t for t in tasks}
        # The store's lineage pairs (newer task, the older task it continues),
        # read as any SQLite client would.
        with sqlite3.connect("file:%s?mode=ro" % db, uri=True) as con:
            pairs = con.execute("SELECT task_id, prev_task_id FROM lineage WHERE linked = 1 "
                                "ORDER BY task_id, prev_task_id").fetchall()
        check(pairs, "the corpus store has no lineage")
        newer, older = pairs[0]
        browser.go(server.base + "/task/%d" % newer)
        timeline = browser.eval("[...document.querySelectorAll('#lineage li')].map(l => l.dataset.task)")
        check(str(older) in timeline and str(newer) in timeline, "timeline %s lacks %d or %d" % (timeline, older, newer))
        browser.screenshot(os.path.join(shots, "3a-lineage.png"))
        browser.follow("document.querySelector('#lineage li[data-task=\"%d\"] a')" % older)
        shown = browser.eval("document.querySelector('#task-name').textContent")
        check(shown == by_id[older]["name"], "followed to %r, want %r" % (shown, by_id[older]["name"]))
        doc = browser.eval("document.querySelector('main p a').textContent")
        check(doc == (by_id[older]["doc"] or by_id[older]["provenance"]["file"]), "older task's plan is %r" % doc)
        browser.screenshot(os.path.join(shots, "3b-older-task.png"))
        print("3. lineage: task %d -> older plan %s task %d" % (newer, doc, older))

        # 4. The agency page lists what `plantrace tasks --agency` lists.
        want = sorted(t["id"] for t in json.loads(run([plantrace, "tasks", "--db", db, "--agency", "Sở KH&CN",
                                                      "--format", "json"])))
        browser.go(server.base + "/agency?name=" + urllib.parse.quote("So KH&CN"))
        got = sorted(int(x) for x in browser.eval(
            "[...document.querySelectorAll('#all tr[data-task]')].map(r => r.dataset.task)"))
        check(got == want, "agency page lists %s, the CLI %s" % (got, want))
        browser.screenshot(os.path.join(shots, "4-agency.png"))
        print("4. agency page: %d tasks, as `plantrace tasks --agency`" % len(got))

        # 5. The dashboard's overdue bar equals `plantrace report`.
        report = json.loads(run([plantrace, "report", "--db", db, "--as-of", AS_OF, "--format", "json"]))
        rows = [r for r in report["agencies"] if fold(r["agency"]).startswith("so khoa hoc va cong nghe")]
        check(rows, "no report row for Sở Khoa học và Công nghệ")
        browser.go(server.base + "/?as_of=" + AS_OF)
        for row in rows:
            if row["overdue"] == 0:
                continue
            value = browser.eval("(() => { const b = [...document.querySelectorAll('#agency-chart rect.bar')].find(b =>"
                                 " b.dataset.label === %s && b.dataset.series === 'Quá hạn'); return b ? b.dataset.value : null; })()"
                                 % json.dumps(row["agency"]))
            check(value == str(row["overdue"]), "dashboard bar for %s shows %s, report %d" %
                  (row["agency"], value, row["overdue"]))
            print("5. dashboard: %s overdue %s, as `plantrace report`" % (row["agency"], value))
        check(any(r["overdue"] for r in rows), "no overdue tasks to compare")
        browser.screenshot(os.path.join(shots, "5-dashboard.png"))
    finally:
        browser.close()
        server.close()

    # 6. Hostile task text renders inert.
    seed = open(os.path.join(args.corpus, "seeds", "002_aceac1bad310a983.txt"), encoding="utf-8").read()
    needle = "Kho dữ liệu dùng chung"
    check(needle in seed, "the XSS fixture's seed changed")
    hostile = seed.replace(needle, "Kho <script>alert(1);window.pwned=1</script>"
                                   "\"><img src=x onerror=\"alert(2);window.pwned=2\">", 1)
    plan = os.path.join(workdir, "xss.txt")
    with open(plan, "w", encoding="utf-8") as f:
        f.write(hostile)
    xss_db = os.path.join(workdir, "xss.db")
    ingest(plantrace, xss_db, [plan])
    server = Server(plantrace, xss_db, workdir, "xss")
    browser = Browser(workdir + "/xss-browser")
    try:
        browser.go(server.base + "/?q=" + urllib.parse.quote("kho script"))
        task = browser.eval("(() => { const a = document.querySelector('#tasks tr[data-task] a[href^=\"/task/\"]');"
                            " return a ? a.getAttribute('href') : null; })()")
        check(task, "the hostile task is not found")
        for url in ["/?q=" + urllib.parse.quote("kho script"), task]:
            browser.go(server.base + url)
            dialogs = [e for e in browser.events if e.get("method") == "Page.javascriptDialogOpening"]
            check(not dialogs, "a dialog opened on %s: %s" % (url, dialogs))
            check(browser.eval("typeof window.pwned") == "undefined", "the payload ran on " + url)
            check(browser.eval("document.querySelectorAll('main script, main img[src=\"x\"]').length") == 0,
                  "the payload made elements on " + url)
            check("<script>" in browser.eval("document.querySelector('main').textContent"),
                  "the payload is not shown as text on " + url)
        browser.screenshot(os.path.join(shots, "6-xss-inert.png"))
        print("6. hostile task text shown as text, nothing ran")
    finally:
        browser.close()
        server.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--plantrace", required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--artifacts", required=True)
    args = p.parse_args()
    workdir = tempfile.mkdtemp(prefix="plantrace-browser-")
    try:
        steps(args, workdir)
    except Failure as e:
        print("FAIL:", e)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("PASS; screenshots in", args.artifacts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
