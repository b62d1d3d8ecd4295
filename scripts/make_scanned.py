#!/usr/bin/env python3
"""Makes "scanned" PDFs from text PDFs, as a scanner would: each page
rendered in grey (pdftoppm) and wrapped as one image per page (img2pdf), with
no text layer. The OCR tests (tests/corpus_ocr_test.cc) make their fixtures
with it; bench_ocr.sh too.

  scripts/make_scanned.py [--dpi N] [--turn Q] [--skew DEG] [--scan PAGES] IN.pdf OUT.pdf

  --dpi N      resolution of the page images (default 200)
  --turn Q     quarter turns clockwise of every page image (a sheet fed
               sideways: 1 = 90 degrees)
  --skew DEG   tilt the text lines by DEG degrees (a sheet fed askew)
  --scan PAGES only these pages (1-based, "2,4-5") become images; the rest
               keep their text layer: a mixed PDF

Needs poppler-utils (pdftoppm, pdfseparate, pdfunite) and img2pdf (Debian
packages, installed by scripts/setup.sh). No imaging library: the page is a
grey PGM, turned and sheared by slicing bytes, and written out as PNG.
"""
import argparse
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib


def read_pgm(path):
    with open(path, "rb") as f:
        data = f.read()
    # P5 header: magic, width, height, maxval, each after whitespace.
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        start = pos
        while not data[pos : pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    if fields[0] != b"P5" or int(fields[3]) != 255:
        sys.exit(f"{path}: not an 8-bit binary PGM")
    w, h = int(fields[1]), int(fields[2])
    pixels = data[pos + 1 : pos + 1 + w * h]
    return w, h, pixels


def transpose(w, h, pixels):
    """Rows become columns: (w, h) -> (h, w)."""
    return h, w, b"".join(pixels[x::w] for x in range(w))


def turn(w, h, pixels, quarters):
    for _ in range(quarters % 4):
        # Clockwise: transpose, then mirror each row.
        w, h, pixels = transpose(w, h, pixels)
        pixels = b"".join(pixels[y * w : (y + 1) * w][::-1] for y in range(h))
    return w, h, pixels


def skew(w, h, pixels, degrees):
    """Tilts text lines by shifting each column down by x*tan(angle)."""
    w, h, cols = transpose(w, h, pixels)  # now each "row" is a column
    t = math.tan(math.radians(degrees))
    pad = int(abs(t) * h) + 1
    out = []
    for y in range(h):
        col = cols[y * w : (y + 1) * w]
        shift = int(round((y if t >= 0 else h - 1 - y) * abs(t)))
        out.append(b"\xff" * shift + col + b"\xff" * (pad - shift))
    return transpose(w + pad, h, b"".join(out))


def write_png(path, w, h, pixels, dpi):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + pixels[y * w : (y + 1) * w] for y in range(h))
    ppm = int(round(dpi / 0.0254))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)))
        f.write(chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 6)))
        f.write(chunk(b"IEND", b""))


def parse_pages(spec):
    pages = set()
    for part in spec.split(","):
        a, _, b = part.partition("-")
        pages.update(range(int(a), int(b or a) + 1))
    return pages


def page_count(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    sys.exit(f"{pdf}: no page count")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--turn", type=int, default=0)
    ap.add_argument("--skew", type=float, default=0.0)
    ap.add_argument("--scan", default="")
    ap.add_argument("input")
    ap.add_argument("output")
    a = ap.parse_args()
    n = page_count(a.input)
    scan = parse_pages(a.scan) if a.scan else set(range(1, n + 1))
    with tempfile.TemporaryDirectory() as tmp:
        parts = []
        for p in range(1, n + 1):
            part = os.path.join(tmp, f"part-{p:04d}.pdf")
            if p in scan:
                stem = os.path.join(tmp, f"page-{p:04d}")
                subprocess.run(["pdftoppm", "-r", str(a.dpi), "-gray", "-f", str(p), "-l", str(p), "-singlefile",
                                a.input, stem], check=True)
                w, h, pixels = read_pgm(stem + ".pgm")
                if a.turn:
                    w, h, pixels = turn(w, h, pixels, a.turn)
                if a.skew:
                    w, h, pixels = skew(w, h, pixels, a.skew)
                write_png(stem + ".png", w, h, pixels, a.dpi)
                subprocess.run(["img2pdf", "-o", part, stem + ".png"], check=True)
            else:
                subprocess.run(["pdfseparate", "-f", str(p), "-l", str(p), a.input, part], check=True)
            parts.append(part)
        if len(parts) == 1:
            shutil.copyfile(parts[0], a.output)
        else:
            subprocess.run(["pdfunite", *parts, a.output], check=True)


if __name__ == "__main__":
    main()
