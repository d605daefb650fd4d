"""Where a built site's bytes go, against the issue's 10 KB per article.

    python bench/site/sizes.py SITE [--articles N]

Sorts every file of SITE (a built output folder) into a kind: article pages (og:type article),
other pages by their folder, feeds, sitemaps, the search index, the rest. For the HTML pages it
also sums the parts of `<head>` that the publishing issue asks for on every page: Open Graph,
article:* and Twitter tags, JSON-LD and the feeds' `<link rel="alternate">`. KB are 1,024 bytes,
per article as bench/site/run.py counts them: the site's bytes over N (default: the number of
article pages).
"""

from __future__ import annotations

import argparse
import os
import re
from collections import Counter
from pathlib import Path

SHARED_HEAD = re.compile(
    rb'<meta (?:property|name)="(?:og|article|twitter):[^>]*>\n?'
    rb'|<script type="application/ld\+json">.*?</script>\n?'
    rb'|<link rel="alternate"[^>]*>\n?',
    re.S,
)
DAY = re.compile(r"\d{4}/\d\d/\d\d/index\.html")


def kind(rel: str, data: bytes) -> str:
    top = rel.split("/", 1)[0]
    if top == "search":
        return "search index and page"
    if rel.endswith((".xml", ".json", ".txt")):
        return "sitemaps and robots.txt" if "sitemap" in rel or rel == "robots.txt" else "feeds"
    if not rel.endswith(".html"):
        return "other files"
    if b'<meta property="og:type" content="article">' in data:
        return "article pages"
    if DAY.fullmatch(rel):
        return "day pages"
    if rel == "archive/index.html":
        return "the archive page (往期)"
    if top.isdigit():
        return "edition pages"
    return f"{top} pages" if top in ("topics", "regions", "people") else "other pages"


def measure(site: Path) -> tuple[Counter, Counter, dict]:
    sizes, files = Counter(), Counter()
    head = {"head": 0, "asked for on every page": 0}
    for folder, _, names in os.walk(site):
        for name in names:
            path = Path(folder, name)
            data = path.read_bytes()
            rel = path.relative_to(site).as_posix()
            k = kind(rel, data)
            sizes[k] += len(data)
            files[k] += 1
            if rel.endswith(".html") and b"</head>" in data:
                part = data[: data.index(b"</head>")]
                head["head"] += len(part)
                head["asked for on every page"] += sum(len(m) for m in SHARED_HEAD.findall(part))
    return sizes, files, head


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--articles", type=int, help="divide by this many articles (default: article pages)")
    args = parser.parse_args()
    sizes, files, head = measure(args.site)
    articles = args.articles or files["article pages"]
    total = sum(sizes.values())
    print(f"{'':26}{'MB':>9}{'files':>9}{'KB/art':>8}")
    for name, size in sizes.most_common():
        print(f"{name:26}{size / 1e6:>9.1f}{files[name]:>9,}{size / 1024 / articles:>8.2f}")
    print(f"{'all':26}{total / 1e6:>9.1f}{sum(files.values()):>9,}{total / 1024 / articles:>8.2f}")
    print(f"\nof the HTML pages' bytes, in <head> (over {articles:,} articles):")
    for name, size in head.items():
        print(f"  {name:24}{size / 1e6:>9.1f}{'':>9}{size / 1024 / articles:>8.2f}")


if __name__ == "__main__":
    main()
