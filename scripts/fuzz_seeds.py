#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz harnesses (tests/fuzz/) from the files
already in the tree, so no binary seed is committed:

  python3 scripts/fuzz_seeds.py OUT_DIR      # OUT_DIR/<harness>/<seed>

- text, markdown, extract: corpus/seeds/*.txt, whole and cut into pieces of
  a few KB at line breaks (small inputs mutate faster), plus the multi-line
  string literals of the unit tests (tables flattened one cell per line,
  Markdown exports, header blocks: the shapes the tests care about).
- html: tests/data/html, corpus/rendered/*.html and the tests' literals that
  start with '<'.
- docx: tests/data/docx and corpus/rendered/*.docx as they are, and each
  one's XML parts in the harness's "=== name" form (fuzz_targets.h), which
  the harness zips itself so mutations are not lost to CRC checks.
- pdf, pdf_segment: tests/data/pdf, the PDFs of tests/data/bad, and the
  first page of each corpus/rendered/*.pdf (pdfseparate, when poppler-utils
  is there): whole plans run at a few executions a second.
- rules: each file of rules/ in the "=== name" form.
scripts/fuzz.sh runs this when a harness has no seeds yet.
"""
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
PIECE = 4096
DOCX_PARTS = ["word/document.xml", "word/styles.xml", "word/numbering.xml",
              "word/footnotes.xml", "word/endnotes.xml"]


def files(rel, ext):
    d = os.path.join(ROOT, rel)
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(ext))


def read(path):
    with open(path, "rb") as f:
        return f.read()


def pieces(data):
    """Cuts at line breaks into pieces of about PIECE bytes."""
    out, start = [], 0
    while start < len(data):
        end = data.find(b"\n", start + PIECE)
        end = len(data) if end < 0 else end + 1
        out.append(data[start:end])
        start = end
    return out


ESCAPES = {"n": b"\n", "t": b"\t", "r": b"\r", "0": b"\0", '"': b'"', "\\": b"\\", "'": b"'"}
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def decode(body):
    out, i = bytearray(), 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        e = body[i + 1]
        if e == "x":
            m = re.match(r"[0-9a-fA-F]+", body[i + 2:])
            out.append(int(m.group(0), 16) & 0xFF)
            i += 2 + len(m.group(0))
        elif e in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            out.append(int(m.group(0), 8) & 0xFF)
            i += 1 + len(m.group(0))
        else:
            out += ESCAPES.get(e, e.encode("utf-8"))
            i += 2
    return bytes(out)


def test_literals():
    """Adjacent string literals of tests/*_test.cc joined, as the compiler
    joins them; only multi-line ones of some length are documents."""
    found = []
    for path in files("tests", "_test.cc"):
        src = read(path).decode("utf-8")
        pos, run, run_end = 0, [], -1
        for m in LITERAL.finditer(src):
            if run and src[run_end:m.start()].strip() != "":
                found.append(b"".join(run))
                run = []
            run.append(decode(m.group(1)))
            run_end = m.end()
        if run:
            found.append(b"".join(run))
    return [s for s in found if len(s) >= 40 and s.count(b"\n") >= 2]


def body_chunks(xml):
    """word/document.xml cut into documents of a few top-level paragraphs or
    tables each (head and tail kept), so a big document gives small seeds."""
    start = xml.find(b"<w:body>")
    end = xml.rfind(b"</w:body>")
    if start < 0 or end < 0:
        return [xml]
    head, body, tail = xml[:start + 8], xml[start + 8:end], xml[end:]
    chunks, cur, last, depth = [], b"", 0, 0
    for m in re.finditer(rb"<(/?)w:(tbl|p)\b[^>]*?(/?)>", body):
        closing, name, empty = m.group(1), m.group(2), m.group(3)
        if name == b"tbl" and not empty:
            depth += -1 if closing else 1
        if depth == 0 and (closing or empty):
            cur += body[last:m.end()]
            last = m.end()
            if len(cur) > PIECE * 2:
                chunks.append(head + cur + tail)
                cur = b""
    cur += body[last:]
    if cur.strip():
        chunks.append(head + cur + tail)
    return chunks


def docx_parts(path):
    """The package's XML parts in "=== name" form; a document over 64 KB is
    given as several, each with a piece of its body."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            parts = {p: z.read(p) for p in DOCX_PARTS if p in names}
    except (zipfile.BadZipFile, OSError):
        return []
    if "word/document.xml" not in parts:
        return []
    rest = b"".join(b"=== " + p.encode() + b"\n" + d for p, d in parts.items()
                    if p != "word/document.xml" and len(d) <= PIECE * 16)
    doc = parts["word/document.xml"]
    docs = [doc] if len(doc) <= PIECE * 16 else body_chunks(doc)
    return [b"=== word/document.xml\n" + d + rest for d in docs if len(d) <= PIECE * 16]


def first_pages(pdfs):
    """Page 1 of each PDF, through pdfseparate; none without it."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, path in enumerate(pdfs):
            page = os.path.join(tmp, f"{i}.pdf")
            try:
                subprocess.run(["pdfseparate", "-f", "1", "-l", "1", path, page], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except (OSError, subprocess.CalledProcessError):
                continue
            out.append(read(page))
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: fuzz_seeds.py OUT_DIR")
    seeds = {h: [] for h in ["text", "markdown", "extract", "html", "docx", "pdf", "rules", "pdf_segment"]}
    literals = test_literals()
    for path in files("corpus/seeds", ".txt"):
        data = read(path)
        for h in ("text", "markdown", "extract"):
            seeds[h].append(data)
            seeds[h].extend(pieces(data))
    for lit in literals:
        if lit.lstrip().startswith(b"<"):
            seeds["html"].append(lit)
        else:
            for h in ("text", "markdown", "extract"):
                seeds[h].append(lit)
    for path in files("tests/data/html", ".html") + files("corpus/rendered", ".html"):
        seeds["html"].append(read(path))
    for path in files("tests/data/docx", ".docx") + files("corpus/rendered", ".docx"):
        seeds["docx"].append(read(path))
        seeds["docx"].extend(docx_parts(path))
    for path in files("tests/data/pdf", ".pdf") + files("tests/data/bad", ".pdf"):
        seeds["pdf"].append(read(path))
    seeds["pdf"].extend(first_pages(files("corpus/rendered", ".pdf")))
    seeds["pdf_segment"] = seeds["pdf"]
    for name in sorted(os.listdir(os.path.join(ROOT, "rules"))):
        if name.endswith(".rules") or name.endswith(".list"):
            seeds["rules"].append(b"=== " + name.encode() + b"\n" + read(os.path.join(ROOT, "rules", name)))
    for harness, inputs in seeds.items():
        d = os.path.join(sys.argv[1], harness)
        os.makedirs(d, exist_ok=True)
        for data in inputs:
            # Named by content, as libFuzzer names its own corpus files.
            with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
                f.write(data)
        print(f"{harness}: {len(set(inputs))} seeds in {d}")


if __name__ == "__main__":
    main()
