#!/usr/bin/env python3
"""Writes the small PDF fixtures of tests/pdf_reader_test.cc (tests/data/pdf/).

Raw PDF syntax, no libraries: standard Helvetica fonts given fixed widths
(500/1000 em) so positions are predictable. Run from anywhere:

  python3 scripts/make_test_pdfs.py [OUT_DIR]

The tests read only the committed files; rerun this after changing it and
commit the regenerated fixtures.
"""
import os
import sys
import zlib

W, H = 300, 400  # page size in points


def esc(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


class Pdf:
    def __init__(self):
        self.objs = []  # bytes of each object body, index = number - 1

    def add(self, body):
        self.objs.append(body if isinstance(body, bytes) else body.encode("latin-1"))
        return len(self.objs)

    def reserve(self):
        self.objs.append(None)
        return len(self.objs)

    def set(self, num, body):
        self.objs[num - 1] = body if isinstance(body, bytes) else body.encode("latin-1")

    def stream(self, data, extra=""):
        if isinstance(data, str):
            data = data.encode("latin-1")
        return self.add(b"<< /Length %d %s>>\nstream\n" % (len(data), extra.encode()) + data + b"\nendstream")

    def write(self, path, root, trailer_extra=""):
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i, body in enumerate(self.objs):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objs) + 1)
        for off in offsets:
            out += b"%010d 00000 n \n" % off
        out += (b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
                % (len(self.objs) + 1, root, trailer_extra.encode(), xref))
        with open(path, "wb") as f:
            f.write(out)
        return bytes(out)


def fonts(pdf):
    widths = " ".join(["500"] * 95)
    regular = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding "
                      f"/FirstChar 32 /LastChar 126 /Widths [{widths}] >>")
    bold = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding "
                   f"/FirstChar 32 /LastChar 126 /Widths [{widths}] >>")
    return f"<< /Font << /F1 {regular} 0 R /F2 {bold} 0 R >> >>"


def text(x, top, s, size=10, bold=False):
    """Text whose baseline is `top` points below the page's top edge."""
    return f"BT /{'F2' if bold else 'F1'} {size} Tf {x} {H - top} Td ({esc(s)}) Tj ET\n"


def hline(x0, x1, top):
    return f"{x0} {H - top} m {x1} {H - top} l S\n"


def vline(x, top0, top1):
    return f"{x} {H - top0} m {x} {H - top1} l S\n"


def document(pdf, page_contents, resources):
    pages = pdf.reserve()
    kids = []
    for content in page_contents:
        c = pdf.stream(content)
        kids.append(pdf.add(f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 {W} {H}] "
                            f"/Resources {resources} /Contents {c} 0 R >>"))
    pdf.set(pages, "<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join(f"{k} 0 R" for k in kids), len(kids)))
    return pdf.add(f"<< /Type /Catalog /Pages {pages} 0 R >>")


def text_pdf(path):
    """Three pages: running header, page numbers, a centred bold title, two
    columns sharing a baseline on page 1."""
    pdf = Pdf()
    res = fonts(pdf)
    contents = []
    for p in range(1, 4):
        c = text(20, 20, "Official Gazette of Somewhere")
        top = 60
        if p == 1:
            c += text(138, top, "PLAN", size=12, bold=True)  # 24pt wide, centred on 150
            top += 20
            c += text(20, top, "Left side") + text(200, top, "Right side")
            top += 20
        for k in range(1, 4):
            c += text(20, top, f"Body line {k} of page {p} runs across the whole width ok")
            top += 14
        c += text(145, 385, f"- {p} -")
        contents.append(c)
    root = document(pdf, contents, res)
    return pdf.write(path, root)


def table_pdf(path):
    """A ruled table over two pages: header row repeated, a group row
    spanning three columns, a lead cell merged over two rows, a row split by
    the page break whose lead cell is merged with the next row."""
    pdf = Pdf()
    res = fonts(pdf)
    xs = [20, 50, 150, 220, 280]

    def row_text(top, cells, bold=False):
        out = ""
        for i, s in enumerate(cells):
            if s:
                out += text(xs[i] + 3, top + 12, s, size=9, bold=bold)
        return out

    def header(top):
        return row_text(top, ["TT", "Name", "Lead", "Due"], bold=True)

    # Page 1: rows at tops 40 (header), 60 (group), 80 (1.), 100 (2.), 120 (3., cut).
    c = text(20, 25, "Table of tasks")
    c += header(40)
    c += row_text(60, ["I", "Group one"], bold=True)
    c += row_text(80, ["1.", "Task one", "Lead A", "2025"])
    c += row_text(100, ["2.", "Task two", "", "2026"])
    c += row_text(120, ["3.", "Do the first", "Lead B", "2027"])
    c += "0.5 w\n"
    for top in (40, 60, 80, 140):
        c += hline(20, 280, top)
    c += hline(20, 150, 100) + hline(220, 280, 100)  # lead cell merged over rows 1-2
    c += hline(20, 280, 120)
    c += vline(20, 40, 140) + vline(280, 40, 140) + vline(50, 40, 140)
    for x in (150, 220):
        c += vline(x, 40, 60) + vline(x, 80, 140)  # open in the group row
    # Page 2: header repeated, rest of row 3 (lead merged down into row 4), rows 4 and 5.
    d = header(40)
    d += row_text(60, ["", "part of work", "", ""])
    d += row_text(80, ["4.", "Task four", "", "2028"])
    d += row_text(100, ["5.", "Task five", "Lead C", "2029"])
    d += text(20, 150, "After the table.")
    d += "0.5 w\n"
    for top in (40, 60, 120):
        d += hline(20, 280, top)
    d += hline(20, 150, 80) + hline(220, 280, 80)
    d += hline(20, 280, 100)
    for x in xs:
        d += vline(x, 40, 120)
    root = document(pdf, [c, d], res)
    return pdf.write(path, root)


def wrapped_cells_pdf(path):
    """Cells whose lines print the space at each wrap, as LibreOffice does,
    except where a line was broken inside a word: after "..." with room to
    spare, and a word too long for the cell broken at the page break. Lines
    that end without a space for other reasons (no room left, centred text,
    a capitalised next line) keep their space."""
    pdf = Pdf()
    res = fonts(pdf)
    xs = [20, 50, 170, 240]

    def cell(col, top, lines, centred=False):
        out = ""
        for k, s in enumerate(lines):
            x = xs[col] + 3
            if centred:
                x = (xs[col] + xs[col + 1]) / 2 - 2.5 * len(s)
            out += text(x, top + 12 + 11 * k, s)
        return out

    def rules(c, tops):
        c += "0.5 w\n"
        for top in tops:
            c += hline(20, 240, top)
        for x in xs:
            c += vline(x, tops[0], tops[-1])
        return c

    c = cell(0, 40, ["TT"]) + cell(1, 40, ["Name"]) + cell(2, 40, ["Lead"])
    c += cell(0, 60, ["1."]) + cell(1, 60, ["Use GAP\x85", "thong qua the big apps ", "and more"])
    c += cell(2, 60, ["Lead", "office"], centred=True)
    c += cell(0, 100, ["2."]) + cell(1, 100, ["Full width line abcdefg", "next words"])
    c += cell(0, 130, ["3."]) + cell(1, 130, ["First part", "Second"])
    c += cell(0, 160, ["4."]) + cell(1, 160, ["alpha beta ", "gamma delta ", "end"])
    c += cell(0, 200, ["5."]) + cell(1, 200, ["See hy.check...", "org then hy.check.ch"])
    c = rules(c, [40, 60, 100, 130, 160, 200, 230])
    d = cell(0, 40, ["TT"]) + cell(1, 40, ["Name"]) + cell(2, 40, ["Lead"])
    d += cell(1, 60, ["o san pham"])
    d += cell(0, 80, ["6."]) + cell(1, 80, ["Last task"])
    d = rules(d, [40, 60, 80, 100])
    root = document(pdf, [c, d], res)
    return pdf.write(path, root)


def image_pdf(path, with_text_page):
    """An image-only page (a scan), optionally after a page with text."""
    pdf = Pdf()
    res_fonts = fonts(pdf)
    img = pdf.stream(zlib.compress(bytes([0, 255, 255, 0])),
                     "/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
                     "/BitsPerComponent 8 /Filter /FlateDecode ")
    res = res_fonts[:-2] + f" /XObject << /Im1 {img} 0 R >> >>"
    contents = []
    if with_text_page:
        contents.append(text(20, 40, "A page with text."))
    contents.append("q 200 0 0 300 50 50 cm /Im1 Do Q\n")
    root = document(pdf, contents, res)
    return pdf.write(path, root)


def zero_pages_pdf(path):
    pdf = Pdf()
    pages = pdf.add("<< /Type /Pages /Kids [] /Count 0 >>")
    root = pdf.add(f"<< /Type /Catalog /Pages {pages} 0 R >>")
    return pdf.write(path, root)


def encrypted_pdf(path):
    """Standard security handler (RC4, 40 bit) whose user password is not
    empty: the /U entry matches no password a reader can try."""
    pdf = Pdf()
    res = fonts(pdf)
    root = document(pdf, [text(20, 40, "Secret text.")], res)
    enc = pdf.add("<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 "
                  "/O <" + "11" * 32 + "> /U <" + "22" * 32 + "> >>")
    ident = "<" + "0123456789abcdef" * 2 + ">"
    return pdf.write(path, root, f"/Encrypt {enc} 0 R /ID [{ident} {ident}] ")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "tests", "data", "pdf")
    os.makedirs(out, exist_ok=True)
    j = lambda n: os.path.join(out, n)
    data = text_pdf(j("text.pdf"))
    with open(j("truncated.pdf"), "wb") as f:
        f.write(data[: len(data) // 3])
    table_pdf(j("table.pdf"))
    wrapped_cells_pdf(j("wrapped_cells.pdf"))
    image_pdf(j("image_only.pdf"), False)
    image_pdf(j("scanned_page.pdf"), True)
    zero_pages_pdf(j("zero_pages.pdf"))
    encrypted_pdf(j("encrypted.pdf"))


if __name__ == "__main__":
    main()
