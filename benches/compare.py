#!/usr/bin/env python3
"""akhbar beside the Lucene ArabicAnalyzer harness, same machine, same run.

Run through benches/compare.sh, which builds akhbar and installs what is
missing. Sections (--only picks some):

  indexing   the corpus as JSON Lines (both engines read the same bytes) at
             1 and 2 threads: MB/s, articles/s, peak RSS, index size; then
             akhbar on the original files and a second, incremental run
  search     three sets of distinct queries (single words, 2-3 words,
             headlines), each with ids only and with snippets, with and
             without a facet: single-thread QPS, p50, p99
  relevance  MRR@10 on knownitem-ant and ARCD train; analysis cases passed
  scale      indexing and search at several multiples of the corpus (copies
             with changed ids, shuffled sentences, new word forms), with an
             SVG plot of how time, memory, index size and p99 grow

Prints one table per section and a list of the targets with their status.
Exits 1 when either engine fails to run (a missed target is reported, not
an error).
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETS = ("words", "phrases", "headlines")
# mode: (akhbar arguments, Lucene arguments)
MODES = {
    "ids": (["--fields", "id,score"], []),
    "ids+facet": (["--fields", "id,score", "--facet", "country"], ["--facet", "source"]),
    "snippets": ([], ["--highlight"]),
    "snippets+facet": (["--facet", "country"], ["--highlight", "--facet", "source"]),
}


class SideFailed(Exception):
    pass


def log(msg):
    print(f"compare: {msg}", file=sys.stderr, flush=True)


def run(cmd, **kw):
    """Runs a command, returns (stdout, stderr); raises SideFailed on failure."""
    kw.setdefault("stdout", subprocess.PIPE)
    p = subprocess.run(cmd, stderr=subprocess.PIPE, text=True, **kw)
    if p.returncode != 0:
        tail = "\n".join((p.stderr or p.stdout).strip().splitlines()[-5:])
        raise SideFailed(f"{' '.join(map(str, cmd[:3]))} … exited {p.returncode}: {tail}")
    return p.stdout, p.stderr


def timed(cmd):
    """Runs a command under /usr/bin/time: (wall s, peak RSS MB, CPU s, stdout, stderr)."""
    tf = os.path.join(ARGS.work, "time.txt")
    out, err = run(["/usr/bin/time", "-f", "%e %M %U %S", "-o", tf] + cmd)
    wall, rss, user, sys_ = open(tf).read().split()[-4:]
    return float(wall), int(rss) / 1024, float(user) + float(sys_), out, err


def dir_bytes(path):
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(d, f))
            except OSError:
                pass
    return total


def ratio(a, b, higher_is_better=True):
    if not a or not b:
        return "-"
    return f"{(a / b if higher_is_better else b / a):.2f}x"


def table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(str(c).rjust(w) if i else str(c).ljust(w)
                                        for i, (c, w) in enumerate(zip(r, widths))) + " |"
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))
    print(flush=True)


# ---------------------------------------------------------------- engines

def akhbar_index(src, index, threads, tagging=True):
    wall, rss, cpu, _, err = timed([AKHBAR, "index", src, "--index", index, "--rebuild",
                                    "--threads", str(threads), "--progress", "none"]
                                   + ([] if tagging else ["--no-tagging"]))
    return {"wall": wall, "rss": rss, "cpu": cpu, "size": dir_bytes(index), "log": err}


def lucene_index(src, index, threads, store_body=False):
    shutil.rmtree(index, ignore_errors=True)
    cmd = ["sh", LUCENE, "index", src, index, "--threads", str(threads)]
    if store_body:
        cmd.append("--store-body")
    wall, rss, cpu, out, _ = timed(cmd)
    vals = dict(l.split()[:2] for l in out.splitlines() if len(l.split()) >= 2)
    return {"wall": float(vals.get("wall_seconds", wall)), "rss": rss, "cpu": cpu,
            "size": int(vals.get("index_size_bytes", dir_bytes(index)))}


def akhbar_search(index, queries, extra):
    _, err = run([AKHBAR, "search", "--index", index, "--queries", queries, "--warmup", "1",
                  "--limit", "10"] + extra, stdout=subprocess.DEVNULL)
    m = re.search(r"([\d.]+) queries/s, median ([\d.]+) ms, p99 ([\d.]+) ms", err)
    if not m:
        raise SideFailed(f"akhbar search printed no timing: {err.strip()[-300:]}")
    return tuple(float(x) for x in m.groups())


def lucene_search(index, queries, extra):
    _, err = run(["sh", LUCENE, "search", index, queries, "10", "--warmup", "1"] + extra,
                 stdout=subprocess.DEVNULL)
    vals = dict(l.split("\t")[:2] for l in err.splitlines() if "\t" in l)
    try:
        return float(vals["qps_single_thread"]), float(vals["median_ms"]), float(vals["p99_ms"])
    except KeyError:
        raise SideFailed(f"Lucene search printed no timing: {err.strip()[-300:]}")


# ---------------------------------------------------------------- sections

def jsonl_copy(copies):
    out = os.path.join(ARGS.work, f"jsonl-{copies}")
    if not os.path.isdir(out):
        run([sys.executable, os.path.join(ROOT, "benches", "corpus.py"), "jsonl", ARGS.corpus, out,
             "--copies", str(copies)])
    return out


def articles_in(jsonl_dir):
    n = 0
    for f in os.listdir(jsonl_dir):
        with open(os.path.join(jsonl_dir, f), "rb") as fh:
            n += sum(1 for _ in fh)
    return n


def index_row(name, r, mb, n):
    """A row of the indexing table for one run of `mb` MB and `n` articles."""
    return [name, f"{mb / r['wall']:.1f}", f"{n / r['wall']:.0f}", f"{r['wall']:.2f}", f"{r['cpu']:.1f}",
            f"{r['rss']:.0f}", f"{r['size'] / 1e6:.1f}"]


def indexing():
    print("## Indexing\n")
    src = jsonl_copy(1)
    mb = dir_bytes(src) / 1e6
    n = articles_in(src)
    rows = []
    for threads in (1, 2):
        log(f"indexing at {threads} thread(s)")
        l = lucene_index(src, os.path.join(ARGS.work, f"lucene-{threads}"), threads)
        a = akhbar_index(src, os.path.join(ARGS.work, f"akhbar-{threads}"), threads)
        RESULTS[f"index{threads}"] = (a, l, mb)
        for name, r in (("akhbar", a), ("Lucene", l)):
            rows.append(index_row(f"{name}, {threads} thread{'s' if threads > 1 else ''}", r, mb, n))
        rows.append([f"akhbar / Lucene, {threads}", ratio(a["wall"], l["wall"], False),
                     ratio(a["wall"], l["wall"], False), "", f"{a['cpu'] / l['cpu']:.2f}x", "", ""])
    # Tagging's share is a difference of two noisy timings: the runs with
    # and without it alternate three times and the fastest of each counts.
    log("indexing with and without entity tagging, alternately")
    tagged, untagged = [RESULTS["index2"][0]], []
    for i in range(3):
        untagged.append(akhbar_index(src, os.path.join(ARGS.work, "akhbar-untagged"), 2, tagging=False))
        if i < 2:
            tagged.append(akhbar_index(src, os.path.join(ARGS.work, "akhbar-tagged"), 2))
    a2 = min(tagged, key=lambda r: r["cpu"])
    untagged = min(untagged, key=lambda r: r["cpu"])
    shutil.rmtree(os.path.join(ARGS.work, "akhbar-tagged"), ignore_errors=True)
    RESULTS["tagging"] = (a2, untagged)
    rows.append(index_row("akhbar, 2, no tagging", untagged, mb, n))
    shutil.rmtree(os.path.join(ARGS.work, "akhbar-untagged"), ignore_errors=True)
    log("indexing the original files and re-running")
    orig = os.path.join(ARGS.work, "akhbar-original")
    a = akhbar_index(ARGS.corpus, orig, 2)
    orig_mb = dir_bytes(ARGS.corpus) / 1e6
    rows.append(index_row("akhbar, original files, 2", a, orig_mb, n))
    wall, rss, cpu, _, err = timed([AKHBAR, "index", ARGS.corpus, "--index", orig, "--threads", "2",
                                    "--progress", "none"])
    again = re.search(r"indexed (\d+) articles", err)
    table(["run", "MB/s", "articles/s", "wall s", "CPU s", "peak RSS MB", "index MB"], rows)
    print(f"Input: {mb:.1f} MB of JSON Lines, {n} articles (id, title, text, source, date). akhbar stores "
          "title, text and metadata, indexes four analyzed forms of the text (exact, light stems, name "
          "skeletons, lead) and three of the title, tags actors, places and countries, and drops "
          "duplicates; Lucene indexes title and body once (ArabicAnalyzer) and stores the title and "
          "metadata, not the body.")
    print(f"Entity tagging adds {a2['wall'] / untagged['wall'] - 1:+.0%} wall time and "
          f"{a2['cpu'] / untagged['cpu'] - 1:+.0%} CPU time (2 threads, tagging vs `--no-tagging`, "
          "the fastest of three runs each, alternating).")
    print(f"Second run over the original files: indexed {again.group(1) if again else '?'} articles "
          f"in {wall:.2f} s.\n")


def search():
    print("## Search (single thread, top 10)\n")
    qdir = query_sets()
    a_index, l_index = search_indexes(1)
    rows = []
    for s in SETS:
        for mode, (a_args, l_args) in MODES.items():
            log(f"search {s} {mode}")
            q = os.path.join(qdir, f"{s}.txt")
            a = akhbar_search(a_index, q, a_args)
            l = lucene_search(l_index, q, l_args)
            RESULTS.setdefault("search", []).append((s, mode, a, l))
            rows.append([s, mode, f"{a[0]:.0f}", f"{a[1]:.3f}", f"{a[2]:.3f}",
                         f"{l[0]:.0f}", f"{l[1]:.3f}", f"{l[2]:.3f}", ratio(a[0], l[0])])
    table(["queries", "mode", "akhbar q/s", "p50 ms", "p99 ms", "Lucene q/s", "p50 ms", "p99 ms",
           "QPS ratio"], rows)
    counts = {s: sum(1 for _ in open(os.path.join(qdir, f"{s}.txt"), encoding="utf-8")) for s in SETS}
    print("Distinct queries per set: " + ", ".join(f"{s} {c}" for s, c in counts.items()) +
          ". Facets: akhbar counts `country` (multi-valued, tagged), Lucene `source`. Snippets: akhbar "
          "highlights every matched form in fragments of the stored text; Lucene's UnifiedHighlighter "
          "makes one passage per hit from the stored body.\n")


def query_sets():
    """The directory of the three query sets, made once per run."""
    qdir = os.path.join(ARGS.work, "queries")
    if "queries" not in RESULTS:
        run([sys.executable, os.path.join(ROOT, "benches", "corpus.py"), "queries", ARGS.corpus, qdir,
             "--count", str(ARGS.queries)])
        RESULTS["queries"] = qdir
    return qdir


def search_indexes(copies):
    """akhbar and Lucene (body stored, for snippets) indexes of a corpus multiple."""
    src = jsonl_copy(copies)
    a_index = os.path.join(ARGS.work, f"akhbar-{copies}x" if copies > 1 else "akhbar-2")
    l_index = os.path.join(ARGS.work, f"lucene-stored-{copies}x")
    if not os.path.exists(os.path.join(a_index, "akhbar.json")):
        akhbar_index(src, a_index, 2)
    if not os.path.isdir(l_index):
        lucene_index(src, l_index, 2, store_body=True)
    return a_index, l_index


def relevance():
    print("## Relevance\n")
    ev = os.path.join(ARGS.shared, "eval")
    rows = []
    sets = [("knownitem-ant", "bodies.jsonl", "topics.tsv", "topics.qrels"),
            ("arcd", "docs.jsonl", "train.tsv", "train.qrels")]
    for name, docs, topics, qrels in sets:
        d = os.path.join(ev, name)
        if not os.path.isdir(d):
            log(f"relevance: {d} not found, skipped")
            continue
        log(f"relevance {name}")
        w = os.path.join(ARGS.work, f"rel-{name}")
        shutil.rmtree(w, ignore_errors=True)
        os.makedirs(os.path.join(w, "docs"))
        shutil.copy(os.path.join(d, docs), os.path.join(w, "docs"))
        t, q = os.path.join(d, topics), os.path.join(d, qrels)
        run([AKHBAR, "index", os.path.join(w, "docs"), "--index", os.path.join(w, "akhbar"),
             "--progress", "none"])
        run([AKHBAR, "eval", "--topics", t, "--qrels", q, "--index", os.path.join(w, "akhbar"),
             "--run", os.path.join(w, "akhbar.run")])
        run(["sh", LUCENE, "index", os.path.join(w, "docs"), os.path.join(w, "lucene")])
        with open(t, encoding="utf-8") as f, open(os.path.join(w, "q.txt"), "w", encoding="utf-8") as o:
            for line in f:
                if line.strip():
                    o.write(line.rstrip("\n").split("\t", 1)[1] + "\n")
        out, _ = run(["sh", LUCENE, "search", os.path.join(w, "lucene"), os.path.join(w, "q.txt"), "100"])
        open(os.path.join(w, "lucene.run"), "w", encoding="utf-8").write(out)
        a, l = (mrr(t, q, os.path.join(w, f"{side}.run")) for side in ("akhbar", "lucene"))
        RESULTS[f"mrr-{name}"] = (a, l)
        rows.append([f"MRR@10 {name}", f"{a:.3f}", f"{l:.3f}", f"{a - l:+.3f}"])
    cases = os.path.join(ev, "analysis", "dev-cases.tsv")
    if os.path.isfile(cases):
        out, _ = run([AKHBAR, "eval", "--cases", cases, "--json"])
        got = {c["class"]: (c["passed"], c["total"]) for c in json.loads(out)["classes"]}
        lucene = lucene_cases(cases)
        RESULTS["cases"] = (got, lucene)
        for cls in ("match", "nomatch", "variant"):
            a, l = got.get(cls, (0, 0)), lucene.get(cls, (0, 0))
            rows.append([f"analysis cases: {cls}", f"{a[0]}/{a[1]}", f"{l[0]}/{l[1]}", f"{a[0] - l[0]:+d}"])
    table(["measure", "akhbar", "Lucene", "difference"], rows)
    print("Each set indexed as its README says; akhbar's search as users get it (`akhbar eval`: the top 100 of `akhbar search`) against Lucene's "
          "QueryParser (OR of the analyzed words, BM25). Analysis cases: every query word required "
          "(akhbar `eval --cases`; Lucene: the query's terms all among the document's terms).\n")


def mrr(topics, qrels, run_file):
    out, _ = run([sys.executable, os.path.join(ARGS.shared, "eval", "score.py"), topics, qrels, run_file])
    return float(out.split()[-1].split("=")[-1])


def lucene_cases(path):
    """Analysis cases under Lucene's analyzer: a query retrieves a document
    when all its terms are among the document's (what an all-words-required
    query does), and a query with no terms retrieves nothing."""
    cases = []
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if line.startswith("#") or len(f) < 3:
            continue
        cases.append(f[:3])
    text = "".join(f"{c[1]}\n{c[2]}\n" for c in cases)
    out, _ = run(["sh", LUCENE, "analyze"], input=text)
    lines = out.split("\n")
    counts = {}
    for i, (cls, _, _) in enumerate(cases):
        q = set(filter(None, lines[2 * i].split("\t")))
        d = set(filter(None, lines[2 * i + 1].split("\t")))
        found = bool(q) and q <= d
        ok = found != (cls == "nomatch")
        p, t = counts.get(cls, (0, 0))
        counts[cls] = (p + ok, t + 1)
    return counts


def scale():
    print("## Scale curve (2 threads; p99 over 1-3 word queries with a facet and snippets)\n")
    qdir = query_sets()
    short = os.path.join(ARGS.work, "short-queries.txt")
    with open(short, "w", encoding="utf-8") as o:
        for s in ("words", "phrases"):
            lines = open(os.path.join(qdir, f"{s}.txt"), encoding="utf-8").read().split("\n")
            o.write("\n".join(l for l in lines[:ARGS.scale_queries // 2] if l) + "\n")
    rows, points = [], []
    base = None
    for copies in ARGS.scales:
        log(f"scale {copies}x")
        src = jsonl_copy(copies)
        mb, n = dir_bytes(src) / 1e6, articles_in(src)
        a_index = os.path.join(ARGS.work, f"akhbar-scale-{copies}x")
        a = akhbar_index(src, a_index, 2)
        l_index = os.path.join(ARGS.work, f"lucene-scale-{copies}x")
        l = lucene_index(src, l_index, 2, store_body=True)
        aq = akhbar_search(a_index, short, MODES["snippets+facet"][0])
        lq = lucene_search(l_index, short, MODES["snippets+facet"][1])
        if base is None:
            base = (copies, a["wall"], l["wall"])
        a_lin = a["wall"] / (base[1] * copies / base[0])
        l_lin = l["wall"] / (base[2] * copies / base[0])
        points.append((copies, a, l, aq, lq))
        rows.append([f"{copies}x", n, f"{mb:.0f}", f"{a['wall']:.1f}", f"{a_lin:.2f}", f"{a['rss']:.0f}",
                     f"{a['size'] / 1e6:.0f}", f"{aq[2]:.2f}", f"{l['wall']:.1f}", f"{l_lin:.2f}",
                     f"{l['rss']:.0f}", f"{l['size'] / 1e6:.0f}", f"{lq[2]:.2f}"])
        shutil.rmtree(a_index, ignore_errors=True)
        shutil.rmtree(l_index, ignore_errors=True)
        if copies > 1:
            shutil.rmtree(src, ignore_errors=True)
    RESULTS["scale"] = points
    table(["scale", "articles", "input MB", "akhbar s", "vs linear", "RSS MB", "index MB", "p99 ms",
           "Lucene s", "vs linear", "RSS MB", "index MB", "p99 ms"], rows)
    print("`vs linear`: time divided by the smallest scale's time times the scale factor (1.00 = linear). "
          "Lucene stores the body here (for its snippets).\n")
    if ARGS.svg:
        with open(ARGS.svg, "w", encoding="utf-8") as f:
            f.write(plot(points))
        print(f"Plot written to {os.path.relpath(ARGS.svg, ROOT)}.\n")


def plot(points):
    """Four small line charts (time, peak RSS, index size, p99 against the
    corpus multiple), akhbar and Lucene, as a standalone SVG."""
    panels = [("indexing time (s)", lambda p: (p[1]["wall"], p[2]["wall"])),
              ("peak RSS (MB)", lambda p: (p[1]["rss"], p[2]["rss"])),
              ("index size (MB)", lambda p: (p[1]["size"] / 1e6, p[2]["size"] / 1e6)),
              ("p99, 1-3 words + facet + snippets (ms)", lambda p: (p[3][2], p[4][2]))]
    W, H, pad = 300, 200, 40
    xs = [p[0] for p in points]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{2 * H + 30}" '
           'font-family="sans-serif" font-size="11">',
           f'<rect width="{2 * W}" height="{2 * H + 30}" fill="white"/>',
           f'<text x="10" y="{2 * H + 20}" fill="#c0392b">— akhbar</text>',
           f'<text x="90" y="{2 * H + 20}" fill="#2471a3">— Lucene</text>',
           f'<text x="170" y="{2 * H + 20}" fill="#c0392b">- - akhbar, linear</text>',
           f'<text x="290" y="{2 * H + 20}" fill="#888">x axis: corpus multiple ({", ".join(map(str, xs))}x)</text>']
    for i, (title, get) in enumerate(panels):
        ox, oy = (i % 2) * W, (i // 2) * H
        vals = [get(p) for p in points]
        top = max(max(v) for v in vals) * 1.1 or 1
        X = lambda x: ox + pad + (x - min(xs)) / ((max(xs) - min(xs)) or 1) * (W - 2 * pad)
        Y = lambda y: oy + H - pad + 10 - y / top * (H - 2 * pad)
        out.append(f'<text x="{ox + pad}" y="{oy + 18}" font-weight="bold">{title}</text>')
        out.append(f'<line x1="{ox + pad}" y1="{Y(0)}" x2="{ox + W - pad}" y2="{Y(0)}" stroke="#999"/>')
        out.append(f'<line x1="{ox + pad}" y1="{Y(0)}" x2="{ox + pad}" y2="{Y(top)}" stroke="#999"/>')
        out.append(f'<text x="{ox + 4}" y="{Y(top) + 4}" fill="#666">{top:.0f}</text>')
        for x in xs:
            out.append(f'<text x="{X(x) - 6}" y="{Y(0) + 14}" fill="#666">{x}x</text>')
        for side, color in ((0, "#c0392b"), (1, "#2471a3")):
            pts = " ".join(f"{X(x):.1f},{Y(v[side]):.1f}" for x, v in zip(xs, vals))
            out.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2"/>')
            for x, v in zip(xs, vals):
                out.append(f'<circle cx="{X(x):.1f}" cy="{Y(v[side]):.1f}" r="3" fill="{color}"/>')
        if i == 0 and len(xs) > 1:  # linear reference from the smallest scale
            v0 = vals[0][0] / xs[0]
            out.append(f'<line x1="{X(xs[0]):.1f}" y1="{Y(v0 * xs[0]):.1f}" x2="{X(xs[-1]):.1f}" '
                       f'y2="{Y(v0 * xs[-1]):.1f}" stroke="#c0392b" stroke-dasharray="4 3"/>')
    out.append("</svg>\n")
    return "\n".join(out)


def targets():
    print("## Targets\n")
    lines = []
    def check(name, ok, detail):
        lines.append(f"- [{'x' if ok else ' '}] {name}: {detail}")
    if "index2" in RESULTS:
        a, l, mb = RESULTS["index2"]
        r = l["wall"] / a["wall"]
        check("indexing >= 2x Lucene's MB/s at 2 threads", r >= 2, f"{r:.2f}x")
    if "tagging" in RESULTS:
        a, u = RESULTS["tagging"]
        over = a["wall"] / u["wall"] - 1
        check("entity tagging adds <= 25% to indexing time", over <= 0.25,
              f"{over:+.0%} wall, {a['cpu'] / u['cpu'] - 1:+.0%} CPU")
    if "search" in RESULTS:
        worst = min(RESULTS["search"], key=lambda x: x[2][0] / x[3][0])
        r = worst[2][0] / worst[3][0]
        check("search QPS >= 2x Lucene on every set and mode", r >= 2,
              f"lowest {r:.2f}x ({worst[0]}, {worst[1]})")
        p99 = max(x[2][2] for x in RESULTS["search"] if x[0] != "headlines" and x[1] == "snippets+facet")
        check("p99 <= 5 ms, 1-3 words with facet and snippets", p99 <= 5, f"{p99:.2f} ms")
    for name in ("knownitem-ant", "arcd"):
        if f"mrr-{name}" in RESULTS:
            a, l = RESULTS[f"mrr-{name}"]
            check(f"MRR@10 {name} >= Lucene + 0.05", a >= l + 0.05, f"{a:.3f} vs {l:.3f}")
    if "scale" in RESULTS and len(RESULTS["scale"]) > 1:
        pts = RESULTS["scale"]
        (c0, a0, *_), (cn, an, _, aq, _) = pts[0], pts[-1]
        lin = an["wall"] / (a0["wall"] * cn / c0)
        check(f"indexing time at {cn}x within 1.3x of linear", lin <= 1.3, f"{lin:.2f}x")
        check(f"p99 at {cn}x <= 15 ms (1-3 words, facet, snippets)", aq[2] <= 15, f"{aq[2]:.2f} ms")
    print("\n".join(lines) + "\n")


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "?"
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.split("\n")[0]
    load = open("/proc/loadavg").read().split()[:3]
    print("# akhbar vs Lucene ArabicAnalyzer\n")
    print(f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"- machine: {os.cpu_count()} cores, {cpu}, {mem} MB RAM, {platform.system()} {platform.release()}; "
          f"load average at start {' '.join(load)}")
    print(f"- akhbar {commit} (release build); Lucene 8.8 harness ({LUCENE}), {java}")
    print(f"- corpus: {ARGS.corpus}\n", flush=True)


def main():
    global ARGS, AKHBAR, LUCENE, RESULTS
    p = argparse.ArgumentParser(description="akhbar beside Lucene, same run")
    p.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus", "ant-v2.1"))
    p.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    p.add_argument("--work", default="/tmp/akhbar-compare")
    p.add_argument("--queries", type=int, default=10000, help="distinct queries per set")
    p.add_argument("--scales", default="1,4,16")
    p.add_argument("--scale-queries", type=int, default=2000, help="1-3 word queries per scale point")
    p.add_argument("--svg", default=os.path.join(ROOT, "benches", "scale-curve.svg"))
    p.add_argument("--only", default="indexing,search,relevance,scale")
    ARGS = p.parse_args()
    ARGS.corpus = os.path.abspath(ARGS.corpus)
    ARGS.shared = os.path.abspath(ARGS.shared)
    ARGS.scales = [int(s) for s in ARGS.scales.split(",") if s]
    AKHBAR = os.path.join(ROOT, "target", "release", "akhbar")
    RESULTS = {}
    if not os.path.isdir(ARGS.corpus):
        sys.exit(f"compare: no corpus at {ARGS.corpus} (pass --corpus DIR)")
    os.makedirs(ARGS.work, exist_ok=True)
    # The harness compiles into its own directory: run a copy.
    lucene_dir = os.path.join(ARGS.work, "lucene-harness")
    os.makedirs(lucene_dir, exist_ok=True)
    peer = os.path.join(ARGS.shared, "peers", "lucene")
    for f in os.listdir(peer):
        if f.endswith(".java") or f == "run.sh":
            shutil.copy(os.path.join(peer, f), lucene_dir)
    LUCENE = os.path.join(lucene_dir, "run.sh")
    machine()
    if not os.access(AKHBAR, os.X_OK):
        sys.exit(f"compare: {AKHBAR} not found (cargo build --release)")
    sections = {"indexing": indexing, "search": search, "relevance": relevance, "scale": scale}
    started = time.time()
    failed = False
    chosen = [s for s in ARGS.only.split(",") if s]
    for name in chosen:
        if name not in sections:
            sys.exit(f"compare: unknown section {name!r} (indexing, search, relevance, scale)")
    for name in chosen:
        try:
            sections[name]()
        except SideFailed as e:
            print(f"**{name}: a side failed**: {e}\n", flush=True)
            failed = True
    targets()
    log(f"done in {time.time() - started:.0f} s; work files in {ARGS.work}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
