#!/usr/bin/env python3
"""Makes rules/phrases.list: the pairs of syllables that plans write side by
side, from a folder of real plans with a text layer (Markdown, text).

  scripts/make_phrase_list.py [--min-docs N] DIR > rules/phrases.list

A pair is two words of letters with nothing but a space between them
("bổ sung", "cao đẳng"), lower-cased, NFC; it is kept when at least N
documents (default 3) write it, so that the list holds the vocabulary of
the genre, not the subject of one plan. pipeline/stages/ocr_repair.cc reads
it to choose between tones the OCR recogniser weighed ("bố sung" or "bổ
sung"). The committed list was made from the 98 plans of ../shared/realbulk.
"""
import argparse
import collections
import os
import re
import sys
import unicodedata

WORD = re.compile(r"[^\W\d_]+")
# Punctuation, digits and line ends break a phrase.
BREAK = re.compile(r"[^\w\s]|\d|_|\n")


def pairs_of(text):
    found = set()
    for run in BREAK.split(unicodedata.normalize("NFC", text).lower()):
        words = run.split()
        for a, b in zip(words, words[1:]):
            if WORD.fullmatch(a) and WORD.fullmatch(b):
                found.add(a + " " + b)
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-docs", type=int, default=3)
    ap.add_argument("dir")
    args = ap.parse_args()
    docs = collections.Counter()
    names = sorted(f for f in os.listdir(args.dir) if f.endswith((".md", ".txt")))
    for name in names:
        with open(os.path.join(args.dir, name), encoding="utf-8", errors="replace") as f:
            docs.update(pairs_of(f.read()))
    kept = sorted(p for p, n in docs.items() if n >= args.min_docs)
    out = sys.stdout
    out.write("# Pairs of syllables plans write side by side: kind | pair.\n")
    out.write("# Made by scripts/make_phrase_list.py --min-docs %d from %d plans\n" % (args.min_docs, len(names)))
    out.write("# (each pair written in at least %d of them). Read by\n" % args.min_docs)
    out.write("# pipeline/stages/ocr_repair.cc: an OCR'd word whose recogniser weighed\n")
    out.write("# another tone takes it when only that spelling makes a pair here with\n")
    out.write("# a neighbour (\"bố sung\" -> \"bổ sung\"). Regenerate, do not edit by hand.\n")
    for p in kept:
        out.write("pair | %s\n" % p)


if __name__ == "__main__":
    main()
