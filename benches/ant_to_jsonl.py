#!/usr/bin/env python3
"""ANT (TREC-like files) -> JSON Lines with id, title and text, the input the
Lucene harness reads. With COPIES > 1, copy k (k >= 2) gets ids prefixed
`c<k>-` and a marker appended to its text, so every copy is a distinct
article (for scale curves). Each copy is split into PARTS files.

usage: ant_to_jsonl.py CORPUS OUTDIR [COPIES] [PARTS]
"""
import json
import os
import re
import sys


def element(doc, tag):
    m = re.search(r"<%s>(.*?)</%s>" % (tag, tag), doc, re.S)
    return m.group(1).strip() if m else ""


def articles(root):
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".txt"):
                continue
            with open(os.path.join(d, name), encoding="utf-8", errors="replace") as f:
                text = f.read()
            for doc in re.findall(r"<DOC>(.*?)</DOC>", text, re.S):
                yield element(doc, "DOCNO"), element(doc, "TITLE"), element(doc, "TEXT")


def main():
    root, out = sys.argv[1], sys.argv[2]
    copies = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    parts = int(sys.argv[4]) if len(sys.argv) > 4 else 8
    os.makedirs(out, exist_ok=True)
    docs = list(articles(root))
    for k in range(1, copies + 1):
        writers = [
            open(os.path.join(out, "copy%02d-part%02d.jsonl" % (k, p)), "w", encoding="utf-8")
            for p in range(parts)
        ]
        for i, (docno, title, text) in enumerate(docs):
            if k > 1:
                docno, text = "c%d-%s" % (k, docno), "%s\n(نسخة %d)" % (text, k)
            line = json.dumps({"id": docno, "title": title, "text": text}, ensure_ascii=False)
            writers[i % parts].write(line + "\n")
        for w in writers:
            w.close()


if __name__ == "__main__":
    main()
