#!/usr/bin/env python3
"""Benchmark inputs made from a TREC-like corpus (the ANT layout: one or more
<DOC> per .txt file, with DOCNO, TITLE, TEXT, SRC, TIME).

  corpus.py jsonl CORPUS OUTDIR [--copies N] [--parts P]
      JSON Lines (id, title, text, source, date): the input both engines read
      in the comparison, byte for byte the same. With --copies N > 1 the
      corpus is written N times; copy k >= 2 gets ids prefixed `c<k>-`, its
      sentences lightly shuffled, and in one sentence of eight a pair of
      letters swapped (a different pair per copy), so every copy is a
      distinct article and the dictionary grows with the corpus as a real
      archive's does. Each copy is split into P files (default 8).

  corpus.py queries CORPUS OUTDIR [--count N]
      Three files of distinct queries, one per line: words.txt (single words
      drawn from article text), phrases.txt (2-3 consecutive words) and
      headlines.txt (titles of 3+ words). Characters that either engine's
      query syntax treats specially are removed, so both engines get the
      same text. Sampling is seeded: the same corpus gives the same queries.
"""
import argparse
import json
import os
import random
import re
import sys

DOC = re.compile(r"<DOC>(.*?)</DOC>", re.S)
SPECIAL = re.compile(r'[+\-&|!(){}\[\]^"~*?:\\/«»“”]')
ARABIC_WORD = re.compile(r"^[\u0621-\u064A\u0660-\u0669\u066E-\u06D3]{3,}$")
OPERATORS = {"OR", "AND", "NOT"}
SENTENCE_END = re.compile(r"(?<=[.!?؟\n])\s+")
# Letter pairs swapped in copies: each copy's pair makes new word forms.
PAIRS = ["تث", "دذ", "سش", "صض", "طظ", "عغ", "حخ", "رز", "فق", "بن", "جح", "كق", "لن", "مب"]


def element(doc, tag):
    m = re.search(r"<%s>(.*?)</%s>" % (tag, tag), doc, re.S)
    return m.group(1).strip() if m else ""


def articles(root):
    """(id, title, text, source, date) of every article, in path order."""
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".txt"):
                continue
            with open(os.path.join(d, name), encoding="utf-8", errors="replace") as f:
                text = f.read()
            for doc in DOC.findall(text):
                yield (element(doc, "DOCNO"), element(doc, "TITLE"), element(doc, "TEXT"),
                       element(doc, "SRC"), element(doc, "TIME"))


def grown(text, k, rng):
    """Copy k of a text: sentences lightly shuffled, some letters swapped."""
    sentences = SENTENCE_END.split(text)
    for i in range(0, len(sentences) - 1, 2):
        if rng.random() < 0.3:
            sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    a, b = PAIRS[(k - 2) % len(PAIRS)]
    table = str.maketrans({a: b, b: a})
    for i in range(len(sentences)):
        if rng.random() < 0.125:
            sentences[i] = sentences[i].translate(table)
    return " ".join(sentences)


def jsonl(args):
    os.makedirs(args.outdir, exist_ok=True)
    docs = list(articles(args.corpus))
    if not docs:
        sys.exit(f"corpus.py: no <DOC> records under {args.corpus}")
    for k in range(1, args.copies + 1):
        rng = random.Random(k)
        writers = [open(os.path.join(args.outdir, "copy%02d-part%02d.jsonl" % (k, p)), "w", encoding="utf-8")
                   for p in range(args.parts)]
        for i, (docno, title, text, source, date) in enumerate(docs):
            if k > 1:
                docno, text = "c%d-%s" % (k, docno), grown(text, k, rng)
            rec = {"id": docno, "title": title, "text": text, "source": source, "date": date}
            writers[i % args.parts].write(json.dumps(rec, ensure_ascii=False) + "\n")
        for w in writers:
            w.close()
    print(f"corpus.py: {len(docs)} articles x {args.copies}", file=sys.stderr)


def clean(text):
    return " ".join(w for w in SPECIAL.sub(" ", text).split() if w not in OPERATORS)


def queries(args):
    rng = random.Random(20180218)
    titles, texts = [], []
    for _, title, text, _, _ in articles(args.corpus):
        titles.append(clean(title))
        texts.append(text)
    rng.shuffle(texts)
    words, phrases = [], []
    seen_w, seen_p = set(), set()
    for text in texts:
        tokens = [w for w in clean(text).split() if ARABIC_WORD.match(w)]
        if len(tokens) < 4:
            continue
        for _ in range(3):
            w = rng.choice(tokens)
            if w not in seen_w:
                seen_w.add(w)
                words.append(w)
            n = rng.choice((2, 3))
            i = rng.randrange(0, len(tokens) - n)
            p = " ".join(tokens[i:i + n])
            if p not in seen_p:
                seen_p.add(p)
                phrases.append(p)
    heads = sorted({t for t in titles if len(t.split()) >= 3})
    rng.shuffle(heads)
    rng.shuffle(words)
    rng.shuffle(phrases)
    os.makedirs(args.outdir, exist_ok=True)
    for name, items in (("words", words), ("phrases", phrases), ("headlines", heads)):
        items = items[:args.count]
        with open(os.path.join(args.outdir, name + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(items) + "\n")
        print(f"corpus.py: {name}: {len(items)} queries", file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    j = sub.add_parser("jsonl")
    j.add_argument("corpus")
    j.add_argument("outdir")
    j.add_argument("--copies", type=int, default=1)
    j.add_argument("--parts", type=int, default=8)
    q = sub.add_parser("queries")
    q.add_argument("corpus")
    q.add_argument("outdir")
    q.add_argument("--count", type=int, default=10000)
    args = p.parse_args()
    {"jsonl": jsonl, "queries": queries}[args.command](args)


if __name__ == "__main__":
    main()
