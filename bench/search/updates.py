"""What changing the search index in place costs: `update_index` alone, on the search benchmark's corpus.

    python bench/search/updates.py [--articles 10000] [--seed 1] [--runs 3]

For each change it makes the index of the docs before it whole, then changes it in place (as
tests/test_search_update.py does) and prints the files written, of all, and the CPU seconds of the
process (its thread and the DEFLATE threads), best of `--runs`; it checks that every file is the
one a whole build of the docs after the change makes, byte for byte.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402  (bench/search/corpus.py)

from newsdigest import search  # noqa: E402
from newsdigest.search import build, update  # noqa: E402


def whole(docs, terms) -> tuple[dict[str, bytes], search.Built]:
    files: dict[str, bytes] = {}
    return files, search.write_index(docs, files.__setitem__, terms)


def in_place(old_docs, new_docs, terms, old) -> tuple[dict[str, bytes], float, search.Built | None]:
    """(the files update_index writes, its CPU seconds, the index it describes)."""
    old_files, old_built = old
    before, after = build._rank(old_docs), build._rank(new_docs)
    written: dict[str, bytes] = {}
    started = time.process_time()
    built = update.update_index(
        old_built,
        *update.changed_ids([d.url for d in before], [d.url for d in after], lambda i: before[i] == after[i]),
        [(d.url, d.date, d.topics, d.regions, d.page) for d in after],
        after.__getitem__,
        terms,
        old_files.__getitem__,
        written.__setitem__,
    )
    return written, time.process_time() - started, built


def changes(docs: list[search.Doc]) -> dict:
    """Each change: (docs before, docs after)."""
    newest = max(d.date for d in docs)
    day = f"{int(newest[:4]) + 1}{newest[4:]}"  # a day after every other
    middle = docs[len(docs) // 2]
    fewer = docs[: len(docs) - len(docs) % build.NEWEST_DOCS - 4]  # 8 more reach a multiple
    return {
        "a paragraph edited": (
            docs,
            [
                dataclasses.replace(d, text=(*d.text[:1], "新增一段关于宁波港口的报道。", *d.text[2:]))
                if d is middle
                else d
                for d in docs
            ],
        ),
        "a headline edited": (
            docs,
            [dataclasses.replace(d, title="全新标题：杭州湾大桥") if d is middle else d for d in docs],
        ),
        "an article's topics and regions removed": (
            docs,
            [dataclasses.replace(d, topics=(), regions=()) if d is middle else d for d in docs],
        ),
        "a new day of 8 articles": (
            docs,
            docs + [dataclasses.replace(d, url=f"new/{n}/", date=day) for n, d in enumerate(docs[:8])],
        ),
        f"a new day of 8 reaching a multiple of {build.NEWEST_DOCS}": (
            fewer,
            fewer + [dataclasses.replace(d, url=f"new/{n}/", date=day) for n, d in enumerate(docs[:8])],
        ),
        "the newest day's articles removed": (docs, [d for d in docs if d.date != newest]),
        "the oldest article removed (every id shifts)": (docs, [d for d in docs if d is not build._rank(docs)[0]]),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    topics, regions = corpus.taxonomy()
    terms = search.Terms(tuple((s, n) for s, n, _ in topics), tuple(regions))
    docs = [
        search.Doc(a.url, a.title, a.date, a.topics, a.regions, a.text)
        for a in corpus.articles(args.articles, args.seed)
    ]
    print(f"{args.articles} articles; the newest docs apart: those past a multiple of {build.NEWEST_DOCS}")
    print(f"{'change':58}{'written':>9}{'files':>8}{'cpu s':>8}")
    for name, (before, after) in changes(docs).items():
        old = whole(before, terms)
        best, written, built = float("inf"), {}, None
        for _ in range(args.runs):
            written, seconds, built = in_place(before, after, terms, old)
            best = min(best, seconds)
        if built is None:
            print(f"{name:58}{'made whole':>25}")
            continue
        expected, _ = whole(after, terms)
        files = {n: written.get(n, old[0].get(n)) for n in [*built.shas, "search/meta.bin"]}
        assert files == expected, f"{name}: not the index made whole"
        print(f"{name:58}{len(written):>9,}{len(expected):>8,}{best:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
