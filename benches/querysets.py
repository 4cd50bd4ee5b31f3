#!/usr/bin/env python3
"""Makes the benchmark query sets from a TREC-like corpus (ANT layout).

Writes three files of distinct queries, one per line, into OUTDIR:
  words.txt      single words drawn from article text
  phrases.txt    2-3 consecutive words from article text
  headlines.txt  article titles
Characters that either engine's query syntax treats specially are removed,
so both engines get exactly the same text. Sampling is seeded: the same
corpus gives the same queries.
"""
import os
import random
import re
import sys

SPECIAL = re.compile(r'[+\-&|!(){}\[\]^"~*?:\\/«»“”]')
ARABIC_WORD = re.compile(r'^[\u0621-\u064A\u0660-\u0669\u066E-\u06D3]{3,}$')
OPERATORS = {"OR", "AND", "NOT"}


def clean(text):
    words = [w for w in SPECIAL.sub(" ", text).split() if w not in OPERATORS]
    return " ".join(words)


def main():
    corpus, outdir = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    rng = random.Random(20180218)
    titles, texts = [], []
    for root, _, files in sorted(os.walk(corpus)):
        for name in sorted(files):
            if not name.endswith(".txt"):
                continue
            with open(os.path.join(root, name), encoding="utf-8") as f:
                doc = f.read()
            t = re.search(r"<TITLE>(.*?)</TITLE>", doc, re.S)
            b = re.search(r"<TEXT>(.*?)</TEXT>", doc, re.S)
            if t:
                titles.append(clean(t.group(1)))
            if b:
                texts.append(b.group(1))
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
    os.makedirs(outdir, exist_ok=True)
    for name, items in (("words", words), ("phrases", phrases), ("headlines", heads)):
        items = items[:count]
        with open(os.path.join(outdir, name + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(items) + "\n")
        print(f"{name}: {len(items)} queries", file=sys.stderr)


if __name__ == "__main__":
    main()
