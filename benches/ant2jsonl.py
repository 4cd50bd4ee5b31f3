#!/usr/bin/env python3
"""Converts a TREC-like corpus (ANT layout) to JSON Lines (id, title, body,
source, date) for engines that read JSON Lines, such as the Lucene baseline."""
import json
import os
import re
import sys


def tag(doc, name):
    m = re.search(r"<%s>(.*?)</%s>" % (name, name), doc, re.S)
    return m.group(1).strip() if m else ""


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    n = 0
    with open(out, "w", encoding="utf-8") as o:
        for root, _, files in sorted(os.walk(corpus)):
            for name in sorted(files):
                if not name.endswith(".txt"):
                    continue
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    doc = f.read()
                rec = {"id": tag(doc, "DOCNO"), "title": tag(doc, "TITLE"), "body": tag(doc, "TEXT"),
                       "source": tag(doc, "SRC"), "date": tag(doc, "TIME")}
                o.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
    print(f"{n} articles", file=sys.stderr)


if __name__ == "__main__":
    main()
