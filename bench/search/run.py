"""Search benchmark: newsdigest's index against Pagefind, side by side, on one generated corpus.

    pip install 'pagefind[extended]'          # the benchmark's own dependency, nothing else needs it
    python bench/search/run.py [--articles 10000] [--seed 1] [--queries 100] [--encodings] [--keep DIR]

Measures for each tool: index build time (wall clock of its process), peak memory (the process's
maximum resident set, from wait4), index bytes on disk, the median bytes a browser fetches for a
typical query (headless Chromium, empty cache, the first 10 results with their excerpts), and
recall and precision on random substring queries. README.md says how each is counted.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import html
import http.server
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

from newsdigest import search  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PAGE_SIZE = 10
OURS_CORE = ("search/",)  # every file of our index, and search.js


def pagefind_binary() -> str:
    try:
        import pagefind_bin_extended
    except ImportError:
        sys.exit("Pagefind is missing: pip install 'pagefind[extended]'")
    return str(Path(pagefind_bin_extended.__file__).parent / "pagefind_extended")


def run_child(argv: list[str], log: Path) -> dict:
    """Runs a process to its end: wall seconds, peak resident memory (MB), its output."""
    with open(log, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    if process.returncode:
        sys.exit(f"{argv[0]} failed ({process.returncode}):\n{text[-3000:]}")
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "output": text}


def keep(results: dict, tool: str, run: dict) -> None:
    """The fastest run's time, the largest peak memory seen."""
    best = results.setdefault(tool, dict(run))
    best["seconds"] = min(best["seconds"], run["seconds"])
    if "index_seconds" in run:
        best["index_seconds"] = min(best["index_seconds"], run["index_seconds"])
    best["peak_mb"] = max(best["peak_mb"], run["peak_mb"])


def size_of(folder: Path, skip=()) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and p.name not in skip]
    return sum(p.stat().st_size for p in files), len(files)


# ---------------------------------------------------------------- the corpus, twice


def write_inputs(work: Path, count: int, seed: int, pages_too: bool = True):
    """docs.jsonl for us; one HTML page per article for Pagefind (the same text: headline, byline
    names, paragraphs, captions and credits; topics and regions as Pagefind filters)."""
    topics, regions = corpus.taxonomy()
    pages = work / "pages"
    docs = []
    articles = list(corpus.articles(count, seed))
    for a in articles:
        docs.append(search.Doc(a.url, a.title, a.date, a.topics, a.regions, a.text))
    with open(work / "docs.jsonl", "w", encoding="utf-8") as out:  # in id order, as the index numbers them
        out.write(
            json.dumps(
                {"count": count, "topics": [[s, n] for s, n, _ in topics], "regions": regions}, ensure_ascii=False
            )
            + "\n"
        )
        for d in search._rank(docs):
            out.write(
                json.dumps(
                    {
                        "url": d.url,
                        "title": d.title,
                        "date": d.date,
                        "topics": d.topics,
                        "regions": d.regions,
                        "text": d.text,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    for a in articles if pages_too else ():
        e = html.escape
        body = "".join(f"<p>{e(p)}</p>" for p in a.paragraphs) + "".join(
            f"<figure><figcaption>{e(c)} <span>{e(k)}</span></figcaption></figure>" for c, k in a.captions
        )
        filters = "".join(f'<span data-pagefind-filter="topic">{t}</span>' for t in a.topics) + "".join(
            f'<span data-pagefind-filter="region">{r}</span>' for r in a.regions
        )
        page = pages / a.url / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{e(a.title)}</title></head>'
            f"<body><article data-pagefind-body><h1>{e(a.title)}</h1><p>{' '.join(map(e, a.byline))}</p>{body}"
            f'<div data-pagefind-ignore hidden><time data-pagefind-sort="date[datetime]" datetime="{a.date}">'
            f"</time>{filters}</div></article></body></html>",
            encoding="utf-8",
        )
    return docs


def typical_queries(docs: list[search.Doc], seed: int) -> list[str]:
    """A fixed set of what readers type: people's names, places, and 2-4 character words of headlines."""
    rng = random.Random(seed * 7919)
    names = sorted({n for d in docs for n in d.text[:1] if 2 <= len(n) <= 3})
    places = ["宁波", "北京", "墨西哥", "镇海", "杭州", "新疆"]
    words = []
    while len(words) < 8:
        title = rng.choice(docs).title.replace(" ", "")
        length = rng.randint(2, 4)
        if len(title) > length:
            start = rng.randrange(len(title) - length)
            word = title[start : start + length]
            if all("\u4e00" <= ch <= "\u9fff" for ch in word):
                words.append(word)
    return rng.sample(names, 6) + places + words


def substring_queries(docs: list[search.Doc], count: int, seed: int) -> list[str]:
    """Random 1-4 character CJK substrings of random articles' texts."""
    rng = random.Random(seed * 104729)
    out = []
    while len(out) < count:
        doc = rng.choice(docs)
        part = rng.choice([doc.title, *doc.text])
        length = rng.randint(1, 4)
        if len(part) < length:
            continue
        start = rng.randrange(len(part) - length + 1)
        query = part[start : start + length]
        if all("\u4e00" <= ch <= "\u9fff" for ch in query):
            out.append(query)
    return out


# ---------------------------------------------------------------- in the browser


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


OURS_QUERY = """async ([q, limit, brief]) => {
    const m = await import("./search/search.js");
    const found = await m.search(q, limit ? {limit, brief} : {brief});
    return found.map(r => r.id);
}"""
PAGEFIND_QUERY = """async ([q, limit]) => {
    const pf = await import("./pagefind/pagefind.js");
    await pf.init();
    const found = await pf.search(q);
    if (limit) await Promise.all(found.results.slice(0, limit).map(r => r.data()));
    return found.results.map(r => r.id);
}"""


def in_browser(url: str, queries: list[str], substrings: list[str]):
    """(bytes fetched per typical query for each tool, the ids each tool found per substring query)."""
    from playwright.sync_api import sync_playwright

    fetched = {"ours": [], "pagefind": []}
    found = {"ours": [], "pagefind": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        for tool, folder, script in (("ours", "ours/", OURS_QUERY), ("pagefind", "pf/", PAGEFIND_QUERY)):
            for query in queries:  # an empty cache for each query
                context = browser.new_context()
                page = context.new_page()
                page.goto(url + folder + "index.html")
                responses = []
                page.on("response", lambda response, responses=responses: responses.append(response))
                page.evaluate(script, [query, PAGE_SIZE, False])
                fetched[tool].append(sum(int(r.headers.get("content-length", "0")) for r in responses))
                context.close()
            context = browser.new_context()
            page = context.new_page()
            page.goto(url + folder + "index.html")
            for query in substrings:
                found[tool].append(page.evaluate(script, [query, 0, True]))
            context.close()
        browser.close()
    return fetched, found


# ---------------------------------------------------------------- encodings of the posting lists


def measure_encodings(docs: list[search.Doc]) -> list[tuple[str, int]]:
    """Bytes of the CJK posting lists (all text, not titles) under several encodings, cut into the
    same shards: raw 32-bit ids; LEB128 varint gaps; varint gaps DEFLATEd per shard; and what
    newsdigest/search/ writes (byte-split fixed-width columns, DEFLATEd per shard)."""
    import zlib
    from array import array
    from collections import defaultdict

    ranked = search._rank(docs)
    postings = defaultdict(list)
    for i, doc in enumerate(ranked):
        keys, _ = search.tokens("\n".join([search.clean(doc.title), *map(search.clean, doc.text)]))
        for k in keys:
            if k >= 0x10000:
                postings[k].append(i)
    codes = sorted(postings)
    lists = [postings[k] for k in codes]
    starts = search._cuts([4 + 2 * len(ids) for ids in lists], search._hashes(codes))
    width = search.width_of(len(ranked))
    totals = {
        "raw uint32 ids + uint32 key": 0,
        "varint gaps": 0,
        "varint gaps + DEFLATE": 0,
        "byte-split columns + DEFLATE (ours)": 0,
    }
    for a, b in zip(starts, [*starts[1:], len(codes)]):
        raw = bytearray()
        varints = bytearray()
        previous = codes[a]
        for code, ids in zip(codes[a:b], lists[a:b]):
            raw += array("I", [code, len(ids), *ids]).tobytes()
            varints += search.varint(code - previous) + search.varint(len(ids)) + search.varint(ids[0])
            for x, y in zip(ids, ids[1:]):
                varints += search.varint(y - x - 1)
            previous = code
        totals["raw uint32 ids + uint32 key"] += len(raw)
        totals["varint gaps"] += len(varints)
        totals["varint gaps + DEFLATE"] += len(zlib.compress(bytes(varints), 9))
        ours = search.encode_section(codes[a:b], lists[a:b], width)
        totals["byte-split columns + DEFLATE (ours)"] += len(search.deflate(ours))
    return list(totals.items())


# ---------------------------------------------------------------- main


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=100, help="random substring queries for recall/precision")
    parser.add_argument("--encodings", action="store_true", help="also measure other posting list encodings")
    parser.add_argument("--repeat", type=int, default=1, help="build each index this many times, alternately")
    parser.add_argument("--no-pagefind", action="store_true", help="measure our index alone")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    binary = None if args.no_pagefind else pagefind_binary()
    work = args.keep or Path(tempfile.mkdtemp(prefix="search-bench-"))
    if work.exists() and args.keep:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    print(f"corpus: {args.articles} articles (seed {args.seed}) in {work}", flush=True)
    started = time.perf_counter()
    docs = write_inputs(work, args.articles, args.seed, pages_too=bool(binary))
    chars = sum(len(d.title) + sum(map(len, d.text)) for d in docs)
    print(
        f"  generated in {time.perf_counter() - started:.1f} s: {chars:,} characters, "
        f"{chars / len(docs):.0f} an article",
        flush=True,
    )

    results = {}
    ui = {
        "pagefind-ui.js",
        "pagefind-ui.css",
        "pagefind-modular-ui.js",
        "pagefind-modular-ui.css",
        "pagefind-component-ui.js",
        "pagefind-component-ui.css",
        "pagefind-highlight.js",
    }
    for _round in range(args.repeat):  # alternately, so that both see the same machine; best time kept
        shutil.rmtree(work / "ours", ignore_errors=True)
        ours = run_child(
            [sys.executable, str(HERE / "build_ours.py"), str(work / "docs.jsonl"), str(work / "ours")],
            work / "ours.log",
        )
        ours["bytes"], ours["files"] = size_of(work / "ours" / "search")
        ours["index_seconds"] = json.loads(ours["output"].strip().splitlines()[-1])["index_seconds"]
        print(
            f"  ours: {ours['seconds']:.1f} s, {ours['peak_mb']:.0f} MB peak, {ours['bytes'] / 1e6:.1f} MB in "
            f"{ours['files']} files",
            flush=True,
        )
        keep(results, "ours", ours)
        if binary:
            shutil.rmtree(work / "pf", ignore_errors=True)
            pf = run_child(
                [binary, "--site", str(work / "pages"), "--output-path", str(work / "pf" / "pagefind")],
                work / "pagefind.log",
            )
            pf["bytes"], pf["files"] = size_of(work / "pf" / "pagefind", skip=ui)
            pf["bytes_with_ui"], _ = size_of(work / "pf" / "pagefind")
            print(
                f"  pagefind: {pf['seconds']:.1f} s, {pf['peak_mb']:.0f} MB peak, {pf['bytes'] / 1e6:.1f} MB in "
                f"{pf['files']} files ({pf['bytes_with_ui'] / 1e6:.1f} MB with its UI files)",
                flush=True,
            )
            keep(results, "pagefind", pf)
    (work / "ours" / "index.html").write_text("<!DOCTYPE html><title>ours</title>", encoding="utf-8")
    if binary:
        (work / "pf" / "index.html").write_text("<!DOCTYPE html><title>pagefind</title>", encoding="utf-8")

    queries = typical_queries(docs, args.seed)
    substrings = substring_queries(docs, args.queries, args.seed)
    server, url = serve(work)
    try:
        fetched, found = in_browser(url, queries, substrings) if binary else ({}, {})
    finally:
        server.shutdown()

    # the truth: articles whose text (title, byline names, paragraphs, captions, credits) holds the query
    ranked = search._rank(docs)
    texts = [search.fold("\n".join([search.clean(d.title), *map(search.clean, d.text)])) for d in ranked]
    url_of = [d.url for d in ranked]
    hash_url = {}
    if binary:
        for path in (work / "pf" / "pagefind" / "fragment").glob("*.pf_fragment"):
            data = gzip.decompress(path.read_bytes())
            hash_url[path.stem] = json.loads(data[data.index(b"{") :])["url"].strip("/") + "/"
    scores = {}
    for tool in found:
        hit = got = want = exact = 0
        for query, ids in zip(substrings, found[tool]):
            truth = {url_of[i] for i, t in enumerate(texts) if query in t}
            urls = {url_of[i] for i in ids} if tool == "ours" else {hash_url.get(i, i) for i in ids}
            hit += len(urls & truth)
            got += len(urls)
            want += len(truth)
            exact += urls == truth
        scores[tool] = (hit / want if want else 1.0, hit / got if got else 1.0, exact)

    print()
    print(f"{'':34}{'ours':>14}{'pagefind':>14}{'ratio':>9}  target")
    rows = [
        ("index build time (s)", "seconds", 1, "≤ 0.10"),
        ("peak memory (MB)", "peak_mb", 1, "≤ 0.05"),
        ("index size on disk (MB)", "bytes", 1e6, "≤ 0.60"),
    ]
    for label, key, scale, target in rows:
        a = results["ours"][key] / scale
        b = results["pagefind"][key] / scale if binary else float("nan")
        print(f"{label:34}{a:14.2f}{b:14.2f}{a / b if binary else float('nan'):9.3f}  {target}")
    if binary:
        a, b = statistics.median(fetched["ours"]) / 1024, statistics.median(fetched["pagefind"]) / 1024
        print(f"{'bytes per query, median (KB)':34}{a:14.1f}{b:14.1f}{a / b:9.3f}  ≤ 1.00")
        for tool in ("ours", "pagefind"):
            r, p, e = scores[tool]
            print(
                f"  {tool:>8}: recall {100 * r:.2f}%, precision {100 * p:.2f}% on {len(substrings)} substring "
                f"queries ({e} answered exactly)"
            )
        print(
            f"  (index time inside our process: {results['ours']['index_seconds']:.1f} s; typical queries: "
            f"{' '.join(queries)})"
        )
        print(
            "  bytes per query, each:",
            " ".join(f"{q}:{a // 1024}/{b // 1024}" for q, a, b in zip(queries, fetched["ours"], fetched["pagefind"])),
        )
    if args.encodings:
        print("\nCJK posting lists (all text, same shards), bytes:")
        for name, size in measure_encodings(docs):
            print(f"  {name:40}{size:>14,}")
    if not args.keep:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
