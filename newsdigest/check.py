"""`build.py check`: how each page was split, and every doubt, without building anything."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import TypedDict

from . import byline, pipeline
from .model import Article, Diagnostic, Source

# Text decoded with the wrong codec: GBK bytes read as UTF-8 leave U+FFFD or 锟斤拷; UTF-8 read as
# Latin-1 or cp1252 leaves runs like "å®æ³¢" (宁波).
MOJIBAKE_RE = re.compile(r"\ufffd|锟斤拷|烫烫烫|屯屯屯|[\u00c0-\u00ff][\u0080-\u00ff\u2018-\u203a\u0152-\u017e]")


def _mojibake(source: Source) -> list[Diagnostic]:
    for number in range(source.body_start, len(source.lines)):
        if MOJIBAKE_RE.search(source.lines[number]):
            return [
                Diagnostic(
                    source.path,
                    number + 1,
                    "this text looks mis-decoded (mojibake)",
                    "the file was probably converted with the wrong encoding: take the text "
                    "again from the original, saved as UTF-8",
                    level="warning",
                )
            ]
    return []


# What a byline, a dateline or a credit holds: a line that has one of these and was read as text is a doubt.
ROLE_WORDS = re.compile(r"记者|通讯员|评论员|实习生|执笔|整理|摄影?$|文/|图/|[电讯][(（]")
LOOKS_LIKE_DATELINE = re.compile(r"^据?[\u4e00-\u9fff]{2,12}?(?:\d{1,2}月)?\d{0,2}日?(?:专)?[电讯]")


def _unread_bylines(article: Article) -> list[Diagnostic]:
    """Lines that look like a byline, a dateline or a credit but were read as text (or a dateline
    whose bracketed people could not be read)."""
    found = []
    text = [b for b in article.blocks if b.kind in ("para", "line")]
    for n, block in enumerate(text):
        words = block.text[:40]
        if n == 0 and article.dateline and not article.dateline.people and ROLE_WORDS.search(words):
            what = "its dateline names people who could not be read"
        elif n == 0 and not article.dateline and LOOKS_LIKE_DATELINE.match(words):
            what = "this looks like a dateline that was not read as one"
        elif len(block.text) <= 40 and ROLE_WORDS.search(block.text) and not byline.SENTENCE_RE.search(block.text):
            what = "this looks like a byline or a credit that was not read as one"
        else:
            continue
        found.append(
            Diagnostic(
                article.source.path,
                block.lines[0],
                f"«{article.title}»: {what}: «{words}»",
                "write it in one of the forms of the README's «Bylines, datelines and credits», "
                "or ignore this if it is text",
                level="warning",
            )
        )
    return found


def _blank_lines_above(source: Source, line: int) -> int:
    count, index = 0, line - 2
    while index >= source.body_start and not source.lines[index].strip():
        count, index = count + 1, index - 1
    return count


def _shared_captions(analysis: pipeline.Analysis) -> list[Diagnostic]:
    """Captions closing an article right above the next one: they could be either article's."""
    found: list[Diagnostic] = []
    by_source: defaultdict[str, list[Article]] = defaultdict(list)
    for article in analysis.articles:
        by_source[article.source.path].append(article)
    for source, _ in analysis.pages:
        articles = by_source[source.path]
        for article, following in zip(articles, articles[1:]):
            last = article.blocks[-1] if article.blocks else None
            if last and last.kind == "caption" and _blank_lines_above(source, last.lines[0]) < 2:
                found.append(
                    Diagnostic(
                        source.path,
                        last.lines[0],
                        f"this caption could belong to «{article.title}» above it "
                        f"or to «{following.title}» below it; it stays with the one above",
                        "to give it to the article below, put two blank lines above it",
                        level="warning",
                    )
                )
    return found


def doubts(analysis: pipeline.Analysis) -> list[Diagnostic]:
    """What the splitter and the classifier could not be sure of, beyond their own warnings."""
    found: list[Diagnostic] = []
    for source, _ in analysis.pages:
        found += _mojibake(source)
    found += _shared_captions(analysis)
    seen: dict[tuple[dt.date, str], Article] = {}
    for article in analysis.articles:
        found += _unread_bylines(article)
        if not article.topics:
            found.append(
                Diagnostic(
                    article.source.path,
                    article.line,
                    f"«{article.title}» has no topic",
                    "add keywords to the topics file, or `{topics=…}` after the headline",
                    level="warning",
                )
            )
        if not article.regions:
            found.append(
                Diagnostic(
                    article.source.path,
                    article.line,
                    f"«{article.title}» has no region",
                    "add the place to the regions file, or `{regions=…}` after the headline",
                    level="warning",
                )
            )
        key = (article.date, article.title)
        if key in seen:
            other = seen[key]
            found.append(
                Diagnostic(
                    article.source.path,
                    article.line,
                    f"two articles of {article.date} have the title «{article.title}»",
                    f"the other is {other.source.path}:{other.line}",
                    level="warning",
                )
            )
        seen.setdefault(key, article)
    return found


class ArticleSummary(TypedDict):
    """One article as `check` reports it (an entry of a page's `articles` in the JSON)."""

    title: str
    line: int
    kicker: str
    subtitle: str
    paragraphs: str  # the paragraph form
    byline: list[dict[str, str]]  # {"name", "role"}
    dateline: dict[str, str] | None  # {"source", "place", "date"}
    source: str  # the agency
    credits: list[str]
    captions: int
    topics: list[str]  # names
    regions: list[str]  # names


class PageSummary(TypedDict):
    """One page as `check` reports it (an entry of `pages` in the JSON)."""

    path: str
    date: str
    page: str
    title: str
    articles: list[ArticleSummary]


def _summary(article: Article, analysis: pipeline.Analysis) -> ArticleSummary:
    topics, regions = analysis.config.topic, analysis.config.region
    dateline = article.dateline
    return {
        "title": article.title,
        "line": article.line,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "paragraphs": article.form,
        "byline": [{"name": p.name, "role": p.role} for p in article.authors],
        "dateline": {"source": dateline.agency, "place": dateline.place, "date": dateline.date} if dateline else None,
        "source": article.agency,
        "credits": [b.credit for b in article.blocks if b.kind == "caption" and b.credit],
        "captions": sum(b.kind == "caption" for b in article.blocks),
        "topics": [topics[s].name for s in article.topics],
        "regions": [regions[s].name for s in article.regions],
    }


def _print_article(n: int, article: ArticleSummary) -> None:
    people = " ".join(f"{p['role']} {p['name']}".strip() for p in article["byline"]) or "none"
    dateline = article["dateline"]
    print(f"  {n}. {article['title']} (line {article['line']})")
    for part in ("kicker", "subtitle"):
        if article[part]:
            print(f"     {part}: {article[part]}")
    print(
        f"     paragraphs: {article['paragraphs']} · source: {article['source'] or 'none'} · dateline: "
        + (" ".join(x for x in dateline.values() if x) if dateline else "none")
        + f" · credits: {'; '.join(article['credits']) or 'none'}"
    )
    print(
        f"     byline: {people} · captions: {article['captions']} · "
        f"topics: {', '.join(article['topics']) or 'none'} · "
        f"regions: {', '.join(article['regions']) or 'none'}"
    )


def _print_text(pages: list[PageSummary], found: list[Diagnostic]) -> None:
    for page in pages:
        label = " ".join(x for x in (page["date"], page["page"], page["title"]) if x)
        print(f"{page['path']}: {label}, {len(page['articles'])} article(s)")
        for n, article in enumerate(page["articles"], 1):
            _print_article(n, article)
    for diagnostic in found:
        print(diagnostic.format())
    print(f"{len(pages)} page(s), {sum(len(p['articles']) for p in pages)} article(s), {len(found)} doubt(s)")


def run(options: pipeline.Options, files: Iterable[Path], strict: bool, fmt: str) -> int:
    options.files, options.drafts, options.future = tuple(files), True, True
    result = pipeline.Result()
    try:
        analysis = pipeline.analyse(options, result, lines=True)
    except pipeline.BuildFailed as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        return 1
    found = result.diagnostics + doubts(analysis)
    found.sort(key=lambda d: (d.path, d.line))
    by_source: defaultdict[str, list[ArticleSummary]] = defaultdict(list)
    for article in analysis.articles:
        by_source[article.source.path].append(_summary(article, analysis))
    pages: list[PageSummary] = [
        {"path": s.path, "date": s.date.isoformat(), "page": s.page, "title": s.title, "articles": by_source[s.path]}
        for s, _ in sorted(analysis.pages, key=lambda p: p[0].path)
    ]
    if fmt == "json":
        print(json.dumps({"pages": pages, "doubts": [asdict(d) for d in found]}, ensure_ascii=False, indent=1))
    else:
        _print_text(pages, found)
    return 1 if strict and found else 0
