#!/usr/bin/env python3
"""Writes the small hostile files of tests/data/bad/ (tests/corpus_bad_inputs_test.cc).

  python3 scripts/make_bad_inputs.py [OUT_DIR]

Each is a few KB at most; the big ones (a 2 GB sparse file, a PDF of a
million objects, deeply nested HTML, a zip bomb, symlink loops...) are made
by the test itself in a temporary folder. What each file must make
`plantrace extract` and `plantrace ingest` do is in tests/data/bad/EXPECTED.
None holds a plan: a file that a reader recovers is then skipped by ingest
for want of a plan's marks, so the store the test ingests into stays as it
was. The tests read the committed files; rerun this after changing it and
commit what it wrote.
"""
import io
import os
import struct
import sys
import zipfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_test_pdfs import Pdf, document, fonts, text  # noqa: E402

NOT_A_PLAN = "Nothing to see here: a shopping list, not a plan."
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_xml(body, prolog=""):
    return ('<?xml version="1.0" encoding="UTF-8"?>' + prolog +
            f"<w:document {W_NS}><w:body>{body}</w:body></w:document>").encode()


def para(s):
    return f"<w:p><w:r><w:t>{s}</w:t></w:r></w:p>"


def zip_bytes(entries, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, data)
    return buf.getvalue()


def patch_zip(data, flag=None, method=None):
    """Sets the flag bits or method of every entry, in the local headers and
    the central directory (the CRC and sizes stay those of the real data)."""
    out = bytearray(data)
    for sig, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        at = out.find(sig)
        while at >= 0:
            if flag is not None:
                struct.pack_into("<H", out, at + flag_at, struct.unpack_from("<H", out, at + flag_at)[0] | flag)
            if method is not None:
                struct.pack_into("<H", out, at + method_at, method)
            at = out.find(sig, at + 4)
    return bytes(out)


def pdf_write(pdf, root, trailer_extra=""):
    return pdf.write(os.devnull, root, trailer_extra)  # the bytes are returned too


def text_pdf(contents=None, media="0 0 300 400"):
    """One page of text that is no plan, on a page box of `media`."""
    pdf = Pdf()
    root = document(pdf, contents or [text(20, 40, NOT_A_PLAN)], fonts(pdf))
    for i, body in enumerate(pdf.objs):
        if body.startswith(b"<< /Type /Page "):
            pdf.objs[i] = body.replace(b"/MediaBox [0 0 300 400]", f"/MediaBox [{media}]".encode())
    return pdf, root


def pdf_bytes(contents=None, media="0 0 300 400"):
    return pdf_write(*text_pdf(contents, media))


def encrypted_aes256():
    pdf = Pdf()
    res = fonts(pdf)
    root = document(pdf, [text(20, 40, NOT_A_PLAN)], res)
    enc = pdf.add("<< /Filter /Standard /V 5 /R 6 /Length 256 /P -1028 "
                  "/CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF "
                  "/O <" + "33" * 48 + "> /U <" + "44" * 48 + "> /OE <" + "55" * 32 + "> /UE <" + "66" * 32 +
                  "> /Perms <" + "77" * 16 + "> >>")
    ident = "<" + "fedcba9876543210" * 2 + ">"
    return pdf_write(pdf, root, f"/Encrypt {enc} 0 R /ID [{ident} {ident}] ")


def encrypted_rc4():
    pdf = Pdf()
    res = fonts(pdf)
    root = document(pdf, [text(20, 40, NOT_A_PLAN)], res)
    enc = pdf.add("<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 "
                  "/O <" + "a1" * 32 + "> /U <" + "b2" * 32 + "> >>")
    ident = "<" + "00112233445566778899aabbccddeeff" + ">"
    return pdf_write(pdf, root, f"/Encrypt {enc} 0 R /ID [{ident} {ident}] ")


def broken_xref(data):
    """Every xref offset off by 7: Poppler must rebuild the table."""
    at = data.rfind(b"xref\n")
    head, table = data[:at], data[at:]
    lines = table.split(b"\n")
    for i, line in enumerate(lines):
        if line.endswith(b" 00000 n "):
            lines[i] = b"%010d 00000 n " % (int(line[:10]) + 7)
    return head + b"\n".join(lines)


def page_tree_loop():
    pdf = Pdf()
    pages = pdf.reserve()
    inner = pdf.reserve()
    pdf.set(pages, f"<< /Type /Pages /Kids [{inner} 0 R] /Count 1 >>")
    pdf.set(inner, f"<< /Type /Pages /Parent {pages} 0 R /Kids [{pages} 0 R {inner} 0 R] /Count 1 >>")
    root = pdf.add(f"<< /Type /Catalog /Pages {pages} 0 R >>")
    return pdf_write(pdf, root)


def lying_page_count():
    pdf, root = text_pdf()
    for i, body in enumerate(pdf.objs):
        if body.startswith(b"<< /Type /Pages"):
            pdf.objs[i] = body.replace(b"/Count 1", b"/Count 2000000000")
    return pdf_write(pdf, root)


def deflated_content(content):
    pdf = Pdf()
    res = fonts(pdf)
    pages = pdf.reserve()
    c = pdf.stream(zlib.compress(content, 9), "/Filter /FlateDecode ")
    page = pdf.add(f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 300 400] /Resources {res} /Contents {c} 0 R >>")
    pdf.set(pages, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>")
    root = pdf.add(f"<< /Type /Catalog /Pages {pages} 0 R >>")
    return pdf_write(pdf, root)


def files():
    f = {}
    # Nothing in them.
    for ext in ("txt", "md", "pdf", "html", "docx"):
        f[f"empty.{ext}"] = b""
    f["blank.txt"] = b"  \n\n\t\n   \n"
    f["bom-only.txt"] = b"\xef\xbb\xbf"
    # Text in encodings other than UTF-8, and bytes that are no text.
    sample = "Kế hoạch số 12/KH-UBND\nGiao Sở Y tế chủ trì, phối hợp với Sở Tài chính.\n"
    # UTF-16 text is read (decoded to UTF-8), so it holds no plan.
    not_a_plan = NOT_A_PLAN + "\nDanh sách mua sắm: gạo, cá, rau xanh.\n"
    f["utf16le-bom.txt"] = b"\xff\xfe" + not_a_plan.encode("utf-16-le")
    f["utf16be-bom.txt"] = b"\xfe\xff" + not_a_plan.encode("utf-16-be")
    f["utf16le-no-bom.txt"] = not_a_plan.encode("utf-16-le")
    f["utf32le-bom.txt"] = b"\xff\xfe\x00\x00" + sample.encode("utf-32-le")
    f["latin1.txt"] = "Café, crème brûlée, déjà vu: à la carte.\nNaïve façade.\n".encode("latin-1")
    f["invalid-utf8.txt"] = b"Overlong \xc0\xaf, surrogate \xed\xa0\x80, cut \xe1\xba\nend\n"
    f["nul-in-text.txt"] = b"A line of text\n\x00\x00\x00 then zeros\nmore text\n"
    f["control-chars.txt"] = bytes(range(1, 32)) * 40
    f["elf-binary.txt"] = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(range(256)) * 4
    f["png-named.pdf"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 2
    f["gzip-named.html"] = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + zlib.compress(b"<html>" * 100)[2:]
    f["json-named.txt"] = b'[{"doc": "102/KH-UBND", "tasks": [{"name": "x"}]}]\n'
    f["ole2-compound.docx"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + bytes(range(256)) * 4
    # HTML.
    f["html-with-nul.html"] = b"<html><body><p>" + NOT_A_PLAN.encode() + b"\x00 after the NUL</p></body></html>\n"
    f["html-script-only.html"] = b"<html><head><script>var x = 1;</script><style>p{}</style></head><body></body></html>\n"
    f["html-unclosed-comment.html"] = b"<html><body><!-- " + b"never closed " * 200 + b"<p>hidden</p></body></html>\n"
    f["html-huge-spans.html"] = (b"<html><body><table><tr><td rowspan=\"2147483647\" colspan=\"2147483647\">a</td>"
                                 b"<td colspan=\"99999999999999999999\">b</td></tr><tr><td rowspan=\"-5\">c</td></tr>"
                                 b"</table><p>" + NOT_A_PLAN.encode() + b"</p></body></html>\n")
    f["html-entity-bomb.html"] = (b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaa">'
                                  b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
                                  b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>'
                                  b"<html><body><p>&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;</p></body></html>\n")
    f["html-bad-charset.html"] = ('<html><head><meta charset="x-no-such-charset"></head><body><p>'
                                  + NOT_A_PLAN + " Tiếng Việt.</p></body></html>\n").encode()
    # PDF.
    good = pdf_bytes()
    f["header-only.pdf"] = b"%PDF-1.7\n"
    f["truncated-midstream.pdf"] = good[: good.find(b"stream\n", good.find(b"/Length")) + 20]
    f["encrypted-rc4.pdf"] = encrypted_rc4()
    f["encrypted-aes256.pdf"] = encrypted_aes256()
    f["broken-xref.pdf"] = broken_xref(good)
    f["no-xref.pdf"] = good[: good.rfind(b"xref\n")]
    zero = Pdf()
    pages = zero.add("<< /Type /Pages /Kids [] /Count 0 >>")
    f["zero-pages.pdf"] = pdf_write(zero, zero.add(f"<< /Type /Catalog /Pages {pages} 0 R >>"))
    f["page-tree-loop.pdf"] = page_tree_loop()
    f["lying-page-count.pdf"] = lying_page_count()
    f["huge-mediabox.pdf"] = pdf_bytes(media="-3.4e38 -3.4e38 3.4e38 3.4e38")
    f["huge-text-matrix.pdf"] = pdf_bytes(
        ["BT /F1 10 Tf 1e30 0 0 1e30 -1e30 1e30 Tm (" + NOT_A_PLAN + ") Tj ET\n"
         "BT /F1 99999999999999999999999999999999999999999 Tf 20 200 Td (Huge font.) Tj ET\n"])
    f["graphics-state-bomb.pdf"] = deflated_content(b"q " * 2_000_000 + b"BT /F1 10 Tf 20 200 Td (x) Tj ET")
    f["deep-arrays.pdf"] = deflated_content(b"[" * 100_000 + b" BT /F1 10 Tf 20 200 Td (x) Tj ET")
    # DOCX.
    f["not-a-zip.docx"] = b"PK\x03\x04" + b"this is no archive" * 10
    f["text-named.docx"] = (NOT_A_PLAN + "\nSaved as plain text with a .docx name.\n").encode()
    f["zip-without-document.docx"] = zip_bytes([("[Content_Types].xml", b"<Types/>"), ("word/styles.xml", b"<x/>")])
    f["zip-path-traversal.docx"] = zip_bytes([("../../word/document.xml", docx_xml(para(NOT_A_PLAN))),
                                              ("/word/document.xml", docx_xml(para(NOT_A_PLAN))),
                                              ("..\\word\\document.xml", docx_xml(para(NOT_A_PLAN)))])
    laughs = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    f["billion-laughs.docx"] = zip_bytes([("word/document.xml", docx_xml(
        para("&l9;"), f'<!DOCTYPE w:document [<!ENTITY l0 "lol">{laughs}]>'))])
    f["xxe-parameter-entity.docx"] = zip_bytes([("word/document.xml", docx_xml(
        para("&x;"), '<!DOCTYPE w:document [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p; '
        '<!ENTITY x SYSTEM "file:///etc/hostname">]>'))])
    f["document-not-xml.docx"] = zip_bytes([("word/document.xml", b"this is not < xml & at all")])
    f["no-body.docx"] = zip_bytes([("word/document.xml", f'<?xml version="1.0"?><w:document {W_NS}/>'.encode())])
    f["deep-nesting.docx"] = zip_bytes([("word/document.xml", docx_xml(
        "<w:p>" * 50_000 + "<w:r><w:t>deep</w:t></w:r>" + "</w:p>" * 50_000))])
    whole = zip_bytes([("word/document.xml", docx_xml(para(NOT_A_PLAN) * 50))])
    f["truncated.docx"] = whole[: len(whole) // 2]
    f["encrypted-entry.docx"] = patch_zip(zip_bytes([("word/document.xml", docx_xml(para(NOT_A_PLAN)))]), flag=1)
    f["unknown-compression.docx"] = patch_zip(zip_bytes([("word/document.xml", docx_xml(para(NOT_A_PLAN)))]),
                                              method=99)
    f["huge-gridspan.docx"] = zip_bytes([("word/document.xml", docx_xml(
        '<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2147483647"/><w:vMerge w:val="restart"/></w:tcPr>'
        + para("a") + '</w:tc><w:tc><w:tcPr><w:gridSpan w:val="-2147483648"/></w:tcPr>' + para("b")
        + "</w:tc></w:tr>" + '<w:tr><w:tc><w:tcPr><w:vMerge/><w:gridSpan w:val="99999999999"/></w:tcPr>'
        + para("c") + "</w:tc></w:tr></w:tbl>" + para(NOT_A_PLAN)))])
    # Markdown.
    f["md-unclosed-emphasis.md"] = ("# " + NOT_A_PLAN + "\n\n" + "**" * 2000 + "\n\n" + "*_" * 2000 + "\n" +
                                    "[" * 2000 + "\n").encode()
    return f


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "tests", "data", "bad")
    os.makedirs(out_dir, exist_ok=True)
    for name, data in sorted(files().items()):
        with open(os.path.join(out_dir, name), "wb") as out:
            out.write(data)
        print(f"{len(data):8d}  {name}")


if __name__ == "__main__":
    main()
