"""The site's side of search: its articles in id order (in_id_order), each as a Doc (doc_of), its
taxonomy as Terms (terms_of), and every file under search/ (search_files: the index, made whole or
changed in place, then the theme's search scripts)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..hashes import digest
from .build import Built, write_index
from .doc import Doc, Terms
from .update import changed_ids, update_index

META = "search/meta.bin"
_COMMENT = re.compile(r"\s*(//.*|/\*\*.*\*/\s*)")


@dataclass(frozen=True)
class Kept:
    """What the next build needs to change the index in place: the index as made, each doc's URL and
    fingerprint in id order, and the digest of meta.bin (whether the site still holds this index)."""

    built: Built
    urls: tuple[str, ...]
    prints: tuple[bytes, ...]
    meta: str


def in_id_order(site) -> list:
    """The site's articles in search's id order: the oldest day first, the last of a day first."""
    from ..index import newest_first

    return list(reversed(newest_first(site.articles)))


def doc_of(article, md) -> Doc:
    """One article as search sees it: its text is what a reader sees besides the title."""
    from ..text import visible

    text = [p.name for p in article.authors] + [part for part in (article.kicker, article.subtitle) if part]
    for block in article.blocks:
        if block.kind == "para":
            text.append(visible(block.text, md.render))
        elif block.kind in ("line", "signoff"):
            text.append(block.text)
        elif block.kind == "caption":
            text.append(visible(block.text, md.renderInline))
            if block.credit:
                text.append(block.credit)
    url, date, topics, regions, page = _row(article)
    return Doc(url, article.title, date, topics, regions, tuple(text), page)


def _row(article) -> tuple:
    """(url, date, topics, regions, printed page): what search keeps of an article besides its text."""
    return article.path, article.date.isoformat(), tuple(article.topics), tuple(article.regions), article.source.page


def terms_of(config) -> Terms:
    return Terms(
        tuple((t.slug, t.name) for t in config.topics), tuple((t.slug, t.name, t.parent) for t in config.regions)
    )


def search_files(
    site,
    theme,
    out,
    prints: tuple[bytes, ...] = (),
    kept: Kept | None = None,
    read: Callable[[str], bytes] | None = None,
) -> Kept:
    """Everything under search/, each file given to out(relative path, bytes): the index of the
    site's articles, then the theme's search scripts. With `kept` (the last build's, whose files
    read(name) gives) and each article's fingerprint in id order (`prints`), only the files that
    change are given. Returns what the next build needs."""
    from ..text import markdown

    articles, md, terms = in_id_order(site), markdown(), terms_of(site.config)
    urls = tuple(article.path for article in articles)
    meta: list[str] = []

    def put(name: str, data: bytes) -> None:
        if name == META:
            meta.append(digest(data))
        out(name, data)

    built = None
    if kept is not None and read is not None and len(prints) == len(articles):
        built = update_index(
            kept.built,
            *changed_ids(kept.urls, urls, lambda i: kept.prints[i] == prints[i]),
            list(map(_row, articles)),
            lambda i: doc_of(articles[i], md),
            terms,
            read,
            put,
        )
    if built is None:
        built = write_index((doc_of(a, md) for a in articles), put, terms, ranked=True, count=len(articles))
    folder = Path(theme.folder) / "search"
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                out("search/" + path.relative_to(folder).as_posix(), lean(data) if path.suffix == ".js" else data)
    return Kept(built, urls, tuple(prints), meta[0])


def lean(script: bytes) -> bytes:
    """A script without its lines of comment alone (`// …`, `/** … */`): every query fetches search.js
    (some 2.6 KB less), and the theme keeps its notes. A line inside a template string or a comment
    of several lines is not touched: neither starts with these marks, in the theme's scripts."""
    lines = script.decode("utf-8").split("\n")
    kept = [line for line in lines if not _COMMENT.fullmatch(line)]
    return "\n".join(kept).encode("utf-8")
